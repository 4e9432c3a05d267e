"""HandleDirectory (polyfill/src/vfs/handledir.js) over the origin-private
file system, in the browser host's worker (sync access handles, a
synchronous WASI): the differential corpus byte-identical to wasmtime with
each preopened dir a HandleDirectory. The worker (harness/hosts/pages/
polyfill-worker.js, `storage: "opfs"`) writes each case's tree into a fresh
OPFS directory through one HandleDirectory, runs the program on a second one
opened from what was saved, and dumps the final tree from a third: what is
compared went through the store's metadata and data files.

Engines: Chromium (Playwright) and Firefox (harness/browsers); a missing
engine skips, and fails under CI=true.
"""

from __future__ import annotations

import os

import pytest

import differential as d

HOSTS = {"browser-opfs": "chromium", "firefox-opfs": "firefox"}


@pytest.fixture(scope="module", params=list(HOSTS))
def opfs_host(request):
    """One session of the browser host's page per engine, every job's dirs on OPFS."""
    from harness import browsers
    from harness.hosts.browser import BrowserSession

    host = request.param
    engine = HOSTS[host]
    why = browsers.available(engine)
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{host}: {why}", pytrace=False)
        pytest.skip(why)
    with browsers.launch(engine) as b, BrowserSession(browser=b, engine=engine) as session:
        d.IN_PROCESS[host] = lambda spec, timeout=None: session.run(spec, timeout, storage="opfs")
        try:
            yield host
        finally:
            d.IN_PROCESS.pop(host, None)


@pytest.fixture(scope="session")
def built() -> dict:
    return d.build_all()


@pytest.mark.parametrize("case", d.CASES, ids=lambda c: c.name)
def test_case_on_opfs(case, built, tmp_path, opfs_host):
    expected = d.reference(case, tmp_path)
    actual = d.run_case(opfs_host, case, tmp_path)
    diff = d.compare(expected, actual)
    if diff:
        pytest.fail(f"{d.describe(case)}\n{opfs_host} (HandleDirectory over OPFS) differs from wasmtime:\n{diff}", pytrace=False)
