"""Firefox: Debian's firefox-esr, headless, over WebDriver BiDi.

Playwright cannot drive Debian's Firefox (it needs its own patched build,
which cannot be downloaded here), and geckodriver is not packaged; the npm
package puppeteer-core speaks WebDriver BiDi to Firefox directly. So a small
Node process (firefox_driver.mjs) holds the browser, and this module talks to
it with one JSON object per line on its stdin and stdout, one request at a
time.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

from harness.paths import NODE_MODULES

from . import BrowserError
from ._process import Helper

NAME = "firefox"
FIREFOX = os.environ.get("FIREFOX", "/usr/bin/firefox-esr")
DRIVER = Path(__file__).with_name("firefox_driver.mjs")
START_TIMEOUT = 60.0   # a cold first start on a loaded machine
CALL_TIMEOUT = 120.0   # opening a heavy page, evaluating a long run


def available() -> str | None:
    if not (os.path.exists(FIREFOX) or shutil.which(FIREFOX)):
        return f"{FIREFOX} is not installed (apt-get install firefox-esr)"
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs), and drives Firefox here"
    if not (NODE_MODULES / "puppeteer-core").is_dir():
        return "the npm package puppeteer-core is not installed (npm ci)"
    return None


def launch(prefs: dict[str, Any] | None = None) -> FirefoxBrowser:
    """`prefs`: more preferences for the browser's fresh profile (e.g. a storage quota)."""
    return FirefoxBrowser(prefs)


class FirefoxTab:
    def __init__(self, browser: FirefoxBrowser, number: int) -> None:
        self._browser = browser
        self._number = number

    def alive(self) -> bool:
        if not self._browser.running():
            return False
        return bool(self._browser.call("alive", tab=self._number))

    def evaluate(self, expression: str) -> Any:
        return self._browser.call("evaluate", tab=self._number, expression=expression)

    def close(self) -> None:
        if self._browser.running():
            self._browser.call("close", tab=self._number)


class FirefoxBrowser:
    name = NAME

    def __init__(self, prefs: dict[str, Any] | None = None) -> None:
        self._lock = threading.Lock()
        self._lines: queue.Queue[bytes] = queue.Queue()
        self._next_id = 1
        self._helper = Helper(["node", str(DRIVER), FIREFOX, json.dumps(prefs or {})], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, cwd=NODE_MODULES.parent)
        threading.Thread(target=self._read, name="firefox-driver", daemon=True).start()
        first = self._answer(START_TIMEOUT, "to start")
        if not first.get("ready"):
            self._helper.stop(grace=0)
            raise BrowserError(first.get("error") or f"firefox did not start: {first}")
        self.version: str = first.get("version", "")

    def _read(self) -> None:
        out = self._helper.proc.stdout
        assert out is not None
        for line in out:
            self._lines.put(line)
        self._lines.put(b"")  # end of output: the driver is gone

    def _answer(self, timeout: float, doing: str) -> dict:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise BrowserError(f"firefox took over {timeout:.0f} s {doing}") from None
        if not line:
            self._lines.put(b"")  # stay at end of output for every later call
            why = self._helper.last_words()
            raise BrowserError(f"the firefox driver ended{': ' + why if why else ''}")
        return json.loads(line)

    def running(self) -> bool:
        return self._helper.running()

    @property
    def processes(self) -> list[int]:
        """The process groups this browser started (each ends with close())."""
        return [self._helper.proc.pid]

    def call(self, op: str, **args: Any) -> Any:
        with self._lock:
            stdin = self._helper.proc.stdin
            assert stdin is not None
            request_id = self._next_id
            self._next_id += 1
            try:
                stdin.write(json.dumps({"id": request_id, "op": op, **args}).encode() + b"\n")
                stdin.flush()
            except (BrokenPipeError, ValueError):
                raise BrowserError("the firefox driver ended") from None
            answer = self._answer(CALL_TIMEOUT, f"to {op}")
        if answer.get("id") != request_id:
            raise BrowserError(f"the firefox driver answered out of turn: {answer}")
        if not answer["ok"]:
            raise BrowserError(f"firefox: {op}: {answer['error']}")
        return answer["value"]

    def open(self, url: str) -> FirefoxTab:
        return FirefoxTab(self, self.call("open", url=url))

    def close(self) -> None:
        if self.running():
            with self._lock:
                try:
                    stdin = self._helper.proc.stdin
                    assert stdin is not None
                    stdin.write(b'{"op": "quit"}\n')
                    stdin.flush()
                except (BrokenPipeError, ValueError):
                    pass
        self._helper.stop(grace=10)

    def __enter__(self) -> FirefoxBrowser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
