"""`wasi-polyfill bench` (`make bench`): issue #7's benchmark suite.

Our own C workloads (`programs/`), compiled to WASI and run on four hosts —
the polyfill in Node and in Chromium, Node's `node:wasi` on tmpfs, and
@bjorn3/browser_wasi_shim in Node — timed in-process around instantiate +
_start, every run verified, medians and per-round ratios over rounds, a
targets table, scaling at 10× and MemFS memory; JSON and markdown under
build/.

- workloads.py  the workloads: sizes, argv, the values a correct run returns
- hosts.py      where a job runs: a Node process per job, a Chromium page
- runner.py     rounds, verification, scaling and memory runs, progress
- report.py     medians, ratios, targets, the markdown
- bench_core.mjs, node_driver.mjs, page.html  the JS side (timing in-process)

Benchmarks are never timed tests: tests/test_bench.py runs the suite at the
tiny size and checks its structure and its verification, never its numbers.
"""

from .runner import Options, main, run_bench

__all__ = ["Options", "main", "run_bench"]
