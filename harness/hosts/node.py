"""`--host node`: the JS polyfill in Node, through polyfill/src/node/cli.js."""

from __future__ import annotations

from harness.paths import ROOT

import shutil
import subprocess

from . import HostError, RunSpec

NODE_CLI = ROOT / "polyfill" / "src" / "node" / "cli.js"


def node_binary() -> str:
    node = shutil.which("node")
    if node is None:
        raise HostError("node is not installed (Node.js >= 18 is needed for this host)")
    return node


def run(spec: RunSpec) -> int:
    cmd = [node_binary(), str(NODE_CLI), "run", *spec.flags(), "--", spec.program, *spec.args]
    return subprocess.run(cmd, stdin=spec.stdin, stdout=spec.stdout, stderr=spec.stderr).returncode
