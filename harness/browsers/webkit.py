"""WebKit: Debian's WebKitGTK MiniBrowser through WebKitWebDriver.

WebKitWebDriver speaks W3C WebDriver (JSON over HTTP) and starts MiniBrowser
in automation mode. MiniBrowser is a GTK program with no headless mode, so
each launch starts its own Xvfb on a free display (`-displayfd`) and ends it
with the browser. The client is the few WebDriver commands we need, on
urllib: the protocol is plain JSON over HTTP, and the `selenium` package would
add a dependency tree for no more than that.

WebDriver has one current browsing context per session, so each tab call
switches to its window first (under a lock). The session's first window
stays open and empty, so closing every tab never ends the session.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from . import BrowserError
from ._process import Helper

NAME = "webkit"
DRIVER = os.environ.get("WEBKIT_WEBDRIVER", "WebKitWebDriver")
MINIBROWSER = os.environ.get("WEBKIT_MINIBROWSER", "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
XVFB = "Xvfb"
START_TIMEOUT = 60.0
CALL_TIMEOUT = 120.0


def available() -> str | None:
    if shutil.which(DRIVER) is None:
        return f"{DRIVER} is not installed (apt-get install webkit2gtk-driver)"
    if not os.path.exists(MINIBROWSER):
        return f"{MINIBROWSER} is not installed (apt-get install webkit2gtk-driver)"
    if shutil.which(XVFB) is None:
        return "Xvfb is not installed (apt-get install xvfb); WebKitGTK needs a display"
    return None


def launch() -> WebKitBrowser:
    return WebKitBrowser()


class WebKitTab:
    def __init__(self, browser: WebKitBrowser, handle: str) -> None:
        self._browser = browser
        self.handle = handle

    def alive(self) -> bool:
        try:
            return self.handle in self._browser.handles()
        except BrowserError:
            return False

    def evaluate(self, expression: str) -> Any:
        # WebDriver runs a function body and awaits a returned promise
        return self._browser.in_tab(self.handle, "POST", "/execute/sync",
                                    {"script": f"return (\n{expression}\n);", "args": []})

    def close(self) -> None:
        if self.alive():
            self._browser.in_tab(self.handle, "DELETE", "/window")


class WebKitBrowser:
    name = NAME

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._xvfb: Helper | None = None
        self._driver: Helper | None = None
        self._session = ""
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    def _start(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        read_fd, write_fd = os.pipe()
        try:
            self._xvfb = Helper([XVFB, "-displayfd", str(write_fd), "-nolisten", "tcp",
                                 "-screen", "0", "1280x1024x24"], pass_fds=(write_fd,))
            os.close(write_fd)
            display = _read_line(read_fd, deadline)
        finally:
            os.close(read_fd)
        if not display:
            raise BrowserError(f"Xvfb did not start: {self._xvfb.last_words() or 'no display number'}")
        port = _free_port()
        env = {**os.environ, "DISPLAY": f":{display}"}
        self._driver = Helper([DRIVER, f"--port={port}"], env=env, stdout=subprocess.DEVNULL)
        self._base = f"http://127.0.0.1:{port}"
        while not self._driver_ready():
            if not self._driver.running():
                raise BrowserError(f"{DRIVER} ended: {self._driver.last_words()}")
            if time.monotonic() > deadline:
                raise BrowserError(f"{DRIVER} did not answer in {START_TIMEOUT:.0f} s")
            time.sleep(0.05)
        caps = {"webkitgtk:browserOptions": {"binary": MINIBROWSER, "args": ["--automation"]}}
        # WebDriver's default script timeout (30 s) would cut a long evaluate short
        caps["timeouts"] = {"script": int(CALL_TIMEOUT * 1000), "pageLoad": int(CALL_TIMEOUT * 1000)}
        answer = self._http("POST", "/session", {"capabilities": {"alwaysMatch": caps}}, START_TIMEOUT)
        self._session = answer["sessionId"]
        self.version: str = f"WebKitGTK/{answer['capabilities'].get('browserVersion', '?')}"
        self._current = self._call("GET", "/window")
        self._home = self._current

    @property
    def processes(self) -> list[int]:
        """The process groups this browser started (each ends with close())."""
        return [h.proc.pid for h in (self._xvfb, self._driver) if h is not None]

    def _driver_ready(self) -> bool:
        try:
            return bool(self._http("GET", "/status", None, 2.0).get("ready"))
        except (BrowserError, OSError):
            return False

    def _http(self, method: str, path: str, body: Any, timeout: float = CALL_TIMEOUT) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self._base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as e:
            try:
                value = json.loads(e.read())["value"]
                why = f"{value.get('error')}: {value.get('message', '')}".splitlines()[0]
            except (ValueError, KeyError, AttributeError):
                why = f"HTTP {e.code}"
            command = path.removeprefix(f"/session/{self._session}") or path
            raise BrowserError(f"webkit: {method} {command}: {why}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            raise BrowserError(f"webkit: the driver did not answer {method} {path}: {e}") from None

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        if method == "POST" and body is None:
            body = {}
        return self._http(method, f"/session/{self._session}{path}", body)

    def _switch(self, handle: str) -> None:
        if self._current != handle:
            self._call("POST", "/window", {"handle": handle})
            self._current = handle

    def in_tab(self, handle: str, method: str, path: str, body: Any = None) -> Any:
        """A WebDriver command in the window `handle`."""
        with self._lock:
            self._switch(handle)
            try:
                return self._call(method, path, body)
            finally:
                if method == "DELETE" and path == "/window":
                    self._current = ""
                    self._switch(self._home)

    def handles(self) -> list[str]:
        with self._lock:
            if not (self._driver and self._driver.running()):
                return []
            return self._call("GET", "/window/handles")

    def open(self, url: str) -> WebKitTab:
        with self._lock:
            handle = self._call("POST", "/window/new", {"type": "tab"})["handle"]
            self.in_tab(handle, "POST", "/url", {"url": url})  # returns once loaded
            return WebKitTab(self, handle)

    def close(self) -> None:
        with self._lock:
            if self._session and self._driver and self._driver.running():
                try:
                    self._http("DELETE", f"/session/{self._session}", None, 15.0)
                except BrowserError:
                    pass
            self._session = ""
            if self._driver:
                self._driver.proc.terminate()
                self._driver.stop(grace=5)
                self._driver = None
            if self._xvfb:
                self._xvfb.proc.terminate()
                self._xvfb.stop(grace=5)
                self._xvfb = None

    def __enter__(self) -> WebKitBrowser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read_line(fd: int, deadline: float) -> str:
    """What Xvfb writes to its -displayfd pipe (the display number), '' if it ends first."""
    import select

    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        data += chunk
    return data.decode().strip()
