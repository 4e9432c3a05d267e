"""`--host pyodide`: the reference host under Pyodide in headless Chromium.

A page served from 127.0.0.1 (hosts/chromium.py) loads Pyodide from
node_modules/pyodide (`indexURL`), unpacks the package bundle
(hosts/pyodide_bundle.py) and runs the job as `--host pyodide-node` does:
the module is compiled and instantiated asynchronously (Chromium refuses
synchronous compilation of a module over 8 MB on the main thread). Stdin is
read up front and passed in; stdout and stderr stream back as they are
written, through a function the page calls (`wasiWrite`); the trees come
back as data for `--write-back`. Exit statuses and error lines are those of
the native refhost host.

`BrowserSession` keeps one browser page with Pyodide loaded, for running
many programs (the corpus in tests, `compare` with other browser hosts on
one Chromium): each gets a fresh host, only the interpreter is shared.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import contextlib
import time
from pathlib import Path
from typing import Any, Callable

from . import HostError, RunSpec
from .chromium import Server, browser as launch_browser
from .pyodide_bundle import BUILD, PYODIDE_DIR, bundle
from .pyodide_node import finish
from refhost import job_for

PAGE = rb"""<!doctype html>
<meta charset="utf-8">
<title>wasi-polyfill: reference host under Pyodide</title>
<script type="module">
const written = { 1: 0, 2: 0 };
let pyodide = null;

function b64(u8) {
  let s = "";
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
  return btoa(s);
}

const EXTRACT_DIR = "/lib/refhost_bundle";
const PRELOAD = ["refhost", "refhost.wasi", "refhost.job",
                 "refhost.generated.trace", "json", "base64"];
const output = { stdout: (s) => console.log(s), stderr: (s) => console.log(s) };

async function unpack(py, bundleUrl) {
  const pkg = new Uint8Array(await (await fetch(bundleUrl)).arrayBuffer());
  py.unpackArchive(pkg, "zip", { extractDir: EXTRACT_DIR });
  py.runPython(`import sys\nif "${EXTRACT_DIR}" not in sys.path: sys.path.insert(0, "${EXTRACT_DIR}")`);
}

// A memory snapshot with the package imported (Pyodide's private
// _makeSnapshot/_loadSnapshot, as in pyodide_node_run.mjs), PUT to the server.
window.makeSnapshot = async (bundleUrl, uploadUrl) => {
  const { loadPyodide } = await import("/pyodide/pyodide.mjs");
  const py = await loadPyodide({ indexURL: "/pyodide/", ...output, _makeSnapshot: true });
  await unpack(py, bundleUrl);
  py.runPython(PRELOAD.map((m) => `import ${m}`).join("\n"));
  const snap = py.makeMemorySnapshot();
  await fetch(uploadUrl, { method: "PUT", body: snap });
  return snap.length;
};

window.startPyodide = async (bundleUrl, snapshotUrl) => {
  if (pyodide) return 0;
  const t0 = performance.now();
  const { loadPyodide } = await import("/pyodide/pyodide.mjs");
  if (snapshotUrl) {
    try {
      const snap = new Uint8Array(await (await fetch(snapshotUrl)).arrayBuffer());
      pyodide = await loadPyodide({ indexURL: "/pyodide/", ...output, _loadSnapshot: snap });
    } catch (e) {
      pyodide = null;
    }
  }
  if (!pyodide) pyodide = await loadPyodide({ indexURL: "/pyodide/", ...output });
  await unpack(pyodide, bundleUrl);
  return performance.now() - t0;
};

window.runJob = async (jobJson, programUrl) => {
  written[1] = written[2] = 0;
  const engine = pyodide.pyimport("refhost.engines.pyodide");
  const wasm = new Uint8Array(await (await fetch(programUrl)).arrayBuffer());
  const io = {
    write(fd, u8) { written[fd] += u8.length; window.wasiWrite(fd, b64(u8)); },
    readStdin() { return new Uint8Array(0); },
    isatty() { return false; },
  };
  const t0 = performance.now();
  const result = await engine.run_job(jobJson, wasm, io);
  return { result, written: { ...written }, ms: performance.now() - t0 };
};
window.pageReady = true;
</script>
"""


class BrowserSession:
    """One Chromium page with Pyodide and the bundle loaded, for many runs.

        with BrowserSession() as session:          # or BrowserSession(browser=b)
            status = session.run(spec)

    Given a Playwright `browser`, the session opens its pages there and
    leaves the browser open when it closes; else it launches a Chromium of
    its own. Playwright's sync API binds it to the thread that opened it.
    """

    def __init__(self, browser: Any = None) -> None:
        if not (PYODIDE_DIR / "pyodide.mjs").exists():
            raise HostError(f"{PYODIDE_DIR} is missing (npm ci)")
        self.bundle = bundle()
        self.server = Server({"/pyodide/": PYODIDE_DIR, "/bundle/": BUILD})
        self.server.add_bytes("/index.html", PAGE, "text/html; charset=utf-8")
        self.sinks: dict[int, Callable[[bytes], None]] = {}
        self.received = {1: 0, 2: 0}
        self._given_browser = browser
        self._stack = contextlib.ExitStack()
        self.startup_ms = 0.0
        self.last_ms = 0.0

    def __enter__(self) -> BrowserSession:
        try:
            self._stack.enter_context(self.server)
            b = self._given_browser
            if b is None:
                b = self._stack.enter_context(launch_browser())
            bundle_url = f"/bundle/{self.bundle.name}"
            snapshot = self._snapshot(b, bundle_url)
            self.page = b.new_page()
            self._stack.callback(_close_page, self.page)
            self.page.expose_function("wasiWrite", self._on_write)
            self.page.goto(self.server.url("/index.html"))
            self.page.wait_for_function("window.pageReady === true")
            t0 = time.perf_counter()
            self.page.evaluate("([b, s]) => window.startPyodide(b, s)",
                               [bundle_url, f"/bundle/{snapshot.name}" if snapshot else None])
            self.startup_ms = (time.perf_counter() - t0) * 1000
        except BaseException:
            self._stack.close()
            raise
        return self

    def _snapshot(self, b, bundle_url: str) -> Path | None:
        """The browser's Pyodide snapshot for this bundle, made (in a page of
        its own) if missing; None if it cannot be made."""
        from .pyodide_bundle import pyodide_version

        path = BUILD / f"browser-snapshot-{pyodide_version()}-{self.bundle.stem.split('-')[-1]}.bin"
        failed = path.with_suffix(".failed")
        if path.exists():
            return path
        if failed.exists():
            return None
        self.server.accept_upload("/upload/snapshot", path)
        page = b.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(self.server.url("/index.html"))
            page.wait_for_function("window.pageReady === true")
            page.evaluate("([b, u]) => window.makeSnapshot(b, u)", [bundle_url, "/upload/snapshot"])
        except Exception as e:  # noqa: BLE001 - fall back to an ordinary start
            failed.write_text(f"{e}\n{errors}")
            return None
        finally:
            page.close()
        return path if path.exists() else None

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _on_write(self, fd: int, data_b64: str) -> None:
        data = base64.b64decode(data_b64)
        self.received[fd] = self.received.get(fd, 0) + len(data)
        sink = self.sinks.get(fd)
        if sink is not None:
            sink(data)

    def run(self, spec: RunSpec, timeout: float | None = None) -> int:
        """Run one program as `wasi-polyfill run --host pyodide` would; the
        exit status. (`timeout` is accepted for the hosts' common signature;
        a run in Pyodide cannot be interrupted from outside.)"""
        if not os.path.isfile(spec.program):
            raise HostError(f"{spec.program}: no such file")
        job, hosts = job_for(spec)
        data = job.to_json()
        data["write_back"] = spec.write_back
        stdin = spec.stdin if spec.stdin is not None else sys.stdin.buffer
        data["stdin"] = base64.b64encode(stdin.read()).decode("ascii")
        if spec.stdout is None:
            sys.stdout.flush()
        if spec.stderr is None:
            sys.stderr.flush()
        result = self.run_job(data, os.path.abspath(spec.program), _sink(spec.stdout, 1), _sink(spec.stderr, 2))
        return finish(spec, hosts, result)

    def run_job(self, job_json: dict, program: str, stdout: Callable[[bytes], None],
                stderr: Callable[[bytes], None]) -> dict:
        """Run one job; stdout/stderr get the guest's output as it comes."""
        self.sinks = {1: stdout, 2: stderr}
        self.received = {1: 0, 2: 0}
        self.server.add_file("/program.wasm", program, "application/wasm")
        answer = self.page.evaluate("([job, url]) => window.runJob(job, url)",
                                    [json.dumps(job_json), "/program.wasm"])
        # Output calls may still be queued behind the answer: wait for every byte.
        want = {int(fd): n for fd, n in answer["written"].items()}
        deadline = time.monotonic() + 60
        while any(self.received.get(fd, 0) < n for fd, n in want.items()) and time.monotonic() < deadline:
            self.page.wait_for_timeout(2)
        self.last_ms = answer["ms"]
        return json.loads(answer["result"])


def _sink(f, fd: int) -> Callable[[bytes], None]:
    if f is None:
        def write(data: bytes) -> None:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        return write

    def write_stream(data: bytes) -> None:
        f.write(data)
        f.flush()
    return write_stream


def _close_page(page: Any) -> None:
    with contextlib.suppress(Exception):
        page.close()


def run(spec: RunSpec, session: BrowserSession | None = None, browser: Any = None,
        timeout: float | None = None) -> int:
    """`--host pyodide`: on `session` if given, else on a session of its own
    (on `browser` if given, else on a Chromium of its own)."""
    if session is not None:
        return session.run(spec, timeout)
    if not os.path.isfile(spec.program):
        raise HostError(f"{spec.program}: no such file")
    job_for(spec)  # a bad --dir is reported before a browser starts
    with BrowserSession(browser=browser) as own:
        return own.run(spec, timeout)
