"""Browser-backed command lines (issue #17): a test suite that calls the CLI
once per program, on `--host browser` against `--host node`. `make bench`
runs it after the main suite; it writes build/bench-cliruns.json and
build/bench-cliruns.md and prints the table with the target (met/missed).

    .venv/bin/python tests/bench/cliruns.py [--rounds N] [--programs N]

The suite: the first case of each of the first PROGRAMS programs of the
differential corpus (tests/corpus/cases.py), each with its arguments,
environment, stdin and preopened trees — a suite of small programs, as
wasi-testsuite is. Each run is one `python -m harness run` process (the
command line the differential tests use: tests/differential.py `command`),
timed from its start to its end by this process (wall clock), the trees made
fresh for each run outside the timing. Per round, program by program, node
and browser alternate (which goes first alternates too), so the machine's
drift hits both; the ratio of a round is the browser's total over node's.
Every browser run is verified against node's run of the same program in the
same round: stdout, stderr (a trap's message normalised, as the differential
tests do) and exit status.

The browser runs use the browser daemon (harness/hosts/daemon.py) warm:
before the rounds the daemon is stopped and one browser run starts it again,
timed apart as the cold first run (daemon and browser start, first page load).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import differential as d  # noqa: E402
from corpus.cases import CASES, Case  # noqa: E402

PROGRAMS = 72
TIMEOUT_S = 120
LIMIT = 2.0  # issue #17: the suite on `browser` in ≤ 2× its time on `node`


def cases(count: int = PROGRAMS) -> list[Case]:
    """The first case of each of the corpus's first `count` programs."""
    first: dict[str, Case] = {}
    for case in CASES:
        first.setdefault(case.program, case)
    return list(first.values())[:count]


def _run(host: str, case: Case, scratch: Path) -> tuple[float, tuple[bytes, bytes, int]]:
    """One command line on `host`: (wall seconds, (stdout, stderr, status))."""
    base = Path(tempfile.mkdtemp(dir=scratch))
    dirs = []
    for i, (guest, tree) in enumerate(case.dirs.items()):
        d.make_tree(base / f"dir{i}", tree)
        dirs.append((base / f"dir{i}", guest))
    cmd = d.command(host, case, dirs)
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, input=case.stdin, capture_output=True, timeout=TIMEOUT_S, cwd=ROOT)
        outcome = (p.stdout, d.normalize_stderr(p.stderr), p.returncode)
    except subprocess.TimeoutExpired:
        outcome = (b"", f"<timeout after {TIMEOUT_S} s>".encode(), -1)
    seconds = time.perf_counter() - t0
    shutil.rmtree(base, ignore_errors=True)
    return seconds, outcome


def measure(rounds: int, progress: Callable[[str], None], count: int = PROGRAMS, cold: bool = True) -> dict[str, Any]:
    """`cold`: stop the daemon first and time the run that starts it again (else cold_s is None)."""
    from harness.hosts import daemon

    suite = cases(count)
    try:
        d.build_all(progress)
    except d.CompileError as e:
        return {"ok": False, "problems": [str(e).splitlines()[0]], "programs": len(suite), "rounds": rounds}
    problems: list[str] = []
    per_round: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="wasi-polyfill-cliruns-") as tmp:
        scratch = Path(tmp)
        cold_s = None
        if cold:
            daemon.stop("chromium")
            deadline = time.monotonic() + 30
            while daemon.connect("chromium") is not None and time.monotonic() < deadline:
                time.sleep(0.1)
        seconds, _ = _run("browser", suite[0], scratch)  # starts the daemon if none runs
        if cold:
            cold_s = seconds
            progress(f"CLI runs: cold first browser run {cold_s:.2f} s (daemon start)")
        _run("node", suite[0], scratch)  # (node's first run: files into the page cache)
        for rnd in range(1, rounds + 1):
            times: dict[str, list[float]] = {"node": [], "browser": []}
            for i, case in enumerate(suite):
                order = ("node", "browser") if (i + rnd) % 2 == 0 else ("browser", "node")
                got = {}
                for host in order:
                    seconds, got[host] = _run(host, case, scratch)
                    times[host].append(seconds)
                if got["browser"] != got["node"]:
                    problems.append(f"{case.name} (round {rnd}): browser's stdout/stderr/status differ from node's: "
                                    f"status {got['browser'][2]} vs {got['node'][2]}, "
                                    f"stderr {got['browser'][1][-200:]!r} vs {got['node'][1][-200:]!r}")
            row = {"node_s": sum(times["node"]), "browser_s": sum(times["browser"]),
                   "node_median_ms": statistics.median(times["node"]) * 1000,
                   "browser_median_ms": statistics.median(times["browser"]) * 1000}
            row["ratio"] = row["browser_s"] / row["node_s"]
            per_round.append(row)
            progress(f"CLI runs, round {rnd}/{rounds}: {len(suite)} programs, node {row['node_s']:.1f} s, "
                     f"browser {row['browser_s']:.1f} s ({row['ratio']:.2f}×)")
    ratios = sorted(r["ratio"] for r in per_round)
    return {
        "ok": not problems, "problems": problems, "programs": len(suite), "rounds": rounds,
        "cold_s": cold_s, "per_round": per_round, "ratios": ratios,
        "ratio": statistics.median(ratios),
        "node_s": statistics.median(r["node_s"] for r in per_round),
        "browser_s": statistics.median(r["browser_s"] for r in per_round),
        "node_median_ms": statistics.median(r["node_median_ms"] for r in per_round),
        "browser_median_ms": statistics.median(r["browser_median_ms"] for r in per_round),
    }


def target(data: dict[str, Any]) -> dict[str, Any]:
    """The issue's target: the median round's ratio, met or missed (None: the run failed)."""
    value = data.get("ratio") if data.get("ok") else None
    return {"what": f"{data['programs']} programs, one command line each, --host browser (daemon warm) "
                    "time over --host node's", "value": value, "limit": LIMIT,
            "met": None if value is None else value <= LIMIT}


def table(data: dict[str, Any]) -> str:
    t = target(data)
    verdict = "FAILED" if t["met"] is None else "met" if t["met"] else "missed"
    lines = [f"## Browser-backed command lines: {data['programs']} corpus programs, one `wasi-polyfill run` "
             "process each", ""]
    if data.get("per_round"):
        lines += [f"- cold first run on `browser` (the daemon and its browser starting): "
                  f"{data['cold_s']:.2f} s" if data.get("cold_s") is not None else "- (no cold run)",
                  "- then, daemon warm, per round (node and browser alternating program by program): "
                  + "; ".join(f"node {r['node_s']:.1f} s, browser {r['browser_s']:.1f} s ({r['ratio']:.2f}×)"
                              for r in data["per_round"]),
                  f"- median run: node {data['node_median_ms']:.0f} ms, browser {data['browser_median_ms']:.0f} ms"]
    if not data.get("ok"):
        lines.append(f"- failed: {'; '.join(data['problems'][:5])}")
    ratios = data.get("ratios") or []
    spread = f" [{ratios[0]:.2f}–{ratios[-1]:.2f}]" if ratios else ""
    value = "—" if t["value"] is None else f"{t['value']:.2f}×{spread}"
    lines += ["", "| target | value | |", "|---|---|---|", f"| {t['what']} ≤ {LIMIT:g}× | {value} | {verdict} |"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="cliruns.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    ap.add_argument("--programs", type=int, default=PROGRAMS, help=f"programs (default {PROGRAMS})")
    args = ap.parse_args(argv)
    data = measure(args.rounds, lambda line: print(f"cliruns: {line}", file=sys.stderr, flush=True), args.programs)
    text = table(data)
    out = ROOT / "build"
    out.mkdir(exist_ok=True)
    (out / "bench-cliruns.json").write_text(json.dumps(data, indent=1) + "\n")
    (out / "bench-cliruns.md").write_text(text)
    sys.stdout.write(text)
    return 0 if data.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
