"""UrlDirectory (issue #15): the corpus's read-only cases with their
preopened trees served over HTTP from 127.0.0.1, on the node host and in
Chromium (`--host browser`), must give native wasmtime's stdout, stderr and
exit status byte for byte.

The trees are served by `wasi-polyfill serve`'s handler (Python's static
server: it ignores Range) with one header more, Access-Control-Allow-Origin
(the browser host's page is another origin), each with the index
`wasi-polyfill index` writes; the program runs as `wasi-polyfill run --host
node|browser --dir URL::GUEST` does.
Which cases are read-only is `corpus.cases.READ_ONLY` (the cases whose
outcome under wasmtime is the same with their dirs on a read-only mount);
each run here also checks that wasmtime left that case's trees unchanged.
The fetching itself (5 of 2,000 files, ranges, faults) is tested in
tests/js/urldir.test.mjs; the faults are tested here in Chromium too.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import contextlib
import io
import threading

import pytest

import differential as d
from corpus.cases import READ_ONLY
from harness.hosts import RunSpec
from harness.hosts.node import NODE_CLI, node_binary
from harness.serve import DemoHandler, DemoServer, HOST
from harness.tree import read_host_tree, to_json

CASES = [c for c in d.CASES if c.name in READ_ONLY]


def test_read_only_list_names_cases():
    assert set(READ_ONLY) <= {c.name for c in d.CASES}
    assert len(CASES) >= 60


class CorsHandler(DemoHandler):
    """`wasi-polyfill serve`'s handler, readable from another origin."""
    isolation = False
    quiet = True

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if shutil.which("node") is None:
        pytest.fail("node is not installed")
    root = tmp_path_factory.mktemp("served")
    server = DemoServer((HOST, 0), lambda *a: CorsHandler(*a, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://{HOST}:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chromium():
    """One Chromium for the module (a missing Chromium fails here, CI or not: make setup installs it)."""
    from harness.hosts.chromium import browser as launch

    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def browser(chromium):
    """The browser host's page (`--host browser`) on that Chromium."""
    from harness.hosts.browser import BrowserSession

    with BrowserSession(browser=chromium) as session:
        yield session


def test_index_cli(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_bytes(b"abc")
    (tmp_path / "hard").hardlink_to(tmp_path / "d" / "a.txt")
    (tmp_path / "link").symlink_to("d/a.txt")
    (tmp_path / "index.json").write_text("{}")  # an earlier index is not part of the tree
    out = subprocess.run([d.sys.executable, "-m", "harness", "index", str(tmp_path)], capture_output=True,
                         check=True, cwd=d.ROOT).stdout
    tree = json.loads(out)
    a = tree["entries"]["d"]["entries"]["a.txt"]
    assert sorted(tree["entries"]) == ["d", "hard", "link"]
    assert (a["type"], a["size"], a["sha256"]) == (
        "file", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    assert "data" not in a and a["id"] == tree["entries"]["hard"]["id"]
    assert tree["entries"]["link"] == {"type": "symlink", "target": "d/a.txt", "mtim": tree["entries"]["link"]["mtim"],
                                       "atim": tree["entries"]["link"]["atim"]}
    assert isinstance(a["mtim"], str) and int(a["mtim"]) > 0
    bad = subprocess.run([d.sys.executable, "-m", "harness", "index", str(tmp_path / "nowhere")],
                         capture_output=True, cwd=d.ROOT)
    assert (bad.returncode, bad.stdout) == (2, b"")
    assert bad.stderr == f"wasi-polyfill: error: {tmp_path / 'nowhere'}: not a directory\n".encode()


def serve_case(case, root, base) -> list[tuple[str, str]]:
    """The case's trees under `root`, each with its index: [(URL, guest path)]."""
    dirs = []
    for i, (guest, tree) in enumerate(case.dirs.items()):
        host_dir = root / case.name / f"dir{i}"
        if not host_dir.exists():
            d.make_tree(host_dir, tree)
            (host_dir / "index.json").write_text(json.dumps(to_json(read_host_tree(str(host_dir), data=False))))
        dirs.append((f"{base}/{case.name}/dir{i}/", guest))
    return dirs


@pytest.mark.parametrize("host", ["node", "browser"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_read_only_case_on_url_directory(case, host, served, request, tmp_path):
    expected = d.reference(case, tmp_path)
    assert expected.tree == d._initial(case), "a READ_ONLY case changed its trees under wasmtime"
    dirs = serve_case(case, *served)
    program = d.wasm_for(case).relative_to(d.ROOT).as_posix()
    if host == "node":
        flags = [x for url, guest in dirs for x in ("--dir", f"{url}::{guest}")]
        flags += [x for k, v in case.env for x in ("--env", f"{k}={v}")]
        cmd = [node_binary(), str(NODE_CLI), "run", *flags, "--", program, *case.args]
        proc = subprocess.run(cmd, input=case.stdin, capture_output=True, timeout=d.TIMEOUT, cwd=d.ROOT)
        actual = d.Outcome(proc.stdout, proc.stderr, proc.returncode)
    else:
        session = request.getfixturevalue("browser")
        out, err = io.BytesIO(), io.BytesIO()
        spec = RunSpec(program=program, args=list(case.args), env=list(case.env), dirs=dirs,
                       stdin=io.BytesIO(case.stdin), stdout=out, stderr=err)
        with contextlib.chdir(d.ROOT):
            status = session.run(spec, timeout=d.TIMEOUT)
        actual = d.Outcome(out.getvalue(), err.getvalue(), status)
    diff = d.compare(d.Outcome(expected.stdout, expected.stderr, expected.status), actual)
    assert diff is None, diff


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """tests/js/helpers/url_server.mjs (it fails on purpose by file name) on a small tree with its index."""
    root = tmp_path_factory.mktemp("faulty")
    (root / "dir").mkdir()
    (root / "dir" / "inner.txt").write_text("inner\n")
    (root / "fail500.txt").write_text("never served\n")
    (root / "drop.bin").write_bytes(bytes(range(256)) * 400)
    (root / "index.json").write_text(json.dumps(to_json(read_host_tree(str(root), data=False))))
    server = subprocess.Popen([node_binary(), str(d.ROOT / "tests" / "js" / "helpers" / "url_server.mjs"), str(root)],
                              stdout=subprocess.PIPE)
    try:
        yield f"http://127.0.0.1:{server.stdout.readline().decode().strip()}/"
    finally:
        server.kill()
        server.wait()


@pytest.mark.parametrize("async_mode", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("name", ["fail500.txt", "drop.bin"])
def test_browser_fault_is_eio_and_the_page_stays_usable(name, async_mode, faulty, browser):
    """HTTP 500 and a connection closed mid-body: EIO for the guest's read, no byte of the file, and the
    same page runs the next program; by synchronous XHR, and in async mode (--async: the worker's
    UrlDirectory fetches, the guest waiting through JSPI)."""
    tool = (d.ROOT / "tests" / "js" / "probe" / "tool.wasm").relative_to(d.ROOT).as_posix()

    def run(*args: str) -> tuple[int, bytes, bytes]:
        out, err = io.BytesIO(), io.BytesIO()
        spec = RunSpec(program=tool, args=list(args), dirs=[(faulty, "/lib")], stdin=io.BytesIO(b""),
                       stdout=out, stderr=err, async_mode=async_mode)
        with contextlib.chdir(d.ROOT):
            status = browser.run(spec, timeout=60)
        return status, out.getvalue(), err.getvalue()

    assert run("read", f"/lib/{name}") == (1, b"", f"read /lib/{name}: I/O error\n".encode())
    assert run("cat", "/lib/dir/inner.txt") == (0, b"inner\n", b"")


def test_hosts_that_cannot_mount_a_url_say_so():
    for argv, line in [
        (["run", "--host", "wasmtime", "--dir", "http://127.0.0.1:9/t/::/lib", "tests/js/probe/tool.wasm", "ls", "/lib"],
         "wasi-polyfill: error: --dir URL: host 'wasmtime' cannot mount a tree over HTTP "
         "(hosts that can: browser, firefox, node, webkit)\n"),
        (["compare", "--dir", "http://127.0.0.1:9/t/::/lib", "tests/js/probe/tool.wasm", "ls", "/lib"],
         "wasi-polyfill: error: --dir URL: compare runs wasmtime, which cannot mount a tree over HTTP "
         "(use run --host node|browser)\n"),
    ]:
        p = subprocess.run([d.sys.executable, "-m", "harness", *argv], capture_output=True, text=True, cwd=d.ROOT)
        assert (p.returncode, p.stdout, p.stderr) == (2, "", line)


def test_main_thread_sync_reads_over_serve(chromium):
    """A sync WASI on a page's main thread (synchronous XHR, bytes as x-user-defined text), the tree and the
    page served by `wasi-polyfill serve` (same origin; it ignores Range: the large file comes whole, once)."""
    import hashlib

    from harness.serve import start_in_thread

    tree = d.ROOT / "build" / "test-urldir-page"
    shutil.rmtree(tree, ignore_errors=True)
    (tree / "d").mkdir(parents=True)
    (tree / "d" / "m.txt").write_text("main thread\n")
    data = hashlib.sha256(b"seed").digest() * 6250  # 200,000 bytes: above the page's 64 KiB range threshold
    (tree / "bin").write_bytes(data)
    (tree / "gone").write_text("indexed, then removed\n")
    (tree / "index.json").write_text(json.dumps(to_json(read_host_tree(str(tree), data=False))))
    (tree / "gone").unlink()
    server = start_in_thread(0, isolation=False)
    page = chromium.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/tests/js/helpers/urldir_page.html?tree=/build/test-urldir-page/")
        page.wait_for_function("window.result !== undefined", timeout=60_000)
        r = page.evaluate("window.result")
    finally:
        page.close()
        server.shutdown()
        server.server_close()
        shutil.rmtree(tree, ignore_errors=True)
    assert "error" not in r, r.get("error")
    assert (r["code"], r["first"], r["sha256"]) == (1, "main thread\n", hashlib.sha256(data).hexdigest())
    assert r["stderr"] == "read /lib/gone: I/O error\n"
    assert r["stats"]["requests"] == 4  # the index, m.txt, bin (asked for a range, sent whole), gone (404)
