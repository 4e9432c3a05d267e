"""`wasi-polyfill bench`: run every workload on every host for some rounds.

Order: round by round; in a round, workload by workload, every host once
(the host order rotates each round, so no host always runs first). Each run
is verified (workloads.check); a run that fails verification is recorded
with its problems, the others go on, and the bench exits 1 at the end.
After the rounds: the scaling runs (metadata and throughput at 10× the size,
on polyfill-node, as many rounds) and the MemFS memory measurement. Then the
report (report.py) is written as JSON and markdown and the table printed.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..hosts import HostError
from . import report
from .hosts import ALL_HOSTS, NODE_DRIVER, ROOT, UNSUPPORTED, make_host
from .workloads import PROGRAMS, SIZES, STARTUP_UNTIMED, WORKLOADS, check, params

# A 64 KiB stack, as clang and wasi-sdk link by default: zig cc's default of
# 16 MiB makes the initial memory 257 pages, and V8 in Node 20 then spends
# ~1.3 ms of every instantiate on that memory (0.08 ms with 2 pages), so
# startup would measure the toolchain's stack size rather than the host.
C_FLAGS = ("-Wl,-z,stack-size=65536",)
SCALING_WORKLOADS = ("throughput", "metadata")
SCALING_HOST = "polyfill-node"
SCALE = 10
# MemFS memory measurement: empty files, and bytes of one file
MEMORY = {"tiny": (2_000, 1 << 20), "normal": (10_000, 64 << 20), "10x": (100_000, 256 << 20)}


@dataclass
class Options:
    size: str = "normal"
    rounds: int = 5
    warmup: int = 1                  # untimed runs first in each job's process (cold_ms: the first)
    hosts: list[str] = field(default_factory=lambda: list(ALL_HOSTS))
    workloads: list[str] = field(default_factory=lambda: list(WORKLOADS))
    json_path: str | None = "build/bench.json"
    md_path: str | None = "build/bench.md"
    scaling: bool = True
    memory: bool = True
    urldir: bool = True              # the UrlDirectory row (harness/bench/urldir.py; on polyfill-node)
    # first visits of the web demo's cross-check (harness/bench/crosscheck.py; same condition); 0: none
    xcheck_rounds: int = 3
    timeout: float = 900
    profile_dir: str | None = None   # V8 CPU profiles of the Node jobs (timings then perturbed)


# Sizes at which the web demo's cross-check is not measured (it starts Pyodide in fresh browsers).
XCHECK_SKIPPED_SIZES = {"tiny"}


def _progress(line: str) -> None:
    print(f"bench: {line}", file=sys.stderr, flush=True)


def app_bundle_size() -> dict[str, Any]:
    """The minimal app's bundle (bundle_size.mjs, minimal_app.js): esbuild's
    metafile, minified and min+gz bytes, and the bytes of each module in it."""
    from ..hosts.node import node_binary

    out = subprocess.run([node_binary(), str(Path(__file__).with_name("bundle_size.mjs"))], capture_output=True,
                         text=True, cwd=ROOT)
    if out.returncode != 0:
        raise HostError(f"bundle size: {(out.stderr.strip().splitlines() or ['node failed'])[-1]}")
    return json.loads(out.stdout)


def bundle_size() -> dict[str, Any]:
    """The browser bundle's size, minified and min+gz, rebuilt first if stale.

    Measured as `node polyfill/build.mjs --size` (`make size`) measures it,
    with Node's gzip at level 9 (Python's zlib gives a slightly different
    size), without rebuilding."""
    from ..hosts.browser import ensure_bundle
    from ..hosts.node import node_binary

    # ensure_bundle() builds dist/browser (trace.js, the browser CLI host's
    # entry, and index.js); the size target is index.js, "wasi-polyfill"
    # without the trace code, as `make size` reports
    path = ensure_bundle().parent / "index.js"
    script = ("const b = require('fs').readFileSync(process.argv[1]);"
              "console.log(b.length, require('zlib').gzipSync(b, { level: 9 }).length)")
    out = subprocess.run([node_binary(), "-e", script, str(path)], capture_output=True, text=True, check=True)
    min_bytes, gz_bytes = map(int, out.stdout.split())
    return {"file": str(path.relative_to(ROOT)), "min_bytes": min_bytes, "gz_bytes": gz_bytes}


def compile_programs(names: set[str], progress: Callable[[str], None]) -> dict[str, str]:
    from ..toolchain import CompileError, compile_many

    sources = [PROGRAMS / f"{name}.c" for name in sorted(names)]
    try:
        built = compile_many(sources, flags=C_FLAGS, progress=progress)
    except CompileError as e:
        raise HostError(str(e).splitlines()[0]) from None
    return {src.stem: str(wasm) for src, wasm in built.items()}


def _load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _node_version() -> str | None:
    try:
        return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() or None
    except OSError:
        return None


def run_bench(opts: Options, progress: Callable[[str], None] = _progress,
              host_factory: Callable[[str], Any] | None = None) -> dict[str, Any]:
    """Run the benchmark; the report data (see report.py)."""
    if opts.size not in SIZES:
        raise HostError(f"--size {opts.size}: expected one of {', '.join(SIZES)}")
    if opts.rounds < 1:
        raise HostError("--rounds must be at least 1")
    if opts.warmup < 0:
        raise HostError("--warmup must be at least 0")
    if opts.profile_dir:
        os.makedirs(opts.profile_dir, exist_ok=True)
        progress(f"writing V8 CPU profiles of the Node jobs to {opts.profile_dir} (timings are perturbed)")
    factory = host_factory or (lambda name: make_host(name, opts.timeout, opts.profile_dir))
    t_start = time.monotonic()
    load_start = _load_average()
    elapsed: dict[str, float] = {}

    def timed(part: str, seconds: float) -> None:
        elapsed[part] = elapsed.get(part, 0.0) + seconds

    workloads = [WORKLOADS[name] for name in opts.workloads]
    progress(f"compiling {len(workloads)} workload programs (cached by content)")
    programs = compile_programs({w.program for w in workloads}, progress)
    dist_bundle = bundle_size()
    bundle = app_bundle_size()
    progress(f"bundle {bundle['entry']}: {bundle['min_bytes']} B minified, {bundle['gz_bytes']} B min+gz "
             f"({dist_bundle['file']}: {dist_bundle['gz_bytes']} B min+gz)")

    hosts: dict[str, Any] = {}
    runs: list[dict[str, Any]] = []
    memory: dict[str, Any] | None = None
    urldir: dict[str, Any] | None = None
    xcheck: dict[str, Any] | None = None
    try:
        for name in opts.hosts:
            hosts[name] = factory(name)

        def one(workload, host_name: str, rnd: int, scale: int) -> None:
            p = params(workload.program, opts.size, scale)
            why = UNSUPPORTED.get((host_name, workload.name))
            if why is not None:
                runs.append({"workload": workload.name, "host": host_name, "round": rnd, "scale": scale, "params": p,
                             "ok": False, "unsupported": why, "ms": None, "cold_ms": None, "value": None,
                             "units": workload.units(p), "problems": [why]})
                return
            job = {"workload": workload.program, "argv": workload.argv(p), "program": programs[workload.program],
                   "preopen": "/bench", "instances": p.get("instances", 0), "warmup": opts.warmup}
            if workload.name == "startup":  # its own warm-up: untimed instances in the same process
                job.update(warmup=0, untimed=STARTUP_UNTIMED[opts.size])
            t0 = time.monotonic()
            result = hosts[host_name].run(job)
            timed(f"{workload.name} on {host_name}" + (f" at {scale}×" if scale != 1 else ""),
                  time.monotonic() - t0)
            problems = check(workload, p, result)
            ms = result.get("ms") if not problems else None
            run = {"workload": workload.name, "host": host_name, "round": rnd, "scale": scale, "params": p,
                   "ok": not problems, "ms": ms,
                   "cold_ms": result.get("cold_ms") if not problems else None,
                   "value": workload.per_unit(ms, p) if ms is not None else None,
                   "units": workload.units(p), "problems": problems}
            if workload.name == "startup" and not problems:
                run.update(instantiate_ms=result.get("instantiate_ms"), min_ms=result.get("min_ms"),
                           max_ms=result.get("max_ms"))
            runs.append(run)
            tag = f"round {rnd}/{opts.rounds}" + (f", {scale}× size" if scale != 1 else "")
            if problems:
                progress(f"{tag}  {workload.name:<12} {host_name:<18} FAILED: {'; '.join(problems)}")
            else:
                progress(f"{tag}  {workload.name:<12} {host_name:<18} {ms:10.1f} ms  "
                         f"{run['value']:.4g} {workload.unit}")

        for rnd in range(1, opts.rounds + 1):
            order = opts.hosts[(rnd - 1) % len(opts.hosts):] + opts.hosts[:(rnd - 1) % len(opts.hosts)]
            for workload in workloads:
                for host_name in order:
                    one(workload, host_name, rnd, 1)

        scaled = [w for w in workloads if w.name in SCALING_WORKLOADS]
        if opts.scaling and opts.size != "10x" and SCALING_HOST in hosts and scaled:
            for rnd in range(1, opts.rounds + 1):
                for workload in scaled:
                    one(workload, SCALING_HOST, rnd, SCALE)

        if opts.memory and SCALING_HOST in hosts and hasattr(hosts[SCALING_HOST], "memory"):
            files, nbytes = MEMORY[opts.size]
            progress(f"MemFS memory: {files} empty files, one file of {nbytes >> 20} MiB")
            t0 = time.monotonic()
            memory = hosts[SCALING_HOST].memory(files, nbytes)
            timed("MemFS memory", time.monotonic() - t0)
            if not memory.get("ok"):
                progress(f"MemFS memory: FAILED: {memory.get('error')}")

        if opts.urldir and SCALING_HOST in hosts:
            from ..hosts.node import node_binary
            from .urldir import FILES, READ, measure

            progress(f"UrlDirectory: {len(READ)} of {FILES:,} files over HTTP")
            t0 = time.monotonic()
            program = compile_programs({"urlread"}, progress)["urlread"]
            urldir = measure(node_binary(), program, opts.size, opts.rounds, progress)
            timed("UrlDirectory", time.monotonic() - t0)
            if not urldir["ok"]:
                progress(f"UrlDirectory: FAILED: {'; '.join(urldir['problems'])}")

        if opts.xcheck_rounds > 0 and "polyfill-chromium" in opts.hosts and opts.size not in XCHECK_SKIPPED_SIZES:
            from . import crosscheck

            progress("the web demo's cross-check on a first visit (fresh browser each time)")
            # Its browsers are Playwright's sync API, which one thread can run only once at a
            # time: the bench's own Chromium (polyfill-chromium's) is done by now, and goes first.
            hosts["polyfill-chromium"].close()
            t0 = time.monotonic()
            try:
                xcheck = crosscheck.measure(opts.xcheck_rounds, progress)
            except Exception as e:  # a browser that would not start: this row fails, the report is still written
                xcheck = {"ok": False, "problems": [f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"],
                          "runs": [], "by_idle_s": {}, "limit_ms": crosscheck.LIMIT_MS}
            timed("web demo cross-check", time.monotonic() - t0)
            if not xcheck["ok"]:
                progress(f"cross-check: FAILED: {'; '.join(xcheck['problems'][:3])}")
    finally:
        for host in hosts.values():
            host.close()

    elapsed["total"] = time.monotonic() - t_start
    data = {
        "size": opts.size,
        "rounds": opts.rounds,
        "warmup": opts.warmup,
        "hosts": list(opts.hosts),
        "workloads": [w.name for w in workloads],
        "params": {w.name: params(w.program, opts.size) for w in workloads},
        "machine": {"node": _node_version(), "python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "driver": str(NODE_DRIVER.relative_to(ROOT)),
        "profile_dir": opts.profile_dir,
        "bundle": bundle,
        "dist_bundle": dist_bundle,
        "load_average": {"start": load_start, "end": _load_average()},
        "runs": runs,
        "memory": memory,
        "urldir": urldir,
        "xcheck": xcheck,
        "elapsed_s": {k: round(v, 1) for k, v in elapsed.items()},
    }
    data.update(report.summarize(data))
    return data


def main(opts: Options) -> int:
    """Run, write the JSON and markdown, print the table; 1 if any run failed."""
    data = run_bench(opts)
    text = report.markdown(data)
    for path, content in ((opts.json_path, report.to_json(data)), (opts.md_path, text)):
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(content, encoding="utf-8")
    sys.stdout.write(text)
    sys.stdout.flush()
    for path in (opts.json_path, opts.md_path):
        if path:
            _progress(f"wrote {path}")
    failed = [r for r in data["runs"] if not r["ok"] and not r.get("unsupported")]
    if data.get("xcheck") and not data["xcheck"]["ok"]:
        _progress(f"error: the web demo's cross-check failed: {data['xcheck']['problems'][0]}")
        return 1
    if data.get("urldir") and not data["urldir"]["ok"]:
        _progress(f"error: the UrlDirectory run failed: {'; '.join(data['urldir']['problems'])}")
        return 1
    if failed:
        first = failed[0]
        _progress(f"error: {len(failed)} run(s) failed verification, first: {first['workload']} on "
                  f"{first['host']} (round {first['round']}): {'; '.join(first['problems'])}")
        return 1
    return 0
