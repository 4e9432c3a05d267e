"""`make fuzz`: the differential fuzzer's long run.

    python -m fuzz.run [--calls N] [--seed S] [--max-calls K]   (with tests/ on sys.path)

Draws programs from a seeded `random.Random` (strategies.RandomDraw: a few
microseconds a value; hypothesis would spend milliseconds) — each drawn
against the state the reference host reaches as it runs it, with a share
`--bad` of calls drawn blind — runs each on the JS runtime in one node
process (node runs one program while Python draws the next), compares, and
prints a progress line every few seconds: calls done, rate, divergences. At
the end it prints the coverage table (fuzz/coverage.py): per function, the
calls, the share that succeeded and every errno reached. On a divergence the program is
shrunk (steps — a call with the pokes before it — removed while it still
diverges) and printed as a readable call list; the run goes on, and the exit
status is 1 if any diverged. Program `seed + k` is the k-th program, so any
finding is replayed with `--seed` of its number and `--programs 1`.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Callable

from .coverage import Coverage
from .harness import JsDriver, compare, format_program, known_js, memory_diff, run_py
from .strategies import BAD_SHARE, RandomDraw, base_setup, generate


def steps_of(ops: list) -> list[list]:
    """Each call with the pokes that prepare it."""
    steps, cur = [], []
    for op in ops:
        cur.append(op)
        if op[0] != "poke":
            steps.append(cur)
            cur = []
    return steps


def diverges(js: JsDriver, setup: dict, ops: list) -> list[str]:
    js.send(setup, ops)
    py = run_py(setup, ops)
    return compare(ops, py, js.receive())


def shrink(ops: list, still_diverges: Callable[[list], bool]) -> list:
    """Remove steps (a call with the pokes before it; largest chunks first)
    while the program still diverges (every fuzzer's shrinker: this one and
    fuzz.backends's, each with its own comparison)."""
    steps = steps_of(ops)
    chunk = max(1, len(steps) // 2)
    while chunk >= 1:
        i = 0
        while i < len(steps):
            trial = steps[:i] + steps[i + chunk:]
            if trial and still_diverges([op for s in trial for op in s]):
                steps = trial
            else:
                i += chunk
        chunk //= 2
    return [op for s in steps for op in s]


def report(js: JsDriver, setup: dict, ops: list, seed: int) -> str:
    small = shrink(ops, lambda trial: diverges(js, setup, trial))
    py = run_py(setup, small, dump=True)
    jr = js.run(setup, small, dump=True)
    lines = [f"divergence (program seed {seed}), shrunk to {len(steps_of(small))} calls:",
             format_program(small), *compare(small, py, jr)]
    if py["mem"] != jr["mem"]:
        lines += memory_diff(py["memory"], jr["memory"])
    lines.append(f"  py results: {py['results']}")
    lines.append(f"  js results: {jr['results']}")
    return "\n".join(lines)


NATIVE_SEEDS = 10**9   # the native sample's programs are numbered from here (+ --seed)


def native_sample(ns) -> int:
    """Programs drawn for native comparison: each run on the reference host,
    natively under wasmtime (compared call by call) and on the JS runtime
    (compared as in the main run); prints its own coverage table. Returns
    the divergences."""
    from .native import compare_native, known_native, native_setup

    setup = native_setup()
    js = JsDriver()
    cov = Coverage()
    calls = programs = divergences = js_divergences = 0
    known: dict[str, int] = {}
    seed = NATIVE_SEEDS + ns.seed
    start = last = time.monotonic()
    try:
        while calls < ns.native_calls:
            ops, _ = generate(RandomDraw(seed), setup, 1, ns.max_calls, ns.bad, native=True)
            js.send(setup, ops)
            diffs, results, where = compare_native(setup, ops)
            calls += len(results)
            cov.add(ops, results)
            py, jr = run_py(setup, ops), js.receive()
            if compare(ops, py, jr) and not known_js(ops, py, jr):
                js_divergences += 1
                if js_divergences <= ns.max_reports:
                    print(f"native sample, JS vs Python (program seed {seed}):\n{format_program(ops)}")
            if diffs:
                why = known_native(where)
                if why:
                    known[why] = known.get(why, 0) + 1
                else:
                    divergences += 1
                    if divergences <= ns.max_reports:
                        print(f"divergence from wasmtime (program seed {seed}, --native):\n"
                              f"{format_program(ops)}\n" + "\n".join(diffs), flush=True)
            programs += 1
            seed += 1
            now = time.monotonic()
            if now - last >= 5:
                last = now
                print(f"fuzz native: {calls:,} calls, {programs:,} programs, {calls / (now - start):,.0f} calls/s, "
                      f"{divergences} divergences from wasmtime, {js_divergences} JS vs Python", flush=True)
    finally:
        js.close()
    print(f"fuzz native: done: {calls:,} calls in {programs:,} programs (seeds {NATIVE_SEEDS + ns.seed}..{seed - 1}), "
          f"{time.monotonic() - start:.0f} s, {divergences} divergences from wasmtime, {js_divergences} JS vs Python")
    for why, n in known.items():
        print(f"fuzz native: known, reported, not counted: {n} programs: {why}")
    print("fuzz native: coverage of the calls compared with wasmtime:")
    print(cov.table())
    return divergences + js_divergences


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="fuzz", description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=1_000_000, help="stop after this many calls")
    ap.add_argument("--programs", type=int, default=None, help="stop after this many programs")
    ap.add_argument("--seed", type=int, default=0, help="seed of the first program")
    ap.add_argument("--max-calls", type=int, default=40, help="calls per program at most")
    ap.add_argument("--bad", type=float, default=BAD_SHARE, help="share of calls drawn blind (0..1)")
    ap.add_argument("--native-calls", type=int, default=0,
                    help="then this many calls in programs also run natively under wasmtime (fuzz/native.py)")
    ap.add_argument("--max-reports", type=int, default=5, help="divergences printed in full")
    ns = ap.parse_args(argv)
    setup = base_setup()
    js = JsDriver()
    cov = Coverage()
    calls = programs = divergences = 0
    known: dict[str, int] = {}
    start = last = time.monotonic()
    seed = ns.seed

    def draw(seed: int):
        return generate(RandomDraw(seed), setup, 1, ns.max_calls, ns.bad)

    try:
        ops, run = draw(seed)
        js.send(setup, ops)
        while True:
            py = run.reply()
            following = None
            if calls + len(py["results"]) < ns.calls and (ns.programs is None or programs + 1 < ns.programs):
                following = draw(seed + 1)   # while node runs this one
            jr = js.receive()
            calls += len(py["results"])
            cov.add(ops, py["results"])
            if compare(ops, py, jr):
                why = known_js(ops, py, jr)
                if why:
                    known[why] = known.get(why, 0) + 1
                else:
                    divergences += 1
                    if divergences <= ns.max_reports:
                        print(report(js, setup, ops, seed), flush=True)
            programs += 1
            seed += 1
            now = time.monotonic()
            if now - last >= 5:
                last = now
                rate = calls / (now - start)
                print(f"fuzz: {calls:,} calls, {programs:,} programs, {rate:,.0f} calls/s, "
                      f"{divergences} divergences", flush=True)
            if following is None:
                break
            ops, run = following
            js.send(setup, ops)
    finally:
        js.close()
    took = time.monotonic() - start
    print(f"fuzz: done: {calls:,} calls in {programs:,} programs (seeds {ns.seed}..{seed - 1}), "
          f"{took:.0f} s, {calls / max(took, 1e-9):,.0f} calls/s, {divergences} divergences")
    for why, n in known.items():
        print(f"fuzz: known, reported, not counted: {n} programs: {why}")
    print(cov.table())
    if ns.native_calls:
        divergences += native_sample(ns)
    return 1 if divergences else 0


if __name__ == "__main__":
    sys.exit(main())
