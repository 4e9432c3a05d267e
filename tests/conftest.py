"""Under CI (`CI=true`) a skip is a failure: a missing host, browser or tool
must turn the run red, not quietly shrink it (issue #18). Tests that do not
apply somewhere are left out of the parametrisation instead of skipped;
xfail (known differences) is untouched. Locally a skip stays a skip."""

from __future__ import annotations

import os
import re

import pytest

CI = os.environ.get("CI") == "true"


def _as_failure(report, what: str) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"CI=true: {what} skipped, which is a failure here: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        _as_failure(report, item.nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if CI and report.skipped:
        _as_failure(report, f"collecting {collector.nodeid}")


@pytest.fixture(scope="session")
def engine_browser():
    """engine_browser("firefox" | "webkit" | "chromium"): one browser of that
    engine (harness/browsers) for the whole session, launched when first
    asked for and closed at the end. An engine that cannot start here is a
    skip with the reason, and under CI=true a failure."""
    from harness import browsers

    started: dict = {}

    def get(name: str):
        if name not in started:
            why = browsers.available(name)
            if why:
                if CI:
                    pytest.fail(f"{name} cannot start under CI: {why}", pytrace=False)
                pytest.skip(f"{name}: {why}")
            started[name] = browsers.launch(name)
        return started[name]

    yield get
    for browser in started.values():
        browser.close()


def pytest_collection_finish(session):
    """The real programs (tests/realworld/build.py) take a cold cache a minute
    or two to fetch and compile: when the session will run tests that need
    them, start their builds now, on background threads with a niced compiler,
    so the tests that come first overlap them; the tests' own `build` calls
    then wait for the result (or build, and report an error, themselves)."""
    if session.config.option.collectonly:
        return
    names: set[str] = set()
    for item in session.items:
        if item.path.name == "test_realworld.py":
            names.add("*")
        elif "lua_repl" in getattr(item, "fixturenames", ()):
            names.add("lua-repl")
    if names:
        import sys
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).resolve().parent / "realworld"))
        import build as realworld

        realworld.start([n for n in realworld.PROGRAMS if n in names or "*" in names])


# `make test` runs pytest in two worker processes (pytest-xdist, `-n 2`): the
# suite mostly waits on browsers, so one worker runs every test that drives a
# browser or Pyodide -- in order, sharing one browser per engine and the build
# products they make (the web demo, the Pyodide snapshot, the browser daemon,
# the consumer app) -- while the other runs the Node, wasmtime and Python tests
# beside it, module by module. A module is in the browser group wholly, or test
# by test when its parameters name a browser host; the corpus on the browser
# hosts is a group of its own, so that the other worker takes it. (Our own scheduler: xdist's
# `xdist_group` marks do nothing under pytest 9, whose node ids it cannot extend.)
_BROWSER_MODULES = {
    "test_async_browser.py", "test_bench.py", "test_browsers.py", "test_compare.py", "test_consumer.py",
    "test_engine_support.py", "test_examples.py", "test_handledir.py", "test_host_browser.py", "test_serve.py",
    "test_web_demo.py", "test_web_demo_engines.py",
}
_BROWSER_PARAMS = re.compile(r"browser|chromium|firefox|webkit|pyodide|opfs|page|daemon|demo", re.I)


_CORPUS_MODULES = {"test_corpus.py", "test_corpus_async.py"}
_ENGINE_PARAMS = re.compile(r"browser|chromium|firefox|webkit", re.I)


def worker_group(nodeid: str) -> str:
    """The scheduling group of a test: "browsers"; "browser-corpus" (the
    corpus on the polyfill's browser hosts: each run has a session of its own
    and shares nothing with the rest, so it may run beside them); or its
    module's path."""
    module, _, rest = nodeid.partition("::")
    name = module.rpartition("/")[2]
    if name in _CORPUS_MODULES and _ENGINE_PARAMS.search(rest) and "pyodide" not in rest.lower():
        return "browser-corpus"
    if name in _BROWSER_MODULES or _BROWSER_PARAMS.search(rest):
        return "browsers"
    return module


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    return ByGroup(config, log)
