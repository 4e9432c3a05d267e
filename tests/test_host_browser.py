"""`--host browser`: the polyfill bundle in headless Chromium, held to the
node host's behaviour — exit statuses, stdout/stderr streamed in order as
written, stdin, --dir with --write-back, traps (134, one line), user errors,
--trace and --deterministic — mostly by running the same program on both and
comparing the bytes.

Most runs share one BrowserSession (one Chromium page, a fresh WASI and
MemFS per run); a few go through the real command line, which starts a
Chromium each. Skipped where Chromium or Playwright is missing.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import differential as d
from harness.hosts import HostError, RunSpec
from harness.hosts.chromium import check_available
from harness.toolchain import compile_one


def _chromium_problem() -> str | None:
    try:
        check_available()
    except HostError as e:
        return str(e)
    return None


pytestmark = [
    pytest.mark.skipif(_chromium_problem() is not None, reason=f"needs Chromium: {_chromium_problem()}"),
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (the bundle and the node host)"),
]

ROOT = d.ROOT


def corpus(name: str) -> str:
    return str(compile_one(d.CORPUS / name))


def program(tmp_factory, name: str, source: str) -> str:
    """Compile a test program given as source (`.wat` or `.c`), cached by content."""
    src = tmp_factory.mktemp("src") / name
    src.write_text(source)
    return str(compile_one(src))


@pytest.fixture(scope="module")
def session():
    from harness.hosts.browser import BrowserSession

    with BrowserSession() as s:
        yield s


def run_in(session, prog: str, *args: str, dirs=(), env=(), stdin: bytes = b"", **flags) -> tuple[int, bytes, bytes]:
    out, err = io.BytesIO(), io.BytesIO()
    spec = RunSpec(program=prog, args=list(args), env=list(env), dirs=[(str(h), g) for h, g in dirs],
                   stdin=io.BytesIO(stdin), stdout=out, stderr=err, **flags)
    status = session.run(spec, timeout=60)
    return status, out.getvalue(), err.getvalue()


def cli(host: str, prog: str, *args: str, dirs=(), flags=(), stdin: bytes = b"", env=None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "harness", "run", "--host", host, *flags]
    for host_dir, guest in dirs:
        cmd += ["--dir", f"{host_dir}::{guest}"]
    return subprocess.run([*cmd, "--", prog, *args], input=stdin, capture_output=True, timeout=120,
                          cwd=ROOT, env=env)


# --- programs -------------------------------------------------------------------------

PRELUDE = """
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0x10) (local.get $ptr)) (i32.store (i32.const 0x14) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0x10) (i32.const 1) (i32.const 0x18))))
  (func $now (result i64)
    (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 0x20)))
    (i64.load (i32.const 0x20)))
  (func $spin (param $ns i64) (local $end i64)
    (local.set $end (i64.add (call $now) (local.get $ns)))
    (loop $l (br_if $l (i64.lt_u (call $now) (local.get $end)))))
"""

# out1, err1, 400 ms of work, out2, err2: all four writes unbuffered.
STREAMING_WAT = f"""(module {PRELUDE}
  (data (i32.const 0x100) "out1\\n") (data (i32.const 0x110) "err1\\n")
  (data (i32.const 0x120) "out2\\n") (data (i32.const 0x130) "err2\\n")
  (func (export "_start")
    (call $write (i32.const 1) (i32.const 0x100) (i32.const 5))
    (call $write (i32.const 2) (i32.const 0x110) (i32.const 5))
    (call $spin (i64.const 1000000000))
    (call $write (i32.const 1) (i32.const 0x120) (i32.const 5))
    (call $write (i32.const 2) (i32.const 0x130) (i32.const 5))))
"""

FOREVER_WAT = f"""(module {PRELUDE}
  (data (i32.const 0x100) "started\\n")
  (func (export "_start")
    (call $write (i32.const 1) (i32.const 0x100) (i32.const 8))
    (loop $l (br $l))))
"""

NO_START_WAT = """(module (memory (export "memory") 1) (func (export "main")))"""

# Changes every kind of thing in /sandbox; with an argument "trap", traps after.
CHANGES_C = r"""
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(const char *path, const char *mode, const char *data, size_t n) {
    FILE *f = fopen(path, mode);
    if (!f) { perror(path); return; }
    fwrite(data, 1, n, f);
    fclose(f);
}

int main(int argc, char **argv) {
    put("/sandbox/new.txt", "w", "made by the guest\n", 18);
    put("/sandbox/hello.txt", "a", "appended\n", 9);
    put("/sandbox/sub/deep.bin", "wb", "\0\1\2\377", 4);
    if (unlink("/sandbox/gone.txt")) perror("unlink gone.txt");
    if (mkdir("/sandbox/newdir", 0755)) perror("mkdir");
    if (symlink("new.txt", "/sandbox/newdir/link")) perror("symlink");
    if (rename("/sandbox/sub/inner.txt", "/sandbox/moved.txt")) perror("rename");
    if (rmdir("/sandbox/emptydir")) perror("rmdir");
    /* a host symlink to a file outside the dir: replaced, never written through */
    if (unlink("/sandbox/escape")) perror("unlink escape");
    put("/sandbox/escape", "w", "a file now\n", 11);
    printf("changed\n");
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "trap") == 0) __builtin_trap();
    return 0;
}
"""


@pytest.fixture(scope="module")
def progs(tmp_path_factory) -> dict[str, str]:
    return {
        "streaming": program(tmp_path_factory, "streaming.wat", STREAMING_WAT),
        "forever": program(tmp_path_factory, "forever.wat", FOREVER_WAT),
        "no_start": program(tmp_path_factory, "no_start.wat", NO_START_WAT),
        "changes": program(tmp_path_factory, "changes.c", CHANGES_C),
    }


def sandbox(root: Path) -> Path:
    """A dir to change, with an outside file a symlink points at."""
    d.make_tree(root, {
        "outside.txt": "outside, never to change\n",
        "sandbox/hello.txt": "hello\n", "sandbox/gone.txt": "to be removed\n",
        "sandbox/sub/inner.txt": "inner\n", "sandbox/emptydir": {},
        "sandbox/escape": {"symlink": "../outside.txt"},
        "sandbox/kept-link": {"symlink": "hello.txt"},
        "sandbox/dangling": {"symlink": "missing"},
    })
    return root / "sandbox"


# --- exit statuses --------------------------------------------------------------------

@pytest.mark.parametrize("code", [0, 1, 42, 125])
def test_exit_code(session, code):
    assert run_in(session, corpus("wat/proc_exit.wat"), str(code)) == (code, f"exiting with {code}\n".encode(), b"")


def test_return_from_start_is_status_0(session):
    assert run_in(session, corpus("wat/start_returns.wat")) == (0, b"", b"")


@pytest.mark.parametrize("code", ["126", "255"])
def test_exit_code_from_126_is_an_error_as_on_node(session, code):
    prog = corpus("wat/proc_exit.wat")
    node = cli("node", prog, code)
    status, out, err = run_in(session, prog, code)
    assert (status, out, err) == (node.returncode, node.stdout, node.stderr)
    assert status == 1 and err.startswith(b"wasi-polyfill: error: ") and err.count(b"\n") == 1


@pytest.mark.parametrize("name", ["wat/unreachable.wat", "wat/memory_oob.wat", "wat/stack_overflow.wat"])
def test_trap_is_one_line_and_134(session, name):
    status, out, err = run_in(session, corpus(name))
    assert status == 134
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wasi-polyfill: trap: ") and len(lines[0]) > 21, err
    node = cli("node", corpus(name))
    assert (status, out, err) == (node.returncode, node.stdout, node.stderr)  # the same V8 words


def test_command_line(tmp_path):
    """The real `run --host browser`: its own Chromium, the process's streams."""
    p = cli("browser", corpus("c/stdin_cat.c"), stdin=b"abc\ndef")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith(b'data: "ABC\\nDEF"\nbytes=7 lines=1') and p.stderr == b""
    p = cli("browser", corpus("wat/unreachable.wat"))
    assert (p.returncode, p.stdout) == (134, b"before the trap\nin deeper\n")
    assert p.stderr.startswith(b"wasi-polyfill: trap: ") and p.stderr.count(b"\n") == 1


# --- stdio ---------------------------------------------------------------------------------

class Recorder(io.RawIOBase):
    """A stream noting each write with the time it came."""

    def __init__(self, fd: int, log: list) -> None:
        self.fd, self.log = fd, log

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.log.append((self.fd, bytes(b), time.monotonic()))
        return len(b)


def test_stdout_and_stderr_stream_in_order_as_written(session, progs):
    log: list = []
    spec = RunSpec(program=progs["streaming"], stdin=io.BytesIO(b""), stdout=Recorder(1, log),
                   stderr=Recorder(2, log))
    start = time.monotonic()
    assert session.run(spec, timeout=60) == 0
    end = time.monotonic()
    assert [(fd, data) for fd, data, _ in log] == [(1, b"out1\n"), (2, b"err1\n"), (1, b"out2\n"), (2, b"err2\n")]
    # the first writes came while the guest was still working (1 s of spinning
    # after them), not at the end: 0.7 s of slack for frames delayed under load
    assert log[2][2] - log[1][2] >= 0.3, [t - start for *_, t in log]
    assert end - log[1][2] >= 0.3


@pytest.mark.parametrize("data", [b"", b"abc\ndef", bytes(range(256)) * 64])
def test_stdin(session, data):
    status, out, _ = run_in(session, corpus("c/stdin_cat.c"), stdin=data)
    node = cli("node", corpus("c/stdin_cat.c"), stdin=data)
    assert (status, out) == (node.returncode, node.stdout)
    assert f"bytes={len(data)} ".encode() in out


def test_argv_and_env(session):
    prog = corpus("c/args_env.c")
    status, out, _ = run_in(session, prog, "a b", "", "ü", env=[("K", "v=w"), ("EMPTY", "")])
    assert status == 0
    text = out.decode()
    assert 'argv[1]="a b"' in text and 'argv[2]=""' in text and 'argv[3]="ü"' in text
    assert 'environ[0]="K=v=w"' in text and 'environ[1]="EMPTY="' in text and "environ count=2" in text
    prog = corpus("wat/args.wat")
    _, out, _ = run_in(session, prog)
    assert f"argv[0] at +0 len {len(prog)}: {prog}\n".encode() in out


# --- directories -----------------------------------------------------------------------

def test_dir_write_back_round_trip_as_node(session, progs, tmp_path):
    mine, theirs = sandbox(tmp_path / "browser"), sandbox(tmp_path / "node")
    status, out, err = run_in(session, progs["changes"], dirs=[(mine, "/sandbox")], write_back=True)
    node = cli("node", progs["changes"], dirs=[(theirs, "/sandbox")], flags=["--write-back"])
    assert (status, out, err) == (node.returncode, node.stdout, node.stderr) == (0, b"changed\n", b"")
    tree = d.snapshot(mine)
    assert tree == d.snapshot(theirs)
    assert tree == {
        "dangling": ("symlink", "missing"),
        "escape": ("file", b"a file now\n"),
        "hello.txt": ("file", b"hello\nappended\n"),
        "kept-link": ("symlink", "hello.txt"),
        "moved.txt": ("file", b"inner\n"),
        "new.txt": ("file", b"made by the guest\n"),
        "newdir": ("dir",),
        "newdir/link": ("symlink", "new.txt"),
        "sub": ("dir",),
        "sub/deep.bin": ("file", b"\0\1\2\377"),
    }
    assert (tmp_path / "browser" / "outside.txt").read_text() == "outside, never to change\n"
    assert not list(mine.rglob(".wasi-polyfill-*"))  # no temporary file left


def test_without_write_back_the_host_dir_is_untouched(session, progs, tmp_path):
    mine = sandbox(tmp_path)
    before = d.snapshot(tmp_path)
    status, out, _ = run_in(session, progs["changes"], dirs=[(mine, "/sandbox")])
    assert (status, out) == (0, b"changed\n")
    assert d.snapshot(tmp_path) == before


def test_write_back_after_a_trap_as_node(session, progs, tmp_path):
    mine, theirs = sandbox(tmp_path / "browser"), sandbox(tmp_path / "node")
    status, out, err = run_in(session, progs["changes"], "trap", dirs=[(mine, "/sandbox")], write_back=True)
    node = cli("node", progs["changes"], "trap", dirs=[(theirs, "/sandbox")], flags=["--write-back"])
    assert (status, out, err) == (node.returncode, node.stdout, node.stderr)
    assert status == 134
    assert d.snapshot(mine) == d.snapshot(theirs) and (mine / "new.txt").exists()


def test_one_host_dir_twice_is_one_copy(session, tmp_path):
    (tmp_path / "d").mkdir()
    prog = corpus("c/preopens.c")
    status, out, _ = run_in(session, prog, dirs=[(tmp_path / "d", "/a"), (tmp_path / "d", "/b")], write_back=True)
    node_dir = tmp_path / "n"
    node_dir.mkdir()
    node = cli("node", prog, dirs=[(node_dir, "/a"), (node_dir, "/b")], flags=["--write-back"])
    assert (status, out) == (node.returncode, node.stdout)
    assert d.snapshot(tmp_path / "d") == d.snapshot(node_dir)


def test_deterministic_as_node(session, tmp_path):
    """examples/clocks.c prints clocks, random bytes, inode numbers and a new
    file's mtime: all fixed in deterministic mode, the same on both."""
    prog = str(compile_one(ROOT / "examples" / "clocks.c"))
    (tmp_path / "b").mkdir()
    (tmp_path / "n").mkdir()
    status, out, err = run_in(session, prog, dirs=[(tmp_path / "b", "/scratch")], write_back=True,
                              deterministic=True)
    node = cli("node", prog, dirs=[(tmp_path / "n", "/scratch")], flags=["--write-back", "--deterministic"])
    assert (status, out, err) == (node.returncode, node.stdout, node.stderr)
    assert status == 0 and b"random_get" in out
    # the new file's time, as the guest saw it, written back to the ns (and as node writes it back)
    seconds, ns = re.search(rb"/scratch/stamp.txt .* mtime (\d+)\.(\d{9})", out).groups()
    mtime = os.lstat(tmp_path / "b" / "stamp.txt").st_mtime_ns
    assert mtime == int(seconds) * 10**9 + int(ns) == os.lstat(tmp_path / "n" / "stamp.txt").st_mtime_ns
    assert mtime // 10**9 == 1_700_000_000


def test_trace_as_node(session):
    prog = corpus("wat/proc_exit.wat")
    status, out, err = run_in(session, prog, "7", trace=True)
    node = cli("node", prog, "7", flags=["--trace"])
    assert (status, out, err) == (node.returncode, node.stdout, node.stderr)
    assert b"==> " in err and b"proc_exit" in err


@pytest.mark.parametrize("name", ["c-interleave", "c-symlinks", "c-unlink_rename", "c-hardlinks", "c-deep_tree", "c-stdin_cat",
                                  "path_open", "proc_exit-126", "trap-g-fd_write"])
def test_corpus_cases(session, name, tmp_path):
    case = next(c for c in d.CASES if c.name == name)
    d.IN_PROCESS["browser"] = session.run
    try:
        outcome = d.run_case("browser", case, tmp_path)
    finally:
        d.IN_PROCESS.pop("browser", None)
    diff = d.compare(d.reference(case, tmp_path), outcome)
    assert diff is None, f"{d.describe(case)}\n{diff}"


# --- user errors ------------------------------------------------------------------------

def test_user_errors_are_node_s(session, progs, tmp_path):
    (tmp_path / "bad.wasm").write_bytes(b"not wasm at all")
    (tmp_path / "dir").mkdir()
    cases = [
        (str(tmp_path / "nope.wasm"), []),
        (str(tmp_path / "bad.wasm"), []),
        (progs["no_start"], []),
        (corpus("wat/start_returns.wat"), [(tmp_path / "dir", "/x"), (tmp_path / "dir", "/x")]),
    ]
    for prog, dirs in cases:
        with pytest.raises(HostError) as e:
            run_in(session, prog, dirs=dirs)
        node = cli("node", prog, dirs=dirs)
        assert node.returncode == 2
        assert f"wasi-polyfill: error: {e.value}\n".encode() == node.stderr, prog


def test_invalid_module_is_a_user_error(session, tmp_path):
    # The words after the prefix are V8's, and Chromium's V8 is not Node's.
    broken = tmp_path / "broken.wasm"
    broken.write_bytes(b"\0asm\1\0\0\0\xff")
    with pytest.raises(HostError, match=r"^.*broken\.wasm: invalid WebAssembly module: WebAssembly\.(compile|Module)\(\): "):
        run_in(session, str(broken))


def test_missing_dir_is_a_user_error(tmp_path):
    p = cli("browser", corpus("wat/start_returns.wat"), dirs=[(tmp_path / "missing", "/x")])
    assert p.returncode == 2 and p.stderr.startswith(b"wasi-polyfill: error: --dir") and p.stderr.count(b"\n") == 1


def test_missing_chromium_is_one_line(tmp_path):
    env = {**os.environ, "CHROMIUM": str(tmp_path / "no-chromium")}
    p = cli("browser", corpus("wat/start_returns.wat"), env=env)
    assert p.returncode == 2
    assert p.stderr == f"wasi-polyfill: error: {tmp_path / 'no-chromium'} is not installed (apt-get install chromium)\n".encode()


# --- the session ----------------------------------------------------------------------------

def test_each_run_has_a_fresh_memfs(session, progs, tmp_path):
    mine = sandbox(tmp_path)
    for _ in range(2):  # without write-back, the second run sees the host dir as it was
        status, out, err = run_in(session, progs["changes"], dirs=[(mine, "/sandbox")])
        assert (status, out, err) == (0, b"changed\n", b"")


def test_a_run_that_times_out_leaves_the_session_usable(session, progs):
    out = io.BytesIO()
    spec = RunSpec(program=progs["forever"], stdin=io.BytesIO(b""), stdout=out, stderr=io.BytesIO())
    with pytest.raises(TimeoutError):
        session.run(spec, timeout=1.5)
    assert out.getvalue() == b"started\n"
    assert run_in(session, corpus("wat/proc_exit.wat"), "5") == (5, b"exiting with 5\n", b"")


def test_compare_shares_one_chromium(tmp_path):
    """`compare` runs the browser host in-process on its shared browser."""
    prog = corpus("wat/proc_exit.wat")
    p = subprocess.run([sys.executable, "-m", "harness", "compare", "--hosts", "node,browser", prog, "3"],
                       capture_output=True, timeout=180, cwd=ROOT)
    assert p.returncode == 0, p.stdout + p.stderr
    assert b"all 2 hosts agree" in p.stdout
    assert b"subprocess" not in p.stderr and b"no shared Chromium" not in p.stderr


# --- the bundle ---------------------------------------------------------------------------------

def test_bundle_is_rebuilt_when_a_source_is_newer(monkeypatch, tmp_path):
    from harness.hosts import browser

    src = tmp_path / "polyfill" / "src"
    src.mkdir(parents=True)
    (src / "a.js").write_text("")
    bundle = tmp_path / "polyfill" / "dist" / "browser" / "run.js"
    monkeypatch.setattr(browser, "POLYFILL_SRC", src)
    monkeypatch.setattr(browser, "BUNDLE", bundle)
    monkeypatch.setattr(browser, "BUILD_SCRIPT", tmp_path / "polyfill" / "build.mjs")
    (tmp_path / "polyfill" / "build.mjs").write_text("")
    assert not browser._bundle_fresh()  # missing
    bundle.parent.mkdir(parents=True)
    bundle.write_text("")
    assert browser._bundle_fresh()
    os.utime(src / "a.js", ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert not browser._bundle_fresh()  # a source is newer
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    with pytest.raises(HostError, match="node is not installed"):
        browser.ensure_bundle()
