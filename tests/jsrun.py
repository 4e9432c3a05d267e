"""Run a JS program of tests/js/helpers/ under node and get back what it emits.

    from jsrun import run_node, js
    got = run_node("glue_harness.mjs", "calls", data={"cases": [...]})

The program (an ES module file; no JS lives in a Python string) runs from the
repository root with `data` as JSON on stdin, and answers through
tests/js/helpers/emit.mjs: `emit(value)` prints `value` as one JSON line
(BigInts as decimal strings, Uint8Arrays as lists of numbers). `run_node`
returns the last emitted value; `run_node_all` returns every one. A non-zero
exit is a `JsError` carrying node's stderr. `js.bigint(n)` and `js.bytes(b)`
put BigInts and Uint8Arrays into `data` (emit.mjs's `decode` makes them JS
values again).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE = os.environ.get("NODE") or shutil.which("node") or "/usr/bin/node"
HELPERS = ROOT / "tests" / "js" / "helpers"

MARK = "@@emit "  # as tests/js/helpers/emit.mjs


class JsError(RuntimeError):
    pass


class js:
    """The input forms of JS values JSON does not have (tests/js/helpers/emit.mjs's `decode`)."""

    UNDEFINED = {"$undefined": True}

    @staticmethod
    def bigint(n: int) -> dict:
        return {"$bigint": str(n)}

    @staticmethod
    def bytes(b) -> dict:
        return {"$bytes": list(b)}


def run_node_all(script: str | Path, *args: str, data=None, timeout: float = 120) -> list:
    """Every value `script` (a file name in tests/js/helpers/, or a path) emits, in order."""
    path = Path(script) if os.sep in str(script) else HELPERS / script
    proc = subprocess.run(
        [NODE, str(path), *args],
        input="" if data is None else json.dumps(data),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise JsError(f"node exited with {proc.returncode}:\n{proc.stderr}\n--- stdout:\n{proc.stdout}")
    # Other output (console.log while debugging) is ignored.
    return [json.loads(line[len(MARK):]) for line in proc.stdout.splitlines() if line.startswith(MARK)]


def run_node(script: str | Path, *args: str, **kwargs):
    """The last value `script` emits."""
    values = run_node_all(script, *args, **kwargs)
    if not values:
        raise JsError(f"{script} emitted nothing")
    return values[-1]
