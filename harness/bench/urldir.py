"""The UrlDirectory benchmark (issue #15): a program that reads 5 of 2,000
files of a tree served over HTTP from 127.0.0.1, on the polyfill's Node
bundle. Reported: the time to mount (the index), the time to first byte
(mount → the program's first file read and printed), the total, the
requests made and the bytes fetched, against the tree's size; verified: the
program read the right bytes, and the server saw the index and those 5
files, once each (`programs/urlread.c`, `urldir_driver.mjs`).

The tree is served by `wasi-polyfill serve`'s handler (Python's static
server), which counts what it sends.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable

from ..paths import ROOT
from ..serve import HOST, DemoHandler, DemoServer
from ..tree import read_host_tree, to_json

DRIVER = Path(__file__).with_name("urldir_driver.mjs")
BUNDLE = ROOT / "polyfill" / "dist" / "node" / "index.js"
FILES = 2000
PER_DIR = 100
FILE_BYTES = {"tiny": 1024, "normal": 16 << 10, "10x": 160 << 10}
READ = [7, 420, 1000, 1555, 1999]  # the 5 files the program reads


def _content(i: int, size: int) -> bytes:
    seed = hashlib.sha256(str(i).encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


def _name(i: int) -> str:
    return f"d{i // PER_DIR:02d}/f{i:04d}.txt"


def _checksum(data: bytes) -> int:
    s = 0
    for b in data:
        s = (s * 31 + b) & 0xFFFFFFFF
    return s


def _counting_handler(root: Path, log: list[str], sent: dict[str, int]) -> type:
    """`wasi-polyfill serve`'s handler on `root`, logging each path served and counting body bytes."""

    class Handler(DemoHandler):
        isolation = False
        quiet = True

        def __init__(self, *args: Any) -> None:
            super().__init__(*args, directory=str(root))

        def send_head(self):  # type: ignore[no-untyped-def]
            f = super().send_head()
            if f is not None:
                log.append(self.path)
            return f

        def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
            data = source.read()
            sent["bytes"] += len(data)
            outputfile.write(data)

    return Handler


def measure(node: str, program: str, size: str, rounds: int,
            progress: Callable[[str], None]) -> dict[str, Any]:
    """Run the benchmark `rounds` times on a fresh mount each; medians and the checks."""
    file_bytes = FILE_BYTES[size]
    with tempfile.TemporaryDirectory(prefix="bench-urldir-") as tmp:
        root = Path(tmp)
        for i in range(FILES):
            path = root / _name(i)
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(_content(i, file_bytes))
        index = json.dumps(to_json(read_host_tree(str(root), data=False)))
        (root / "index.json").write_text(index)
        sent = {"bytes": 0}
        log: list[str] = []
        server = DemoServer((HOST, 0), _counting_handler(root, log, sent))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        runs, problems = [], []
        try:
            url = f"http://{HOST}:{server.server_port}/"
            guest = [f"/lib/{_name(i)}" for i in READ]
            want = "".join(f"{g} {file_bytes} {_checksum(_content(i, file_bytes))}\n" for g, i in zip(guest, READ))
            for rnd in range(1, rounds + 1):
                log.clear()
                sent["bytes"] = 0
                p = subprocess.run([node, str(DRIVER), str(BUNDLE), url, program, *guest], capture_output=True,
                                   timeout=120, cwd=ROOT, text=True)
                if p.returncode != 0:
                    problems.append(f"round {rnd}: driver failed: {(p.stderr.strip().splitlines() or ['?'])[-1]}")
                    continue
                r = json.loads(p.stdout)
                lines = [line for line in r["output"].splitlines(keepends=True) if not line.startswith("BENCH")]
                if r["status"] != 0 or "".join(lines) != want:
                    problems.append(f"round {rnd}: wrong output: {r['output'][:200]!r}")
                paths = sorted(log)
                expected = sorted(["/index.json", *(f"/{_name(i)}" for i in READ)])
                if paths != expected:
                    problems.append(f"round {rnd}: the server saw {len(paths)} requests, not the index and the 5 files")
                r["server_requests"], r["server_bytes"] = len(paths), sent["bytes"]
                runs.append(r)
                progress(f"UrlDirectory round {rnd}: first byte {r['first_byte_ms']:.1f} ms, "
                         f"{r['requests']} requests, {r['bytes']:,} B")
        finally:
            server.shutdown()
            server.server_close()

    def med(key: str) -> float | None:
        return statistics.median(r[key] for r in runs) if runs else None

    return {
        "ok": not problems and bool(runs), "problems": problems,
        "files": FILES, "read": len(READ), "file_bytes": file_bytes, "index_bytes": len(index),
        "tree_bytes": FILES * file_bytes,
        "mount_ms": med("mount_ms"), "first_byte_ms": med("first_byte_ms"), "total_ms": med("total_ms"),
        "requests": runs[-1]["server_requests"] if runs else None,
        "bytes": runs[-1]["server_bytes"] if runs else None,
        "rounds": len(runs),
    }
