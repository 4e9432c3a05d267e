"""`--host wasmtime`: native wasmtime (the `wasmtime` package's WASI), the reference.

Everything the program does happens on the host directly — preopens are the
real directories with full permissions — so `write_back` has nothing to do.
Stdio is inherited when the spec leaves it to the process (the CLI path);
streams given in the spec go through a temporary file (stdin) and output
callbacks (stdout/stderr).

Exit status: `proc_exit(code)` ends the run with `code & 0xFF`; a trap prints
one line `wasi-polyfill: trap: <cause>` and gives `TRAP_STATUS`. A trap is a
wasm trap or an error raised inside a host call (a bad pointer, an argument
wiggle cannot decode), as the witx means "trap". One error is not: wasmtime
refuses `proc_exit(code >= 126)`, and `wasmtime run` reports that as a plain
error with status 1 (its `maybe_exit_on_error` gives 134 only to
`wasmtime::Trap`), so this host prints `wasi-polyfill: error: <message>` and
returns 1.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import sys
import tempfile
from typing import BinaryIO

from . import TRAP_STATUS, HostError, RunSpec

try:
    import wasmtime
except ModuleNotFoundError:  # pragma: no cover - the dev extras install it
    raise HostError("the wasmtime package is not installed (pip install -e '.[dev]')") from None


_WASMTIME_VERSION = importlib.metadata.version("wasmtime")

# wasmtime's refusal of proc_exit(code >= 126), word for word
INVALID_EXIT_STATUS = "exit with invalid exit status outside of [0..126)"
INVALID_EXIT_STATUS_CODE = 1


def trap_message(error: BaseException) -> str:
    """The root cause of a wasmtime error, on one line.

    wasmtime's message is "error while executing at wasm backtrace: ...
    Caused by: [0: ]<cause>[ 1: <its cause> ...]"; the first cause is the
    most telling ("In func wasi_snapshot_preview1::path_open at convert
    Oflags: ...", "wasm trap: wasm `unreachable` instruction executed").
    """
    text = str(error)
    lines = [line.strip() for line in text.splitlines()]
    if "Caused by:" in lines:
        causes = [line for line in lines[lines.index("Caused by:") + 1:] if line]
        if causes:
            return re.sub(r"^0: ", "", causes[0])
    first = next((line for line in lines if line), "")
    return first or type(error).__name__


def _output(stream: BinaryIO):
    def write(data: bytes) -> None:
        stream.write(data)
        stream.flush()
    return write


def load_module(engine: wasmtime.Engine, path: str) -> wasmtime.Module:
    """The compiled module, from `build/cache/wasmtime/` when it was compiled before.

    Compiling a C program takes wasmtime ~0.2 s, a large part of a corpus
    run; the cache is keyed by the module's bytes and the wasmtime version,
    and holds only what this host compiled itself.
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise HostError(f"{path}: {e.strerror}") from None
    from ..toolchain import CACHE

    key = hashlib.sha256(data + f"\0wasmtime {_WASMTIME_VERSION}".encode()).hexdigest()[:32]
    cached = CACHE / "wasmtime" / f"{key}.cwasm"
    if cached.is_file():
        try:
            return wasmtime.Module.deserialize_file(engine, str(cached))
        except wasmtime.WasmtimeError:
            pass  # stale or damaged: compile again
    try:
        module = wasmtime.Module(engine, data)
    except wasmtime.WasmtimeError as e:
        raise HostError(f"{path}: not a loadable WebAssembly module: {trap_message(e)}") from None
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, prefix=".", suffix=".cwasm")
        with os.fdopen(fd, "wb") as f:
            f.write(module.serialize())
        os.replace(tmp, cached)
    except OSError:
        pass  # a read-only checkout: just do without the cache
    return module


def run(spec: RunSpec) -> int:
    engine = wasmtime.Engine()
    module = load_module(engine, spec.program)

    config = wasmtime.WasiConfig()
    config.argv = spec.argv
    config.env = [[name, value] for name, value in spec.env]
    for host_dir, guest_dir in spec.dirs:
        try:
            config.preopen_dir(host_dir, guest_dir)  # fs_mutable: full dir and file perms
        except wasmtime.WasmtimeError as e:
            raise HostError(f"--dir {host_dir}: {e}") from None

    stdin_tmp: str | None = None
    try:
        if spec.stdin is None:
            config.inherit_stdin()
        else:
            fd, stdin_tmp = tempfile.mkstemp(prefix="wasi-polyfill-stdin-")
            with os.fdopen(fd, "wb") as f:
                f.write(spec.stdin.read())
            config.stdin_file = stdin_tmp
        if spec.stdout is None:
            sys.stdout.flush()
            config.inherit_stdout()
        else:
            config.stdout_custom = _output(spec.stdout)
        if spec.stderr is None:
            sys.stderr.flush()
            config.inherit_stderr()
        else:
            config.stderr_custom = _output(spec.stderr)

        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        if spec.trap_unknown_imports:
            linker.define_unknown_imports_as_traps(module)
        store = wasmtime.Store(engine)
        store.set_wasi(config)
        try:
            instance = linker.instantiate(store, module)
        except wasmtime.Trap as e:  # a trapping start function
            return _trapped(spec, e)
        except wasmtime.WasmtimeError as e:
            raise HostError(f"{spec.program}: cannot instantiate: {trap_message(e)}") from None
        start = instance.exports(store).get("_start")
        if not isinstance(start, wasmtime.Func):
            raise HostError(f"{spec.program}: no `_start` function exported (not a WASI command)")
        try:
            start(store)
        except wasmtime.ExitTrap as e:
            return e.code & 0xFF
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            if not isinstance(e, wasmtime.Trap) and INVALID_EXIT_STATUS in str(e):
                return _error_line(spec, INVALID_EXIT_STATUS, INVALID_EXIT_STATUS_CODE)
            return _trapped(spec, e)
        return 0
    finally:
        if stdin_tmp is not None:
            os.unlink(stdin_tmp)


def _trapped(spec: RunSpec, error: BaseException) -> int:
    return _error_line(spec, f"trap: {trap_message(error)}", TRAP_STATUS, prefix="wasi-polyfill: ")


def _error_line(spec: RunSpec, message: str, status: int, prefix: str = "wasi-polyfill: error: ") -> int:
    line = f"{prefix}{message}\n".encode()
    if spec.stderr is None:
        sys.stderr.flush()
        os.write(2, line)
    else:
        spec.stderr.write(line)
        spec.stderr.flush()
    return status
