"""harness.bench: the suite runs at the tiny size and verifies its runs.

Never timed: no assertion here looks at how fast anything was, only at the
shape of the report and at verification (a host that skips or corrupts the
work must fail).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.bench import report
from harness.bench.hosts import NodeHost, parse_driver_output
from harness.bench.runner import Options, compile_programs, main, run_bench
from harness.bench.workloads import MASK64, SLOTS, WORKLOADS, check, params

NODE_HOSTS = ["polyfill-node", "node-wasi", "shim"]


def _quiet(line: str) -> None:
    pass


def _chromium_or_skip() -> None:
    """Skip without Chromium here (under CI=true a skip fails: tests/conftest.py)."""
    from harness.hosts import HostError
    from harness.hosts.chromium import check_available

    try:
        check_available()
    except HostError as e:
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def tiny():
    """The whole suite at the tiny size, one round, on the Node hosts."""
    return run_bench(Options(size="tiny", rounds=1, hosts=NODE_HOSTS, json_path=None, md_path=None),
                     progress=_quiet)


def test_every_run_is_verified(tiny):
    runs = [r for r in tiny["runs"] if r["scale"] == 1]
    assert {(r["workload"], r["host"]) for r in runs} == {(w, h) for w in WORKLOADS for h in NODE_HOSTS}
    for r in runs:
        assert r["ok"], (r["workload"], r["host"], r["problems"])
        assert r["problems"] == [] and r["ms"] > 0 and r["value"] > 0
        assert r["cold_ms"] > 0   # the process's first run (one warm-up run by default)
    startup = [r for r in runs if r["workload"] == "startup"]
    assert all(0 < r["instantiate_ms"] <= r["ms"] for r in startup)


def test_warmup_runs_come_first_on_fresh_hosts():
    """--warmup N: N untimed runs of the same work in the job's process, then
    the timed one (for node-wasi in a fresh directory: metadata must find its
    tree empty again, or it fails verification)."""
    programs = compile_programs({"metadata"}, _quiet)
    p = params("metadata", "tiny")
    for name in ("polyfill-node", "node-wasi"):
        host = NodeHost(name)
        try:
            for warmup in (0, 2):
                job = {"workload": "metadata", "argv": WORKLOADS["metadata"].argv(p), "program": programs["metadata"],
                       "preopen": "/bench", "instances": 0, "warmup": warmup}
                result = host.run(job)
                assert check(WORKLOADS["metadata"], p, result) == [], (name, warmup)
                assert result["warmup_runs"] == warmup and result["cold_ms"] > 0
                if warmup == 0:
                    assert result["cold_ms"] == result["ms"]
        finally:
            host.close()


def test_report_structure(tiny):
    assert tiny["size"] == "tiny" and tiny["rounds"] == 1
    for workload in WORKLOADS:
        for host in NODE_HOSTS:
            e = tiny["results"][workload][host]
            assert e["rounds_ok"] == 1 and e["median_ms"] > 0
            peers = {"node-wasi", "shim"} - {host}
            assert set(e["ratio"]) == peers and all(e["ratio"][p] > 0 for p in peers)
    # node-wasi against shim and shim against node-wasi are each other's inverse
    r = tiny["results"]["metadata"]
    assert r["node-wasi"]["ratio"]["shim"] == pytest.approx(1 / r["shim"]["ratio"]["node-wasi"])
    whats = [t["what"] for t in tiny["targets"]]
    assert any(w.startswith("syscall: polyfill-node") for w in whats)
    assert any(w.startswith("bundle") for w in whats)
    assert all(t["met"] in (True, False) for t in tiny["targets"])   # every target had its data
    assert [s["workload"] for s in tiny["scaling"]] == ["throughput", "metadata"]
    for s in tiny["scaling"]:
        assert s["params"] == params(s["workload"], "tiny", 10) and s["growth"] > 0
    mem = tiny["memory"]
    assert mem["ok"] and mem["bytes_per_file"] > 0 and mem["bytes_per_byte"] > 0.5
    url = tiny["urldir"]  # 5 of 2,000 files: the index and those 5, once each, are all that is fetched
    assert url["ok"], url["problems"]
    assert (url["requests"], url["bytes"]) == (6, url["index_bytes"] + 5 * url["file_bytes"])
    assert 0 < url["mount_ms"] < url["first_byte_ms"] <= url["total_ms"]
    # the size target (issue #17): the minimal app, by esbuild's metafile, with the modules it pulls in
    assert tiny["bundle"]["entry"] == "harness/bench/minimal_app.js" and tiny["bundle"]["gz_bytes"] > 0
    assert "wasi.js" in tiny["bundle"]["modules"] and "vfs/node_fs.js" not in tiny["bundle"]["modules"]
    assert tiny["dist_bundle"]["file"] == "polyfill/dist/browser/index.js"
    assert len(tiny["load_average"]["start"]) == 3
    json.loads(report.to_json(tiny))
    md = report.markdown(tiny)
    for workload in WORKLOADS:
        assert f"| {workload} | polyfill-node |" in md
    assert "## Targets" in md and "Failed runs" not in md and "## UrlDirectory" in md


def test_main_writes_json_and_markdown(tmp_path, capsys):
    out_json, out_md = tmp_path / "b.json", tmp_path / "b.md"
    status = main(Options(size="tiny", rounds=1, hosts=["polyfill-node"], workloads=["startup"],
                          json_path=str(out_json), md_path=str(out_md), scaling=False, memory=False, urldir=False))
    assert status == 0
    data = json.loads(out_json.read_text())
    assert [r["ok"] for r in data["runs"]] == [True]
    assert out_md.read_text() in capsys.readouterr().out


def test_runno_and_the_startup_shape():
    """@runno/wasi runs the workloads it can, verified like the others; startup
    times each of its instances after its untimed ones (issue #17's shape)."""
    data = run_bench(Options(size="tiny", rounds=1, hosts=["polyfill-node", "shim", "runno"],
                             workloads=["startup", "stdout-libc", "throughput", "metadata"], json_path=None,
                             md_path=None, scaling=False, memory=False), progress=_quiet)
    for r in data["runs"]:
        if (r["workload"], r["host"]) == ("metadata", "runno"):   # no rmdir there: recorded, not run
            assert not r["ok"] and "path_remove_directory" in r["unsupported"]
            continue
        assert r["ok"], (r["workload"], r["host"], r["problems"])
    for r in (r for r in data["runs"] if r["workload"] == "startup"):
        assert r["min_ms"] <= r["ms"] <= r["max_ms"] and r["value"] == r["ms"]
    startup = next(t for t in data["targets"] if t["what"].startswith("startup"))
    by_host = {r["host"]: r["ms"] for r in data["runs"] if r["workload"] == "startup"}
    assert startup["value"] == pytest.approx(by_host["polyfill-node"] / min(by_host["shim"], by_host["runno"]))
    md = report.markdown(data)
    assert "| startup | polyfill-node |" in md and "Not run (the host cannot do it): metadata on runno" in md
    assert "Failed runs" not in md


def _fake(runs, hosts):
    data = {"workloads": ["startup", "metadata"], "hosts": hosts, "runs": runs, "bundle": {"gz_bytes": 12 * 1024}}
    data.update(report.summarize(data))
    return {t["what"].split(":")[0] + ("/firefox" if "firefox" in t["what"] else ""): t for t in data["targets"]
            if "issue #7" not in t["what"]}


def _run(workload, host, rnd, ms):
    return {"workload": workload, "host": host, "round": rnd, "scale": 1, "ok": True, "ms": ms, "cold_ms": ms,
            "value": ms, "units": 1}


def test_targets_compare_round_by_round_with_the_fastest_js_shim():
    runs = []
    for rnd, (ours, shim, runno) in enumerate([(2.0, 4.0, 1.0), (3.0, 1.5, 6.0), (1.0, 2.0, 2.0)], 1):
        runs += [_run("startup", "polyfill-node", rnd, ours), _run("startup", "shim", rnd, shim),
                 _run("startup", "runno", rnd, runno)]
        runs += [_run("metadata", "polyfill-node", rnd, 1.0), _run("metadata", "shim", rnd, 2.0)]
        runs += [_run(w, h, rnd, ms) for w in ("startup", "metadata")
                 for h, ms in (("polyfill-chromium", 1.0), ("polyfill-firefox", 1.6 if rnd == 1 else 1.4))]
    t = _fake(runs, ["polyfill-node", "shim", "runno", "polyfill-chromium", "polyfill-firefox"])
    # per round: 2/1, 3/1.5, 1/2 -> median 2, min 0.5, max 2
    assert (t["startup"]["value"], t["startup"]["min"], t["startup"]["max"]) == (2.0, 0.5, 2.0)
    assert t["startup"]["met"] is False
    assert t["metadata"]["value"] == 0.5 and t["metadata"]["met"] is True      # ≤ 0.5× the shim
    assert t["bundle"]["met"] is True and t["bundle"]["limit"] == 12 * 1024
    assert t["startup/firefox"]["value"] == pytest.approx(1.4) and t["startup/firefox"]["met"] is True


class _Skipper:
    """A host that claims success but does less work than asked."""

    def __init__(self, name):
        self.name = name

    def run(self, job):
        argv = list(job["argv"])
        if job["workload"] == "syscall":
            argv[2] = str(int(argv[2]) - 1)       # one call short
        return NodeHost("polyfill-node").run({**job, "argv": argv})

    def close(self):
        pass


def test_a_host_that_skips_work_fails(tmp_path):
    opts = Options(size="tiny", rounds=1, hosts=["polyfill-node", "skipper"], workloads=["syscall"],
                   json_path=None, md_path=None, scaling=False, memory=False, urldir=False)
    data = run_bench(opts, progress=_quiet,
                     host_factory=lambda n: _Skipper(n) if n == "skipper" else NodeHost(n))
    by_host = {r["host"]: r for r in data["runs"]}
    assert by_host["polyfill-node"]["ok"]
    bad = by_host["skipper"]
    assert not bad["ok"] and bad["ms"] is None
    n = params("syscall", "tiny")["n"]
    assert f"calls={2 * n - 2}, expected {2 * n}" in bad["problems"]
    assert any(p.startswith("sum=") for p in bad["problems"])
    assert data["results"]["syscall"]["skipper"]["rounds_ok"] == 0
    assert "## Failed runs" in report.markdown(data)


@pytest.mark.parametrize("result, problem", [
    ({"ok": True, "ms": 1.0, "exit_code": 0, "stderr": ""}, "no BENCH line"),
    ({"ok": True, "ms": 1.0, "exit_code": 0, "stderr": "BENCH-FAIL open: No such file\n"}, "the program failed: open"),
    ({"ok": True, "ms": 1.0, "exit_code": 1, "stderr": ""}, "exit code 1"),
    ({"ok": False, "error": "boom"}, "the driver failed: boom"),
    ({"ok": True, "ms": 1.0, "exit_code": 1, "stderr": "", "warmup_failed": True}, "in a warm-up run"),
])
def test_check_catches_runs_that_did_not_do_the_work(result, problem):
    problems = check(WORKLOADS["metadata"], params("metadata", "tiny"), result)
    assert any(problem in p for p in problems), problems


def test_check_stdout_counts_and_startup_marks():
    p = params("stdout", "tiny")
    want = WORKLOADS["stdout-libc"].expected(p)
    line = f"BENCH lines={want['lines']} bytes={want['bytes']}\n"
    good = {"ok": True, "ms": 1.0, "exit_code": 0, "stderr": line,
            "stdout_bytes": want["bytes"], "stdout_lines": want["lines"]}
    assert check(WORKLOADS["stdout-libc"], p, good) == []
    short = {**good, "stdout_bytes": want["bytes"] - 1}
    assert check(WORKLOADS["stdout-libc"], p, short) == [
        f"the stdout sink got stdout_bytes={want['bytes'] - 1}, expected {want['bytes']}"]
    sp = params("startup", "tiny")
    ran = {"ok": True, "ms": 1.0, "exit_code": 0, "stderr": "", "instances": sp["instances"], "ran": sp["instances"]}
    assert check(WORKLOADS["startup"], sp, ran) == []
    assert check(WORKLOADS["startup"], sp, {**ran, "ran": 0}) == [f"ran=0, expected {sp['instances']}"]


def test_expected_values_match_a_direct_simulation():
    # syscall: the closed form against playing the writes and reads through
    n = SLOTS + 123
    slots = [bytes(16)] * SLOTS
    for i in range(n):
        slots[i % SLOTS] = bytes(((i * 31 + j) & 0xFF) for j in range(16))
    total = sum(sum(b * (j + 1) for j, b in enumerate(slots[i % SLOTS])) for i in range(n))
    assert WORKLOADS["syscall"].expected({"n": n}) == {"calls": 2 * n, "sum": total & MASK64}
    # throughput: the closed form against summing the words
    chunks, words = 16 * 2, 8192
    total = sum((k * 0x9E3779B97F4A7C15 + w) & MASK64 for k in range(chunks) for w in range(words))
    assert WORKLOADS["throughput"].expected({"mib": 2}) == {"bytes": 2 << 20, "sum": total & MASK64}


def test_node_driver_reports_its_errors_on_one_line():
    host = NodeHost("polyfill-node")
    wasm = compile_programs({"startup"}, _quiet)["startup"]
    result = host.run({"workload": "syscall", "argv": ["x"], "program": wasm + ".missing", "preopen": "/bench",
                       "instances": 0})
    assert result["ok"] is False and "ENOENT" in result["error"] and "\n" not in result["error"]
    assert parse_driver_output("noise\n", "", 1)["ok"] is False


def test_chromium_host_at_tiny_size():
    _chromium_or_skip()
    data = run_bench(Options(size="tiny", rounds=1, hosts=["polyfill-node", "polyfill-chromium"],
                             workloads=["syscall", "startup", "stdout-libc"], json_path=None, md_path=None,
                             scaling=False, memory=False, urldir=False), progress=_quiet)
    assert all(r["ok"] for r in data["runs"]), [r["problems"] for r in data["runs"]]
    assert {r["host"] for r in data["runs"]} == {"polyfill-node", "polyfill-chromium"}
    for workload in ("syscall", "startup", "stdout-libc"):
        assert data["results"][workload]["polyfill-chromium"]["ratio"]["polyfill-node"] > 0


def test_the_cross_check_row_starts_its_browsers_after_the_bench_s_chromium(monkeypatch):
    """The cross-check row (harness/bench/crosscheck.py) launches Chromium
    through Playwright's sync API, which a thread can run once at a time: run
    after polyfill-chromium's jobs, it failed with "using Playwright Sync API
    inside the asyncio loop" while the bench's own Chromium was still open
    (a traceback, no report). Measured with a stand-in that starts a browser
    as the real one does."""
    from harness.bench import crosscheck, runner
    from harness.hosts.chromium import browser

    _chromium_or_skip()
    seen = []

    def stand_in(rounds, progress):
        with browser() as b:
            seen.append(b.version)
        return {"ok": True, "problems": [], "runs": [], "by_idle_s": {"0": {"median_ms": 1.0, "times_ms": [1.0]}},
                "limit_ms": crosscheck.LIMIT_MS, "without_snapshot": None}

    monkeypatch.setattr(crosscheck, "measure", stand_in)
    monkeypatch.setattr(runner, "XCHECK_SKIPPED_SIZES", set())
    data = run_bench(Options(size="tiny", rounds=1, hosts=["polyfill-chromium"], workloads=["syscall"],
                             json_path=None, md_path=None, scaling=False, memory=False, urldir=False,
                             xcheck_rounds=1), progress=_quiet)
    assert seen and data["xcheck"]["ok"], data["xcheck"]
    assert all(r["ok"] for r in data["runs"]), [r["problems"] for r in data["runs"]]


def test_cli_runs_verify_each_browser_run_against_node(monkeypatch):
    """The browser-backed CLI suite (tests/bench/cliruns.py), on 2 programs:
    every browser run is checked against node's, and a difference fails it."""
    _chromium_or_skip()
    sys.path.insert(0, str(Path(__file__).parent / "bench"))
    import cliruns

    data = cliruns.measure(1, _quiet, count=2, cold=False)
    assert data["ok"], data["problems"]
    assert data["programs"] == 2 and len(data["per_round"]) == 1 and data["ratio"] > 0
    assert cliruns.target(data)["value"] == data["ratio"]
    assert f"| {data['ratio']:.2f}× [" in cliruns.table(data)
    real = cliruns._run

    def corrupted(host, case, scratch):
        seconds, (out, err, status) = real(host, case, scratch)
        return seconds, (out + b"!" if host == "browser" else out, err, status)

    monkeypatch.setattr(cliruns, "_run", corrupted)
    bad = cliruns.measure(1, _quiet, count=1, cold=False)
    assert not bad["ok"] and "differ from node's" in bad["problems"][0]
    assert cliruns.target(bad)["met"] is None and "| FAILED |" in cliruns.table(bad)


@pytest.mark.parametrize("args, message", [
    (["--hosts", "node-wasi,nope"], "unknown host 'nope'"),
    (["--workloads", "syscall,fsync"], "unknown workload 'fsync'"),
    (["--size", "huge"], "invalid choice: 'huge'"),
    (["--rounds", "0", "--workloads", "startup", "--hosts", "polyfill-node"], "--rounds must be at least 1"),
])
def test_cli_mistakes_are_one_line(args, message):
    proc = subprocess.run([sys.executable, "-m", "harness", "bench", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == "" and message in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


def test_profile_writes_a_cpu_profile_per_node_job(tmp_path):
    data = run_bench(Options(size="tiny", rounds=1, hosts=["polyfill-node"], workloads=["stdout-libc"],
                             json_path=None, md_path=None, scaling=False, memory=False, urldir=False,
                             profile_dir=str(tmp_path / "prof")), progress=_quiet)
    assert [r["ok"] for r in data["runs"]] == [True]
    [profile] = (tmp_path / "prof").iterdir()
    assert profile.name == "stdout-libc-polyfill-node-1.cpuprofile"
    assert json.loads(profile.read_text())["nodes"]
    assert "**Profiled**" in report.markdown(data)
