"""The reference host's CLI hosts: `refhost` (native), `pyodide-node` and
`pyodide` (headless Chromium) give the same outcome for the same program —
exit status, stdout, stderr, the final tree with --write-back — and follow
the CLI's rules (trap: status 134 and one line, host dirs untouched;
proc_exit(126): status 1).

Pyodide is loaded once per test run per engine: a Node process in the
driver's --serve mode and one Chromium page (`NodeSession`,
`BrowserSession`); a few tests also go through the real command line.
Skipped where Node, node_modules/pyodide or Chromium are missing.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

from refhost_probe import make_tree, snapshot
from harness.hosts import RunSpec

ROOT = Path(__file__).resolve().parents[1]
PYODIDE = ROOT / "node_modules" / "pyodide" / "pyodide.mjs"

PRELUDE = """
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func $mkdir (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $unlink (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") {pages})
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0x10) (local.get $ptr)) (i32.store (i32.const 0x14) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0x10) (i32.const 1) (i32.const 0x18))))
"""

PROGRAMS = {
    "hello": """
      (data (i32.const 0x100) "hello\\n") (data (i32.const 0x110) "to stderr\\n")
      (func (export "_start")
        (call $write (i32.const 1) (i32.const 0x100) (i32.const 6))
        (call $write (i32.const 2) (i32.const 0x110) (i32.const 10))
        (call $proc_exit (i32.const 3)))""",
    "cat": """
      (func (export "_start") (local $n i32)
        (block $eof (loop $more
          (i32.store (i32.const 0x20) (i32.const 0x1000)) (i32.store (i32.const 0x24) (i32.const 7))
          (br_if $eof (call $fd_read (i32.const 0) (i32.const 0x20) (i32.const 1) (i32.const 0x28)))
          (local.set $n (i32.load (i32.const 0x28)))
          (br_if $eof (i32.eqz (local.get $n)))
          (call $write (i32.const 1) (i32.const 0x1000) (local.get $n))
          (br $more))))""",
    "args": """
      (func (export "_start") (local $i i32) (local $p i32)
        (drop (call $args_sizes_get (i32.const 0x20) (i32.const 0x24)))
        (drop (call $args_get (i32.const 0x100) (i32.const 0x400)))
        (call $write (i32.const 1) (i32.const 0x400) (i32.load (i32.const 0x24)))
        (drop (call $environ_sizes_get (i32.const 0x20) (i32.const 0x24)))
        (drop (call $environ_get (i32.const 0x100) (i32.const 0x800)))
        (call $write (i32.const 1) (i32.const 0x800) (i32.load (i32.const 0x24))))""",
    "files": """
      (data (i32.const 0x100) "in.txt") (data (i32.const 0x110) "out.txt") (data (i32.const 0x120) "newdir")
      (data (i32.const 0x130) "gone.txt") (data (i32.const 0x140) "written by the guest\\n")
      (func (export "_start")
        ;; cat in.txt
        (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 0x100) (i32.const 6) (i32.const 0)
                    (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0x30)))
        (i32.store (i32.const 0x20) (i32.const 0x1000)) (i32.store (i32.const 0x24) (i32.const 100))
        (drop (call $fd_read (i32.load (i32.const 0x30)) (i32.const 0x20) (i32.const 1) (i32.const 0x28)))
        (call $write (i32.const 1) (i32.const 0x1000) (i32.load (i32.const 0x28)))
        ;; create out.txt, mkdir newdir, unlink gone.txt
        (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 0x110) (i32.const 7) (i32.const 1)
                    (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 0x30)))
        (call $write (i32.load (i32.const 0x30)) (i32.const 0x140) (i32.const 21))
        (drop (call $mkdir (i32.const 3) (i32.const 0x120) (i32.const 6)))
        (drop (call $unlink (i32.const 3) (i32.const 0x130) (i32.const 8))))""",
    "trap": """
      (data (i32.const 0x110) "out.txt")
      (func (export "_start")
        (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 0x110) (i32.const 7) (i32.const 1)
                    (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 0x30)))
        unreachable)""",
    "exit126": """
      (func (export "_start") (call $proc_exit (i32.const 126)))""",
    "badptr": """
      (func (export "_start") (drop (call $fd_write (i32.const 1) (i32.const 65535) (i32.const 1) (i32.const 8))))""",
}

TREE = {"in.txt": "input file\n", "gone.txt": "x", "link": {"symlink": "in.txt"}, "sub/deep.txt": "deep"}


@pytest.fixture(scope="session")
def programs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("programs")
    out = {}
    for name, body in PROGRAMS.items():
        path = d / f"{name}.wasm"
        path.write_bytes(wasmtime.wat2wasm("(module " + PRELUDE.format(pages=1) + body + ")"))
        out[name] = path
    # > 8 MB: Chromium would refuse to compile it synchronously on the main thread
    big = d / "big.wasm"
    big.write_bytes(wasmtime.wat2wasm("(module " + PRELUDE.format(pages=160) + PROGRAMS["hello"].replace(
        '(data (i32.const 0x100) "hello\\n")',
        '(data (i32.const 0x100) "hello\\n") (data (i32.const 0x10000) "' + "\\00" * (9 << 20) + '")') + ")"))
    assert big.stat().st_size > 8 << 20
    out["big"] = big
    return out


class Line(bytes):
    """An expected stderr that is one line starting with these bytes (a trap
    or error message whose tail names host details); plain bytes: exactly."""


CASES = [
    # (program, args, env, stdin, expected status, stdout, stderr (exact, or a Line), with tree)
    ("hello", (), (), b"", 3, b"hello\n", b"to stderr\n", False),
    ("cat", (), (), b"some input\nover lines\n", 0, b"some input\nover lines\n", b"", False),
    ("args", ("a b", "\u00fc"), (("K", "v"), ("EMPTY", "")), b"", 0, None, b"", False),
    ("files", (), (), b"", 0, b"input file\n", b"", True),
    ("trap", (), (), b"", 134, b"", Line(b"wasi-polyfill: trap: "), True),
    ("exit126", (), (), b"", 1, b"", Line(b"wasi-polyfill: error: exit with invalid exit status"), True),
    ("badptr", (), (), b"", 134, b"", Line(b"wasi-polyfill: trap: "), False),
    ("big", (), (), b"", 3, b"hello\n", b"to stderr\n", False),
]


def outcome_native(program: Path, case, tmp: Path) -> tuple:
    from harness.hosts.refhost import run

    name, args, env, stdin, *_ = case
    d = tmp / "dir"
    make_tree(d, TREE)
    out, err = io.BytesIO(), io.BytesIO()
    spec = RunSpec(program=str(program), args=list(args), env=list(env), dirs=[(str(d), "/sandbox")],
                   write_back=True, stdin=io.BytesIO(stdin), stdout=out, stderr=err)
    status = run(spec)
    return status, out.getvalue(), err.getvalue(), snapshot(d)


def outcome_session(session, program: Path, case, tmp: Path, node: bool) -> tuple:
    from harness.hosts.pyodide_node import finish
    from harness.hosts.refhost import job_for

    name, args, env, stdin, *_ = case
    d = tmp / "dir"
    make_tree(d, TREE)
    err = io.BytesIO()
    if not node:  # the browser host's page: the run as `--host pyodide` makes it, stdin read as the guest reads
        out = io.BytesIO()
        spec = RunSpec(program=str(program), args=list(args), env=list(env), dirs=[(str(d), "/sandbox")],
                       write_back=True, stdin=io.BytesIO(stdin), stdout=out, stderr=err)
        status = session.run(spec, timeout=300)
        return status, out.getvalue(), err.getvalue(), snapshot(d)
    spec = RunSpec(program=str(program), args=list(args), env=list(env), dirs=[(str(d), "/sandbox")],
                   write_back=True, stdout=io.BytesIO(), stderr=err)
    job, hosts = job_for(spec)
    data = job.to_json()
    data["write_back"] = True
    answer = session.run_job(data, str(program), stdin)
    out, guest_err, result = answer["stdout"], answer["stderr"], answer["result"]
    status = finish(spec, hosts, result)
    return status, out, guest_err + err.getvalue(), snapshot(d)


def check(outcome, case, reference=None) -> None:
    status, out, err, tree = outcome
    name, args, env, stdin, want_status, want_out, want_err, with_tree = case
    assert status == want_status, (out, err)
    if want_out is not None:
        assert out == want_out
    if isinstance(want_err, Line):
        assert err.startswith(want_err) and err.count(b"\n") == 1 and err.endswith(b"\n"), err
    else:
        assert err == want_err
    if name == "trap":
        assert tree["out.txt"] == ("file", b""), "write-back happens after a trap too (RATIONALE: CLI)"
    if name == "files":
        assert tree["out.txt"] == ("file", b"written by the guest\n")
        assert tree["newdir"] == ("dir",) and "gone.txt" not in tree
        assert tree["link"] == ("symlink", "in.txt")
    if reference is not None:   # engines word traps differently: compare up to the trap line
        cut = lambda e: e.split(b"wasi-polyfill: trap: ")[0]  # noqa: E731
        assert (status, out, cut(err)) == (reference[0], reference[1], cut(reference[2]))
        assert not with_tree or tree == reference[3]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_native(case, programs, tmp_path):
    outcome = outcome_native(programs[case[0]], case, tmp_path)
    check(outcome, case)
    if case[0] == "args":
        assert outcome[1] == str(programs["args"]).encode() + b"\0a b\0\xc3\xbc\0K=v\0EMPTY=\0"


def _need_node():
    if shutil.which("node") is None or not PYODIDE.exists():
        pytest.skip("node or node_modules/pyodide is missing")


def _need_chromium():
    _need_node()
    from harness.hosts.chromium import CHROMIUM
    try:
        import playwright  # noqa: F401
    except ModuleNotFoundError:
        pytest.skip("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed")


# Module scope: Playwright's sync API allows one instance per thread at a time,
# so a browser kept open for the whole session breaks later test modules.
@pytest.fixture(scope="module")
def node_session():
    _need_node()
    from harness.hosts.pyodide_node import NodeSession
    with NodeSession() as s:
        yield s


@pytest.fixture(scope="module")
def browser_session():
    _need_chromium()
    from harness.hosts.pyodide_browser import BrowserSession
    with BrowserSession() as s:
        yield s


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_pyodide_node(case, programs, tmp_path, node_session):
    reference = outcome_native(programs[case[0]], case, tmp_path / "native")
    check(outcome_session(node_session, programs[case[0]], case, tmp_path / "pyodide", True), case, reference)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_pyodide_browser(case, programs, tmp_path, browser_session):
    reference = outcome_native(programs[case[0]], case, tmp_path / "native")
    check(outcome_session(browser_session, programs[case[0]], case, tmp_path / "pyodide", False), case, reference)


@pytest.mark.parametrize("host", ["refhost", "pyodide-node", "pyodide"])
def test_command_line(host, programs, tmp_path):
    if host != "refhost":
        _need_chromium() if host == "pyodide" else _need_node()
    d = tmp_path / "dir"
    make_tree(d, TREE)
    cmd = [sys.executable, "-m", "harness", "run", "--host", host, "--write-back",
           "--dir", f"{d}::/sandbox", "--", str(programs["files"])]
    proc = subprocess.run(cmd, capture_output=True, cwd=ROOT, timeout=600)
    assert (proc.returncode, proc.stdout) == (0, b"input file\n"), proc.stderr
    tree = snapshot(d)
    assert tree["out.txt"] == ("file", b"written by the guest\n") and "gone.txt" not in tree
