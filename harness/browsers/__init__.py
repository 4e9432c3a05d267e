"""Browser engines, each behind the same few calls, for the browser-backed hosts.

    from harness import browsers

    why = browsers.available("firefox")        # None, or one line: why not here
    with browsers.launch("firefox") as browser:  # started once, shared by many runs
        tab = browser.open("http://127.0.0.1:8000/runner.html")
        tab.evaluate("document.title")           # JSON-able values
        tab.alive()                               # False once the tab or browser is gone
        tab.close()

A host serves its page from 127.0.0.1 and does everything else over HTTP
(issue #13's runner); an engine adapter only starts the browser, opens a URL
in a tab, tells whether the tab is still alive, and closes things. So a new
engine is one module here with:

    NAME: str
    def available() -> str | None       # no side effects, fast
    def launch() -> Browser             # raises BrowserError (one line) if it cannot start

- `chromium`: Debian's Chromium through Playwright (harness/browsers/chromium.py);
- `firefox`: Debian's firefox-esr over WebDriver BiDi, driven by the npm
  package puppeteer-core in a Node process (firefox.py, firefox_driver.mjs);
- `webkit`: Debian's WebKitGTK MiniBrowser through WebKitWebDriver (W3C
  WebDriver over HTTP) on a private Xvfb display (webkit.py).

docs/engines.md has what each engine offers (isolation, SharedArrayBuffer,
JSPI, worker XHR, ...), as measured by tests/test_browsers.py.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol

# name -> module; a module is imported only when its engine is asked about.
ENGINES: dict[str, str] = {
    "chromium": "harness.browsers.chromium",
    "firefox": "harness.browsers.firefox",
    "webkit": "harness.browsers.webkit",
}


class BrowserError(Exception):
    """A browser that cannot start, or a tab or browser that went away: one line."""


class Tab(Protocol):
    def alive(self) -> bool:
        """False once the tab was closed or crashed, or its browser is gone."""

    def evaluate(self, expression: str) -> Any:
        """The value of a JS expression in the page (a promise is awaited),
        as JSON-able data. BrowserError if the page threw or is gone."""

    def close(self) -> None:
        """Close the tab (nothing happens if it is already gone)."""


class Browser(Protocol):
    name: str
    version: str

    def open(self, url: str) -> Tab:
        """A new tab showing `url`, once its load event fired."""

    def close(self) -> None:
        """Close every tab and the browser, and end every process it started."""

    def __enter__(self) -> Browser: ...

    def __exit__(self, *exc: object) -> None: ...


def _module(name: str):
    try:
        target = ENGINES[name]
    except KeyError:
        raise BrowserError(f"unknown browser {name!r} (browsers: {', '.join(ENGINES)})") from None
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as e:
        if e.name == target:
            raise BrowserError(f"the {name} adapter ({target}) is not there") from None
        raise


def available(name: str) -> str | None:
    """None if `name` can be launched here, else one line saying why not."""
    try:
        return _module(name).available()
    except BrowserError as e:
        return str(e)


def launch(name: str) -> Browser:
    """Start `name` (use it as a context manager); BrowserError if it cannot."""
    module = _module(name)
    why = module.available()
    if why:
        raise BrowserError(why)
    return module.launch()
