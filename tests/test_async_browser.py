"""Async mode and the Worker runner in Chromium (issue #14).

The page (tests/js/async/pages/page.js) runs a program either on its main
thread in async mode (JSPI) or in the package's Worker runner
(wasi-polyfill/worker), with stdin fed a line at a time from here, and keeps
a 10 ms timer whose ticks show whether its main thread stayed responsive.
Served once without COOP/COEP (JSPI on the main thread; the Worker runner in
its "jspi" mode) and once with them (the Worker runner's "shared-memory" mode).

Needs Chromium (Debian's) and the browser bundle (`make build`); the test
programs come from `make probes`. Under CI=true a missing Chromium fails.
"""

from __future__ import annotations

import os
import time

import pytest

from harness.hosts import HostError
from harness.paths import ROOT

HERE = ROOT / "tests" / "js" / "async"
ISOLATION = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}
PROMPT_TIMEOUT = 20.0


def _problem() -> str | None:
    from harness.hosts.chromium import check_available

    try:
        check_available()
    except HostError as e:
        return str(e)
    if not (ROOT / "polyfill" / "dist" / "browser" / "worker.js").is_file():
        return "the browser bundle is missing (make build)"
    if not (HERE / "calc.wasm").is_file():
        return "the test programs are missing (make probes)"
    return None


@pytest.fixture(scope="module")
def browser():
    problem = _problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    from harness.hosts.chromium import browser as chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def server(request):
    from harness.hosts.chromium import Server

    mounts = {"/polyfill/": ROOT / "polyfill", "/pages/": HERE / "pages", "/wasm/": HERE}
    with Server(mounts, headers=ISOLATION if request.param == "isolated" else {}) as s:
        s.kind = request.param
        yield s


class Page:
    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def start(self, call: str) -> None:
        """Start a run without waiting for it (evaluate would await its Promise)."""
        self.page.evaluate(f"() => {{ {call}; }}")

    def state(self, key: str):
        return self.page.evaluate(f"window.run[{key!r}]")

    def wait_out(self, text: str, timeout: float = PROMPT_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.state("out"):
                return
            if self.state("error"):
                pytest.fail(f"the run failed: {self.state('error')}", pytrace=False)
            time.sleep(0.02)
        pytest.fail(f"waited {timeout} s for {text!r}; stdout so far: {self.state('out')!r}, "
                    f"stderr: {self.state('err')!r}, errors: {self.errors}", pytrace=False)

    def wait_status(self, timeout: float = PROMPT_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.state("status") is not None or self.state("error"):
                return self.state("status")
            time.sleep(0.02)
        pytest.fail(f"no exit after {timeout} s; stdout: {self.state('out')!r}", pytrace=False)


@pytest.fixture
def page(browser, server):
    p = browser.new_page()
    p.goto(server.url("/pages/page.html"))
    p.wait_for_function("window.run !== undefined")
    yield Page(p)
    p.close()


def calc_session(page: Page, start: str) -> None:
    """calc, interactively: the prompt before any input, each line answered, EOF ends it."""
    page.start(f"{start}('/wasm/calc.wasm', ['calc'])")
    page.wait_out("'quit' or EOF ends\n> ")
    assert page.state("status") is None, "calc ended before any input"
    page.page.evaluate("send('2 * (3 + 4)\\n')")
    page.wait_out("> 14\n> ")
    page.page.evaluate("send('ans / 4\\n')")
    page.wait_out("> 3.5\n> ")
    page.page.evaluate("send('1 +\\n')")
    page.wait_out("> 3.5\n> > ")
    assert "error:" in page.state("err")
    page.page.evaluate("endInput()")
    assert page.wait_status() == 1  # one line failed
    assert page.state("out").endswith("> \nbye\n")
    assert page.errors == []


def sleep_keeps_page_responsive(page: Page, start: str) -> None:
    """A 2 s poll_oneoff sleep: the page's 10 ms timer keeps firing meanwhile."""
    page.page.evaluate("watch('tty stdin'); watch('slept 2000 ms')")
    page.start(f"{start}('/wasm/lines.wasm', ['lines', 'sleep', '2000'], {{tty: true}})")
    page.wait_out("slept 2000 ms\n", timeout=30)
    before, after = page.page.evaluate("[seenAt('tty stdin'), seenAt('slept 2000 ms')]")
    assert after - before >= 1900, f"the sleep took {after - before:.0f} ms"
    ticks = page.page.evaluate(f"ticksBetween({before}, {after})")
    print(f"{start}: during the 2 s sleep the 10 ms timer fired {ticks['count']} times, largest gap {ticks['maxGap']:.0f} ms")
    # 10 ms timer over 2 s: ~200 ticks; a blocked main thread gives 0 and one 2 s gap
    assert ticks["count"] >= 50 and ticks["maxGap"] < 500, f"the main thread stalled during the sleep: {ticks}"
    page.page.evaluate("endInput()")
    assert page.wait_status() == 3


BOTH = pytest.mark.parametrize("server", ["plain", "isolated"], indirect=True)
PLAIN = pytest.mark.parametrize("server", ["plain"], indirect=True)


@PLAIN
def test_main_thread_jspi_without_isolation(page, server):
    assert page.state("isolated") is False
    calc_session(page, "startMain")


@PLAIN
def test_main_thread_sleep_keeps_page_responsive(page, server):
    sleep_keeps_page_responsive(page, "startMain")


@BOTH
def test_worker_runner_interactive(page, server):
    expected = {"plain": "jspi", "isolated": "shared-memory"}[server.kind]
    assert page.state("workerMode")["mode"] == expected
    calc_session(page, "startWorker")
    assert page.state("mode") == expected


@BOTH
def test_worker_runner_sleep(page, server):
    sleep_keeps_page_responsive(page, "startWorker")


@BOTH
def test_worker_runner_writes_back_at_exit(page, server):
    page.start("startWorkerFs('/wasm/files.wasm', ['files'])")
    page.wait_out("ready\n")
    assert page.page.evaluate("listFs()") == {"keep.txt": "kept\n"}, "the page's MemFS changed while the guest ran"
    page.page.evaluate("send('one\\n'); endInput()")
    assert page.wait_status() == 0
    assert page.page.evaluate("listFs()") == {"keep.txt": "kept\n", "out.txt": "started\none\n"}


@BOTH
def test_worker_runner_terminate_leaves_the_page_memfs_as_it_was(page, server):
    page.start("startWorkerFs('/wasm/files.wasm', ['files'])")
    page.wait_out("ready\n")  # the guest has written out.txt in its copy and waits for input
    page.page.evaluate("worker.terminate()")
    page.wait_status()
    assert page.state("error") == "wasi-polyfill worker: terminated"
    assert page.page.evaluate("listFs()") == {"keep.txt": "kept\n"}


@BOTH
def test_worker_runner_terminate(page, server):
    page.start("startWorker('/wasm/calc.wasm', ['calc'])")
    page.wait_out("> ")
    page.page.evaluate("worker.terminate()")
    page.wait_status()
    assert page.state("error") == "wasi-polyfill worker: terminated"
    assert page.state("status") is None


# --- the README's examples (docs/examples/), as a page would load them ---------

@pytest.fixture
def example_page(browser, server):
    server.add_file("/pages/calc.wasm", HERE / "calc.wasm")
    server.mounts["/docs/"] = ROOT / "docs"
    p = browser.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p, errors
    p.close()


@PLAIN
def test_readme_xterm_example(example_page, server):
    p, errors = example_page
    p.goto(server.url("/pages/example.html?example=xterm_page.js"))
    p.wait_for_function("window.term && window.term.written.includes('> ')", timeout=20_000)
    p.evaluate("term.type('2 + 3\\r')")
    p.wait_for_function("term.written.includes('2 + 3\\n5\\n> ')", timeout=20_000)
    p.evaluate("term.type('quit\\r')")
    p.wait_for_function("term.written.includes('[exit status 0]')", timeout=20_000)
    assert errors == [] and p.evaluate("window.exampleError") is None


@BOTH
def test_readme_worker_example(example_page, server):
    p, errors = example_page
    p.goto(server.url("/pages/example.html?example=worker_page.js"))
    p.wait_for_function("document.body.textContent.includes('exit status')", timeout=20_000)
    text = p.evaluate("document.body.textContent")
    assert "> 42\n" in text and text.endswith("exit status 0"), text
    assert errors == [] and p.evaluate("window.exampleError") is None


@PLAIN
def test_worker_runner_without_isolation_or_jspi_says_why(page, server):
    page.start("startWorkerBuffered('/wasm/calc.wasm', ['calc'], '6 * 7\\n')")
    assert page.wait_status() == 0
    assert page.state("mode") == "buffered"
    reason = page.state("reason")
    assert "not cross-origin isolated" in reason and "lacks JSPI" in reason, reason
    assert page.state("writeError") == f"wasi-polyfill worker: cannot feed stdin: {reason}"
    assert "> 42\n" in page.state("out")
