"""HandleDirectory over OPFS against the raw OPFS API (issue #15), in
Chromium's dedicated worker: `make bench` runs it after the main suite; it
writes build/bench-opfs.json and build/bench-opfs.md and prints the table.
Not a timed test.

    .venv/bin/python tests/bench/opfs_bench.py [--rounds N] [--mib M] [--dirs D --files F]

Two workloads, each done both ways in the same worker, on a fresh OPFS
directory each time (tests/bench/opfs_bench_worker.js):
- throughput: harness/bench/programs/throughput.c (M MiB written in 64 KiB
  chunks at their offsets, closed, read back and summed) on the polyfill
  with its preopen a HandleDirectory, timed from `new HandleDirectory` to
  `store.close()` (mount + run + save); vs plain JS doing the same through
  one sync access handle (fill, write at each offset, close, reopen, read
  back, sum; no flush, as the program does not fsync);
- metadata: harness/bench/programs/metadata.c (D dirs of F files: create
  with their name as content, stat, list, rename half, unlink, rmdir, list)
  vs plain JS doing it through the handle API (getFileHandle with create
  and a sync access handle per file for its bytes; getFile().size for stat;
  move() to rename; removeEntry).
Each run is verified (the program's BENCH line against
harness/bench/workloads.py's expected values; the raw side's own counts).
Reported per round: the ratio raw ms / HandleDirectory ms (its speed as a
share of the raw API's: the target is >= 0.8), then min / median / max over
the rounds, met or missed on the median, and the load average at start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from harness.bench.runner import C_FLAGS  # noqa: E402
from harness.bench.workloads import PROGRAMS, WORKLOADS, check  # noqa: E402
from harness.hosts.chromium import Server  # noqa: E402

HERE = ROOT / "tests" / "bench"
TARGET = 0.8
MASK32 = (1 << 32) - 1


def raw_expected(workload: str, p: dict) -> dict:
    """What the raw side must count (its throughput sum is over 32-bit words, mod 2^32)."""
    if workload == "metadata":
        return WORKLOADS["metadata"].expected(p)
    chunks, words = p["mib"] * 16, 64 * 1024 // 4
    total = 0
    for k in range(chunks):
        base = (k * 0x7F4A7C15) & MASK32
        total += base * words + words * (words - 1) // 2
    return {"bytes": p["mib"] << 20, "sum": total & MASK32}


def measure(rounds: int, sizes: dict, progress=print, chromium=None) -> dict:
    """`rounds` of each workload both ways; `chromium`: a Playwright browser to use (else one is launched)."""
    import contextlib

    from harness.hosts.chromium import browser
    from harness.toolchain import compile_many

    srcs = {name: PROGRAMS / f"{name}.c" for name in sizes}
    built = compile_many(list(srcs.values()), flags=C_FLAGS)
    load_start = os.getloadavg()
    runs: list[dict] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-opfs-") as tmp:
        for name, src in srcs.items():
            shutil.copy(built[src], Path(tmp) / f"{name}.wasm")
        mounts = {"/polyfill/": ROOT / "polyfill", "/bench/": HERE, "/wasm/": Path(tmp)}
        with Server(mounts) as server, (contextlib.nullcontext(chromium) if chromium else browser()) as b:
            page = b.new_page()
            page.goto(server.url("/bench/opfs_bench.html"))
            page.wait_for_function("window.benchReady === true")
            version = b.version
            for rnd in range(1, rounds + 1):
                for workload, p in sizes.items():
                    argv = WORKLOADS[workload].argv(p)  # [name, "/bench", sizes...]
                    order = ("guest", "raw") if rnd % 2 else ("raw", "guest")  # neither always first
                    got = {}
                    for kind in order:
                        r = page.evaluate("([k, w, p, a]) => benchRun(k, w, p, a)", [kind, workload, p, argv])
                        if "error" in r:
                            problems.append(f"round {rnd} {workload} {kind}: {r['error'].splitlines()[0]}")
                            continue
                        if kind == "guest":
                            bad = check(WORKLOADS[workload], p, {"ok": True, **r})
                        else:
                            want = raw_expected(workload, p)
                            bad = [f"{k}={r['bench'].get(k)}, expected {v}" for k, v in want.items()
                                   if r["bench"].get(k) != v]
                        if bad:
                            problems.append(f"round {rnd} {workload} {kind}: {'; '.join(bad)}")
                            continue
                        got[kind] = r
                    if len(got) == 2:
                        run = {"round": rnd, "workload": workload, "params": p, "guest_ms": got["guest"]["ms"],
                               "raw_ms": got["raw"]["ms"], "raw_io_ms": got["raw"]["io_ms"], "parts": got["guest"]["parts"], "saves": got["guest"]["saves"],
                               "ratio": got["raw"]["ms"] / got["guest"]["ms"]}
                        runs.append(run)
                        parts = ", ".join(f"{k[:-3]} {v:.0f}" for k, v in run["parts"].items())
                        progress(f"opfs bench: round {rnd} {workload}: HandleDirectory {run['guest_ms']:.0f} ms "
                                 f"({parts}), raw {run['raw_ms']:.0f} ms (io {run['raw_io_ms']:.0f}), "
                                 f"ratio {run['ratio']:.2f}")
            page.close()
    summary = {}
    for workload in sizes:
        ratios = [r["ratio"] for r in runs if r["workload"] == workload]
        if ratios:
            med = statistics.median(ratios)
            summary[workload] = {"min": min(ratios), "median": med, "max": max(ratios), "met": med >= TARGET,
                                 "guest_ms": statistics.median(r["guest_ms"] for r in runs if r["workload"] == workload),
                                 "raw_ms": statistics.median(r["raw_ms"] for r in runs if r["workload"] == workload)}
    return {"engine": f"chromium {version}", "sizes": sizes, "rounds": rounds, "runs": runs, "summary": summary,
            "problems": problems, "target": TARGET, "load_start": load_start, "load_end": os.getloadavg()}


def table(data: dict) -> str:
    sizes = data["sizes"]
    what = {"throughput": f"throughput ({sizes['throughput']['mib']} MiB written, read back)",
            "metadata": f"metadata ({sizes['metadata']['dirs']} × {sizes['metadata']['files']} files)"}
    lines = [f"# HandleDirectory vs the raw OPFS API ({data['engine']}, dedicated worker)", "",
             f"{data['rounds']} rounds; load average {data['load_start'][0]:.1f} at the start, "
             f"{data['load_end'][0]:.1f} at the end. Ratio: raw ms / HandleDirectory ms "
             f"(HandleDirectory's speed as a share of the raw API's; target ≥ {data['target']}).", "",
             "| workload | HandleDirectory ms (median) | raw OPFS ms (median) | ratio min | median | max | target |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for workload, s in data["summary"].items():
        lines.append(f"| {what[workload]} | {s['guest_ms']:.0f} | {s['raw_ms']:.0f} | {s['min']:.2f} | "
                     f"{s['median']:.2f} | {s['max']:.2f} | {'met' if s['met'] else 'missed'} |")
    lines += ["", "HandleDirectory's time in parts (median ms: mount = open the store and its handles, "
              "run = the program, close = save the metadata and give files kept in memory data files; saves = of these, the metadata saves, each flushed, at every fd_close and fd_sync that changed something and at the end; io = time inside the sync access handles' read and write, raw io the same on the raw side):", ""]
    for workload in data["summary"]:
        parts = [r["parts"] for r in data["runs"] if r["workload"] == workload]
        lines.append(f"- {workload}: " + ", ".join(
            f"{k[:-3]} {statistics.median(p[k] for p in parts):.0f} ms" for k in parts[0])
            + f", raw io {statistics.median(r['raw_io_ms'] for r in data['runs'] if r['workload'] == workload):.0f} ms"
            + f" ({statistics.median(r['saves'] for r in data['runs'] if r['workload'] == workload):.0f} saves)")
    if data["problems"]:
        lines += ["", "Failed runs:", *(f"- {p}" for p in data["problems"])]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--mib", type=int, default=64)
    ap.add_argument("--dirs", type=int, default=10)
    ap.add_argument("--files", type=int, default=100)
    o = ap.parse_args()
    t0 = time.monotonic()
    data = measure(o.rounds, {"throughput": {"mib": o.mib}, "metadata": {"dirs": o.dirs, "files": o.files}},
                   progress=lambda line: print(line, file=sys.stderr, flush=True))
    data["seconds"] = time.monotonic() - t0
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench-opfs.json").write_text(json.dumps(data, indent=2) + "\n")
    md = table(data)
    (ROOT / "build" / "bench-opfs.md").write_text(md)
    print(md)
    return 1 if data["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
