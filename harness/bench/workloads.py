"""The benchmark workloads: their sizes, argv and what a correct run returns.

Each workload is one of our C programs in `programs/` (compiled by
harness.toolchain, cached). It takes its sizes as argv and prints one
`BENCH key=value ...` line to stderr; `expected()` computes the same values
here, from the sizes alone, so a host that skips, shortens or corrupts the
work fails verification (`check()`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

PROGRAMS = Path(__file__).with_name("programs")
PREOPEN = "/bench"        # the guest path of the one preopened directory
MASK64 = (1 << 64) - 1

# startup: instances run untimed first, in the same process (issue #17: 30)
STARTUP_UNTIMED = {"tiny": 2, "normal": 30, "10x": 30}

# size name -> multiplier of the normal size; `tiny` only proves the harness works
SIZES = ("tiny", "normal", "10x")

# The normal sizes (issue #7).
NORMAL = {
    "syscall": {"n": 1_000_000},                  # pwrite calls, then as many pread
    "throughput": {"mib": 64},                    # MiB written, then read back
    "metadata": {"dirs": 100, "files": 100},      # files per directory
    "startup": {"instances": 300},                # instances timed one by one (median), in one process
    "stdout": {"lines": 200_000},
}
TINY = {
    "syscall": {"n": 2000},
    "throughput": {"mib": 1},
    "metadata": {"dirs": 3, "files": 4},
    "startup": {"instances": 5},
    "stdout": {"lines": 500},
}


def params(program: str, size: str, scale: int = 1) -> dict[str, int]:
    """The sizes of `program` at `size`, times `scale` on its scaled axis.

    Scaling metadata multiplies the files per directory (the axis where a
    directory's data structure shows how it grows), the others their one
    count."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r} (sizes: {', '.join(SIZES)})")
    base = dict((TINY if size == "tiny" else NORMAL)[program])
    if size == "10x":
        scale *= 10
    axis = "files" if program == "metadata" else next(iter(base))
    base[axis] *= scale
    return base


@dataclass(frozen=True)
class Workload:
    name: str
    program: str                     # programs/<program>.c
    what: str                        # one line for the report
    unit: str                        # what `per_unit` gives
    argv: Callable[[dict[str, int]], list[str]]
    expected: Callable[[dict[str, int]], dict[str, int]]
    per_unit: Callable[[float, dict[str, int]], float]   # (ms, sizes) -> value in `unit`
    units: Callable[[dict[str, int]], int]                # how many units a run does (scaling)
    stdout: bool = False             # verify the stdout byte and line counts too


# --- expected values -----------------------------------------------------------

SLOTS = 4096  # syscall.c


def _syscall(p: dict[str, int]) -> dict[str, int]:
    n = p["n"]
    total = 0
    for s in range(min(n, SLOTS)):
        last = s + SLOTS * ((n - 1 - s) // SLOTS)      # the last write to slot s
        reads = (n - 1 - s) // SLOTS + 1               # reads of slot s (same cycle)
        total += reads * sum(((last * 31 + j) & 0xFF) * (j + 1) for j in range(16))
    return {"calls": 2 * n, "sum": total & MASK64}


def _throughput(p: dict[str, int]) -> dict[str, int]:
    chunks, words = p["mib"] * 16, 64 * 1024 // 8
    # sum over chunks k and words w of k*C + w, mod 2^64
    c = 0x9E3779B97F4A7C15
    total = c * words * (chunks * (chunks - 1) // 2) + chunks * (words * (words - 1) // 2)
    return {"bytes": p["mib"] << 20, "sum": total & MASK64}


def _metadata(p: dict[str, int]) -> dict[str, int]:
    d, f = p["dirs"], p["files"]
    name_bytes = d * sum(len(f"f{i}") for i in range(f))
    return {"created": d * f, "stat_bytes": name_bytes, "listed": d * f, "listed_name_bytes": name_bytes,
            "renamed": d * ((f + 1) // 2), "unlinked": d * f, "rmdirs": d, "left": 0}


def _stdout(p: dict[str, int]) -> dict[str, int]:
    lines = p["lines"]
    return {"lines": lines, "bytes": sum(len(f"line {i}\n") for i in range(lines))}


WORKLOADS: dict[str, Workload] = {w.name: w for w in [
    Workload("syscall", "syscall", "N pwrite then N pread of 16 B on one file", "µs/call",
             lambda p: ["syscall", PREOPEN, str(p["n"])], _syscall,
             lambda ms, p: ms * 1000 / (2 * p["n"]), lambda p: 2 * p["n"]),
    Workload("throughput", "throughput", "MiB written then read back in 64 KiB chunks, checksummed", "ms/MiB",
             lambda p: ["throughput", PREOPEN, str(p["mib"])], _throughput,
             lambda ms, p: ms / p["mib"], lambda p: p["mib"]),
    Workload("metadata", "metadata", "dirs × files: create, stat, readdir, rename half, unlink, rmdir", "µs/file",
             lambda p: ["metadata", PREOPEN, str(p["dirs"]), str(p["files"])], _metadata,
             lambda ms, p: ms * 1000 / (p["dirs"] * p["files"]), lambda p: p["dirs"] * p["files"]),
    Workload("startup", "startup", "new MemFS + mkdir + WASI with it preopened + sync new WebAssembly.Instance "
             "+ _start of a trivial main; median instance after 30 untimed", "ms/instance",
             lambda p: ["startup"], lambda p: {"ran": p["instances"]},
             lambda ms, p: ms, lambda p: p["instances"]),   # ms is already the median instance
    Workload("stdout-write", "stdout", "short lines to stdout, one write per line", "µs/line",
             lambda p: ["stdout", "write", str(p["lines"])], _stdout,
             lambda ms, p: ms * 1000 / p["lines"], lambda p: p["lines"], stdout=True),
    Workload("stdout-libc", "stdout", "short lines to stdout with libc's default buffering", "µs/line",
             lambda p: ["stdout", "libc", str(p["lines"])], _stdout,
             lambda ms, p: ms * 1000 / p["lines"], lambda p: p["lines"], stdout=True),
]}

_BENCH_LINE = re.compile(r"^BENCH ((?:\w+=\d+ ?)+)$", re.M)
_FAIL_LINE = re.compile(r"^BENCH-FAIL (.*)$", re.M)


def parse_bench_line(stderr: str) -> dict[str, int] | None:
    found = _BENCH_LINE.findall(stderr or "")
    if not found:
        return None
    return {k: int(v) for k, v in (item.split("=") for item in found[-1].split())}


def check(workload: Workload, p: dict[str, int], result: dict[str, Any]) -> list[str]:
    """What is wrong with a driver's result (empty: verified)."""
    if not result.get("ok"):
        return [f"the driver failed: {result.get('error', 'no reason given')}"]
    problems = ["in a warm-up run (the timed run did not happen)"] if result.get("warmup_failed") else []
    stderr = result.get("stderr") or ""
    fail = _FAIL_LINE.search(stderr)
    if fail:
        problems.append(f"the program failed: {fail.group(1)}")
    if result.get("exit_code") != 0:
        problems.append(f"exit code {result.get('exit_code')}")
    want = workload.expected(p)
    if workload.name == "startup":
        got = {"ran": result.get("ran")}
        if result.get("instances") != p["instances"]:
            problems.append(f"{result.get('instances')} instances, not {p['instances']}")
    else:
        got = parse_bench_line(stderr)
        if got is None:
            return problems + ["no BENCH line on stderr: the program did not finish"]
    for key, value in want.items():
        if got.get(key) != value:
            problems.append(f"{key}={got.get(key)}, expected {value}")
    if workload.stdout:
        for key, value in (("stdout_bytes", want["bytes"]), ("stdout_lines", want["lines"])):
            if result.get(key) != value:
                problems.append(f"the stdout sink got {key}={result.get(key)}, expected {value}")
    if not isinstance(result.get("ms"), (int, float)) or result["ms"] <= 0:
        problems.append(f"no time measured (ms={result.get('ms')!r})")
    return problems
