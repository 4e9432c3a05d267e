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


def run(spec: RunSpec) -> int:
    cmd = [node_binary(), str(NODE_CLI), "run", *spec.flags(), "--", spec.program, *spec.args]
    return subprocess.run(cmd, stdin=spec.stdin, stdout=spec.stdout, stderr=spec.stderr).returncode
