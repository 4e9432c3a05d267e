"""The command line as the tools around it use it, on every host: a runner
that keeps the child's stdin open and reads the expected stdout before it
waits for exit (the wasi-testsuite runner does exactly this), a terminal,
programs far larger than a page message, a browser that dies mid-run, and
wasmtime's `--argv0` / `--trap-unknown-imports` / `--env NAME`.

Every host in CORPUS_HOSTS (default: all seven) is held to the same bytes as
native wasmtime where a test compares.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import differential as d
from harness.toolchain import compile_one


def wat_to_wasm(text: str) -> bytes:
    import wasmtime

    return wasmtime.wat2wasm(text)

ROOT = d.ROOT
ALL_HOSTS = ["node", "browser", "refhost", "pyodide-node", "pyodide", "wasmtime", "node-wasi"]
HOSTS = [h for h in os.environ.get("CORPUS_HOSTS", ",".join(ALL_HOSTS)).split(",") if h]
BROWSER_HOSTS = [h for h in HOSTS if h in ("browser", "pyodide", "firefox", "webkit")]
CHROMIUM_HOSTS = [h for h in HOSTS if h in ("browser", "pyodide")]  # the ones the browser daemon serves
# the processes that are "the browser" of each engine (killed by a test below)
BROWSER_PROCESS_NAMES = ("chrom", "firefox", "MiniBrowser", "WebKitWebProces")


def cli(host: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "harness", "run", "--host", host, *args]


@pytest.fixture(scope="module")
def guess() -> str:
    return str(compile_one(d.ROOT / "examples" / "guess.c"))


@pytest.fixture(scope="module")
def hello() -> str:
    return str(compile_one(d.ROOT / "examples" / "hello.c"))


class Child:
    """A child whose stdin stays open; stdout read as it comes."""

    def __init__(self, cmd: list[str], **kw) -> None:
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     cwd=ROOT, **kw)
        self.out = b""

    def read_until(self, want: bytes, timeout: float = 120) -> bytes:
        end = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while want not in self.out:
            left = end - time.monotonic()
            if left <= 0:
                self.proc.kill()
                raise AssertionError(f"no {want!r} within {timeout}s; stdout so far {self.out!r}, "
                                     f"stderr {self.proc.stderr.read()!r}")
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise AssertionError(f"stdout closed before {want!r}; got {self.out!r}, "
                                         f"stderr {self.proc.stderr.read()!r}")
                self.out += chunk
        head, _, self.out = self.out.partition(want)
        return head + want

    def send(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()


@pytest.mark.parametrize("host", HOSTS)
def test_prompt_before_any_input_each_line_answered_then_eof(host, guess):
    """guess.c: the prompt shows with stdin open and nothing typed; each line
    gets its answer before the next is sent; EOF ends it (status 1)."""
    child = Child(cli(host, guess))
    try:
        assert child.read_until(b"Your guess? ") == b"I'm thinking of a number between 1 and 100.\nYour guess? "
        child.send(b"50\n")
        assert child.read_until(b"Your guess? ") == b"Too high.\nYour guess? "
        child.send(b"7\n")
        assert child.read_until(b"Your guess? ") == b"Too low.\nYour guess? "
        child.proc.stdin.close()
        assert child.read_until(b"it was 42.\n") == b"\nGave up after 2 tries; it was 42.\n"
        assert child.proc.wait(timeout=60) == 1
    finally:
        if child.proc.poll() is None:
            child.proc.kill()


@pytest.mark.parametrize("host", HOSTS)
def test_a_program_that_never_reads_exits_with_stdin_held_open(host, hello):
    """The runner's stdin stays open and nothing is sent: hello must still end."""
    child = Child(cli(host, hello))
    try:
        assert child.read_until(b"Hello, world!\n") == b"Hello, world!\n"
        assert child.proc.wait(timeout=120) == 0
    finally:
        if child.proc.poll() is None:
            child.proc.kill()


@pytest.mark.parametrize("host", BROWSER_HOSTS)
def test_in_a_terminal_hello_exits_without_ctrl_d(host, hello):
    """stdin, stdout and stderr on a pseudo-terminal, as in an interactive shell."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI on the terminal
        os.chdir(ROOT)
        os.execv(sys.executable, cli(host, hello))
    out = b""
    end = time.monotonic() + 120
    status = None
    try:
        while time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    out += os.read(fd, 65536)
                except OSError:  # the child closed the terminal
                    pass
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(st)
                break
    finally:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert status == 0, f"did not exit by itself (output {out!r})"
    assert b"Hello, world!" in out


# --- large programs ------------------------------------------------------------------------

def _leb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


@pytest.fixture(scope="module")
def big_program(tmp_path_factory) -> Path:
    """A 110 MB module: a small program that prints, with 110 MB of custom section."""
    small = wat_to_wasm("""(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "big and well\\n")
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 13))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))""")
    name = b"padding"
    payload_len = 110 * 1024 * 1024
    body = _leb(len(name)) + name
    section = b"\x00" + _leb(len(body) + payload_len) + body
    path = tmp_path_factory.mktemp("big") / "big.wasm"
    with open(path, "wb") as f:
        f.write(small)
        f.write(section)
        f.write(b"\x00" * payload_len)
    return path


@pytest.mark.parametrize("host", ["node", *BROWSER_HOSTS])
def test_a_module_over_100_mb_runs(host, big_program):
    """(WebKitGTK's asynchronous compile of it in a worker never settled in two
    runs of three: the worker compiles synchronously, docs/engines.md.)"""
    assert big_program.stat().st_size > 100 * 1024 * 1024
    p = subprocess.run(cli(host, str(big_program)), capture_output=True, timeout=300, cwd=ROOT)
    assert (p.returncode, p.stdout, p.stderr) == (0, b"big and well\n", b"")


@pytest.mark.parametrize("host", BROWSER_HOSTS)
def test_a_browser_that_dies_mid_run_is_one_line_and_a_failure(host, tmp_path):
    """Kill the browser while the guest waits for input: one line on stderr, non-zero, no traceback."""
    # It waits for stdin, which the test holds open and never writes to.
    sleeper = wat_to_wasm("""(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_read" (func $r (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "sleeping\\n")
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 9))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (i32.store (i32.const 32) (i32.const 256)) (i32.store (i32.const 36) (i32.const 64))
        (drop (call $r (i32.const 0) (i32.const 32) (i32.const 1) (i32.const 40)))))""")
    prog = tmp_path / "sleeper.wasm"
    prog.write_bytes(sleeper)
    # a browser of the run's own, so that it is found below the CLI
    child = Child(cli(host, str(prog)), start_new_session=True, env={**os.environ, "WASI_POLYFILL_REUSE_BROWSER": "0"})
    try:
        child.read_until(b"sleeping\n", timeout=180)
        killed = _kill_browsers_under(child.proc.pid)
        assert killed, "no browser process found under the CLI"
        status = child.proc.wait(timeout=60)
        err = child.proc.stderr.read().decode()
    finally:
        if child.proc.poll() is None:
            child.proc.kill()
    assert status != 0
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wasi-polyfill: error: "), err
    assert "Traceback" not in err


def _kill_browsers_under(pid: int) -> int:
    """SIGKILL every browser process below `pid`; how many."""
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
        names[int(entry)] = name
    todo, found = [pid], []
    while todo:
        p = todo.pop()
        for c in children.get(p, []):
            todo.append(c)
            if any(browser in names.get(c, "") for browser in BROWSER_PROCESS_NAMES):
                found.append(c)
    for p in found:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(found)


# --- wasmtime's flags ------------------------------------------------------------------------

UNKNOWN_IMPORTS = """(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "missing" (func $missing))
  (import "wasi_snapshot_preview1" "no_such_call" (func $nope))
  (memory (export "memory") 1)
  (data (i32.const 16) "before\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $missing)))"""


@pytest.fixture(scope="module")
def unknown_imports(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("unk") / "unknown.wasm"
    path.write_bytes(wat_to_wasm(UNKNOWN_IMPORTS))
    return str(path)


@pytest.mark.parametrize("host", HOSTS)
def test_trap_unknown_imports(host, unknown_imports):
    """Without the flag the program does not start (one line, status 2); with
    it, it runs until it calls the missing function, which traps — as wasmtime."""
    p = subprocess.run(cli(host, unknown_imports), capture_output=True, timeout=300, cwd=ROOT)
    assert p.returncode == 2 and p.stdout == b"", p.stderr
    assert p.stderr.startswith(b"wasi-polyfill: error: ") and p.stderr.count(b"\n") == 1, p.stderr
    p = subprocess.run(cli(host, "--trap-unknown-imports", unknown_imports), capture_output=True, timeout=300, cwd=ROOT)
    assert (p.returncode, p.stdout) == (134, b"before\n"), p.stderr
    assert p.stderr == b"wasi-polyfill: trap: unknown import: `env::missing` has not been defined\n"


@pytest.mark.parametrize("host", HOSTS)
def test_argv0_and_env_passed_through(host, hello):
    env = {**os.environ, "GREETING": "Howdy"}
    p = subprocess.run(cli(host, "--argv0", "tool.wasm", "--env", "GREETING", hello, "you"),
                       capture_output=True, timeout=300, cwd=ROOT, env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout == b"Howdy, you!\nThis is tool.wasm, a WASI preview1 program, running in your browser.\n"


@pytest.mark.parametrize("host", CHROMIUM_HOSTS)
def test_repeated_command_lines_share_one_browser_and_survive_its_death(host, hello, tmp_path):
    """The first run starts the browser daemon, the next find it; if its
    browser dies, the run in flight fails in one line and the next starts a
    new one."""
    from harness.hosts import daemon

    pids = []
    for _ in range(2):
        p = subprocess.run(cli(host, hello), capture_output=True, timeout=300, cwd=ROOT)
        assert (p.returncode, p.stdout.splitlines()[0]) == (0, b"Hello, world!"), p.stderr
        b = daemon.connect("chromium")
        assert b is not None
        pids.append(b.pid)
    assert pids[0] == pids[1]
    if host == "browser":  # both ran on the daemon's standby page (its worker and bundle loaded ahead)
        assert daemon.connect("chromium").call("GET", "/ping")["standby_runs"] >= 2
    status = subprocess.run([sys.executable, "-m", "harness", "browser-daemon"], capture_output=True, text=True, cwd=ROOT)
    assert status.stdout.startswith(f"running (pid {pids[0]}")
    assert _kill_browsers_under(pids[0]) > 0
    def old_daemon_running() -> bool:  # (another test run may have started a new one meanwhile)
        b = daemon.connect("chromium")
        return b is not None and b.pid == pids[0]

    deadline = time.monotonic() + 60
    while old_daemon_running() and time.monotonic() < deadline:
        time.sleep(0.2)  # the daemon sees its browser gone and ends
    assert not old_daemon_running()
    p = subprocess.run(cli(host, hello), capture_output=True, timeout=300, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert daemon.connect("chromium").pid != pids[0]
