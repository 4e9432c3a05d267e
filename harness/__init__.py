"""The `wasi-polyfill` command line and test harness.

`cli` (run, compare, serve, bench, demo, generate), `hosts/` (one thin
adapter per host `run --host NAME` can use), `compare/` (one program on many
hosts, diffed), `bench/`, `serve` (the web demo's server), `toolchain`
(C and WAT to WASI, cached by content hash), `paths` (the repository's
layout, found once). The spec, the generator and the reference host are the
sibling packages `spec`, `generator` and `refhost`.
"""

__version__ = "0.1.0"
