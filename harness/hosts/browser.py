"""The browser hosts: `--host browser` (the JS runtime in headless Chromium)
and `--host pyodide` (the reference host under Pyodide there), and any other
engine that can open a page.

Python only starts the browser and moves bytes. A server on 127.0.0.1 serves
the page harness/hosts/pages/runner.html; the page asks the server for jobs
(`GET /api/next`) and runs each in a worker — pages/polyfill-worker.js runs
the package's job runner (polyfill/src/run/job.js, as the Node CLI does),
pages/pyodide-worker.js the reference host. The server's side of a job:

- `GET /api/job/ID/program`: the program's bytes, streamed from its file
  (a module of hundreds of MB never crosses as one message);
- `GET /api/job/ID/stdin?max=N`: the worker's synchronous read of stdin —
  the host reads at most N bytes from its stdin only then, so a program
  that never reads never waits for input, and an interactive one shows its
  prompt before any is typed (an empty answer: end of input);
- `POST /api/job/ID/out`: the guest's output as it is written, frames
  `[fd u8][length u32 LE][bytes]`, one POST at a time (the order of stdout
  and stderr is the guest's), written to the host's stdout/stderr at once;
- `POST /api/job/ID/result`: the status and, with `--write-back`, the final
  trees (the format of harness/tree.py), after the last output;
- `POST /api/alive`: the page's heartbeat. A page that stops answering (a
  crashed renderer, an engine out of memory) ends the run with one line and
  a non-zero status, never a traceback.

Exit statuses and error lines are those of every host (harness/hosts/__init__.py).

`BrowserSession` keeps one page for many runs (tests, `compare`, `demo`, a
test suite through the CLI); each run gets a fresh runtime. Where it differs
from `--host node`: stdio is never a terminal, and the words of V8's own
messages (invalid module, failed import) are the engine's.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO, Callable
from urllib.parse import parse_qs, urlsplit

from harness import tree as trees
from harness.paths import BUILD, NODE_MODULES, POLYFILL, POLYFILL_SRC

from . import HostError, RunSpec
from .chromium import CHROMIUM, Server, browser as launch_browser, check_available

PAGES = Path(__file__).with_name("pages")
BUNDLE = POLYFILL / "dist" / "browser" / "run.js"
BUILD_SCRIPT = POLYFILL / "build.mjs"
BUILD_LOCK = BUILD / ".polyfill-bundle.lock"
PYODIDE_DIR = NODE_MODULES / "pyodide"
# How long a page may go without a heartbeat while a job runs before it is
# taken for dead (a busy worker does not stop the page's heartbeat).
SILENCE_S = 20.0
FRAME_HEADER = 5


# --- the bundle ------------------------------------------------------------------

def available() -> str | None:
    """None if this host can run here, else why not (for `compare`)."""
    try:
        check_available()
    except HostError as e:
        return str(e)
    if not _bundle_fresh() and shutil.which("node") is None:
        return "the polyfill bundle needs building and node is not installed"
    return None


def ensure_bundle() -> Path:
    """polyfill/dist/browser/run.js, built first (`node polyfill/build.mjs`)
    if it is missing or older than anything in polyfill/src."""
    if _bundle_fresh():
        return BUNDLE
    node = shutil.which("node")
    if node is None:
        raise HostError("the polyfill bundle needs building (node polyfill/build.mjs) and node is not "
                        "installed (Node.js >= 20 is needed)")
    if not (NODE_MODULES / "esbuild").is_dir():
        raise HostError("the polyfill bundle needs building (node polyfill/build.mjs) and esbuild is "
                        "missing (npm ci)")
    BUILD_LOCK.parent.mkdir(parents=True, exist_ok=True)
    import fcntl

    with open(BUILD_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; the others wait, then find it fresh
        if not _bundle_fresh():
            p = subprocess.run([node, str(BUILD_SCRIPT)], cwd=POLYFILL.parent, capture_output=True, text=True)
            if p.returncode != 0 or not BUNDLE.is_file():
                why = (p.stderr.strip() or p.stdout.strip() or f"status {p.returncode}").splitlines()[0]
                raise HostError(f"building the polyfill bundle failed: {why}")
    return BUNDLE


def _bundle_fresh() -> bool:
    try:
        built = BUNDLE.stat().st_mtime_ns
    except FileNotFoundError:
        return False
    for path in [*POLYFILL_SRC.rglob("*"), BUILD_SCRIPT]:
        try:
            if path.stat().st_mtime_ns > built:
                return False
        except FileNotFoundError:  # removed while we looked (an editor's temporary file)
            continue
    return True


# --- a run's pieces ------------------------------------------------------------------

def check_program(program: str) -> None:
    """The user errors every host gives for the program file (the page checks its bytes)."""
    try:
        with open(program, "rb"):
            pass
    except FileNotFoundError:
        raise HostError(f"{program}: no such file") from None
    except IsADirectoryError:
        raise HostError(f"{program}: is a directory") from None
    except OSError as e:
        raise HostError(f"{program}: {e.strerror}") from None


def is_url(host_dir: str) -> bool:
    """Is this --dir a URL (a UrlDirectory, read-only over HTTP) rather than a host directory?"""
    return host_dir.startswith(("http://", "https://"))


def mounts_of(spec: RunSpec) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """([(real host dir, MemFS path)], [(guest path, MemFS path)]) as node/cli.js
    makes them: one copy per real host directory, preopens in --dir order."""
    mounts: dict[str, str] = {}
    preopens: list[tuple[str, str]] = []
    for host, guest in spec.dirs:
        if is_url(host):  # a UrlDirectory, which the page's worker mounts
            mounts.setdefault(host, f"/{len(mounts)}")
            guest = guest or host
            if any(g == guest for g, _ in preopens):
                raise HostError(f"--dir: guest directory {json.dumps(guest)} given twice")
            preopens.append((guest, mounts[host]))
            continue
        real = os.path.realpath(host)
        if not os.path.exists(real):
            raise HostError(f"--dir {host}: no such directory")
        if not os.path.isdir(real):
            raise HostError(f"--dir {host}: not a directory")
        mounts.setdefault(real, f"/{len(mounts)}")
        guest = guest or host
        if any(g == guest for g, _ in preopens):
            raise HostError(f"--dir: guest directory {json.dumps(guest)} given twice")
        preopens.append((guest, mounts[real]))
    return list(mounts.items()), preopens


def stdin_reader(spec: RunSpec) -> Callable[[int], bytes]:
    """Reads at most n bytes of the run's stdin, when the guest asks (b"": end)."""
    f = spec.stdin
    if f is None:
        def read_fd(n: int) -> bytes:
            try:
                return os.read(0, n)
            except OSError:  # fd 0 closed or unreadable: no input
                return b""
        return read_fd
    read = getattr(f, "read1", None) or f.read

    def read_stream(n: int) -> bytes:
        try:
            return read(n) or b""
        except (OSError, ValueError):
            return b""
    return read_stream


def sink(f: BinaryIO | None, fd: int) -> Callable[[bytes], None]:
    if f is None:
        (sys.stdout if fd == 1 else sys.stderr).flush()

        def write_fd(data: bytes) -> None:
            view = memoryview(data)
            while view:
                try:
                    view = view[os.write(fd, view):]
                except BrokenPipeError:
                    return  # the reader went away; the guest's writes still succeed, as to a pipe we own
        return write_fd

    def write_stream(data: bytes) -> None:
        f.write(data)
        f.flush()
    return write_stream


class _Job:
    """One job on the server: what the page asks for and what it sends back."""

    def __init__(self, job_id: int, data: dict, program: str, stdin: Callable[[int], bytes],
                 sinks: dict[int, Callable[[bytes], None]]) -> None:
        self.id = job_id
        self.data = {"id": job_id, **data}
        self.program = program
        self.stdin = stdin
        self.sinks = sinks
        self.stdin_lock = threading.Lock()
        self.result: dict | None = None
        self.done = threading.Event()


class _Tab:
    """A Playwright page as the session uses a tab: alive() and close()."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.crashed = False
        page.on("crash", lambda *_: setattr(self, "crashed", True))

    def alive(self) -> bool:
        return not self.crashed and not self.page.is_closed()

    def idle(self, seconds: float) -> None:
        """Let Playwright take its events (a crash) while the host waits."""
        try:
            self.page.wait_for_timeout(seconds * 1000)
        except Exception:  # noqa: BLE001 - closed or crashed: alive() says so
            self.crashed = True

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.page.close()


def open_tab(browser: Any, url: str, standby: bool = False) -> Any:
    """A tab at `url`: a harness.browsers Browser opens it itself; a Playwright browser gets a page.
    `standby`: the browser daemon may give a page it loaded ahead (pages/runner.js)."""
    if hasattr(browser, "page_origin"):
        return browser.open(url, standby=standby)
    if hasattr(browser, "open"):
        return browser.open(url)
    page = browser.new_page()
    tab = _Tab(page)
    page.goto(url)
    return tab


class BrowserSession:
    """One page of the runner for many runs.

        with BrowserSession() as session:          # or BrowserSession(browser=b)
            status = session.run(spec)             # the JS runtime
            status = session.run(spec, kind="pyodide")

    Given a `browser` (a Playwright Browser, or a harness.browsers one for
    other engines), the session opens its page there and leaves the browser
    open when it closes; else it launches a Chromium of its own.
    """

    # Jobs of this session may run on a page the browser daemon loaded ahead
    # at its own origin (the reference host's worker fetches and uploads at
    # its page's origin: not for it).
    standby = True

    def __init__(self, browser: Any = None, engine: str = "Chromium") -> None:
        self._given_browser = browser
        self.engine = engine
        self._stack = contextlib.ExitStack()
        self.server: Server | None = None
        self.tab: Any = None
        self._jobs: dict[int, _Job] = {}
        self._queue: list[_Job] = []
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._last_contact = time.monotonic()
        self.last_ms = 0.0  # the last run's time, from handing it over to its result
        self.startup_ms = 0.0  # Pyodide's start in the page, once
        self._cors: str | None = None  # the origin of a daemon's page that works for this server

    # --- lifetime ---------------------------------------------------------------

    def __enter__(self) -> BrowserSession:
        ensure_bundle()
        try:
            self.server = self._stack.enter_context(Server({
                "/polyfill/": BUNDLE.parent, "/pyodide/": PYODIDE_DIR, "/bundle/": BUILD / "pyodide",
                "/": PAGES,
            }))
            self.server.routes["/api/"] = self._api
            b = self._given_browser
            if b is None:
                check_available()
                try:
                    b = self._stack.enter_context(launch_browser())
                except HostError:
                    raise
                except Exception as e:  # noqa: BLE001 - Playwright's launch errors are many lines
                    raise HostError(f"cannot start {CHROMIUM}: {str(e).strip().splitlines()[0]}") from None
            self._browser = b
            if self.standby:
                self._cors = getattr(b, "page_origin", None)
            self._open_tab()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._close_tab()
        self._stack.close()

    def _open_tab(self) -> None:
        self._last_contact = time.monotonic()
        try:
            self.tab = open_tab(self._browser, self.server.url("/runner.html"), standby=self._cors is not None)
        except Exception as e:  # noqa: BLE001
            raise HostError(f"{self.engine} cannot open the runner page: {str(e).strip().splitlines()[0]}") from None

    def _close_tab(self) -> None:
        tab, self.tab = self.tab, None
        if tab is not None:
            tab.close()

    # --- the server's side ------------------------------------------------------

    def _api(self, req: Any, method: str, path: str) -> None:
        self._last_contact = time.monotonic()
        req.cors_origin = self._cors  # (read by _answer)
        parts = path.split("/")[2:]  # "/api/job/7/out" -> ["job", "7", "out"]
        if parts == ["alive"] and method == "POST":
            _drain(req)
            return _answer(req, 204)
        if parts == ["next"] and method == "GET":
            return self._next(req)
        if len(parts) == 3 and parts[0] == "job" and parts[1].isdigit():
            job = self._jobs.get(int(parts[1]))
            if job is None:
                _drain(req)
                return _answer(req, 404)
            what = parts[2]
            if what == "program" and method == "GET":
                size = os.path.getsize(job.program)
                _answer(req, 200, None, "application/wasm", length=size)
                with open(job.program, "rb") as f:
                    shutil.copyfileobj(f, req.wfile, 1 << 20)
                return None
            if what == "stdin" and method == "GET":
                query = parse_qs(urlsplit(req.path).query)
                n = max(1, min(int(query.get("max", ["65536"])[0]), 1 << 20))
                with job.stdin_lock:
                    data = job.stdin(n) if not job.done.is_set() else b""
                return _answer(req, 200, data, "application/octet-stream")
            if what == "out" and method == "POST":
                body = _drain(req)
                self._deliver(job, body)
                return _answer(req, 204)
            if what == "result" and method == "POST":
                job.result = json.loads(_drain(req) or b"{}")
                job.done.set()
                return _answer(req, 204)
        _drain(req)
        return _answer(req, 404)

    def _next(self, req: Any) -> None:
        """The next job for the page, or 204 after a while (the page asks again).
        A page that went away meanwhile (reloaded, closed) gets none: its
        job would be lost (tests/test_handledir.py reloads the page)."""
        deadline = time.monotonic() + 15
        with self._cond:
            while not self._queue:
                left = deadline - time.monotonic()
                if left <= 0:
                    return _answer(req, 204)
                self._cond.wait(min(left, 0.5))
                if _client_gone(req):
                    return None
            if _client_gone(req):
                return None
            job = self._queue.pop(0)
        return _answer(req, 200, json.dumps(job.data).encode(), "application/json")

    @staticmethod
    def _deliver(job: _Job, body: bytes) -> None:
        view = memoryview(body)
        while len(view) >= FRAME_HEADER:
            fd = view[0]
            n = int.from_bytes(view[1:5], "little")
            data = bytes(view[FRAME_HEADER:FRAME_HEADER + n])
            view = view[FRAME_HEADER + n:]
            write = job.sinks.get(fd)
            if write is not None:
                write(data)

    # --- runs -------------------------------------------------------------------

    def submit(self, data: dict, program: str, stdin: Callable[[int], bytes],
               sinks: dict[int, Callable[[bytes], None]], timeout: float | None = None) -> dict:
        """Hand one job to the page; its result once every output byte has come."""
        assert self.server is not None, "the session is not open"
        if self.tab is None or not self.tab.alive():  # an earlier run timed out or crashed the page
            self._close_tab()
            self._open_tab()
        job = _Job(next(self._ids), data, program, stdin, sinks)
        self._jobs[job.id] = job
        t0 = time.monotonic()
        with self._cond:
            self._queue.append(job)
            self._cond.notify_all()
        checked = t0
        try:
            while not job.done.wait(0.02):
                idle = getattr(self.tab, "idle", None)
                if idle is not None:
                    idle(0.05)
                now = time.monotonic()
                if timeout is not None and now - t0 > timeout:
                    self._close_tab()
                    raise TimeoutError(f"timed out after {timeout:g}s")
                if now - checked < 0.5:
                    continue
                checked = now
                if not self.tab.alive() or now - self._last_contact > SILENCE_S:
                    self._close_tab()
                    raise HostError(f"{self.engine}'s page crashed or stopped answering while running "
                                    f"{job.program} (out of memory?)")
        finally:
            job.done.set()  # a stdin read still waiting gets end of input
            self._jobs.pop(job.id, None)
            with self._cond:
                if job in self._queue:
                    self._queue.remove(job)
        self.last_ms = (time.monotonic() - t0) * 1000
        assert job.result is not None
        return job.result

    def run(self, spec: RunSpec, timeout: float | None = None, kind: str = "polyfill",
            storage: str = "memory") -> int:
        """Run one program as `wasi-polyfill run --host browser` (kind
        "polyfill") or `--host pyodide` (kind "pyodide") would; the exit
        status. After `timeout` seconds (None: no limit) the page is closed
        (a new one serves the next run) and TimeoutError raised.
        `storage="opfs"`: each dir is a HandleDirectory over the origin-private
        file system in the worker (pages/polyfill-worker.js, tests/test_handledir.py);
        `storage="opfs-main"`: the same on the page's main thread, in async mode
        (pages/main-job.js: HandleDirectory without sync access handles)."""
        if kind == "pyodide":
            from .pyodide_browser import run_in
            if self._cors is not None:  # a daemon's standby page cannot host it: a page of this server's own
                self._cors = None
                self._close_tab()
                self._open_tab()
            return run_in(self, spec, timeout)
        check_program(spec.program)
        mounts, preopens = mounts_of(spec)
        try:
            mount_trees = [None if is_url(real) else trees.to_json(trees.read_host_tree(real)) for real, _ in mounts]
        except OSError as e:
            raise HostError(f"--dir {e.filename}: {e.strerror}") from None
        data = {
            "kind": "polyfill", "program": spec.program, "args": spec.argv, "env": spec.env,
            "mounts": [{"at": at, "url": real} if is_url(real) else {"at": at, "tree": t}
                       for (real, at), t in zip(mounts, mount_trees)],
            "preopens": preopens, "deterministic": spec.deterministic, "trace": spec.trace,
            "writeBack": spec.write_back, "trapUnknownImports": spec.trap_unknown_imports,
            "async": spec.async_mode, "storage": storage,
        }
        result = self.submit(data, spec.program, stdin_reader(spec),
                             {1: sink(spec.stdout, 1), 2: sink(spec.stderr, 2)}, timeout)
        if "usage" in result:
            raise HostError(result["usage"])
        if "internal" in result:
            sink(spec.stderr, 2)(f"wasi-polyfill: error: internal error: {result['internal']}\n".encode())
            return 70
        if result.get("trees") is not None:
            for (real, _), tree in zip(mounts, result["trees"]):
                if tree is None:  # a UrlDirectory: nothing to write back
                    continue
                try:
                    trees.apply_tree(real, trees.from_json(tree))
                except OSError as e:
                    raise HostError(f"--write-back {real}: {e.strerror or e}") from None
        return int(result["status"])


def _client_gone(req: Any) -> bool:
    """Has the client closed the connection of this request (a GET: nothing more to read)?"""
    import select
    import socket

    try:
        readable, _, _ = select.select([req.connection], [], [], 0)
        return bool(readable) and req.connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _drain(req: Any) -> bytes:
    n = int(req.headers.get("Content-Length") or 0)
    return req.rfile.read(n) if n else b""


def _answer(req: Any, code: int, body: bytes | None = b"", ctype: str = "text/plain", length: int | None = None) -> None:
    req.send_response(code)
    if code != 204:
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body) if length is None else length))
    req.send_header("Cache-Control", "no-store")
    cors = getattr(req, "cors_origin", None)
    if cors:  # the daemon's page (pages/runner.js, standby); only simple requests come from it: no preflight
        req.send_header("Access-Control-Allow-Origin", cors)
    req.end_headers()
    if body:
        req.wfile.write(body)


def run(spec: RunSpec, session: BrowserSession | None = None, browser: Any = None,
        timeout: float | None = None) -> int:
    """`--host browser`: on `session` if given, else on a session of its own
    (on `browser` if given, else on a Chromium of its own)."""
    if session is not None:
        return session.run(spec, timeout)
    check_program(spec.program)  # before starting a browser for nothing
    mounts_of(spec)
    with BrowserSession(browser=browser or shared_browser()) as own:
        return own.run(spec, timeout)


def shared_browser() -> Any:
    """The browser a command line runs on: the daemon's (hosts/daemon.py),
    started by the first run and kept for the next ones; None (a browser of
    the run's own) with WASI_POLYFILL_REUSE_BROWSER=0."""
    from . import daemon

    if not daemon.enabled():
        return None
    ensure_bundle()  # before a daemon starts for nothing
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        check_available()  # the one line that says what is missing
    b = daemon.connect("chromium")
    if b is not None:  # (no Playwright in this process: the daemon has it)
        return b
    check_available()
    return daemon.ensure("chromium")
