"""The browser engine adapters (harness/browsers/): each engine launches,
opens pages served from 127.0.0.1, evaluates, tells a closed tab from a live
one, holds two tabs, closes without leaving a process behind; and what each
engine offers (docs/engines.md's table) is measured here.

One browser per engine for the module. An engine that cannot start here is
skipped with the reason, and under CI=true it fails: CI must run every engine.
The time of each launch and page open is printed (pytest -s) and checked
against a generous bound.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness import browsers
from harness.browsers import BrowserError, features
from harness.hosts.chromium import Server

ROOT = Path(__file__).resolve().parents[1]
ENGINES_DOC = ROOT / "docs" / "engines.md"
CI = os.environ.get("CI") == "true"
# Far above what this 2-core machine takes under load (docs/engines.md has
# the numbers); a start that slow means something is wrong.
LAUNCH_BOUND_S = 60.0
OPEN_BOUND_S = 20.0
TIMES: dict[str, dict[str, float]] = {}


def live_processes(group: int) -> list[int]:
    """The processes (not zombies) in process group `group`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.fixture(scope="module", params=list(browsers.ENGINES))
def engine(request, server):
    """(name, browser): one browser per engine for the module. On teardown
    the browser closes, a tab left open reports itself dead, and no process
    it started is left."""
    name = request.param
    why = browsers.available(name)
    if why:
        if CI:
            pytest.fail(f"{name} cannot start under CI: {why}", pytrace=False)
        pytest.skip(why)
    start = time.monotonic()
    browser = browsers.launch(name)
    TIMES[name] = {"launch": time.monotonic() - start}
    groups = list(getattr(browser, "processes", []))
    with browser:
        yield name, browser
        left_open = browser.open(server.url("/probe/features.html"))
    assert not left_open.alive(), f"{name}: a tab of a closed browser says it is alive"
    for group in groups:
        assert live_processes(group) == [], f"{name}: processes left after close in group {group}"


@pytest.fixture(scope="module")
def server():
    with Server({"/probe/": features.PROBE}, headers=features.ISOLATION) as s:
        s.add_bytes("/probe/bytes.bin", bytes(range(256)), "application/octet-stream")
        yield s


def open_timed(name, browser, url):
    start = time.monotonic()
    tab = browser.open(url)
    TIMES[name].setdefault("open", []).append(time.monotonic() - start)
    return tab


def test_launch_open_and_evaluate(engine, server):
    name, browser = engine
    assert browser.version
    tab = open_timed(name, browser, server.url("/probe/features.html"))
    try:
        assert tab.alive()
        assert tab.evaluate("document.title") == "wasi-polyfill: engine features"
        assert tab.evaluate("location.origin") == server.url("")
        assert tab.evaluate("6 * 7") == 42
        # JSON-able values come back as Python data; promises are awaited
        assert tab.evaluate("({a: [1, 'two', null, true], b: {c: 1.5}})") == \
            {"a": [1, "two", None, True], "b": {"c": 1.5}}
        assert tab.evaluate("new Promise((r) => setTimeout(() => r('later'), 50))") == "later"
        assert tab.evaluate("undefined") is None
    finally:
        tab.close()


def test_a_page_error_is_one_line(engine, server):
    name, browser = engine
    tab = open_timed(name, browser, server.url("/probe/features.html"))
    try:
        with pytest.raises(BrowserError) as raised:
            tab.evaluate("no_such_name.x")
        message = str(raised.value)
        assert "no_such_name" in message and "\n" not in message
        assert tab.alive(), "an error in the page does not end the tab"
        assert tab.evaluate("1 + 1") == 2
    finally:
        tab.close()


def test_a_closed_tab_is_not_alive(engine, server):
    name, browser = engine
    tab = open_timed(name, browser, server.url("/probe/features.html"))
    assert tab.alive()
    tab.close()
    assert not tab.alive()
    tab.close()  # closing twice is harmless


def test_two_tabs_are_separate(engine, server):
    name, browser = engine
    url = server.url("/probe/features.html")
    first, second = open_timed(name, browser, url), open_timed(name, browser, url)
    try:
        first.evaluate("window.mark = 'first'")
        second.evaluate("window.mark = 'second'")
        assert first.evaluate("window.mark") == "first"
        assert second.evaluate("window.mark") == "second"
        first.close()
        assert not first.alive()
        assert second.alive()
        assert second.evaluate("window.mark") == "second"
    finally:
        first.close()
        second.close()


def documented_rows() -> dict[str, str]:
    """engine -> its row in docs/engines.md's feature table (the one under features.header())."""
    lines = ENGINES_DOC.read_text().splitlines()
    head = features.header()
    at = next((i for i in range(len(lines)) if lines[i:i + len(head)] == head), None)
    assert at is not None, f"docs/engines.md has no table headed\n{chr(10).join(head)}"
    at += len(head)
    rows = {}
    for line in itertools.takewhile(lambda ln: ln.startswith("|"), lines[at:]):
        rows[line.split("|")[1].strip()] = line.strip()
    return rows


def test_features_are_as_documented(engine):
    """docs/engines.md's table is what the engine does here (python -m
    harness.browsers.features prints the measured table)."""
    name, browser = engine
    measured = features.row(name, features.measure(browser))
    assert documented_rows().get(name) == measured, f"docs/engines.md should say:\n{measured}"


def test_times_are_reasonable(engine):
    name, _ = engine
    times = TIMES[name]
    opens = times.get("open", [])
    print(f"\n{name}: launch {times['launch']:.2f} s; page open "
          + ", ".join(f"{t:.2f}" for t in opens) + " s")
    assert times["launch"] < LAUNCH_BOUND_S
    assert opens and max(opens) < OPEN_BOUND_S


def test_an_engine_that_is_not_there_says_why_in_one_line(monkeypatch):
    from harness.browsers import firefox, webkit

    assert browsers.available("netscape") == "unknown browser 'netscape' (browsers: chromium, firefox, webkit)"
    with pytest.raises(BrowserError, match="unknown browser"):
        browsers.launch("netscape")
    monkeypatch.setattr(firefox, "FIREFOX", "/nonexistent/firefox-esr")
    assert browsers.available("firefox") == \
        "/nonexistent/firefox-esr is not installed (apt-get install firefox-esr)"
    with pytest.raises(BrowserError, match="apt-get install firefox-esr"):
        browsers.launch("firefox")
    monkeypatch.setattr(webkit, "DRIVER", "no-such-WebKitWebDriver")
    assert browsers.available("webkit") == \
        "no-such-WebKitWebDriver is not installed (apt-get install webkit2gtk-driver)"


@pytest.mark.parametrize("host, env, line", [
    ("firefox", {"FIREFOX": "/nonexistent/firefox-esr"},
     "/nonexistent/firefox-esr is not installed (apt-get install firefox-esr)"),
    ("webkit", {"WEBKIT_WEBDRIVER": "no-such-WebKitWebDriver"},
     "no-such-WebKitWebDriver is not installed (apt-get install webkit2gtk-driver)"),
])
def test_a_host_whose_browser_is_missing_says_so_in_one_line(host, env, line):
    program = ROOT / "tests" / "js" / "probe" / "tool.wasm"  # make probes
    p = subprocess.run([sys.executable, "-m", "harness", "run", "--host", host, str(program), "args"],
                       capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env}, timeout=60)
    assert (p.returncode, p.stdout, p.stderr) == (2, "", f"wasi-polyfill: error: {line}\n")
