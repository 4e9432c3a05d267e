"""The differential corpus in async mode (JSPI), under Node 26 and in the
browsers that have JSPI (Chromium, Firefox): every case through `run --async`
— in Node `polyfill/src/node/cli.js run --async` (stdin read by an async
function, stdout a WritableStream, poll_oneoff and sched_yield suspending),
in a browser the browser host's page with the job in async mode (poll_oneoff
and sched_yield suspending) — must give native wasmtime's stdout, stderr,
exit status and final trees, as the sync hosts do (tests/test_corpus.py).

Node 26 is npm's `node` package in build/node-lines/26 (`make node-lines`); without it
the cases skip, and fail under CI=true. The browser side of async mode is
tests/test_async_browser.py.
"""

from __future__ import annotations

import os
import subprocess

import pytest

import differential as d
from harness.hosts import RunSpec
from harness.hosts.node import NODE_CLI
from harness.paths import ROOT, node_line

NODE26 = node_line("26")
HOST = "node-async"
# The browser hosts in async mode: (host, engine).
BROWSER_HOSTS = {"browser-async": "chromium", "firefox-async": "firefox"}


def run_async(spec: RunSpec, timeout: float | None = None) -> int:
    """One case on Node 26 in async mode (the in-process entry of differential.run_case)."""
    cmd = [str(NODE26), str(NODE_CLI), "run", "--async", *spec.flags(), "--", spec.program, *spec.args]
    proc = subprocess.run(cmd, input=spec.stdin.read(), capture_output=True, timeout=timeout, cwd=ROOT)
    spec.stdout.write(proc.stdout)
    spec.stderr.write(proc.stderr)
    return proc.returncode


@pytest.fixture(scope="module", autouse=True)
def async_host():
    if not NODE26.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{NODE26} is missing (make node-lines)", pytrace=False)
        pytest.skip(f"no Node 26 at {NODE26} (make node-lines)")
    d.IN_PROCESS[HOST] = run_async
    yield
    d.IN_PROCESS.pop(HOST, None)


@pytest.fixture(scope="session")
def built() -> dict:
    return d.build_all()


@pytest.mark.parametrize("case", d.CASES, ids=lambda c: c.name)
def test_case_async(case, built, tmp_path):
    expected = d.reference(case, tmp_path)
    actual = d.run_case(HOST, case, tmp_path)
    diff = d.compare(expected, actual)
    if diff:
        pytest.fail(f"{d.describe(case)}\nnode --async differs from wasmtime:\n{diff}", pytrace=False)


@pytest.fixture(scope="module", params=list(BROWSER_HOSTS))
def browser_async(request):
    """One session of the browser host's page per engine, running every job in async mode."""
    import dataclasses

    from harness import browsers
    from harness.hosts.browser import BrowserSession

    host = request.param
    engine = BROWSER_HOSTS[host]
    why = browsers.available(engine)
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{host}: {why}", pytrace=False)
        pytest.skip(why)
    with browsers.launch(engine) as b, BrowserSession(browser=b, engine=engine) as session:
        d.IN_PROCESS[host] = lambda spec, timeout=None: session.run(dataclasses.replace(spec, async_mode=True), timeout)
        try:
            yield host
        finally:
            d.IN_PROCESS.pop(host, None)


@pytest.mark.parametrize("case", d.CASES, ids=lambda c: c.name)
def test_case_async_in_browsers(case, built, tmp_path, browser_async):
    expected = d.reference(case, tmp_path)
    actual = d.run_case(browser_async, case, tmp_path)
    diff = d.compare(expected, actual)
    if diff:
        pytest.fail(f"{d.describe(case)}\n{browser_async} differs from wasmtime:\n{diff}", pytrace=False)
