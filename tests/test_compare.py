"""`wasi-polyfill compare`: tree snapshots, verdicts, matrix, reports, runner, CLI.

The unit tests build `HostRun`s by hand. The divergence test runs a real
program twice on wasmtime, once through a host that tampers with one errno,
and checks that compare reports exactly that one cell. The report test renders
the HTML in Chromium and keeps a screenshot in build/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.compare import CompareSpec, HostRun, SubprocessHost, compare, compare_runs, resolve_hosts
from harness.compare.availability import unavailable
from harness.compare.diff import DIFFERS, ERROR, NA, REF, SAME, normalize_stderr, unified
from harness.compare.matrix import render, summary
from harness.compare.report import comparison_json, render_html, write_html, write_json
from harness.compare.runner import run_hosts
from harness.compare.tree import Entry, listing, same_shape, same_times, snapshot
from harness.hosts import HostError, RunSpec

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
CI = os.environ.get("CI") == "true"


# --- tree snapshots -----------------------------------------------------------------

def make_tree(root: Path) -> None:
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_text("alpha\n")
    (root / "sub" / "b.bin").write_bytes(b"\x00\x01\xff")
    (root / "sub" / "deeper" / "empty").write_bytes(b"")
    (root / "link").symlink_to("a.txt")
    (root / "dangling").symlink_to("nowhere")
    os.link(root / "a.txt", root / "hard")


def test_snapshot_records_names_kinds_contents_targets_and_links(tmp_path):
    make_tree(tmp_path / "d")
    tree = snapshot([(tmp_path / "d", "/data")])
    assert list(tree) == sorted(tree)
    assert {p: e.kind for p, e in tree.items()} == {
        "/data/": "dir", "/data/a.txt": "file", "/data/dangling": "symlink", "/data/hard": "file",
        "/data/link": "symlink", "/data/sub": "dir", "/data/sub/b.bin": "file",
        "/data/sub/deeper": "dir", "/data/sub/deeper/empty": "file",
    }
    assert tree["/data/a.txt"].data == b"alpha\n" and tree["/data/a.txt"].size == 6
    assert tree["/data/a.txt"].links == ("/data/hard",)
    assert tree["/data/hard"].links == ("/data/a.txt",)
    assert tree["/data/sub/b.bin"].links == ()
    assert tree["/data/link"].target == "a.txt"
    assert tree["/data/dangling"].target == "nowhere"
    assert listing(tree)[0].startswith("/data/ ")
    assert "symlink -> a.txt" in "\n".join(listing(tree))


def test_snapshot_follows_a_preopen_that_is_a_symlink(tmp_path):
    make_tree(tmp_path / "d")
    (tmp_path / "alias").symlink_to("d")
    assert snapshot([(tmp_path / "alias", "/x")]).keys() == {
        k.replace("/data", "/x") for k in snapshot([(tmp_path / "d", "/data")])}


def test_tree_equality_leaves_times_to_the_times_aspect(tmp_path):
    make_tree(tmp_path / "a")
    make_tree(tmp_path / "b")
    os.utime(tmp_path / "b" / "a.txt", ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    a, b = snapshot([(tmp_path / "a", "/")]), snapshot([(tmp_path / "b", "/")])
    assert same_shape(a, b)
    assert not same_times(a, b)
    (tmp_path / "b" / "sub" / "b.bin").write_bytes(b"changed")
    assert not same_shape(a, snapshot([(tmp_path / "b", "/")]))


def test_times_compare_to_the_millisecond():
    # what Node's fs.utimes makes of 1700000000.001 s: a microsecond short
    node = {"/f": Entry("file", mtime_ns=1_700_000_000_000_999_000, atime_ns=0)}
    exact = {"/f": Entry("file", mtime_ns=1_700_000_000_001_000_000, atime_ns=0)}
    step = {"/f": Entry("file", mtime_ns=1_700_000_000_002_000_000, atime_ns=0)}
    assert same_times(node, exact) and not same_times(exact, step)
    assert exact["/f"].times() == "mtime=1700000000.001 atime=0.000"


def test_entries_describe_what_is_compared():
    assert Entry("file", 3, "ab" * 32).describe() == f"file 3 B sha256:{'ab' * 8}"
    assert Entry("symlink", target="../x").describe() == "symlink -> ../x"
    assert Entry("dir").describe() == "dir"
    assert Entry("file", 1, "00", links=("/b",)).describe().endswith("links=/b")


# --- verdicts -------------------------------------------------------------------------

def hr(host, status=0, stdout=b"out\n", stderr=b"", tree=None, error=None):
    return HostRun(host=host, status=status, stdout=stdout, stderr=stderr, tree=tree or {}, error=error)


SPEC = CompareSpec(program="prog.wasm")
DET = CompareSpec(program="prog.wasm", deterministic=True)


def test_agreeing_hosts_have_no_divergence_and_wasmtime_is_the_reference():
    c = compare_runs(SPEC, [hr("node"), hr("wasmtime"), hr("refhost")])
    assert not c.diverged and c.divergences == []
    assert set(c.references.values()) == {"wasmtime"}
    assert c.verdicts["wasmtime"] == dict.fromkeys(("stdout", "stderr", "exit", "tree"), REF)
    assert c.verdicts["node"] == dict.fromkeys(("stdout", "stderr", "exit", "tree"), SAME)
    assert summary(c) == "all 3 hosts agree"


def test_without_wasmtime_the_first_host_is_the_reference():
    c = compare_runs(SPEC, [hr("node"), hr("refhost", stdout=b"other\n")])
    assert c.references["stdout"] == "node"
    assert c.verdicts["refhost"]["stdout"] == DIFFERS


def test_one_differing_aspect_gives_exactly_one_divergence_with_its_diff():
    c = compare_runs(SPEC, [hr("wasmtime", stdout=b"a\nb\nc\n"), hr("node", stdout=b"a\nB\nc\n")])
    assert [(d.host, d.aspect, d.reference) for d in c.divergences] == [("node", "stdout", "wasmtime")]
    assert c.verdicts["node"] == {"stdout": DIFFERS, "stderr": SAME, "exit": SAME, "tree": SAME}
    diff = c.divergences[0].diff.splitlines()
    assert diff[:2] == ["--- wasmtime/stdout", "+++ node/stdout"]
    assert "-b" in diff and "+B" in diff
    assert summary(c) == "DIVERGED on 1 cell(s): node:stdout"


def test_exit_and_tree_diffs(tmp_path):
    make_tree(tmp_path / "a")
    make_tree(tmp_path / "b")
    (tmp_path / "b" / "a.txt").write_text("ALPHA\n")  # also changes "hard": same inode
    (tmp_path / "b" / "link").unlink()
    (tmp_path / "b" / "link").symlink_to("sub")
    ta, tb = snapshot([(tmp_path / "a", "/d")]), snapshot([(tmp_path / "b", "/d")])
    c = compare_runs(SPEC, [hr("wasmtime", tree=ta), hr("node", status=1, tree=tb)])
    assert {(d.host, d.aspect) for d in c.divergences} == {("node", "exit"), ("node", "tree")}
    exit_diff = next(d.diff for d in c.divergences if d.aspect == "exit")
    assert "-0" in exit_diff.splitlines() and "+1" in exit_diff.splitlines()
    tree_diff = next(d.diff for d in c.divergences if d.aspect == "tree").splitlines()
    assert ["-/d/link", "symlink", "->", "a.txt"] in [line.split() for line in tree_diff]
    assert ["+/d/link", "symlink", "->", "sub"] in [line.split() for line in tree_diff]
    # and the contents of the file that differs
    assert "--- wasmtime/d/a.txt" in tree_diff and "-alpha" in tree_diff and "+ALPHA" in tree_diff


def test_trap_lines_compare_by_presence_not_wording():
    a = b"partial output\nwasi-polyfill: trap: wasm trap: out of bounds memory access\n"
    b = b"partial output\nwasi-polyfill: trap: RuntimeError: memory access out of bounds\n"
    assert normalize_stderr(a) == normalize_stderr(b)
    c = compare_runs(SPEC, [hr("wasmtime", 134, stderr=a), hr("node", 134, stderr=b)])
    assert not c.diverged
    c = compare_runs(SPEC, [hr("wasmtime", 134, stderr=a), hr("node", 134, stderr=b"partial output\n")])
    assert c.verdicts["node"]["stderr"] == DIFFERS


def test_deterministic_mode_compares_native_hosts_on_exit_and_tree_only():
    t1 = {"/s/": Entry("dir", mtime_ns=1, atime_ns=1)}
    t2 = {"/s/": Entry("dir", mtime_ns=1_000_000, atime_ns=1)}
    runs = [hr("wasmtime", stdout=b"1795320837692878871\n", tree=t2), hr("node-wasi", stdout=b"x\n", tree=t2),
            hr("node", stdout=b"1700000000000000000\n", tree=t1),
            hr("refhost", stdout=b"1700000000000000000\n", tree=t2)]
    c = compare_runs(DET, runs)
    assert c.aspects == ("stdout", "stderr", "exit", "tree", "times")
    assert c.references == {"stdout": "node", "stderr": "node", "exit": "wasmtime", "tree": "wasmtime",
                            "times": "node"}
    assert c.verdicts["wasmtime"] == {"stdout": NA, "stderr": NA, "exit": REF, "tree": REF, "times": NA}
    assert c.verdicts["node-wasi"] == {"stdout": NA, "stderr": NA, "exit": SAME, "tree": SAME, "times": NA}
    assert c.verdicts["refhost"] == {"stdout": SAME, "stderr": SAME, "exit": SAME, "tree": SAME,
                                     "times": DIFFERS}
    [d] = c.divergences
    assert (d.host, d.aspect, d.reference) == ("refhost", "times", "node")
    assert "-/s/  mtime=0.000 atime=0.000" in d.diff.splitlines()
    assert "+/s/  mtime=0.001 atime=0.000" in d.diff.splitlines()


def test_a_host_without_a_result_is_an_error_on_every_comparable_aspect():
    c = compare_runs(SPEC, [hr("wasmtime"), hr("node", status=None, error="timed out after 1s")])
    assert c.verdicts["node"] == dict.fromkeys(("stdout", "stderr", "exit", "tree"), ERROR)
    assert c.diverged and c.divergences == []
    assert "timed out after 1s" in render(c)


def test_unified_marks_a_missing_final_newline():
    lines = unified("a\nb", "a\nb\n", "x", "y").splitlines()
    assert "-b" in lines and "\\ No newline at end of file" in lines and "+b" in lines


# --- matrix ----------------------------------------------------------------------------

def test_matrix_has_a_row_per_host_and_a_cell_per_aspect():
    c = compare_runs(SPEC, [hr("wasmtime"), hr("node", stdout=b"no\n")], skipped=[("browser", "no chromium")])
    lines = render(c).splitlines()
    assert lines[0].split() == ["host", "stdout", "stderr", "exit", "tree", "status", "time", "engine"]
    assert lines[1].split()[:6] == ["wasmtime", "ref", "ref", "ref", "ref", "0"]
    assert lines[1].endswith("s  wasmtime (native)")
    assert lines[2].split()[:6] == ["node", "✗", "✓", "✓", "✓", "0"] and lines[2].endswith("s  Node")
    assert lines[3].split() == ["browser", "skipped:", "no", "chromium"]
    assert render(c, ascii_only=True).splitlines()[2].split()[:5] == ["node", "X", "ok", "ok", "ok"]
    assert "\033[31m" in render(c, color=True)


# --- reports ---------------------------------------------------------------------------

def test_html_report_is_escaped_and_self_contained():
    evil = b"<script>alert('x')</script>\n"
    c = compare_runs(SPEC, [hr("wasmtime", stdout=b"ok\n"), hr("node", stdout=evil)])
    html = render_html([c])
    assert "<script" not in html and "&lt;script&gt;" in html
    for external in ("http://", "https://", "<link", "@import", "url("):
        assert external not in html
    assert "<style>" in html and html.count("<section") == 1
    assert 'class="del">-ok</span>' in html and "+&lt;script&gt;" in html


def test_json_report_round_trips(tmp_path):
    c = compare_runs(SPEC, [hr("wasmtime"), hr("node", stderr=b"\xff\n")], title="t")
    write_json(tmp_path / "one.json", [c])
    doc = json.loads((tmp_path / "one.json").read_text())
    assert doc["title"] == "t" and doc["diverged"] is True
    assert [h["host"] for h in doc["hosts"]] == ["wasmtime", "node"]
    assert doc["hosts"][1]["stderr"] == "\\xff\n"
    assert doc["divergences"][0]["aspect"] == "stderr"
    write_json(tmp_path / "two.json", [c, c])
    assert len(json.loads((tmp_path / "two.json").read_text())["comparisons"]) == 2
    assert comparison_json(c)["command"] == "wasi-polyfill compare prog.wasm"


# --- the runner, with hosts of our own -------------------------------------------------

def fake_host(spec: RunSpec) -> int:
    """A host in Python: echoes stdin, lists its dirs, writes a file into each."""
    spec.stdout.write(spec.stdin.read().upper())
    for host_dir, guest in spec.dirs:
        spec.stdout.write(f"{guest}: {sorted(os.listdir(host_dir))}\n".encode())
        Path(host_dir, "written.txt").write_text("by the fake host\n")
    return 7


def test_runner_gives_each_host_a_fresh_copy_stdin_and_its_tree(tmp_path):
    make_tree(tmp_path / "d")
    (tmp_path / "in.txt").write_text("hello\n")
    spec = CompareSpec(program="prog.wasm", dirs=[(str(tmp_path / "d"), "/data")], stdin=str(tmp_path / "in.txt"))
    runs = run_hosts(spec, {"one": fake_host, "two": fake_host}, workdir=tmp_path / "work")
    assert [r.host for r in runs] == ["one", "two"]
    for run in runs:
        assert run.status == 7
        assert run.stdout.startswith(b"HELLO\n/data: ['a.txt', 'dangling', 'hard', 'link', 'sub']")
        assert run.tree["/data/written.txt"].data == b"by the fake host\n"
        assert run.tree["/data/link"].target == "a.txt"
    assert not (tmp_path / "d" / "written.txt").exists()  # the original is untouched
    c = compare_runs(spec, runs)
    assert not c.diverged


def test_runner_turns_host_errors_and_crashes_into_results(tmp_path):
    def user_error(spec):
        raise HostError("the program is not a WASI command")

    def crash(spec):
        raise RuntimeError("boom")

    runs = run_hosts(CompareSpec(program="p.wasm"), {"a": user_error, "b": crash}, workdir=tmp_path)
    assert (runs[0].status, runs[0].stderr) == (2, b"wasi-polyfill: error: the program is not a WASI command\n")
    assert (runs[1].status, runs[1].error) == (None, "RuntimeError: boom")


class Sleeper(SubprocessHost):
    def command(self, spec):
        return [sys.executable, "-c", "import time; time.sleep(60)"]


def test_a_host_that_hangs_is_killed_at_the_timeout(tmp_path):
    start = time.monotonic()
    runs = run_hosts(CompareSpec(program="p.wasm"), {"slow": Sleeper("slow", timeout=0.5)}, workdir=tmp_path)
    assert time.monotonic() - start < 10
    assert runs[0].status is None and runs[0].error == "timed out after 0.5s"


def test_availability_names_the_reason():
    assert unavailable("no-such-host").startswith("unknown host")
    with pytest.raises(HostError, match="unknown host"):
        resolve_hosts(["nope"])
    with pytest.raises(HostError, match="named twice"):
        resolve_hosts(["wasmtime", "wasmtime"])
    hosts, skipped = resolve_hosts(None)
    assert set(hosts).isdisjoint(name for name, _ in skipped)


def test_a_named_host_that_cannot_start_here_is_skipped_with_the_reason(monkeypatch):
    from harness.browsers import firefox, webkit

    monkeypatch.setattr(webkit, "DRIVER", "no-such-WebKitWebDriver")
    monkeypatch.setattr(firefox, "FIREFOX", "/nonexistent/firefox-esr")
    assert resolve_hosts(["wasmtime", "webkit", "refhost", "firefox"]) == (["wasmtime", "refhost"], [
        ("webkit", "no-such-WebKitWebDriver is not installed (apt-get install webkit2gtk-driver)"),
        ("firefox", "/nonexistent/firefox-esr is not installed (apt-get install firefox-esr)")])
    # a host run through a callable of one's own is not looked up; one without is still checked
    with pytest.raises(HostError, match="host 'webkit' is not available here: no-such-WebKitWebDriver"):
        compare(CompareSpec(program="p.wasm"), {"webkit": None, "mine": lambda spec: 0})


# --- a planted divergence, end to end ---------------------------------------------------

# Creates /data/out.txt, then opens /data/missing.txt and prints the errno it
# got as two digits: "errno=44" (ENOENT) on a correct host.
ERRNO_WAT = r"""
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "missing.txt")
  (data (i32.const 120) "out.txt")
  (data (i32.const 140) "hello\n")
  (data (i32.const 160) "errno=00\n")
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") (local $errno i32)
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 120) (i32.const 7)
      (i32.const 1) (i64.const 66) (i64.const 0) (i32.const 0) (i32.const 200)))
    (call $write (i32.load (i32.const 200)) (i32.const 140) (i32.const 6))
    (drop (call $fd_close (i32.load (i32.const 200))))
    (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 11)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 200)))
    (i32.store8 (i32.const 166) (i32.add (i32.const 48) (i32.div_u (local.get $errno) (i32.const 10))))
    (i32.store8 (i32.const 167) (i32.add (i32.const 48) (i32.rem_u (local.get $errno) (i32.const 10))))
    (call $write (i32.const 1) (i32.const 160) (i32.const 9))))
"""


@pytest.fixture
def errno_program(tmp_path):
    if unavailable("wasmtime"):
        pytest.skip(f"wasmtime host: {unavailable('wasmtime')}")
    import wasmtime

    wasm = tmp_path / "errno.wasm"
    wasm.write_bytes(wasmtime.wat2wasm(ERRNO_WAT))
    data = tmp_path / "data"
    data.mkdir()
    (data / "present.txt").write_text("here\n")
    return wasm, data


def wrong_errno(inner):
    """A host that runs `inner` and reports EBADF (8) where it got ENOENT (44)."""
    def host(spec: RunSpec) -> int:
        real_stdout = spec.stdout
        with open(f"{real_stdout.name}.inner", "w+b") as captured:
            status = inner(RunSpec(**{**spec.__dict__, "stdout": captured}))
            captured.seek(0)
            real_stdout.write(captured.read().replace(b"errno=44", b"errno=08"))
        return status
    return host


def test_compare_reports_exactly_the_planted_errno(errno_program, tmp_path):
    wasm, data = errno_program
    spec = CompareSpec(program=str(wasm), dirs=[(str(data), "/data")])
    c = compare(spec, {"wasmtime": None, "wasmtime+EBADF": wrong_errno(SubprocessHost("wasmtime"))},
                title="planted errno")
    assert [r.status for r in c.runs] == [0, 0]
    assert c.run("wasmtime").stdout == b"errno=44\n"
    assert c.run("wasmtime").tree["/data/out.txt"].data == b"hello\n"
    assert c.verdicts["wasmtime+EBADF"] == {"stdout": DIFFERS, "stderr": SAME, "exit": SAME, "tree": SAME}
    [d] = c.divergences
    assert (d.host, d.aspect, d.reference) == ("wasmtime+EBADF", "stdout", "wasmtime")
    assert [line for line in d.diff.splitlines() if line[:1] in "+-"] == [
        "--- wasmtime/stdout", "+++ wasmtime+EBADF/stdout", "-errno=44", "+errno=08"]
    write_html(tmp_path / "planted.html", [c])  # for the screenshot test's eyes too
    assert "errno=08" in (tmp_path / "planted.html").read_text()


def test_cli_compare_writes_json_and_html(errno_program, tmp_path):
    wasm, data = errno_program
    hosts = [h for h in ("wasmtime", "node-wasi") if not unavailable(h)]
    if len(hosts) < 2:
        pytest.skip("needs wasmtime and node-wasi")
    out = subprocess.run(
        [sys.executable, "-m", "harness", "compare", "--hosts", ",".join(hosts),
         "--dir", f"{data}::/data", "--json", str(tmp_path / "c.json"), "--report", str(tmp_path / "c.html"),
         str(wasm)], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.splitlines()[-1] == "all 2 hosts agree"
    assert "  wasmtime " in out.stderr and "s  exit 0" in out.stderr  # progress lines
    doc = json.loads((tmp_path / "c.json").read_text())
    assert doc["diverged"] is False and doc["hosts"][0]["stdout"] == "errno=44\n"
    assert (tmp_path / "c.html").read_text().startswith("<!doctype html>")


def test_cli_compare_skips_a_host_that_cannot_start_in_one_line(errno_program, tmp_path):
    wasm, data = errno_program
    out = subprocess.run(
        [sys.executable, "-m", "harness", "compare", "--hosts", "wasmtime,webkit,refhost",
         "--dir", f"{data}::/data", str(wasm)], capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "WEBKIT_WEBDRIVER": "no-such-WebKitWebDriver"})
    assert out.returncode == 0, out.stdout + out.stderr
    skipped = [line for line in out.stdout.splitlines() if "skipped" in line]
    assert skipped == ["webkit    skipped: no-such-WebKitWebDriver is not installed (apt-get install webkit2gtk-driver)"]
    assert out.stdout.splitlines()[-1] == "all 2 hosts agree"
    assert "running on wasmtime, refhost (skipping webkit: see the matrix)" in out.stderr


def test_cli_compare_puts_the_three_engines_side_by_side(errno_program, tmp_path):
    """`compare --hosts wasmtime,browser,firefox,webkit`: a row per engine,
    named, each against wasmtime; the JSON and the HTML report name them too."""
    from harness import browsers

    missing = {name: why for name in ("chromium", "firefox", "webkit") if (why := browsers.available(name))}
    if missing:
        (pytest.fail if CI else pytest.skip)(f"needs every engine: {missing}")
    wasm, data = errno_program
    out = subprocess.run(
        [sys.executable, "-m", "harness", "compare", "--hosts", "wasmtime,browser,firefox,webkit",
         "--dir", f"{data}::/data", "--json", str(tmp_path / "c.json"), "--report", str(tmp_path / "c.html"),
         str(wasm)], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    rows = {line.split()[0]: line for line in out.stdout.splitlines()[1:-1]}
    assert list(rows) == ["wasmtime", "browser", "firefox", "webkit"], out.stdout
    for host, engine in [("browser", "Chromium"), ("firefox", "Firefox"), ("webkit", "WebKitGTK")]:
        assert rows[host].split()[1:6] == ["✓", "✓", "✓", "✓", "0"] and rows[host].endswith(f"s  {engine}"), \
            out.stdout
    assert out.stdout.splitlines()[-1] == "all 4 hosts agree"
    doc = json.loads((tmp_path / "c.json").read_text())
    assert [(h["host"], h["engine"], h["stdout"]) for h in doc["hosts"]] == [
        ("wasmtime", "wasmtime (native)", "errno=44\n"), ("browser", "Chromium", "errno=44\n"),
        ("firefox", "Firefox", "errno=44\n"), ("webkit", "WebKitGTK", "errno=44\n")]
    html = (tmp_path / "c.html").read_text()
    assert all(f'<td class="engine">{e}</td>' in html for e in ("Chromium", "Firefox", "WebKitGTK"))


@pytest.mark.parametrize("argv, message", [
    (["compare", "--hosts", "nope", "x.wasm"], "unknown host 'nope'"),
    (["compare", "missing.wasm"], "missing.wasm: no such file"),
    (["run", "--host", "wasmtime", "--deterministic", "prog.wasm"], "host 'wasmtime' cannot do it"),
])
def test_cli_user_errors_are_one_line(argv, message, tmp_path):
    (tmp_path / "prog.wasm").write_bytes(b"\0asm\1\0\0\0")
    out = subprocess.run([sys.executable, "-m", "harness", *argv], capture_output=True, text=True,
                         cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and message in out.stderr, out.stderr


# --- the report in a browser --------------------------------------------------------------

def sample_comparisons(tmp_path) -> list:
    make_tree(tmp_path / "a")
    make_tree(tmp_path / "b")
    (tmp_path / "b" / "sub" / "b.bin").write_bytes(b"\x00\x02")
    ta, tb = snapshot([(tmp_path / "a", "/data")]), snapshot([(tmp_path / "b", "/data")])
    agree = compare_runs(CompareSpec(program="build/demo/walk.wasm", dirs=[("build/demo/tree", "/tree")]),
                         [hr("wasmtime", tree=ta), hr("node-wasi", tree=ta), hr("node", tree=ta)],
                         skipped=[("browser", "no /usr/bin/chromium")], title="walk.c: all agree")
    differ = compare_runs(CompareSpec(program="errno.wasm", dirs=[("data", "/data")]),
                          [hr("wasmtime", stdout=b"errno=44\n<ok>\n", tree=ta),
                           hr("node", stdout=b"errno=08\n<ok>\n", tree=tb),
                           hr("refhost", status=None, error="timed out after 120s")],
                          title="errno.c: a planted divergence")
    return [agree, differ]


def test_report_renders_in_chromium(tmp_path):
    chromium_binary = Path("/usr/bin/chromium")
    if not chromium_binary.exists():
        if CI:
            pytest.fail("/usr/bin/chromium is missing (make setup installs it)")
        pytest.skip("no /usr/bin/chromium")
    chromium = pytest.importorskip("harness.hosts.chromium", reason="hosts/chromium.py is not written yet")
    report = tmp_path / "report.html"
    write_html(report, sample_comparisons(tmp_path))
    BUILD.mkdir(exist_ok=True)
    with chromium.browser() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(report.as_uri())
        assert page.locator("section").count() == 2
        assert page.locator("table.matrix tbody tr").count() == 6
        assert page.locator("td.cell .differs").count() >= 2
        assert page.locator("pre.diff .add").first.inner_text() == "+errno=08"
        page.screenshot(path=str(BUILD / "report-screenshot.png"), full_page=True)
        page.close()
    assert (BUILD / "report-screenshot.png").stat().st_size > 10_000


# --- browser hosts share one Chromium ---------------------------------------------------------

def test_browser_hosts_share_one_browser_in_the_calling_thread(monkeypatch, tmp_path):
    import contextlib
    import threading
    import types

    events = []

    @contextlib.contextmanager
    def browser():
        events.append(("launch", threading.get_ident()))
        yield "the-browser"
        events.append(("close", threading.get_ident()))

    class BrowserSession:  # as hosts/pyodide_browser.py has it, taking the shared browser
        def __init__(self, browser=None):
            self.browser = browser

        def __enter__(self):
            events.append(("session", self.browser))
            return self

        def __exit__(self, *exc):
            events.append(("session closed", self.browser))

    def session_run(spec, session=None):
        spec.stdout.write(f"session on {session.browser} {threading.get_ident()}\n".encode())
        return 0

    def browser_run(spec, browser=None):
        spec.stdout.write(f"page on {browser} {threading.get_ident()}\n".encode())
        return 0

    monkeypatch.setitem(sys.modules, "harness.hosts.chromium", types.SimpleNamespace(browser=browser))
    monkeypatch.setitem(sys.modules, "harness.hosts.browser", types.SimpleNamespace(run=browser_run))
    monkeypatch.setitem(sys.modules, "harness.hosts.pyodide_browser",
                        types.SimpleNamespace(run=session_run, BrowserSession=BrowserSession))
    from harness.compare import SharedBrowser

    me = threading.get_ident()
    hosts = {"fake": fake_host, "browser": None, "pyodide": None}
    with SharedBrowser() as shared:
        for i in range(2):  # two comparisons, as the demo makes: still one launch, one session
            runs = run_hosts(CompareSpec(program="p.wasm"), hosts, workdir=tmp_path / str(i), browser=shared)
            assert [r.stdout for r in runs[1:]] == [f"page on the-browser {me}\n".encode(),
                                                   f"session on the-browser {me}\n".encode()]
            assert all(r.shared_browser for r in runs[1:]) and not runs[0].shared_browser
    assert events == [("launch", me), ("session", "the-browser"), ("session closed", "the-browser"),
                      ("close", me)]


def test_hosts_that_cannot_share_run_as_subprocesses(monkeypatch):
    import types

    from harness.compare import SharedBrowser

    monkeypatch.setitem(sys.modules, "harness.hosts.browser", types.SimpleNamespace(run=lambda spec: 0))
    runs, why = SharedBrowser.host_runs(["browser"])
    assert runs == {} and why == "browser: run() takes neither session= nor browser=, so no shared Chromium"


def test_binary_contents_diff_as_hex_and_controls_are_escaped():
    c = compare_runs(SPEC, [hr("wasmtime", stdout=b"\x00\x01\xff"), hr("node", stdout=b"\x00\x02")])
    lines = c.divergences[0].diff.splitlines()
    assert "--- wasmtime/stdout (hex)" in lines
    assert ["-00000000", "00", "01", "ff", "|...|"] in [line.split() for line in lines]
    c = compare_runs(SPEC, [hr("wasmtime", stdout=b"a\rb\x0cc\n"), hr("node", stdout=b"a\n")])
    assert "-a\\x0db\\x0cc" in c.divergences[0].diff.splitlines()
