"""`--host node`: the JS polyfill in Node, through polyfill/src/node/cli.js."""

from __future__ import annotations

from harness.paths import ROOT

import os
import shutil
import subprocess

from . import HostError, RunSpec

NODE_CLI = ROOT / "polyfill" / "src" / "node" / "cli.js"


def node_binary() -> str:
    """`node` on PATH, or the Node that WASI_POLYFILL_NODE names (`make test`
    runs the corpus on this host under each supported Node line so)."""
    chosen = os.environ.get("WASI_POLYFILL_NODE")
    if chosen:
        if not (os.path.isfile(chosen) and os.access(chosen, os.X_OK)):
            raise HostError(f"WASI_POLYFILL_NODE={chosen} is not an executable file")
        return chosen
    node = shutil.which("node")
    if node is None:
        raise HostError("node is not installed (Node.js >= 18 is needed for this host)")
    return node


def cli_flags(spec: RunSpec) -> list[str]:
    flags: list[str] = []
    for host, guest in spec.dirs:
        flags += ["--dir", f"{host}::{guest}"]
    for name, value in spec.env:
        flags += ["--env", f"{name}={value}"]
    if spec.write_back:
        flags.append("--write-back")
    if spec.trace:
        flags.append("--trace")
    if spec.deterministic:
        flags.append("--deterministic")
    if spec.trap_unknown_imports:
        flags.append("--trap-unknown-imports")
    if spec.argv0 is not None:
        flags += ["--argv0", spec.argv0]
    return flags


def run(spec: RunSpec) -> int:
    cmd = [node_binary(), str(NODE_CLI), "run", *cli_flags(spec), "--", spec.program, *spec.args]
    return subprocess.run(cmd, stdin=spec.stdin, stdout=spec.stdout, stderr=spec.stderr).returncode
