"""The web demo's smoke set in Firefox and WebKit (tests/test_web_demo.py
runs the whole set in Chromium through Playwright).

Playwright cannot drive Debian's Firefox or WebKitGTK, so these tests go
through the engine adapters of harness/browsers/ (Firefox: puppeteer-core
over WebDriver BiDi; WebKit: WebKitWebDriver and MiniBrowser on a private
Xvfb), whose tabs evaluate JS. The page-side helper
tests/js/helpers/web_demo_engine.js (`demoDrive`) does what a person does
to the page's own elements: clicks, typed values, a file given to the
page's upload <input> through a DataTransfer (as a picked file arrives), a
submitted stdin line. A download is the blob behind the page's
`<a download>` read back through fetch(), not the browser's download UI.

The smoke set: the page loads and reports the stdin mode this engine truly
allows, hello runs, a stdin program runs (interactively where the engine
allows, in each mode it offers), a file goes up and results come down (one
file and the .zip of the tree), and the cross-check (the polyfill against
the reference host under Pyodide, in the page) gives its verdict.

One browser per engine for the whole session (`engine_browser` in
tests/conftest.py), one tab per test. An engine that cannot start here is
skipped with the reason; under CI=true that is a failure.
"""

from __future__ import annotations

import base64
import io
import json
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "polyfill" / "dist" / "browser" / "trace.js"  # what the demo loads
DRIVE = ROOT / "tests" / "js" / "helpers" / "web_demo_engine.js"  # window.demoDrive
ENGINES = ("firefox", "webkit")
TIMEOUT_S = 30.0
CROSSCHECK_TIMEOUT_S = 180.0  # the first one loads Pyodide (~4 s in Firefox, ~10 s in WebKitGTK here)

# The demo's stdin mode (web-demo/runs.js demoMode) on each engine, served with
# and without the cross-origin isolation headers; docs/engines.md's tables.
# test_the_mode_follows_from_what_the_engine_has derives the same from the
# engine's measured features, so neither can drift from the engine alone.
MODES = {
    ("firefox", "isolated"): "worker",  # SharedArrayBuffer: the Worker runner blocks in Atomics.wait
    ("firefox", "plain"): "jspi",       # no SharedArrayBuffer without the headers, but JSPI
    ("webkit", "isolated"): "upfront",  # isolated, yet no SharedArrayBuffer and no JSPI
    ("webkit", "plain"): "upfront",
}

pytestmark = pytest.mark.skipif(not BUNDLE.is_file(), reason="needs the browser bundle: run `make build` first")


@pytest.fixture(scope="module")
def servers():
    from harness.serve import start_in_thread
    from harness.web_demo import build

    build()  # the examples and the reference host's zip (cached)
    isolated = start_in_thread(0)
    plain = start_in_thread(0, isolation=False)
    yield {"isolated": isolated.url, "plain": plain.url}
    isolated.shutdown()
    plain.shutdown()


class Page:
    """The demo in a tab of one engine, driven through `demoDrive`."""

    def __init__(self, engine: str, tab):
        self.engine = engine
        self.tab = tab

    def js(self, expression: str):
        return self.tab.evaluate(expression)

    def call(self, method: str, *args):
        return self.js(f"demoDrive.{method}(...{json.dumps(list(args))})")

    def state(self) -> dict:
        return self.call("state")

    def until(self, condition: str, timeout: float = TIMEOUT_S) -> dict:
        """Poll state() until `condition` (a JS expression on `s`, the state) holds; the state then."""
        deadline = time.monotonic() + timeout
        check = f"(s => [({condition}), s])(demoDrive.state())"
        while True:
            ok, state = self.js(check)
            if ok:
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.engine}: not {condition} after {timeout:.0f} s: {state}")
            time.sleep(0.05)

    def run(self, example: str | None = None) -> dict:
        if example:
            assert self.call("select", example)
        self.call("run")
        return self.until("s.exitCode !== null")

    def crosscheck(self) -> str:
        self.call("crosscheck")
        state = self.until("['agree', 'differ', 'error'].includes(s.xcheck)", CROSSCHECK_TIMEOUT_S)
        return state["xcheck"]

    def row(self, path: str) -> str:
        return f'#tree .row[data-path="{path}"]'


@pytest.fixture(params=ENGINES)
def engine(request):
    return request.param


def open_page(engine_browser, engine: str, url: str):
    tab = engine_browser(engine).open(url + ("&" if "?" in url else "?") + "preload=0")  # (no idle Pyodide start)
    deadline = time.monotonic() + TIMEOUT_S
    while not tab.evaluate("document.documentElement.dataset.ready"):
        assert time.monotonic() < deadline, f"{engine}: the demo was not ready in {TIMEOUT_S:.0f} s"
        time.sleep(0.05)
    assert tab.evaluate("document.documentElement.dataset.ready") == "true", tab.evaluate(
        "document.getElementById('terminal').textContent")
    tab.evaluate(f"(0, eval)({json.dumps(DRIVE.read_text())}) && true")
    return Page(engine, tab)


@pytest.fixture
def page_at(engine_browser, servers, engine):
    """page_at("isolated" | "plain"): the demo, loaded in `engine`; afterwards no page errors."""
    opened = []

    def opener(served: str = "isolated") -> Page:
        page = open_page(engine_browser, engine, servers[served])
        opened.append(page)
        return page

    yield opener
    for page in opened:
        errors = page.state()["errors"] if page.tab.alive() else ["the tab died"]
        page.tab.close()
        assert errors == [], f"{page.engine}: {errors}"


# --- the smoke set -------------------------------------------------------------

def test_loads_and_says_its_mode_truthfully(page_at, engine):
    s = page_at("isolated").state()
    assert s["ready"] == "true" and s["crossOriginIsolated"] is True
    assert s["mode"] == MODES[engine, "isolated"], s
    if engine == "firefox":
        assert s["label"] == "Worker (shared memory) · interactive stdin"
        assert s["stdinForm"] and not s["stdinFallback"]
    else:  # WebKitGTK: isolated, but no SharedArrayBuffer and no JSPI; the headers are not the reason
        assert s["label"] == "No SharedArrayBuffer, no JSPI · stdin up front"
        assert s["title"].startswith("This page is cross-origin isolated, yet this engine has no SharedArrayBuffer, "
                                     "and no JSPI (WebAssembly.Suspending)"), s["title"]
        assert "header" not in s["title"], s["title"]
        assert s["stdinFallback"] and not s["stdinForm"]


def test_the_mode_follows_from_what_the_engine_has(engine_browser, engine):
    """MODES is demoMode()'s rule applied to the engine's measured features
    (harness/browsers/features.py, docs/engines.md's feature table)."""
    from harness.browsers import features

    have = features.measure(engine_browser(engine))
    for served, isolated in [("isolated", have["crossOriginIsolated"]), ("plain", False)]:
        sab = isolated and have["SharedArrayBuffer"]  # a page gets SharedArrayBuffer only when isolated
        expected = "worker" if sab else "jspi" if have["JSPI"] else "upfront"
        assert MODES[engine, served] == expected, (engine, served, have)


def test_hello(page_at):
    s = page_at().run("hello")
    assert (s["exitCode"], s["stdout"], s["stderr"]) == (
        "0", "Hello, WASI!\nThis is hello, a WASI preview1 program, running in your browser.\n",
        "hello: 1 argument, greeting from $GREETING=Hello\n")
    assert "$ hello WASI" in s["terminal"]


@pytest.mark.parametrize("served", ["isolated", "plain"])
def test_a_stdin_program(page_at, engine, served):
    """calc as a REPL where the engine lets a program wait for input (each
    answer before the next line); guess with its stdin up front where not."""
    page = page_at(served)
    s = page.state()
    assert s["mode"] == MODES[engine, served], s
    if s["mode"] == "upfront":
        assert page.call("select", "guess")
        page.call("fill", "#stdin-text", "7\n42\n")
        s = page.run()
        assert s["exitCode"] == "0"
        assert s["stdout"].endswith("Your guess? Too low.\nYour guess? Correct! 42 it is, found in 2 tries.\n")
        return
    assert page.call("select", "calc")
    page.call("run")
    # the prompt before any input (the page may show the waiting state a frame before the output)
    s = page.until("s.runState === 'waiting' && s.stdout.endsWith(\"'quit' or EOF ends\\n> \")")
    assert s["exitCode"] is None, s
    for line, answer in [("6 * 7", "42"), ("ans / 4", "10.5")]:
        page.call("typeLine", line)
        page.until(f"s.stdout.endsWith({json.dumps(f'> {answer}' + chr(10) + '> ')}) && s.runState === 'waiting'")
    page.call("click", "#stdin-eof")
    s = page.until("s.exitCode !== null")
    assert s["exitCode"] == "0"
    assert s["stdout"].endswith("ends\n> 42\n> 10.5\n> \nbye\n"), s["stdout"]
    assert s["stdin"] == "6 * 7\nans / 4\n^D\n"


def test_upload_and_download(page_at):
    page = page_at()
    content = "Mixed Case, ünïcödé & 123\nsecond line\n".encode()
    page.call("click", page.row("/data"))  # the upload target
    assert page.call("upload", "#upload-files-input", [["mixed.txt", base64.b64encode(content).decode()]]) == 1
    page.until("s.rows.includes('/data/mixed.txt')")
    s = page.run("transform")
    assert f"upper: mixed.txt -> out/mixed.txt ({len(content)} bytes)\n" in s["stdout"], s
    upper = "MIXED CASE, üNïCöDé & 123\nSECOND LINE\n".encode()

    page.call("click", page.row("/data/out"))
    page.until("s.rows.includes('/data/out/mixed.txt')")
    page.call("click", page.row("/data/out/mixed.txt") + " [data-action=download]")
    page.call("click", "#files-toolbar [data-action=download-all]")
    saved = page.call("downloads")
    assert [(d["name"], d["type"]) for d in saved] == [("mixed.txt", "application/octet-stream"),
                                                      ("files.zip", "application/zip")]
    assert base64.b64decode(saved[0]["bytes"]) == upper
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(saved[1]["bytes"])))
    assert archive.testzip() is None
    assert {"data/", "data/out/", "data/mixed.txt", "data/out/mixed.txt", "data/latest"} <= set(archive.namelist())
    assert archive.read("data/mixed.txt") == content and archive.read("data/out/mixed.txt") == upper
    link = archive.getinfo("data/latest")
    assert (link.external_attr >> 16) & 0o170000 == 0o120000 and archive.read("data/latest") == b"poem.txt"


CLOCK_C = r"""
#include <stdio.h>
#include <time.h>
int main(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    printf("same line\nnow: %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
    return 0;
}
"""


def test_crosscheck(page_at, tmp_path):
    """The page's cross-check: wc (a missing file, exit 1) agrees on both
    hosts; a program that prints the time differs, and says so."""
    from harness.toolchain import compile_one

    page = page_at()
    assert page.call("select", "wc")
    assert page.crosscheck() == "agree", page.state()["xcheckText"]
    s = page.state()
    assert s["xcheckRowsOk"] == 4 and s["xcheckText"].startswith("✓ The hosts agree\nwc /data/poem.txt"), s["xcheckText"]

    src = tmp_path / "clock.c"
    src.write_text(CLOCK_C)
    wasm = compile_one(src).read_bytes()
    page.call("upload", "#wasm-file", [["clock.wasm", base64.b64encode(wasm).decode()]])
    page.until("s.blurb.startsWith('clock.wasm')")
    assert page.crosscheck() == "differ"
    s = page.state()
    assert s["xcheckText"].startswith("✗ The hosts differ") and s["xcheckRowsOk"] == 3, s["xcheckText"]


def test_the_home_folder_persists(page_at, engine, tmp_path):
    """Firefox: /home is the OPFS directory in the Worker runner; a program
    writes there (a symlink, a hard link, nanosecond times), a new tab of
    the same profile reads it all back as wasmtime does. WebKitGTK has no
    OPFS: the card says so in one line and /home is in memory."""
    page = page_at()
    s = page.state()
    if engine == "webkit":
        assert s["homeKind"] == "memory", s
        assert s["homeStatus"].startswith("This engine has no origin-private file system (OPFS): /home is a folder of "
                                          "the in-memory files below, lost on reload."), s["homeStatus"]
        return
    from persist_home import persist_expected

    wasm, expected = persist_expected(tmp_path)
    assert s["homeKind"] == "opfs", s
    page.call("forgetHome")  # a home left by an earlier run in this browser
    page.until("s.homeState === 'forgotten'")

    def run(page: Page, arg: str) -> dict:
        page.call("upload", "#wasm-file", [[wasm.name, base64.b64encode(wasm.read_bytes()).decode()]])
        page.until(f"s.blurb.startsWith({json.dumps(wasm.name)})")
        page.call("fill", "#args", arg)
        return page.run()

    s = run(page, "write")
    assert (s["exitCode"], s["stdout"]) == ("0", expected[0]), s["terminal"]
    s = run(page_at(), "read")  # a new tab: a new worker, nothing in memory
    assert (s["exitCode"], s["stdout"]) == ("0", expected[1]), s["terminal"]
