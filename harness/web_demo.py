"""Build what the web demo loads besides its own sources:

- web-demo/examples/NAME.wasm from examples/NAME.c (one of `PROGRAMS`), compiled by
  `harness.toolchain` (zig cc -target wasm32-wasi -O2 -s, cached by
  content hash under build/cache/);
- web-demo/refhost.zip: the reference host as the package
  `refhost` (with `spec`, which it reads), as
  `harness.hosts.pyodide_bundle` packs it for every Pyodide host, for
  the page's cross-check to unpack into Pyodide;
- web-demo/refhost.snapshot: a Pyodide memory snapshot with that package
  imported (the one `--host pyodide` makes in Chromium, hosts/pyodide_browser.py),
  from which the cross-check's Python starts in about a second instead of
  importing everything (issue #17); made on the browser daemon's Chromium the
  first time, then cached under build/pyodide/. Where it cannot be made (no
  Chromium) there is none, and the page starts Python the ordinary way;
- web-demo/lib/: the lazily mounted tree (`LIB_FILES` generated text files in
  `LIB_DIRS` folders, about 18 MB) and its index.json (`wasi-polyfill index`'s
  format, harness/tree.py), which the page mounts as a UrlDirectory at /lib.

    python -m harness.web_demo

All are build outputs, never committed. `wasi-polyfill serve` calls
`build()` before serving, and the web-demo tests call it before loading the
page.
"""

from __future__ import annotations

import fcntl
import shutil
import sys
from pathlib import Path

from harness.paths import BUILD, EXAMPLES, ROOT, WEB_DEMO

OUT = WEB_DEMO / "examples"
REFHOST_ZIP = WEB_DEMO / "refhost.zip"
SNAPSHOT = WEB_DEMO / "refhost.snapshot"
# The page's examples (web-demo/examples.js), sources in examples/.
PROGRAMS = ("calc", "guess", "hello", "transform", "tree", "wc")

# Every example is plain C on wasi-libc; calc needs libm for pow/fmod.
FLAGS = ("-lm",)

LIB = WEB_DEMO / "lib"
LIB_FILES = 2000
LIB_DIRS = 20
LIB_LINES = 300  # per file: about 9 KB, 18 MB in all
WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet")


def lib_name(i: int) -> str:
    """The path of the tree's file `i` (0 <= i < LIB_FILES), relative to lib/."""
    return f"d{i % LIB_DIRS:02d}/f{i:04d}.txt"


def lib_content(i: int) -> bytes:
    """File `i` of the tree: LIB_LINES lines of a few words, which vary by file and line."""
    lines = []
    for k in range(LIB_LINES):
        words = [WORDS[(i * 7 + k * 3 + j) % len(WORDS)] for j in range(1 + (i + k) % 6)]
        lines.append(f"{i:04d}.{k:03d} {' '.join(words)}\n")
    return "".join(lines).encode()


def build_lib() -> Path:
    """Writes web-demo/lib/ and its index.json, unless index.json is there
    (the files are deterministic; their times are those of the first build)."""
    import json

    from harness.tree import read_host_tree, to_json

    index = LIB / "index.json"
    if index.is_file():
        return LIB
    if LIB.exists():
        shutil.rmtree(LIB)
    for i in range(LIB_FILES):
        path = LIB / lib_name(i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(lib_content(i))
    (LIB / "README.txt").write_text(f"{LIB_FILES} text files in d00..d{LIB_DIRS - 1:02d}, made by harness/web_demo.py.\n")
    (LIB / "latest").symlink_to(lib_name(LIB_FILES - 1))
    tmp = LIB / "index.json.tmp"
    tmp.write_text(json.dumps(to_json(read_host_tree(str(LIB), data=False))))
    tmp.rename(index)
    return LIB


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


def pack_snapshot(verbose: bool = False) -> Path | None:
    """Copies Chromium's Pyodide snapshot for the current refhost.zip to
    web-demo/refhost.snapshot (made first if missing); without one, any
    old snapshot is removed: one made with another package would start the
    reference host with that package's modules already imported."""
    from harness.hosts import HostError
    from harness.hosts.pyodide_browser import ensure_snapshot

    try:
        made = ensure_snapshot()
    except HostError as e:
        made = None
        if verbose:
            print(f"wasi-polyfill: note: no Pyodide snapshot for the demo's cross-check ({e}); "
                  "it starts Python the ordinary way", file=sys.stderr)
    if made is None:
        SNAPSHOT.unlink(missing_ok=True)
        return None
    if not SNAPSHOT.is_file() or SNAPSHOT.stat().st_size != made.stat().st_size \
            or SNAPSHOT.read_bytes() != made.read_bytes():
        tmp = SNAPSHOT.with_suffix(".tmp")
        shutil.copyfile(made, tmp)
        tmp.replace(SNAPSHOT)
    return SNAPSHOT


def build(verbose: bool = False) -> list[Path]:
    """Build every example (cached) and the reference host archive; returns
    the .wasm paths next to the page.

    Raises `harness.toolchain.CompileError` if one does not compile.
    One builder at a time (a file lock): `make test`'s workers and a running
    `wasi-polyfill serve` may ask together."""
    BUILD.mkdir(parents=True, exist_ok=True)
    with open(BUILD / ".web-demo.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build(verbose)


def _build(verbose: bool) -> list[Path]:
    from harness.toolchain import compile_many

    pack_refhost()
    pack_snapshot(verbose)
    build_lib()
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
