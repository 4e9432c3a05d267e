"""Async mode's benchmark (issue #14) in Node 26, Chromium and Firefox: `make bench`
runs it after the main suite; it writes build/bench-async.json and
build/bench-async.md and prints the table. Not a timed test.

    .venv/bin/python tests/bench/async_bench.py [--calls N] [--suspends N]

What is measured is in tests/bench/async_bench.mjs (the same code on both engines).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from harness.hosts.chromium import Server  # noqa: E402
from harness.paths import node_line  # noqa: E402

HERE = ROOT / "tests" / "bench"
NODE26 = node_line("26")
ROWS = [
    ("clock_time_get, sync mode", "clock_sync_ns"),
    ("clock_time_get, async mode (plain import)", "clock_async_ns"),
    ("  ratio async / sync (target ≤ 1.5)", "clock_ratio"),
    ("fd_write to a function, sync mode", "write_sync_ns"),
    ("fd_write to a function, async mode (plain import)", "write_async_plain_ns"),
    ("  ratio async / sync (target ≤ 1.5)", "write_ratio"),
    ("fd_write to a WritableStream with room (Suspending, no wait)", "write_async_stream_ns"),
    ("fd_read, sync stdin", "read_sync_ns"),
    ("fd_read, async stdin: one suspend/resume round trip", "read_async_suspending_ns"),
    ("bare JSPI round trip (Suspending → resolved Promise)", "jspi_round_trip_ns"),
    ("isolating: empty import () => 0, sync", "noop_sync_ns"),
    ("isolating: empty import, async", "noop_async_ns"),
    ("  ratio", "noop_ratio"),
    ("isolating: import allocating a Uint8Array(1), sync", "alloc_sync_ns"),
    ("isolating: allocating import, async", "alloc_async_ns"),
    ("  ratio", "alloc_ratio"),
    ("isolating: import calling a function (no allocation), sync", "call_sync_ns"),
    ("isolating: calling import, async", "call_async_ns"),
    ("  ratio", "call_ratio"),
    ("isolating: empty import with an i64 parameter (clock_time_get's), sync", "noop_i64_sync_ns"),
    ("isolating: empty import with an i64 parameter, async", "noop_i64_async_ns"),
    ("  ratio", "noop_i64_ratio"),
    ("isolating: Suspending import returning 0 (no Promise), async", "suspending_plain_ns"),
    ("isolating: fd_write to a MemFS file, sync", "file_sync_ns"),
    ("isolating: fd_write to a MemFS file, async", "file_async_ns"),
    ("  ratio", "file_ratio"),
]


def build_module() -> None:
    subprocess.run([sys.executable, "-m", "harness.toolchain", "--copy-to", str(HERE), str(HERE / "async_calls.wat")],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def in_node(calls: int, suspends: int) -> dict:
    if not NODE26.exists():
        return {"engine": "node 26", "error": f"{NODE26} is missing (make node-lines)"}
    out = subprocess.run([str(NODE26), str(HERE / "async_bench.mjs"), "--calls", str(calls), "--suspends", str(suspends)],
                         check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def in_browser(engine: str, calls: int, suspends: int) -> dict:
    """The page's figures in `engine` (harness/browsers: chromium, firefox)."""
    import time

    from harness import browsers

    why = browsers.available(engine)
    if why is not None:
        return {"engine": engine, "error": why}
    with Server({"/polyfill/": ROOT / "polyfill", "/bench/": HERE}) as server, browsers.launch(engine) as b:
        tab = b.open(server.url(f"/bench/async_bench.html?calls={calls}&suspends={suspends}"))
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            result = tab.evaluate("window.benchResult ?? null")
            if result is not None:
                version = getattr(b, "version", "")
                return {**result, "engine": f"{engine} {version}".strip()}
            time.sleep(0.5)
        return {"engine": engine, "error": "no result within 300 s"}


def table(results: list[dict]) -> str:
    head = "| ns per call | " + " | ".join(r.get("engine", "?") for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]
    for label, key in ROWS:
        cells = []
        for r in results:
            v = r.get(key)
            cells.append(r.get("error", "—") if v is None else (f"{v:.2f}×" if key.endswith("ratio") else f"{v:.0f}"))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=1_000_000)
    ap.add_argument("--suspends", type=int, default=100_000)
    o = ap.parse_args()
    build_module()
    results = [in_node(o.calls, o.suspends), in_browser("chromium", o.calls, o.suspends),
               in_browser("firefox", o.calls, o.suspends)]
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench-async.json").write_text(json.dumps(results, indent=2) + "\n")
    md = "# Async mode: per-call costs\n\n" + table(results)
    (ROOT / "build" / "bench-async.md").write_text(md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
