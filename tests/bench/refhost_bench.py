"""How fast the reference host is: µs per preview1 call and Pyodide start-up.

    .venv/bin/python tests/bench/refhost_bench.py [--calls N] [--skip-node] [--skip-browser]

The call benchmark is a guest loop of N `fd_write`s of 16 bytes (one iovec),
to stdout (a sink that drops the bytes natively; under Pyodide batched per
run, then collected in JS arrays in Node and sent through Playwright in
Chromium, a call per batch) and to a file in the in-memory filesystem; the cost per
call is (time for N calls - time for 0 calls) / N, the best of a few runs.
Natively both engine paths are measured: the raw ctypes callbacks (default)
and wasmtime-py's public `Linker.define_func`. Start-up is the time to a
ready Pyodide with the package imported, from its memory snapshot (the
cached build/pyodide snapshot is made first if missing).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import wasmtime

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))


def loop_wat(n: int, to_file: bool) -> str:
    open_file = """
      (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 0x40) (i32.const 5) (i32.const 1)
                  (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 0x30)))
      (local.set $fd (i32.load (i32.const 0x30)))""" if to_file else "(local.set $fd (i32.const 1))"
    return f"""(module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 0x40) "bench") (data (i32.const 0x100) "0123456789abcdef")
      (func (export "_start") (local $i i32) (local $fd i32)
        {open_file}
        (i32.store (i32.const 0) (i32.const 0x100)) (i32.store (i32.const 4) (i32.const 16))
        (block $done (loop $more
          (br_if $done (i32.ge_u (local.get $i) (i32.const {n})))
          (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $more)))))"""


def programs(tmp: Path, n: int) -> dict:
    out = {}
    for target in ("stdout", "file"):
        for count in sorted({0, n, max(n // 10, 1000), max(n // 20, 1)}):
            path = tmp / f"loop-{target}-{count}.wasm"
            path.write_bytes(wasmtime.wat2wasm(loop_wat(count, target == "file")))
            out[target, count] = path
    return out


def native(progs: dict, n: int, fast: bool, repeat: int = 3) -> dict:
    from refhost import CallbackOutput, MemFS, Wasi
    from refhost.engines import wasmtime as engine

    results = {}
    for target in ("stdout", "file"):
        best, cpu = {}, {}
        for count in (0, n):
            wasm = progs[target, count].read_bytes()
            times, cpus = [], []
            for _ in range(repeat):
                fs = MemFS()
                fs.mkdir_p("/s")
                w = Wasi(stdout=CallbackOutput(lambda b: None), fs=fs, preopens={"/s": "/s"})
                t, c = time.perf_counter(), time.thread_time()
                engine.run(wasm, w, fast=fast)
                times.append(time.perf_counter() - t)
                cpus.append(time.thread_time() - c)
            best[count], cpu[count] = min(times), min(cpus)
        results[target] = (best[n] - best[0]) / n * 1e6
        # CPU time of this thread (the engine calls back on it): less
        # disturbed by other processes on a loaded machine than wall time.
        results[target + " cpu"] = (cpu[n] - cpu[0]) / n * 1e6
    return results


def job(progs_dir: str) -> dict:
    return {"args": ["bench"], "env": [], "preopens": [["/s", 0]],
            "trees": [{"type": "dir", "entries": {}}], "deterministic": False, "trace": False}


def node(progs: dict, n: int, repeat: int = 3) -> tuple[dict, float]:
    from harness.hosts.pyodide_bundle import bundle, snapshot
    from harness.hosts.pyodide_node import NodeSession, node_binary

    snapshot(node_binary(), bundle())        # make it first: not part of start-up
    t = time.perf_counter()
    with NodeSession() as s:
        s.run_job(job(""), str(progs["stdout", 0]))
        startup = time.perf_counter() - t
        results = {}
        for target in ("stdout", "file"):
            best = {count: min(s.run_job(job(""), str(progs[target, count]))["ms"] for _ in range(repeat))
                    for count in (0, n)}
            results[target] = (best[n] - best[0]) / n * 1e3
    return results, startup


def browser(progs: dict, n: int, repeat: int = 3) -> tuple[dict, float, float]:
    from harness.hosts.pyodide_browser import BrowserSession

    with BrowserSession():   # makes the browser snapshot if missing
        pass
    t = time.perf_counter()
    with BrowserSession() as s:
        up = time.perf_counter() - t
        results = {}
        sink = lambda b: None  # noqa: E731
        for target, count_n in (("file", n), ("stdout", max(n // 20, 1))):
            best = {}
            for count in (0, count_n):
                path = progs[target, count]
                times = []
                for _ in range(repeat):
                    s.run_job(job(""), str(path), sink, sink)
                    times.append(s.last_ms)
                best[count] = min(times)
            results[target] = (best[count_n] - best[0]) / count_n * 1e3
        return results, up, s.startup_ms / 1e3


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calls", type=int, default=100_000)
    p.add_argument("--skip-node", action="store_true")
    p.add_argument("--skip-browser", action="store_true")
    ns = p.parse_args()
    n = ns.calls
    with tempfile.TemporaryDirectory() as tmp:
        progs = programs(Path(tmp), n)
        print(f"16-byte fd_write, {n} calls; µs per call (best of 3), load average {os.getloadavg()[0]:.1f}")
        for fast in (True, False):
            r = native(progs, n if fast else max(n // 10, 1000), fast)
            label = "native, raw ctypes callbacks" if fast else "native, Linker.define_func (public API)"
            print(f"  {label:42s} stdout {r['stdout']:6.2f}   file {r['file']:6.2f}"
                  f"   (thread CPU time: {r['stdout cpu']:.2f} / {r['file cpu']:.2f})")
        if not ns.skip_node:
            r, startup = node(progs, n)
            print(f"  {'pyodide in Node':42s} stdout {r['stdout']:6.2f}   file {r['file']:6.2f}")
            print(f"  Node: Pyodide ready (from snapshot) after {startup:.2f} s")
        if not ns.skip_browser:
            r, up, startup = browser(progs, n)
            print(f"  {'pyodide in Chromium':42s} stdout {r['stdout']:6.2f}   file {r['file']:6.2f}"
                  f"   (stdout: {max(n // 20, 1)} calls)")
            print(f"  Chromium: Pyodide ready (from snapshot) {startup:.2f} s after page load; "
                  f"browser + page + Pyodide {up:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
