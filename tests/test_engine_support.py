"""docs/engines.md's support table (engine x what the polyfill does there)
is measured here, in each engine, and this test fails when the table says
otherwise (the way tests/test_browsers.py checks the engine-features table).

Per engine, on the browser host's page (harness/hosts/browser.py) in a
browser of harness/browsers:
- sync mode: the web demo's transform example writes into a --dir (MemFS,
  written back): exact stdout and the file on the host;
- stdin: guess.c with its stdin given (the worker pulls it from the page's
  server by synchronous XHR, as interactive stdin does);
- async mode: the same run with --async (JSPI) works, or fails in one line
  saying the engine lacks JSPI;
- HandleDirectory over OPFS: the same transform with the dir a
  HandleDirectory in the worker (sync access handles), written back;
- UrlDirectory: wc reads a file of a --dir that is a URL (the tree and its
  index served from 127.0.0.1 by `wasi-polyfill serve`'s handler);
- the web demo's stdin mode, served with and without the isolation headers:
  demoMode()'s rule (web-demo/runs.js) on the engine's measured features;
  tests/test_web_demo.py and tests/test_web_demo_engines.py check that the
  page shows exactly that mode.
Interactive stdin line by line through `wasi-polyfill run --host ENGINE` is
tests/test_runner.py's (every host in CORPUS_HOSTS); the whole corpus on
each engine against wasmtime is tests/test_corpus.py's.

Firefox and WebKit run on the session's browsers (`engine_browser`,
tests/conftest.py); Chromium on one of this module's own (Playwright's sync
API allows one live instance per thread, and other modules start theirs).
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import tempfile
from pathlib import Path

import pytest

from harness import browsers
from harness.browsers import features
from harness.hosts import HostError, RunSpec

ROOT = Path(__file__).resolve().parents[1]
ENGINES_DOC = ROOT / "docs" / "engines.md"
TITLES = {"chromium": "Chromium", "firefox": "Firefox", "webkit": "WebKitGTK"}

COLUMNS = ["sync mode (`--host`)", "stdin (worker sync XHR)", "async mode (`--async`, JSPI)",
           "web demo's stdin (isolated / not)", "MemFS, written back to `--dir`",
           "HandleDirectory (OPFS, worker)", "UrlDirectory (`--dir URL`)"]


def header() -> list[str]:
    return ["| engine | " + " | ".join(COLUMNS) + " |", "| --- " * (len(COLUMNS) + 1) + "|"]


def documented_rows() -> dict[str, str]:
    lines = ENGINES_DOC.read_text().splitlines()
    head = header()
    at = next((i for i in range(len(lines)) if lines[i:i + len(head)] == head), None)
    assert at is not None, "docs/engines.md has no support table headed\n" + "\n".join(head)
    return {line.split("|")[1].strip(): line.strip()
            for line in itertools.takewhile(lambda ln: ln.startswith("|"), lines[at + len(head):])}


def demo_mode(isolated: bool, have: dict) -> str:
    """web-demo/runs.js demoMode() on an engine with `have` (features.measure)."""
    if isolated and have["crossOriginIsolated"] and have["SharedArrayBuffer"]:
        return "Worker"
    return "JSPI" if have["JSPI"] else "up front"


@pytest.fixture(scope="module")
def examples() -> dict[str, Path]:
    from harness.web_demo import build

    return {p.stem: p for p in build()}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A tree with its index (`wasi-polyfill index`), served from 127.0.0.1 to any origin."""
    import json
    import threading

    from harness.serve import HOST, DemoHandler, DemoServer
    from harness.tree import read_host_tree, to_json

    class Cors(DemoHandler):
        isolation = False
        quiet = True

        def end_headers(self) -> None:
            self.send_header("Access-Control-Allow-Origin", "*")
            super().end_headers()

    root = tmp_path_factory.mktemp("served")
    (root / "a.txt").write_bytes(b"one two\nthree\n")
    (root / "index.json").write_text(json.dumps(to_json(read_host_tree(str(root), data=False))))
    server = DemoServer((HOST, 0), lambda *a: Cors(*a, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://{HOST}:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chromium():
    why = browsers.available("chromium")
    if why:
        pytest.skip(why)  # a failure under CI=true (conftest.py)
    with browsers.launch("chromium") as b:
        yield b


def browser_of(engine: str, request):
    if engine == "chromium":
        return request.getfixturevalue("chromium")
    return request.getfixturevalue("engine_browser")(engine)


def run(session, spec: RunSpec) -> tuple[int, bytes, bytes]:
    return run_on(session, spec)


def run_on(session, spec: RunSpec, **how) -> tuple[int, bytes, bytes]:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        status = session.run(dataclasses.replace(spec, stdout=out, stderr=err), **how)
        out.seek(0)
        err.seek(0)
        return status, out.read(), err.read()


@pytest.mark.parametrize("engine", list(TITLES))
def test_support_table_is_as_measured(engine, request, examples, served, tmp_path):
    from harness.hosts.browser import BrowserSession

    browser = browser_of(engine, request)
    have = features.measure(browser)
    cells = []
    with BrowserSession(browser=browser, engine=TITLES[engine]) as session:
        # sync mode, on MemFS written back to the host dir
        data = tmp_path / "data"
        data.mkdir()
        (data / "a.txt").write_bytes(b"abc\n")
        transform = RunSpec(program=str(examples["transform"]), args=["upper", "/data"],
                            dirs=[(str(data), "/data")], write_back=True, stdin=io.BytesIO(b""))
        ran = run(session, transform)
        transform_out = b"upper: a.txt -> out/a.txt (4 bytes)\n1 file, 4 bytes, written to /data/out\n"
        sync_ok = ran == (0, transform_out, b"")
        written_back = (data / "out" / "a.txt").read_bytes() == b"ABC\n" if sync_ok else False
        cells.append("yes" if sync_ok else f"no: {ran}")

        def guessed(**how) -> str:
            spec = RunSpec(program=str(examples["guess"]), stdin=io.BytesIO(b"50\n42\n"), **how)
            status, out, _ = run(session, spec)
            right = out.endswith(b"Too high.\nYour guess? Correct! 42 it is, found in 2 tries.\n")
            return "yes" if (status, right) == (0, True) else f"no: {status} {out[-80:]!r}"

        cells.append(guessed())
        try:
            cells.append(guessed(async_mode=True))
        except HostError as e:
            why = str(e)
            assert "\n" not in why, why
            cells.append("no: one line, exit 2" if "lacks" in why and "JSPI" in why.replace(
                "JavaScript Promise Integration", "JSPI") else f"no: {why}")
        # the same transform, its dir a HandleDirectory over OPFS in the worker
        opfs = tmp_path / "opfs"
        opfs.mkdir()
        (opfs / "a.txt").write_bytes(b"abc\n")
        try:
            ran = run_on(session, dataclasses.replace(transform, dirs=[(str(opfs), "/data")]), storage="opfs")
        except HostError as e:
            ran = str(e)
        on_opfs = ran == (0, transform_out, b"") and (opfs / "out" / "a.txt").read_bytes() == b"ABC\n"
        handle_cell = "yes" if on_opfs else "no: the engine has no OPFS" if not have["opfs"] else f"no: {ran}"
        # wc over a UrlDirectory
        wc = RunSpec(program=str(examples["wc"]), args=["/lib/a.txt"], dirs=[(served, "/lib")], stdin=io.BytesIO(b""))
        try:
            ran = run(session, wc)
        except HostError as e:
            ran = str(e)
        url_cell = "yes" if ran == (0, b"      2       3      14 /lib/a.txt\n", b"") else f"no: {ran}"
    cells.append(f"{demo_mode(True, have)} / {demo_mode(False, have)}")
    cells.append("yes" if written_back else "no")
    cells += [handle_cell, url_cell]
    measured = f"| {engine} | " + " | ".join(cells) + " |"
    assert documented_rows().get(engine) == measured, f"docs/engines.md should say:\n{measured}"
