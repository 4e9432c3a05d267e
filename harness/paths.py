"""Where things are: the one place that knows the repository's layout.

Everything else asks here (`from harness.paths import ROOT, BUILD`), so no
module recomputes the root from its own file name.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
POLYFILL = ROOT / "polyfill"
POLYFILL_SRC = POLYFILL / "src"
POLYFILL_DIST = POLYFILL / "dist"
NODE_MODULES = ROOT / "node_modules"
EXAMPLES = ROOT / "examples"
WEB_DEMO = ROOT / "web-demo"
# zig's and wat2wasm's outputs, by content hash (harness/toolchain.py);
# WASI_POLYFILL_CACHE moves it (to time a cold build, or share one)
CACHE = Path(os.environ.get("WASI_POLYFILL_CACHE") or BUILD / "cache")
# Other Node lines than the system's `node`, from the npm package `node`
# (`make node-lines`): node_line("24") is Node 24's binary.
NODE_LINES = BUILD / "node-lines"


def node_line(major: str) -> Path:
    return NODE_LINES / major / "node_modules" / ".bin" / "node"
