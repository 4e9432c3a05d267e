"""One browser kept running for many command lines: the browser hosts' daemon.

`wasi-polyfill run --host browser` (and `pyodide`) costs a browser start per
call — most of its time for a small program. A test suite that calls the CLI
once per program (the wasi-testsuite runner does) pays it every time. So the
CLI hands the browser part to a daemon: the first run starts one (detached,
its own session, stdio on /dev/null), later runs find it through a state file
and ask it to open their page; the job itself still goes between the page and
the calling CLI's own server (hosts/browser.py), so stdin, output and exit
status are the caller's as before. The daemon ends itself after `IDLE_S`
seconds without a page open, or with `wasi-polyfill browser-daemon --stop`.

Between runs the daemon keeps a page ready: the runner page loaded from the
daemon's own static server with `?standby` (pages/runner.js), its worker
started and the polyfill bundle compiled. A run that allows it (`standby`:
the JS runtime's jobs) gets that page, told its host's server by
`attachHost(origin)`, instead of a navigation to the host's own page; the
host's server answers it with CORS (BrowserSession). When the run's tab is
closed the page is detached and kept for the next run — as a BrowserSession's
page runs many jobs, each on a fresh runtime — unless a job still runs on it
(a run that timed out), its renderer crashed, its code changed on disk since
it loaded, or it served STANDBY_USES runs: then it is closed and a new one
loads.

The protocol, on 127.0.0.1 with a random token from the state file (only the
user who owns build/ can read it): GET /ping -> {"engine", "standby_runs"};
POST /open {"url", "standby"} -> {"tab"};
GET /alive?tab=N -> {"alive"}; POST /close {"tab"}; POST /stop.

WASI_POLYFILL_REUSE_BROWSER=0 turns it off (each run starts its own browser).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
from dataclasses import dataclass
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness.paths import BUILD

from . import HostError

IDLE_S = float(os.environ.get("WASI_POLYFILL_BROWSER_IDLE", "60"))
STATE_DIR = BUILD / "browser-daemon"
START_TIMEOUT_S = 120.0
STANDBY_USES = 200  # runs on one standby page before it is made anew


def enabled() -> bool:
    return os.environ.get("WASI_POLYFILL_REUSE_BROWSER", "1") != "0"


def state_file(engine: str) -> Path:
    return STATE_DIR / f"{engine}.json"


# --- the client -------------------------------------------------------------------

class RemoteTab:
    def __init__(self, browser: RemoteBrowser, tab: int) -> None:
        self.browser = browser
        self.tab = tab

    def alive(self) -> bool:
        try:
            return bool(self.browser.call("GET", f"/alive?tab={self.tab}")["alive"])
        except HostError:
            return False

    def close(self) -> None:
        with contextlib.suppress(HostError):
            self.browser.call("POST", "/close", {"tab": self.tab})


class RemoteBrowser:
    """The daemon's browser, as BrowserSession uses a browser: open(url) -> tab."""

    def __init__(self, state: dict) -> None:
        self.url = f"http://127.0.0.1:{state['port']}"
        self.token = state["token"]
        self.pid = state["pid"]
        self.page_origin: str | None = state.get("origin")  # where its standby pages come from

    def call(self, method: str, path: str, body: dict | None = None, timeout: float = 60) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read() or b"{}")
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise HostError(f"the browser daemon did not answer: {e}") from None

    def open(self, url: str, standby: bool = False) -> RemoteTab:
        return RemoteTab(self, int(self.call("POST", "/open", {"url": url, "standby": standby})["tab"]))


def connect(engine: str) -> RemoteBrowser | None:
    """The running daemon for `engine` (started with this machine's
    $CHROMIUM), or None."""
    from .chromium import CHROMIUM

    try:
        state = json.loads(state_file(engine).read_text())
        os.kill(int(state["pid"]), 0)
        if state.get("executable") != CHROMIUM:
            return None
    except (OSError, ValueError, KeyError):
        return None
    b = RemoteBrowser(state)
    try:
        b.call("GET", "/ping", timeout=5)
    except HostError:
        return None
    return b


def ensure(engine: str = "chromium") -> RemoteBrowser:
    """The daemon for `engine`, started (detached) if none runs."""
    b = connect(engine)
    if b is not None:
        return b
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    import fcntl

    with open(STATE_DIR / f".{engine}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one start at a time; the others find it running
        b = connect(engine)
        if b is not None:
            return b
        log = STATE_DIR / f"{engine}.log"
        with open(os.devnull, "rb") as devnull, open(log, "wb") as out:
            subprocess.Popen([sys.executable, "-m", "harness.hosts.daemon", engine], stdin=devnull,
                             stdout=out, stderr=out, start_new_session=True, close_fds=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            b = connect(engine)
            if b is not None:
                return b
            time.sleep(0.1)
    why = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
    raise HostError(f"the browser daemon did not start{': ' + why[0] if why else ''}")


def stop(engine: str = "chromium") -> bool:
    b = connect(engine)
    if b is None:
        return False
    with contextlib.suppress(HostError):
        b.call("POST", "/stop")
    return True


# --- the daemon -------------------------------------------------------------------

@dataclass
class Standby:
    page: Any
    stamp: list[int]  # its code's modification times when it loaded
    uses: int = 0


def serve(engine: str) -> int:
    """Run the daemon: the browser in this thread (Playwright's sync API is
    bound to it), the HTTP server in others, commands between them by queue."""
    from .browser import BUNDLE, PAGES
    from .chromium import CHROMIUM, Server, browser as launch_chromium

    if engine != "chromium":
        raise HostError(f"no daemon for engine {engine!r}")
    commands: queue.Queue = queue.Queue()
    token = secrets.token_hex(16)

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, code: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _handle(self, method: str) -> None:
            if self.headers.get("Authorization") != f"Bearer {token}":
                return self._reply(HTTPStatus.FORBIDDEN, {"error": "bad token"})
            n = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(n) or b"{}") if n else {}
            done: queue.Queue = queue.Queue()
            commands.put((method, self.path, body, done))
            code, answer = done.get()
            self._reply(code, answer)

        def do_GET(self) -> None:  # noqa: N802
            self._handle("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._handle("POST")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    state = state_file(engine)
    tabs: dict[int, Any] = {}
    lent: dict[int, Standby] = {}  # the tabs that are standby pages, to be given back
    crashed: set[int] = set()  # id() of the pages whose renderer crashed
    next_tab = 1
    standby_runs = 0  # runs that got a standby page (GET /ping says: for tests)
    ticks = {"at": time.monotonic()}
    threading.Thread(target=_watchdog, args=(state, ticks), daemon=True).start()

    def new_page() -> Any:
        page = b.new_page()
        page.on("crash", lambda *_: crashed.add(id(page)))
        return page

    def code_stamp() -> list[int]:
        """When the standby page's code last changed on disk."""
        return [f.stat().st_mtime_ns for f in (BUNDLE, *sorted(PAGES.iterdir())) if f.is_file()]

    def make_standby() -> None:
        """A standby page, loading (not waited for: a run may be going on)."""
        with contextlib.suppress(Exception):  # (a dead browser: the loop finds out)
            page = new_page()
            stamp = code_stamp()
            page.goto(pages.url("/runner.html?standby"), wait_until="commit")
            standby.append(Standby(page, stamp))

    def take_standby(host_url: str) -> Standby | None:
        """A standby page, working for the server of `host_url` from now on; None if none is fit."""
        if not standby:
            make_standby()
        while standby:
            s = standby.pop()
            try:
                if not fit(s):
                    raise RuntimeError("not fit")
                s.page.wait_for_function("typeof globalThis.attachHost === 'function'", timeout=30_000)
                s.page.evaluate("(origin) => attachHost(origin)", "{0.scheme}://{0.netloc}".format(urlsplit(host_url)))
                s.uses += 1
                return s
            except Exception:  # noqa: BLE001 - a crashed, stale or broken page: not used
                with contextlib.suppress(Exception):
                    s.page.close()
        return None

    def fit(s: Standby) -> bool:
        return id(s.page) not in crashed and not s.page.is_closed() and s.stamp == code_stamp()

    def give_back(s: Standby) -> None:
        """A standby page whose run is over: kept for the next if it is idle and fit, else closed."""
        try:
            idle = s.page.evaluate("() => detachHost()") is True
        except Exception:  # noqa: BLE001
            idle = False
        if idle and s.uses < STANDBY_USES and fit(s):
            standby.append(s)
            return
        with contextlib.suppress(Exception):
            s.page.close()
        if not standby:
            make_standby()

    pages = Server({"/polyfill/": BUNDLE.parent, "/": PAGES})
    with pages, launch_chromium() as b:
        keeper = b.new_page()  # an empty page to wait on: Playwright takes its events (a crash, a dead browser) then
        standby: list[Standby] = []
        make_standby()
        tmp = state.with_suffix(".tmp")
        tmp.write_text(json.dumps({"port": httpd.server_address[1], "token": token, "pid": os.getpid(),
                                   "executable": CHROMIUM, "origin": pages.url("")}))
        os.chmod(tmp, 0o600)
        os.replace(tmp, state)
        last_use = time.monotonic()
        try:
            while True:
                ticks["at"] = time.monotonic()
                try:
                    method, path, body, done = commands.get(timeout=0.5)
                except queue.Empty:
                    try:
                        keeper.wait_for_timeout(1)
                    except Exception:  # noqa: BLE001 - the browser died: the next run starts a new daemon
                        break
                    if not b.is_connected():
                        break
                    if not tabs and time.monotonic() - last_use > IDLE_S:
                        break
                    continue
                last_use = time.monotonic()
                route = path.split("?")[0]
                try:
                    if route == "/ping":
                        done.put((200, {"engine": engine, "standby_runs": standby_runs}))
                    elif route == "/open" and method == "POST":
                        kept = take_standby(body["url"]) if body.get("standby") else None
                        if kept is not None:
                            page = kept.page
                        else:
                            page = new_page()
                            page.goto(body["url"], wait_until="commit")  # the page asks for its job when it is ready
                        tab_id, next_tab = next_tab, next_tab + 1
                        tabs[tab_id] = page
                        if kept is not None:
                            lent[tab_id] = kept
                            standby_runs += 1
                        done.put((200, {"tab": tab_id}))
                    elif route == "/alive":
                        tab_id = int(path.split("tab=")[1])
                        page = tabs.get(tab_id)
                        done.put((200, {"alive": page is not None and id(page) not in crashed
                                         and not page.is_closed()}))
                    elif route == "/close" and method == "POST":
                        tab_id = int(body["tab"])
                        page = tabs.pop(tab_id, None)
                        kept = lent.pop(tab_id, None)
                        done.put((200, {}))  # (answered before the work: the run need not wait for it)
                        if kept is not None:
                            give_back(kept)
                        elif page is not None:
                            crashed.discard(id(page))
                            with contextlib.suppress(Exception):
                                page.close()
                    elif route == "/stop" and method == "POST":
                        done.put((200, {}))
                        break
                    else:
                        done.put((404, {"error": f"no {method} {route}"}))
                except Exception as e:  # noqa: BLE001 - the caller gets one line
                    done.put((500, {"error": str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__}))
        finally:
            with contextlib.suppress(FileNotFoundError):
                if json.loads(state.read_text()).get("pid") == os.getpid():
                    state.unlink()
            httpd.shutdown()
    return 0


def _browser_processes() -> int:
    """How many processes below this one look like the browser (Linux /proc)."""
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        names[int(entry)] = stat[stat.index("(") + 1:stat.rindex(")")]
        children.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(entry))
    todo, found = [os.getpid()], 0
    while todo:
        for c in children.get(todo.pop(), []):
            todo.append(c)
            found += "chrom" in names.get(c, "")
    return found


def _watchdog(state: Path, ticks: dict) -> None:
    """Ends the daemon when its browser is gone or its loop stopped turning
    (a driver call that never returns): the next run starts a new one."""
    seen_browser = False
    while True:
        time.sleep(1)
        alive = _browser_processes() > 0 if os.path.isdir("/proc") else True
        seen_browser = seen_browser or alive
        if (seen_browser and not alive) or time.monotonic() - ticks["at"] > 120:
            with contextlib.suppress(OSError, ValueError):
                if json.loads(state.read_text()).get("pid") == os.getpid():
                    state.unlink()
            os._exit(1)


if __name__ == "__main__":
    raise SystemExit(serve(sys.argv[1] if len(sys.argv) > 1 else "chromium"))
