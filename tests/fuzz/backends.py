"""The differential fuzzer across backends: the JS runtime on MemFS against
the same runtime on live host directories (HostDirectory, issue #15).

    python -m fuzz.backends [--calls N] [--seed S] [--max-calls K]   (with tests/ on sys.path)

The programs are `make fuzz`'s (strategies.program, same seeds). Each runs
twice in the node driver (tests/fuzz/js_driver.mjs): on a MemFS, and with
each preopened directory a HostDirectory over a temporary copy of its tree.
Without MemFS's capacity limits (a host directory has the host's): only the
descriptor limit stays. Compared: every call's errno (or trap/exit), the
lengths of stdout and stderr, and the final trees — names, kinds, bytes,
symlink targets and link counts — but not inode numbers, times, directory
sizes or readdir order, which are the host's (spec/RATIONALE.md,
"HostDirectory"), nor memory, where filestat and fd_readdir write them, nor
the output's bytes, which programs fill from memory (seed 8630 writes a
dirent's d_ino to stderr). Exit status 1 on any divergence.
"""

from __future__ import annotations

import argparse
import sys
import time

from .harness import JsDriver, calls_of, format_call, format_program
from .strategies import LIMITS, RandomDraw, base_setup, program


def _norm(node: dict) -> dict:
    out = {"type": node["type"], "nlink": node["nlink"]}
    if node["type"] == "dir":
        out["entries"] = {name: _norm(child) for name, child in sorted(node["entries"])}
    elif node["type"] == "symlink":
        out["target"] = node["target"]
    else:
        out["data"] = node["data"]
    return out


def compare(ops: list, mem: dict, host: dict) -> list[str]:
    """The differences between the MemFS run and the host run ([] if none)."""
    for i, (call, a, b) in enumerate(zip(calls_of(ops), mem["results"], host["results"])):
        for side, r in (("memfs", a), ("host", b)):
            if isinstance(r, str) and r.startswith("crash"):
                return [f"call {i} {call[0]}: {side} crashed: {r}"]
        if a != b:
            return [f"call {i} {format_call(call)}: memfs={a} host={b}"]
    diffs = []
    for k in ("stdout", "stderr"):  # lengths: a program writes out memory, filestats and dirents included
        if len(mem[k]) != len(host[k]):
            diffs.append(f"{k}: memfs={mem[k][:200]} host={host[k][:200]}")
    for i, (a, b) in enumerate(zip(mem["tree"], host["tree"])):
        if _norm(a) != _norm(b):
            diffs.append(f"preopen {i}: memfs={_norm(a)}\n  host={_norm(b)}")
    return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="fuzz.backends", description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=100_000, help="stop after this many calls")
    ap.add_argument("--programs", type=int, default=None, help="stop after this many programs")
    ap.add_argument("--seed", type=int, default=0, help="seed of the first program")
    ap.add_argument("--max-calls", type=int, default=40, help="calls per program at most")
    ap.add_argument("--max-reports", type=int, default=5, help="divergences printed in full")
    ns = ap.parse_args(argv)
    limits = {"maxFds": LIMITS["maxFds"]}
    mem_setup = base_setup(limits)
    host_setup = {**mem_setup, "backend": "host"}
    js = JsDriver()
    calls = programs = divergences = 0
    start = last = time.monotonic()
    seed = ns.seed
    try:
        while calls < ns.calls and (ns.programs is None or programs < ns.programs):
            ops = program(RandomDraw(seed), 1, ns.max_calls)
            mem = js.run(mem_setup, ops)
            host = js.run(host_setup, ops)
            calls += len(mem["results"])
            diffs = compare(ops, mem, host)
            if diffs:
                divergences += 1
                if divergences <= ns.max_reports:
                    print(f"divergence (program seed {seed}):\n{format_program(ops)}\n" + "\n".join(diffs), flush=True)
            programs += 1
            seed += 1
            now = time.monotonic()
            if now - last >= 5:
                last = now
                print(f"fuzz.backends: {calls:,} calls, {programs:,} programs, {calls / (now - start):,.0f} calls/s, "
                      f"{divergences} divergences", flush=True)
    finally:
        js.close()
    took = time.monotonic() - start
    print(f"fuzz.backends: done: {calls:,} calls in {programs:,} programs (seeds {ns.seed}..{seed - 1}), "
          f"{took:.0f} s, {divergences} divergences")
    return 1 if divergences else 0


if __name__ == "__main__":
    sys.exit(main())
