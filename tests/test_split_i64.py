"""The i64 trampoline (generated/imports.js; spec/RATIONALE.md, "i64 params
through a wasm trampoline in SpiderMonkey") in each browser engine: on by
itself in Firefox only (its imports with an i64 param are then wasm
functions), and forced off and on it gives the same transcript of every
import that takes an i64, at the edge values of 64 bits
(tests/js/helpers/split_i64.mjs; in Node: tests/js/split_i64.test.mjs)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from harness import browsers

ROOT = Path(__file__).resolve().parents[1]
SPLIT = ["clock_time_get", "fd_advise", "fd_allocate", "fd_fdstat_set_rights", "fd_filestat_set_size",
         "fd_filestat_set_times", "fd_pread", "fd_pwrite", "fd_readdir", "fd_seek", "path_filestat_set_times",
         "path_open"]
ON_BY_ITSELF = {"chromium": False, "firefox": True, "webkit": False}


@pytest.fixture(scope="module")
def chromium():
    why = browsers.available("chromium")
    if why:
        pytest.skip(why)  # a failure under CI=true (conftest.py)
    with browsers.launch("chromium") as b:
        yield b


@pytest.mark.parametrize("engine", ["chromium", "firefox", "webkit"])
def test_trampoline_in_browser(engine, request):
    from harness.hosts.chromium import Server

    b = request.getfixturevalue("chromium") if engine == "chromium" else request.getfixturevalue("engine_browser")(engine)
    with Server({"/polyfill/": ROOT / "polyfill", "/tests/": ROOT / "tests"}) as server:
        tab = b.open(server.url("/tests/js/helpers/split_i64_page.html"))
        deadline = time.monotonic() + 60
        result = None
        while result is None and time.monotonic() < deadline:
            result = tab.evaluate("window.splitResult ?? null")
            time.sleep(0.2)
    assert result is not None, "the page gave no result within 60 s"
    assert "error" not in result, result["error"]
    assert result["auto"] is ON_BY_ITSELF[engine], result["ua"]
    assert result["autoWasm"] == (SPLIT if ON_BY_ITSELF[engine] else [])
    off, on = result["off"], result["on"]
    assert off[0] == ["wasm", [[n, False] for n in SPLIT]]
    assert on[0] == ["wasm", [[n, True] for n in SPLIT]]
    assert len(on) == len(off) > 200
    for a, b_ in zip(off[1:], on[1:]):
        assert a == b_
