"""The differential corpus: every case on every host in CORPUS_HOSTS must give
native wasmtime's stdout, stderr, exit status and final directory trees.

    CORPUS_HOSTS=node pytest tests/test_corpus.py          (the default)
    CORPUS_HOSTS=node,refhost pytest tests/test_corpus.py
    CORPUS_NODE_LINES=24,26/4 pytest tests/test_corpus.py  (and node under Node 24, and 26 on 1 case in 4)
    CORPUS_HOSTS=wasmtime pytest tests/test_corpus.py      (is wasmtime deterministic?)

`make test` runs all seven hosts (Makefile CORPUS_HOSTS). The browser and
Pyodide hosts run in this process on one session each (one Chromium for the
two browser hosts). node-wasi is Node's own uvwasi: a peer, not ours to fix;
the cases where it is known to differ from wasmtime are listed with their
first difference in tests/corpus/node_wasi.py and xfail only while that first
difference is the recorded one (they fail if node:wasi starts to agree or
differs otherwise); on the rest it must agree like any host.

A host that cannot run here (a browser, a Node line not installed) is
skipped with the reason, and under CI=true fails. The corpus itself is checked too: at least 80 cases
and programs, and all 46 preview1 functions imported (statically) and called
(dynamically, from the node host's --trace, once it prints one). With the
node host in CORPUS_HOSTS, every case also runs once with --trace, and every
errno a call returns there must be in the function's list (spec/errnos.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil

import pytest

import differential as d
import wasm_imports
from corpus import node_wasi
from harness.hosts import HostError, get_host
from spec.errnos import ERRNOS
from spec.functions import FUNCTIONS
from spec.types import ERRNO
from harness.toolchain import CompileError

CI = os.environ.get("CI") == "true"
HOSTS = [h.strip() for h in os.environ.get("CORPUS_HOSTS", "node").split(",") if h.strip()]
# CORPUS_NODE_LINES=22/4,24: also the node host under those Node lines, as
# hosts node@22 and node@24; "/4": every fourth case only (a line that differs
# from the others nowhere in the corpus, where `make test`'s time is short)
SAMPLE: dict[str, int] = {}
for line in filter(None, (v.strip() for v in os.environ.get("CORPUS_NODE_LINES", "").split(","))):
    major, _, every = line.partition("/")
    HOSTS.append(f"node@{major}")
    SAMPLE[f"node@{major}"] = int(every or 1)
PARAMS = [pytest.param(case, host, id=f"{case.name}-{host}")
          for i, case in enumerate(d.CASES) for host in HOSTS if i % SAMPLE.get(host, 1) == 0]
PREVIEW1 = {f.name for f in FUNCTIONS}
TRACE_CALL = re.compile(rb"==> (?:wasi_snapshot_preview1\.)?([a-z_0-9]+)\(")
TRACE_ERRNO = re.compile(rb"<== .*errno=(E[A-Z0-9]+)")
ERRNO_CASE = {"E" + c.name.upper(): c.name for c in ERRNO.cases}


def host_unavailable(host: str) -> str | None:
    """Why `host` cannot run here, or None."""
    binary = d.node_line(host)
    if binary is not None:
        if not binary.exists():
            return f"{host}: {binary.relative_to(d.ROOT)} is not installed (make node-lines)"
        host = "node"
    if host in ("node", "node-wasi", "pyodide-node") and shutil.which("node") is None:
        return "node is not installed"
    if host == "node":
        from harness.hosts.node import NODE_CLI
        if not NODE_CLI.exists():
            return f"{NODE_CLI.relative_to(d.ROOT)} does not exist yet"
    if host in ("firefox", "webkit"):
        from harness import browsers
        return browsers.available(host)
    try:
        get_host(host)
        if host in ("browser", "pyodide"):
            from harness.hosts.chromium import check_available
            check_available()
    except HostError as e:
        return str(e)
    return None


@pytest.fixture(scope="session")
def built() -> dict:
    try:
        return d.build_all()
    except CompileError as e:
        pytest.fail(f"the corpus does not compile:\n{e}", pytrace=False)


# Hosts whose cases run in this process on one session for the module
# (d.IN_PROCESS) rather than on a process each: a Chromium start is ~2.5 s, a
# Pyodide start 2-5 s. Module scope: Playwright's sync API allows one live
# instance per thread, and other test modules start their own; the two
# Chromium hosts share one browser.
SESSIONS = {"browser": "browser_session", "pyodide": "pyodide_session", "pyodide-node": "pyodide_node_session",
            "firefox": "firefox_session", "webkit": "webkit_session"}


@pytest.fixture(scope="module")
def chromium():
    from harness.hosts.chromium import browser

    with browser() as b:
        yield b


@contextlib.contextmanager
def in_process(host: str, session):
    with session:
        d.IN_PROCESS[host] = session.run
        try:
            yield session
        finally:
            d.IN_PROCESS.pop(host, None)


@pytest.fixture(scope="module")
def browser_session(chromium):
    from harness.hosts.browser import BrowserSession

    with in_process("browser", BrowserSession(browser=chromium)) as session:
        yield session


@pytest.fixture(scope="module")
def pyodide_session(chromium):
    from harness.hosts.pyodide_browser import BrowserSession

    with in_process("pyodide", BrowserSession(browser=chromium)) as session:
        yield session


def engine_session(engine: str, title: str):
    """The browser host's page in another engine (harness/browsers), for the module."""
    from harness import browsers
    from harness.hosts.browser import BrowserSession

    with browsers.launch(engine) as b, in_process(engine, BrowserSession(browser=b, engine=title)) as session:
        yield session


@pytest.fixture(scope="module")
def firefox_session():
    yield from engine_session("firefox", "Firefox")


@pytest.fixture(scope="module")
def webkit_session():
    yield from engine_session("webkit", "WebKit")


@pytest.fixture(scope="module")
def pyodide_node_session():
    from harness.hosts.pyodide_node import NodeSession

    with in_process("pyodide-node", NodeSession()) as session:
        yield session


@pytest.fixture(scope="module", autouse=True)
def direct_hosts():
    """node-wasi cases call the host's `run` here, saving a Python start per
    case. (Not wasmtime: in-process, stdin can only be a file, and wasmtime
    reads an empty iovec list from a file and from the command line's pipe
    differently — the wasmtime row runs as the reference does.)"""
    from harness.hosts import node_wasi

    d.IN_PROCESS["node-wasi"] = lambda spec, timeout=None: node_wasi.run(spec, timeout=NODE_WASI_TIMEOUT)
    yield
    d.IN_PROCESS.pop("node-wasi", None)


# Generous: on a loaded machine node:wasi took over 15 s on trap-x-fd_write (a
# wrapping iovec array), and a cut-short run is a different first difference.
NODE_WASI_TIMEOUT = 60


@pytest.mark.parametrize("case,host", PARAMS)
def test_case(case, host, built, tmp_path, request):
    reason = host_unavailable(host)
    if reason:
        if CI:
            pytest.fail(f"under CI every host in CORPUS_HOSTS runs: {host}: {reason}", pytrace=False)
        pytest.skip(reason)
    if host == "node-wasi" and case.name in node_wasi.HANGS:
        pytest.xfail(f"node:wasi, known: {node_wasi.HANGS[case.name]} (not run)")
    if host in SESSIONS:
        request.getfixturevalue(SESSIONS[host])
    expected = d.reference(case, tmp_path)
    actual = d.run_case(host, case, tmp_path)
    diff = d.compare(expected, actual)
    if host == "node-wasi" and case.name in node_wasi.DIVERGES:
        if diff is None:
            pytest.fail(f"node:wasi now agrees with wasmtime on {case.name}: "
                        "take it out of tests/corpus/node_wasi.py", pytrace=False)
        first, recorded = node_wasi.first_difference(diff), node_wasi.FIRST_DIFFERENCE[case.name]
        if first != recorded:
            pytest.fail(f"node:wasi differs from wasmtime on {case.name} otherwise than recorded in "
                        f"tests/corpus/node_wasi.py:\n  recorded: {recorded}\n  now:      {first}\n{diff}",
                        pytrace=False)
        pytest.xfail(f"node:wasi, known: {node_wasi.DIVERGES[case.name]}")
    if host == "node-wasi" and case.name in node_wasi.SLEEPS_SHORT and diff and node_wasi.only_sleeps_short(diff):
        pytest.xfail(f"node:wasi, known: {node_wasi.SLEEPS_SHORT[case.name]}: {node_wasi.first_difference(diff)}")
    if diff:
        pytest.fail(f"{d.describe(case)}\n{host} differs from wasmtime:\n{diff}", pytrace=False)


def test_node_wasi_table_names_real_cases():
    names = {c.name for c in d.CASES}
    assert sorted((set(node_wasi.DIVERGES) | set(node_wasi.HANGS)) - names) == []
    assert not set(node_wasi.DIVERGES) & set(node_wasi.HANGS)
    assert sorted(set(node_wasi.DIVERGES) ^ set(node_wasi.FIRST_DIFFERENCE)) == [], \
        "every known node:wasi difference has its first difference recorded"


def test_only_a_short_sleep_is_tolerated_on_node_wasi():
    def report(host_line, more=b""):
        expected = d.Outcome(b"usleep 10ms: 0\nusleep waited >= 10ms: yes\nsleep 0: 0\n", b"", 0)
        actual = d.Outcome(b"usleep 10ms: 0\nusleep waited >= 10ms: " + host_line + b"\nsleep 0: 0\n" + more, b"", 0)
        return d.compare(expected, actual)
    assert node_wasi.only_sleeps_short(report(b"no"))  # as CI saw it on c-clocks
    assert not node_wasi.only_sleeps_short(report(b"no", b"gmtime: wrong\n"))
    assert not node_wasi.only_sleeps_short(report(b"maybe"))
    assert report(b"yes") is None


def test_corpus_is_big_enough():
    assert len(d.CASES) >= 80, f"only {len(d.CASES)} cases"
    assert len(d.programs()) >= 80, f"only {len(d.programs())} programs"
    used = {c.program for c in d.CASES}
    assert used == set(d.programs()), f"programs without a case: {sorted(set(d.programs()) - used)}; " \
                                      f"cases without a program: {sorted(used - set(d.programs()))}"


def test_corpus_imports_every_function(built):
    imported: set[str] = set()
    for wasm in built.values():
        imported |= wasm_imports.wasi_imports(wasm)
    assert sorted(PREVIEW1 - imported) == [], "preview1 functions no corpus program imports"
    assert sorted(imported - PREVIEW1) == [], "imports that are not preview1 functions"


def test_corpus_calls_every_function(built, tmp_path):
    """The node host's --trace names every function: the calls really happen.

    Cases are run one at a time, each time the one importing the most
    functions not seen in a trace yet (cases meant to trap last), until every
    function was seen or no case imports a missing one: a dozen runs rather
    than the whole corpus."""
    reason = host_unavailable("node")
    if reason:
        pytest.skip(reason)
    imports = {c.name: wasm_imports.wasi_imports(built[c.program]) for c in d.CASES}
    called: set[str] = set()
    tried: set[str] = set()
    while PREVIEW1 - called:
        missing = PREVIEW1 - called
        candidates = [c for c in d.CASES if c.name not in tried and imports[c.name] & missing]
        if not candidates:
            break
        case = max(candidates, key=lambda c: (not c.name.startswith(("trap-", "invalid-")),
                                              len(imports[c.name] & missing)))
        tried.add(case.name)
        outcome = d.run_case("node", case, tmp_path, extra_flags=("--trace",))
        called |= {m.decode() for m in TRACE_CALL.findall(outcome.stderr)}
        assert called, ("the node host printed no `==> name(` trace lines with --trace "
                        f"(stderr began {outcome.stderr[:200]!r}): the trace format changed?")
    assert sorted(PREVIEW1 - called) == [], f"preview1 functions no traced case calls (tried {sorted(tried)})"


def unlisted_errnos(trace: bytes) -> list[str]:
    """`name: ECODE` for each call in a --trace whose errno is not in the
    function's list (spec/errnos.py). A `<==` line belongs to the last `==>`
    before it (calls do not nest; a call that traps has no `<==`)."""
    wrong, name = [], None
    for line in trace.split(b"\n"):
        call = TRACE_CALL.search(line)
        if call:
            name = call.group(1).decode()
            continue
        result = TRACE_ERRNO.search(line)
        if result and name is not None:
            code = result.group(1).decode()
            if code != "ESUCCESS" and ERRNO_CASE.get(code) not in ERRNOS.get(name, ()):
                wrong.append(f"{name}: {code}")
            name = None
    return wrong


def test_unlisted_errnos_reads_a_trace():
    trace = (b"==> fd_close(fd=9)\n<== errno=EBADF\n==> fd_write(fd=1,iovs=0,iovs_len=1)\nhi"
             b"<== (nwritten=2,errno=ESUCCESS)\n==> fd_close(fd=9)\n<== errno=EXDEV\n"
             b"==> proc_exit(rval=0)\n")
    assert unlisted_errnos(trace) == ["fd_close: EXDEV"]


@pytest.mark.parametrize("case", d.CASES, ids=lambda c: c.name)
def test_errnos_are_listed(case, built, tmp_path):
    """Each errno the node host's --trace shows is in the function's list."""
    if "node" not in HOSTS:
        pytest.skip("the node host is not in CORPUS_HOSTS")
    reason = host_unavailable("node")
    if reason:
        pytest.skip(reason)
    outcome = d.run_case("node", case, tmp_path, extra_flags=("--trace",))
    wrong = unlisted_errnos(outcome.stderr)
    assert not wrong, f"{d.describe(case)}\nerrnos not in spec/errnos.py: {sorted(set(wrong))}"
