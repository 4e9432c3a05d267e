"""Run a JS (ES module) snippet under node and get back what it emits.

    from jsrun import run_js
    value = run_js('''
        import { errno } from "./polyfill/src/generated/constants.js";
        emit({ badf: errno.badf });
    ''')

The snippet runs from the repository root (relative imports resolve from
there), with `emit(value)` predefined: it prints `value` as one JSON line
(BigInts as decimal strings, Uint8Arrays as lists of numbers). `run_js`
returns the last emitted value; `run_js_all` returns every one. A non-zero
exit is a `JsError` carrying node's stderr.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE = os.environ.get("NODE") or shutil.which("node") or "/usr/bin/node"

PRELUDE = r"""
const emit = (value) => process.stdout.write("@@emit " + JSON.stringify(value, (key, v) =>
  typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Array.from(v) : v) + "\n");
"""


MARK = "@@emit "


class JsError(RuntimeError):
    pass


def run_js_all(source: str, *, args: list[str] = (), timeout: float = 120) -> list:
    """Every value the snippet `emit`s, in order."""
    proc = subprocess.run(
        [NODE, "--input-type=module", *args],
        input=PRELUDE + source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise JsError(f"node exited with {proc.returncode}:\n{proc.stderr}\n--- stdout:\n{proc.stdout}")
    # Other output (console.log while debugging) is ignored.
    return [json.loads(line[len(MARK):]) for line in proc.stdout.splitlines() if line.startswith(MARK)]


def run_js(source: str, **kwargs):
    """The last value the snippet `emit`s."""
    values = run_js_all(source, **kwargs)
    if not values:
        raise JsError("the snippet emitted nothing")
    return values[-1]
