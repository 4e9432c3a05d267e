"""`wasi-polyfill serve`: headers, MIME types and what it refuses (no browser needed)."""

from __future__ import annotations

import http.client
import subprocess
import sys

import pytest

from harness.serve import ROOT, start_in_thread


@pytest.fixture(scope="module", params=[True, False], ids=["isolated", "plain"])
def server(request):
    s = start_in_thread(0, isolation=request.param)
    yield s, request.param
    s.shutdown()


def get(server, path: str, method: str = "GET") -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
    conn.request(method, path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


@pytest.mark.parametrize("path,mime", [
    ("/web-demo/index.html", "text/html"),
    ("/web-demo/app.js", "text/javascript"),
    ("/web-demo/style.css", "text/css"),
    ("/node_modules/pyodide/pyodide.mjs", "text/javascript"),
    ("/node_modules/pyodide/pyodide.asm.wasm", "application/wasm"),
])
def test_mime_types_and_isolation_headers(server, path, mime):
    srv, isolated = server
    if not (ROOT / path.lstrip("/")).is_file():
        pytest.skip(f"{path} is not there (npm ci)")
    r = get(srv, path)
    assert r.status == 200
    assert r.getheader("Content-Type").split(";")[0] == mime
    coop, coep = r.getheader("Cross-Origin-Opener-Policy"), r.getheader("Cross-Origin-Embedder-Policy")
    assert (coop, coep) == (("same-origin", "require-corp") if isolated else (None, None))


def test_root_redirects_to_the_demo(server):
    srv, _ = server
    for method in ("GET", "HEAD"):
        r = get(srv, "/", method)
        assert r.status == 302 and r.getheader("Location") == "/web-demo/"
    assert srv.url == f"http://127.0.0.1:{srv.server_port}/web-demo/"


@pytest.mark.parametrize("path", ["/.git/HEAD", "/.venv/pyvenv.cfg", "/web-demo/../.git/config", "/nope.js"])
def test_hidden_and_missing_paths_are_404(server, path):
    srv, _ = server
    assert get(srv, path).status == 404


def test_cli_rejects_a_bad_port():
    r = subprocess.run([sys.executable, "-m", "harness", "serve", "--port", "70000"],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 2
    assert r.stderr == "wasi-polyfill: error: --port 70000: not a port number\n"


def test_cli_reports_a_busy_port():
    busy = start_in_thread(0)
    try:
        r = subprocess.run([sys.executable, "-m", "harness", "serve", "--port", str(busy.server_port)],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    finally:
        busy.shutdown()
    assert r.returncode == 1
    assert r.stderr.strip().endswith(f"cannot listen on 127.0.0.1:{busy.server_port}: Address already in use")
