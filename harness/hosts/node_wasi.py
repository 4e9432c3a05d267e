"""`--host node-wasi`: the program under Node's built-in `node:wasi` (uvwasi).

Not our polyfill: a second native implementation to compare against. Like
wasmtime it works on the host directories directly (`write_back` is a no-op).
Stdio is inherited, or taken from the spec's streams (real files are passed
to Node as they are, in-memory streams through pipes). The runner is
`node_wasi_run.mjs` next to this file; Node's ExperimentalWarning for
`node:wasi` is silenced.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path
from typing import BinaryIO

from . import RunSpec
from .node import node_binary

RUNNER = Path(__file__).with_name("node_wasi_run.mjs")


def command(spec: RunSpec) -> list[str]:
    config = {
        "program": os.path.abspath(spec.program),
        "argv": spec.argv,
        "env": [[name, value] for name, value in spec.env],
        "dirs": [[os.path.abspath(host), guest] for host, guest in spec.dirs],
        "trapUnknownImports": spec.trap_unknown_imports,
    }
    return [node_binary(), "--disable-warning=ExperimentalWarning", str(RUNNER), json.dumps(config)]


def _has_fd(stream: BinaryIO | None) -> bool:
    if stream is None:
        return True
    try:
        stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False
    return True


def run(spec: RunSpec, timeout: float | None = None) -> int:
    """The exit status; after `timeout` seconds (None: no limit) Node is
    killed and TimeoutError raised (uvwasi hangs on a few corpus cases)."""
    cmd = command(spec)
    try:
        if all(_has_fd(s) for s in (spec.stdin, spec.stdout, spec.stderr)):
            return subprocess.run(cmd, stdin=spec.stdin, stdout=spec.stdout, stderr=spec.stderr,
                                  timeout=timeout).returncode
        # in-memory streams: through pipes
        stdin_data = spec.stdin.read() if spec.stdin is not None and not _has_fd(spec.stdin) else None
        proc = subprocess.run(
            cmd,
            input=stdin_data,
            stdin=None if stdin_data is not None else spec.stdin,
            stdout=spec.stdout if _has_fd(spec.stdout) else subprocess.PIPE,
            stderr=spec.stderr if _has_fd(spec.stderr) else subprocess.PIPE,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"timed out after {timeout:g}s") from None
    for data, stream in ((proc.stdout, spec.stdout), (proc.stderr, spec.stderr)):
        if data is not None and stream is not None:
            stream.write(data)
            stream.flush()
    return proc.returncode
