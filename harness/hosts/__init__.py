"""The hosts `wasi-polyfill run --host NAME` can run a program on.

Every host takes the same `RunSpec` and follows the same exit-status rules, so
runs can be compared:
- the status is the guest's exit code (as the OS truncates it: code & 0xFF);
- a trap prints exactly one line `wasi-polyfill: trap: <message>` to stderr
  and gives status 134 (`TRAP_STATUS`), as `wasmtime run` does;
- a mistake of the user's (missing program, bad dir) raises `HostError`, which
  the CLI prints as one line `wasi-polyfill: error: <message>` with status 2.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import BinaryIO, Callable

TRAP_STATUS = 134
USAGE_STATUS = 2


class HostError(Exception):
    """A mistake of the user's or an unavailable host: one line, no traceback."""


@dataclass
class RunSpec:
    program: str                                   # path as given; argv[0] unless `argv0`
    args: list[str] = field(default_factory=list)  # argv[1:]
    argv0: str | None = None                       # `--argv0 NAME`
    env: list[tuple[str, str]] = field(default_factory=list)
    dirs: list[tuple[str, str]] = field(default_factory=list)  # (host dir, guest path)
    write_back: bool = False
    trace: bool = False
    deterministic: bool = False      # spec/RATIONALE.md "Deterministic mode"; our runtimes only
    trap_unknown_imports: bool = False  # functions of unknown imports trap when called (wasmtime's flag)
    async_mode: bool = False         # the JS runtime in async mode (JSPI; spec/RATIONALE.md "Async mode")
    stdin: BinaryIO | None = None    # None: the process's own
    stdout: BinaryIO | None = None
    stderr: BinaryIO | None = None

    @property
    def argv(self) -> list[str]:
        return [self.program if self.argv0 is None else self.argv0, *self.args]

    def flags(self) -> list[str]:
        """The run's flags as `wasi-polyfill run` and node/cli.js spell them
        (wasmtime's spelling), before `--`."""
        flags: list[str] = []
        for host, guest in self.dirs:
            flags += ["--dir", f"{host}::{guest}"]
        for name, value in self.env:
            flags += ["--env", f"{name}={value}"]
        if self.argv0 is not None:
            flags += ["--argv0", self.argv0]
        for on, flag in ((self.write_back, "--write-back"), (self.trace, "--trace"),
                         (self.deterministic, "--deterministic"),
                         (self.trap_unknown_imports, "--trap-unknown-imports"),
                         (self.async_mode, "--async")):
            if on:
                flags.append(flag)
        return flags

    def streams(self) -> tuple[BinaryIO, BinaryIO, BinaryIO]:
        return (self.stdin or sys.stdin.buffer, self.stdout or sys.stdout.buffer,
                self.stderr or sys.stderr.buffer)


# name -> "module:function"; modules are imported only when used, so a host's
# dependencies (wasmtime, playwright, node) are needed only by that host.
HOSTS: dict[str, str] = {
    "node": "harness.hosts.node:run",
    "wasmtime": "harness.hosts.wasmtime:run",
    "node-wasi": "harness.hosts.node_wasi:run",
    "refhost": "harness.hosts.refhost:run",
    "pyodide-node": "harness.hosts.pyodide_node:run",
    "pyodide": "harness.hosts.pyodide_browser:run",
    "browser": "harness.hosts.browser:run",
    "firefox": "harness.hosts.firefox:run",
    "webkit": "harness.hosts.webkit:run",
}


# What each host runs the program in, for `compare`'s matrix and report (the
# three browser engines side by side: browser, firefox, webkit).
HOST_ENGINES: dict[str, str] = {
    "node": "Node",
    "wasmtime": "wasmtime (native)",
    "node-wasi": "Node's node:wasi",
    "refhost": "CPython",
    "pyodide-node": "Pyodide on Node",
    "pyodide": "Pyodide in Chromium",
    "browser": "Chromium",
    "firefox": "Firefox",
    "webkit": "WebKitGTK",
}


# The hosts that run the JS runtime, so can run it in async mode (`--async`;
# webkit has no JSPI and says so in one line).
ASYNC_HOSTS = frozenset({"node", "browser", "firefox", "webkit"})

# The hosts that run our own runtimes (the JS polyfill, the reference host) and
# so implement `--deterministic`; wasmtime and node-wasi cannot.
DETERMINISTIC_HOSTS = frozenset({"node", "browser", "firefox", "webkit", "refhost", "pyodide-node", "pyodide"})


def get_host(name: str) -> Callable[[RunSpec], int]:
    try:
        target = HOSTS[name]
    except KeyError:
        raise HostError(f"unknown host {name!r} (hosts: {', '.join(HOSTS)})") from None
    module, func = target.split(":")
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        raise HostError(f"host {name!r} is not available: {e}") from None
    return getattr(mod, func)


def run(host: str, spec: RunSpec) -> int:
    return get_host(host)(spec)
