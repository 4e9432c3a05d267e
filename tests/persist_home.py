"""tests/handledir/persist.c and wasmtime's output for it, for the web demo's
persistent-home tests (tests/test_web_demo.py in Chromium,
tests/test_web_demo_engines.py in Firefox)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def persist_expected(home: Path) -> tuple[Path, list[str]]:
    """persist.c compiled (cached), and wasmtime's stdout for `persist write`
    then `persist read` on the empty host dir `home` at /home."""
    from harness.toolchain import compile_many

    src = ROOT / "tests" / "handledir" / "persist.c"
    wasm = compile_many([src])[src]
    expected = []
    for arg in ("write", "read"):
        proc = subprocess.run([sys.executable, "-m", "harness", "run", "--host", "wasmtime", "--dir", f"{home}::/home",
                               "--", str(wasm), arg], capture_output=True, cwd=ROOT, timeout=60)
        assert proc.returncode == 0, proc.stderr
        expected.append(proc.stdout.decode())
    assert "-> docs/hello.txt" in expected[1] and "nlink=2" in expected[1]
    return wasm, expected
