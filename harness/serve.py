"""`wasi-polyfill serve`: the web demo on http://127.0.0.1:PORT/web-demo/.

Serves the repository root, so the page reaches the browser bundle
(`../polyfill/dist/browser/trace.js`) and Pyodide (`../node_modules/pyodide/`)
by relative URL, with no build step of its own.

Every response carries the two headers that make the page cross-origin
isolated (`crossOriginIsolated === true`), which is what gives it
`SharedArrayBuffer` and so lets a program in the worker block in `fd_read`
until the user types a line:

    Cross-Origin-Opener-Policy: same-origin
    Cross-Origin-Embedder-Policy: require-corp

`--no-isolation` leaves them out, to see (and test) the page's fallback,
where stdin is taken up front.

Only 127.0.0.1 is ever bound: this is a development server, not a web server.
"""

from __future__ import annotations

from harness.paths import ROOT

import http.server
import sys
import threading
from functools import partial
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEMO_PATH = "/web-demo/"

ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}

# The system's mimetypes table varies by machine (and Python's default for
# .js has changed over time); the ones the page depends on are pinned.
MIME_TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".zip": "application/zip",
    ".tar": "application/x-tar",
    ".c": "text/plain",
    ".py": "text/plain",
    ".md": "text/plain",
    ".txt": "text/plain",
}


class DemoHandler(http.server.SimpleHTTPRequestHandler):
    # Keep-alive: the page loads a dozen modules; one connection serves them.
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: without this, on a kept-alive connection the body waits
    # for the client's delayed ACK (~40 ms per response on Linux; a UrlDirectory's file reads felt it).
    disable_nagle_algorithm = True
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    isolation = True
    quiet = False

    def end_headers(self) -> None:
        if self.isolation:
            for name, value in ISOLATION_HEADERS.items():
                self.send_header(name, value)
        # A development server: always revalidate, so an edit shows on reload.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]  (GET and HEAD)
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path in ("/", "/index.html"):
            self.send_response(302)
            self.send_header("Location", DEMO_PATH)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        # .git, .venv and friends are nobody's business, even on localhost.
        if any(part.startswith(".") for part in path.split("/")):
            self.send_error(404)
            return None
        return super().send_head()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)


class DemoServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        # A browser that drops a connection mid-response (a reload, a
        # cancelled fetch) is not an error worth a traceback.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_port}{DEMO_PATH}"


def make_server(port: int = DEFAULT_PORT, *, root: Path = ROOT, isolation: bool = True,
                quiet: bool = False) -> DemoServer:
    """A server bound to 127.0.0.1:`port` (0: any free port), not yet serving."""
    handler = type("Handler", (DemoHandler,), {"isolation": isolation, "quiet": quiet})
    return DemoServer((HOST, port), partial(handler, directory=str(root)))


def start_in_thread(port: int = 0, **kwargs: object) -> DemoServer:
    """Serve in a daemon thread (for tests); stop with `server.shutdown()`."""
    server = make_server(port, quiet=True, **kwargs)  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, name="wasi-polyfill-serve", daemon=True).start()
    return server


def serve(port: int = DEFAULT_PORT, *, isolation: bool = True, build_examples: bool = True) -> int:
    """`wasi-polyfill serve`: build the demo's examples, then serve until Ctrl-C."""
    if build_examples:
        from .toolchain import CompileError

        try:
            from .web_demo import build

            build(verbose=True)
        except CompileError as e:
            print(f"wasi-polyfill: error: the demo's examples did not build: {e}", file=sys.stderr)
            return 1
    bundle = ROOT / "polyfill" / "dist" / "browser" / "index.js"
    if not bundle.is_file():
        print(f"wasi-polyfill: warning: {bundle.relative_to(ROOT)} is missing; "
              "run `make build` (or `node polyfill/build.mjs`) first", file=sys.stderr)
    try:
        server = make_server(port, isolation=isolation)
    except OSError as e:
        print(f"wasi-polyfill: error: cannot listen on {HOST}:{port}: {e.strerror}", file=sys.stderr)
        return 1
    with server:
        note = "" if isolation else " (without cross-origin isolation)"
        print(f"Serving the web demo{note} at {server.url}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0
