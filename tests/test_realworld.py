"""Real programs: large C programs built here from registry packages
(tests/realworld/build.py), each case run on native wasmtime (the reference)
and on every host in REALWORLD_HOSTS, with stdout, stderr, exit status and
the final trees (the database file byte for byte) compared as the corpus
does (tests/differential.py).

    pytest tests/test_realworld.py
    REALWORLD_HOSTS=node REALWORLD_NODE_LINES= pytest tests/test_realworld.py

Default hosts: node, browser (Chromium), firefox and webkit, in-process on one page
each (the corpus's session fixtures), and node under each Node line in
REALWORLD_NODE_LINES (default 22,24,26: build/node-lines/N, `make
node-lines`). A host or package that is missing skips with the reason; under
CI=true it fails.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

import differential as d
from corpus.cases import Case
from harness.toolchain import CompileError
# the corpus's in-process sessions: one page per engine for this module
from test_corpus import (SESSIONS, browser_session, chromium, firefox_session,  # noqa: F401
                         host_unavailable, pyodide_session, webkit_session, pyodide_node_session)

sys.path.insert(0, str(Path(__file__).resolve().parent / "realworld"))
import build as realworld  # noqa: E402

CI = os.environ.get("CI") == "true"
HERE = Path(__file__).resolve().parent / "realworld"
HOSTS = [h.strip() for h in os.environ.get("REALWORLD_HOSTS", "node,browser,firefox,webkit").split(",") if h.strip()]
HOSTS += [f"node@{v.strip()}" for v in os.environ.get("REALWORLD_NODE_LINES", "22,24,26").split(",") if v.strip()]

SQL = (HERE / "sqlite.sql").read_text()
LUA = (HERE / "lua_script.lua").read_text()

# program: a name in realworld.PROGRAMS (d.wasm_for finds it in d._built)
CASES = [
    Case("sqlite-script", "realworld:sqlite", args=("/data/test.db", ".read /data/script.sql"),
         env=(("HOME", "/data"),), dirs={"/data": {"script.sql": SQL}},
         note="SQLite's shell runs a script making a database file, an index, JSON output and a .output file"),
    Case("sqlite-stdin", "realworld:sqlite", args=("-bail", "/data/test.db"),
         env=(("HOME", "/data"),), stdin=SQL.encode() + b".dump\n", dirs={"/data": {"sub": {}}},
         note="the same script on stdin, then .dump"),
    Case("lua-script", "realworld:lua", args=("/data/script.lua", "first"), env=(("GREETING", "hi"),),
         stdin=b"one\ntwo\n", dirs={"/data": {"script.lua": LUA, "input.txt": "alpha\nbeta\ngamma\n"}},
         note="Lua's interpreter: strings, tables, file I/O in /data, stdin, stderr, os.exit(3)"),
]
STATUS = {"lua-script": 3}  # wasmtime's, checked so a broken build cannot pass everywhere alike

BUILD_TIMES: dict[str, float] = {}


def _fail_or_skip(msg: str):
    if CI:
        pytest.fail(f"under CI every real program builds: {msg}", pytrace=False)
    pytest.skip(msg)


@pytest.fixture(scope="session")
def built():
    """Build every real program once per session (cached across sessions)."""
    out = {}
    for name in realworld.PROGRAMS:
        start = time.monotonic()
        try:
            out[name] = realworld.build(name)
        except realworld.FetchError as e:
            _fail_or_skip(f"{name}: {e}")
        except CompileError as e:
            pytest.fail(str(e), pytrace=False)
        BUILD_TIMES[name] = time.monotonic() - start
        d._built[f"realworld:{name}"] = out[name]
    return out


@pytest.mark.parametrize("case,host", [pytest.param(c, h, id=f"{c.name}-{h}") for c in CASES for h in HOSTS])
def test_realworld(case, host, built, tmp_path, request):
    reason = host_unavailable(host)
    if reason:
        _fail_or_skip(f"{host}: {reason}")
    if host in SESSIONS:
        request.getfixturevalue(SESSIONS[host])
    expected = d.reference(case, tmp_path)
    assert expected.status == STATUS.get(case.name, 0), f"wasmtime: {case.name} failed:\n{expected.stderr.decode(errors='replace')}"
    actual = d.run_case(host, case, tmp_path)
    diff = d.compare(expected, actual)
    if diff:
        pytest.fail(f"{d.describe(case)}\n{host} differs from wasmtime:\n{diff}", pytrace=False)


def test_programs_are_big(built):
    """Real programs: each over 100 KiB of wasm."""
    for name, wasm in built.items():
        assert wasm.stat().st_size > 100_000, f"{name}: {wasm.stat().st_size} bytes"
