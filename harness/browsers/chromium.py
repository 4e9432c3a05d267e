"""Chromium: Debian's `/usr/bin/chromium` through Playwright (sync API).

Playwright's own browser downloads do not work on these machines, so it
drives Debian's build (`executable_path`), headless, with the flags of
harness/hosts/chromium.py. Playwright's sync API is bound to the thread that
started it: use a browser from that thread only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from typing import Any

from . import BrowserError

NAME = "chromium"


def available() -> str | None:
    from harness.hosts.chromium import CHROMIUM

    try:
        import playwright.sync_api  # noqa: F401
    except ModuleNotFoundError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    return None


def launch() -> ChromiumBrowser:
    why = available()
    if why is not None:
        raise BrowserError(why)
    return ChromiumBrowser()


class ChromiumTab:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.crashed = False
        page.on("crash", lambda *_: setattr(self, "crashed", True))

    def alive(self) -> bool:
        if self.crashed or self.page.is_closed():
            return False
        try:
            self.page.wait_for_timeout(1)  # lets Playwright take its events (a crash, a closed browser)
        except Exception:  # noqa: BLE001
            return False
        return not self.crashed and not self.page.is_closed()

    def evaluate(self, expression: str) -> Any:
        try:
            return self.page.evaluate(expression)
        except Exception as e:  # noqa: BLE001 - Playwright's errors are many lines
            raise BrowserError(f"chromium: {str(e).strip().splitlines()[0]}") from None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.page.close()


class ChromiumBrowser:
    name = NAME

    def __init__(self) -> None:
        from harness.hosts.chromium import CHROMIUM, browser

        self._stack = contextlib.ExitStack()
        try:
            self._browser = self._stack.enter_context(browser())
        except Exception as e:  # noqa: BLE001
            self._stack.close()
            raise BrowserError(f"cannot start {CHROMIUM}: {str(e).strip().splitlines()[0]}") from None
        self.version: str = self._browser.version

    def open(self, url: str) -> ChromiumTab:
        page = self._browser.new_page()
        tab = ChromiumTab(page)
        try:
            page.goto(url)
        except Exception as e:  # noqa: BLE001
            tab.close()
            raise BrowserError(f"chromium: {str(e).strip().splitlines()[0]}") from None
        return tab

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> ChromiumBrowser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
