"""Build what the web demo loads besides its own sources:

- web-demo/examples/NAME.wasm from examples/NAME.c (one of `PROGRAMS`), compiled by
  `harness.toolchain` (zig cc -target wasm32-wasi -O2 -s, cached by
  content hash under build/cache/);
- web-demo/refhost.zip: the reference host as the package
  `refhost` (with `spec`, which it reads), as
  `harness.hosts.pyodide_bundle` packs it for every Pyodide host, for
  the page's cross-check to unpack into Pyodide.

    python -m harness.web_demo

Both are build outputs, never committed. `wasi-polyfill serve` calls
`build()` before serving, and the web-demo tests call it before loading the
page.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from harness.paths import EXAMPLES, ROOT, WEB_DEMO

OUT = WEB_DEMO / "examples"
REFHOST_ZIP = WEB_DEMO / "refhost.zip"
# The page's examples (web-demo/examples.js), sources in examples/.
PROGRAMS = ("calc", "guess", "hello", "transform", "tree", "wc")

# Every example is plain C on wasi-libc; calc needs libm for pow/fmod.
FLAGS = ("-lm",)


def sources() -> list[Path]:
    return [EXAMPLES / f"{name}.c" for name in PROGRAMS]


def pack_refhost() -> Path:
    """Copies the reference host's Pyodide zip (hosts/pyodide_bundle.py,
    cached under build/pyodide/) to web-demo/refhost.zip, if it changed."""
    from harness.hosts.pyodide_bundle import bundle

    data = bundle().read_bytes()
    if not REFHOST_ZIP.is_file() or REFHOST_ZIP.read_bytes() != data:
        REFHOST_ZIP.write_bytes(data)
    return REFHOST_ZIP


def build(verbose: bool = False) -> list[Path]:
    """Build every example (cached) and the reference host archive; returns
    the .wasm paths next to the page.

    Raises `harness.toolchain.CompileError` if one does not compile."""
    from harness.toolchain import compile_many

    pack_refhost()
    OUT.mkdir(parents=True, exist_ok=True)

    progress = (lambda line: print(line, file=sys.stderr, flush=True)) if verbose else None
    built = []
    for src, wasm in compile_many(sources(), FLAGS, progress=progress).items():
        dest = OUT / f"{src.stem}.wasm"
        if not dest.is_file() or dest.read_bytes() != wasm.read_bytes():
            shutil.copyfile(wasm, dest)
        built.append(dest)
    return built


def main() -> int:
    from harness.toolchain import CompileError

    try:
        for wasm in build(verbose=True):
            print(wasm.relative_to(ROOT))
    except CompileError as e:
        print(f"wasi-polyfill: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
