"""Headless Chromium for the browser hosts (`--host pyodide`, later `--host
browser`): a small static server on 127.0.0.1 and a Playwright browser.

    with Server({"/pyodide/": PYODIDE_DIR}) as server:
        server.add_bytes("/index.html", page, "text/html")
        server.add_file("/program.wasm", path)
        with browser() as b:
            page = b.new_page()
            page.goto(server.url("/index.html"))

The server is a `ThreadingHTTPServer` on an ephemeral port of 127.0.0.1
only, serving read-only: directories mounted at URL prefixes, and single
files or byte strings at exact paths. `.wasm` is served as
`application/wasm` (streaming compilation), `.mjs` as JavaScript. Chromium is
Debian's (`/usr/bin/chromium`; Playwright's own download does not work on
these machines), launched headless with the flags below.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import shutil
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import unquote, urlsplit

from . import HostError

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
POLL_S = 0.02  # how often the server's loop looks for shutdown()
TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
         ".json": "application/json", ".html": "text/html; charset=utf-8", ".zip": "application/zip",
         ".map": "application/json"}


class Server:
    """A static HTTP server on 127.0.0.1 (ephemeral port), in a thread."""

    def __init__(self, mounts: dict[str, Path] | None = None, headers: dict[str, str] | None = None) -> None:
        self.mounts = {prefix: Path(d) for prefix, d in (mounts or {}).items()}
        self.files: dict[str, tuple[Path | bytes, str]] = {}
        self.uploads: dict[str, Path] = {}
        # URL prefix -> handler(request, method, path): requests the static files do not answer
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler, str, str], None]] = {}
        self.headers = dict(headers or {})
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def add_file(self, url_path: str, path: str | Path, content_type: str | None = None) -> None:
        self.files[url_path] = (Path(path), content_type or _type(str(path)))

    def add_bytes(self, url_path: str, data: bytes, content_type: str | None = None) -> None:
        self.files[url_path] = (data, content_type or _type(url_path))

    def accept_upload(self, url_path: str, dest: str | Path) -> None:
        """Let the page PUT a body at `url_path`; it is saved to `dest`
        (written to a temporary file, then renamed)."""
        self.uploads[url_path] = Path(dest)

    def url(self, path: str = "/") -> str:
        assert self._httpd is not None, "the server is not running"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{path}"

    def _resolve(self, url_path: str) -> tuple[Path | bytes, str] | None:
        if url_path in self.files:
            return self.files[url_path]
        for prefix, root in self.mounts.items():
            if url_path.startswith(prefix):
                rel = url_path[len(prefix):]
                path = (root / rel).resolve()
                root_resolved = root.resolve()
                if path != root_resolved and root_resolved not in path.parents:
                    return None
                if path.is_file():
                    return path, _type(str(path))
        return None

    def __enter__(self) -> Server:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                if not self._route("GET"):
                    self._serve(body=True)

            def do_POST(self) -> None:  # noqa: N802
                if not self._route("POST"):
                    self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

            def _route(self, method: str) -> bool:
                path = unquote(urlsplit(self.path).path)
                for prefix, handler in server.routes.items():
                    if path.startswith(prefix):
                        handler(self, method, path)
                        return True
                return False

            def do_HEAD(self) -> None:  # noqa: N802
                self._serve(body=False)

            def do_PUT(self) -> None:  # noqa: N802
                dest = server.uploads.get(unquote(urlsplit(self.path).path))
                if dest is None:
                    self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)
                    return
                n = int(self.headers.get("Content-Length", "0"))
                data = self.rfile.read(n)
                tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, dest)
                self.send_response(HTTPStatus.NO_CONTENT)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _serve(self, body: bool) -> None:
                found = server._resolve(unquote(urlsplit(self.path).path))
                if found is None:
                    self.send_error(HTTPStatus.NOT_FOUND)
                    return
                what, ctype = found
                size = len(what) if isinstance(what, bytes) else what.stat().st_size
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(size))
                self.send_header("Cache-Control", "no-store")
                for k, v in server.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if not body:
                    return
                if isinstance(what, bytes):
                    self.wfile.write(what)
                else:  # a large program is streamed, never held whole here
                    with open(what, "rb") as f:
                        shutil.copyfileobj(f, self.wfile, 1 << 20)

            def log_message(self, format: str, *args) -> None:  # quiet
                pass

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        # shutdown() waits for the loop's next poll: 0.5 s by default, a third
        # of a browser-backed CLI run's time (docs/performance.md)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(POLL_S,), name="wasi-polyfill-http",
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


class _QuietServer(ThreadingHTTPServer):
    """A page that goes away mid-request (a closed tab, a crashed browser) is
    normal here: no traceback on the user's terminal. Other errors are kept
    (`errors`) for whoever debugs the server."""

    errors: list[str] = []

    def handle_error(self, request, client_address) -> None:
        import sys as _sys

        exc = _sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        self.errors.append(f"{type(exc).__name__}: {exc}")


def _type(path: str) -> str:
    ext = os.path.splitext(path)[1]
    return TYPES.get(ext) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def check_available() -> None:
    """HostError unless Playwright and Chromium are there."""
    try:
        import playwright.sync_api  # noqa: F401
    except ModuleNotFoundError:
        raise HostError("the playwright package is not installed (pip install -e '.[dev]')") from None
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        raise HostError(f"{CHROMIUM} is not installed (apt-get install chromium)")


@contextlib.contextmanager
def browser() -> Iterator:
    """A headless Debian Chromium through Playwright (sync API)."""
    check_available()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
