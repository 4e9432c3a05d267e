"""Browser-backed command lines (issue #17): a test suite that calls the CLI
once per program, on `--host browser` against `--host node`.

The suite: the first case of each of the first PROGRAMS programs of the
differential corpus (tests/corpus/cases.py, data only), each with its
arguments, environment, stdin and preopened trees — a suite of small
programs, as wasi-testsuite is. Each run is one `python -m harness run`
process, timed from its start to its end by this process (wall clock), the
trees made fresh for each run outside the timing. Per round, program by
program, node and browser alternate (which goes first alternates too), so
the machine's drift hits both; the ratio of a round is the browser's total
over node's. Every browser run is verified against node's run of the same
program in the same round: stdout, stderr (a trap's message normalised, as
the differential tests do) and exit status.

The browser runs use the browser daemon (hosts/daemon.py) warm: before the
rounds the daemon is stopped and one browser run starts it again, timed
apart as the cold first run (daemon and browser start, first page load).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from .hosts import ROOT

CORPUS = ROOT / "tests" / "corpus"
PROGRAMS = 72
TIMEOUT_S = 120
TRAP_PREFIX = b"wasi-polyfill: trap: "


def cases(count: int = PROGRAMS) -> list[Any]:
    """The first case of each of the corpus's first `count` programs."""
    spec = importlib.util.spec_from_file_location("_corpus_cases", CORPUS / "cases.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (its dataclass looks itself up there)
    spec.loader.exec_module(module)
    first: dict[str, Any] = {}
    for case in module.CASES:
        first.setdefault(case.program, case)
    return list(first.values())[:count]


def make_tree(root: Path, tree: dict) -> None:
    """A corpus tree literal ({path: str | bytes | {} | {"symlink": target}}) under root."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, value in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, (str, bytes)):
            path.write_bytes(value.encode() if isinstance(value, str) else value)
        elif value == {}:
            path.mkdir(exist_ok=True)
        else:
            os.symlink(value["symlink"], path)


def _normalize(stderr: bytes) -> bytes:
    i = stderr.rfind(TRAP_PREFIX)
    if i >= 0 and b"\n" not in stderr[i:].rstrip(b"\n"):
        return stderr[:i] + TRAP_PREFIX + b"<trapped>\n"
    return stderr


def _run(host: str, case: Any, wasm: str, scratch: Path) -> tuple[float, tuple[bytes, bytes, int]]:
    """One command line on `host`: (wall seconds, (stdout, stderr, status))."""
    base = Path(tempfile.mkdtemp(dir=scratch))
    cmd = [sys.executable, "-m", "harness", "run", "--host", host]
    for i, (guest, tree) in enumerate(case.dirs.items()):
        make_tree(base / f"dir{i}", tree)
        cmd += ["--dir", f"{base / f'dir{i}'}::{guest}"]
    for name, value in case.env:
        cmd += ["--env", f"{name}={value}"]
    cmd += ["--", wasm, *case.args]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, input=case.stdin, capture_output=True, timeout=TIMEOUT_S, cwd=ROOT)
        outcome = (p.stdout, _normalize(p.stderr), p.returncode)
    except subprocess.TimeoutExpired:
        outcome = (b"", f"<timeout after {TIMEOUT_S} s>".encode(), -1)
    seconds = time.perf_counter() - t0
    shutil.rmtree(base, ignore_errors=True)
    return seconds, outcome


def measure(rounds: int, progress: Callable[[str], None], count: int = PROGRAMS, cold: bool = True) -> dict[str, Any]:
    """`cold`: stop the daemon first and time the run that starts it again (else cold_s is None)."""
    from ..hosts import daemon
    from ..toolchain import CompileError, compile_many

    suite = cases(count)
    try:
        built = compile_many([CORPUS / c.program for c in suite], progress=progress)
    except CompileError as e:
        return {"ok": False, "problems": [str(e).splitlines()[0]], "programs": len(suite), "rounds": rounds}
    wasm = {c.name: str(built[CORPUS / c.program]) for c in suite}
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
        seconds, _ = _run("browser", suite[0], wasm[suite[0].name], scratch)  # starts the daemon if none runs
        if cold:
            cold_s = seconds
            progress(f"CLI runs: cold first browser run {cold_s:.2f} s (daemon start)")
        _run("node", suite[0], wasm[suite[0].name], scratch)  # (node's first run: files into the page cache)
        for rnd in range(1, rounds + 1):
            times: dict[str, list[float]] = {"node": [], "browser": []}
            for i, case in enumerate(suite):
                order = ("node", "browser") if (i + rnd) % 2 == 0 else ("browser", "node")
                got = {}
                for host in order:
                    seconds, got[host] = _run(host, case, wasm[case.name], scratch)
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
