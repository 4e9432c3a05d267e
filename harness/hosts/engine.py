"""What `--host firefox` and `--host webkit` share: the browser host's page
(harness/hosts/browser.py, pages/) opened in another engine, started through
harness/browsers. Each such host is a module of two lines:

    available, run = engine.host("firefox", "Firefox")
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable

from harness import browsers

from . import HostError, RunSpec
from .browser import BrowserSession, check_program, mounts_of


def host(engine: str, title: str) -> tuple[Callable[[], str | None], Callable[..., int]]:
    """(available, run) for the browser host on `engine` (a harness.browsers name)."""

    def available() -> str | None:
        """None if this host can run here, else why not (for `compare`)."""
        return browsers.available(engine)

    def run(spec: RunSpec, session: BrowserSession | None = None, browser: Any = None,
            timeout: float | None = None) -> int:
        """As `--host browser` does, in `engine`: on `session` if given, else on
        a session of its own (on `browser` if given, else one started here)."""
        if session is not None:
            return session.run(spec, timeout)
        check_program(spec.program)  # before starting a browser for nothing
        mounts_of(spec)
        with contextlib.ExitStack() as stack:
            if browser is None:
                try:
                    browser = stack.enter_context(browsers.launch(engine))
                except browsers.BrowserError as e:
                    raise HostError(str(e)) from None
            own = stack.enter_context(BrowserSession(browser=browser, engine=title))
            return own.run(spec, timeout)

    return available, run
