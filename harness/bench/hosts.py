"""Where a benchmark job runs: Node processes and a Chromium page.

A host takes a job (workload name, argv, compiled program, sizes) and returns
the driver's result dict (bench_core.mjs `runJob`: `ms`, `exit_code`,
`stderr`, stdout counts; `ok: False` and `error` when the driver failed).
It does not judge the result: workloads.check() does.

- `polyfill-node`, `shim`, `runno`, `node-wasi`: node_driver.mjs, one Node process
  per job (node:wasi crashes after a few instances in one process,
  nodejs/node#52402; and every host then starts equally cold). node-wasi
  gets a fresh directory under /dev/shm (tmpfs; else the system temp dir)
  for its preopen and its stdout/stderr files, removed afterwards.
- `polyfill-chromium`: page.html in headless Chromium (hosts/chromium.py),
  served from 127.0.0.1 with the browser bundle (polyfill/dist/browser) and
  bench_core.mjs; one browser for the whole run, a fresh page per job.
- `polyfill-firefox`: the same page in Debian's firefox-esr, driven through
  harness/browsers (WebDriver BiDi), the same way: one browser for the run,
  a fresh tab per job.
"""

from __future__ import annotations

from harness.paths import ROOT

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ..hosts import HostError

HERE = Path(__file__).resolve().parent
NODE_DRIVER = HERE / "node_driver.mjs"
PAGE = HERE / "page.html"
RESULT_PREFIX = "BENCH-RESULT "

NODE_HOSTS = ("polyfill-node", "node-wasi", "shim", "runno")
# (host, workload) -> why the host cannot do it: recorded as failing without
# being run (metadata on runno works through 10,000 files by scanning every
# path on each lookup, for many minutes, before its first rmdir fails)
UNSUPPORTED = {
    ("runno", "metadata"): "@runno/wasi 0.10 has no path_remove_directory (ENOSYS), so the workload cannot finish",
}
BROWSER_HOSTS = ("polyfill-chromium", "polyfill-firefox")
# the headers that make the page cross-origin isolated, so performance.now()
# has the engine's fine resolution (Chromium 5 µs, not 100 µs)
ISOLATED = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}
ALL_HOSTS = NODE_HOSTS + BROWSER_HOSTS


def scratch_base() -> str:
    """/dev/shm when it is a usable directory, else the temp dir."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return tempfile.gettempdir()


def parse_driver_output(stdout: str, stderr: str, returncode: int) -> dict[str, Any]:
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX):])
    why = (stderr.strip().splitlines() or [f"exit status {returncode}"])[-1]
    return {"ok": False, "error": f"the driver gave no result: {why}"}


class NodeHost:
    """One Node process per job, running node_driver.mjs."""

    def __init__(self, name: str, timeout: float = 900, profile_dir: str | None = None) -> None:
        from ..hosts.node import node_binary

        self.name = name
        self.node = node_binary()
        self.timeout = timeout
        self.profile_dir = profile_dir
        self._jobs = 0

    def command(self, config: dict[str, Any], expose_gc: bool = False) -> list[str]:
        flags = ["--disable-warning=ExperimentalWarning"] + (["--expose-gc"] if expose_gc else [])
        if self.profile_dir and "workload" in config:
            self._jobs += 1
            what = config["workload"] + (f"-{config['argv'][1]}" if config["workload"] == "stdout" else "")
            flags += ["--cpu-prof", f"--cpu-prof-dir={self.profile_dir}",
                      f"--cpu-prof-name={what}-{self.name}-{self._jobs}.cpuprofile"]
        return [self.node, *flags, str(NODE_DRIVER), json.dumps(config)]

    def _spawn(self, config: dict[str, Any], expose_gc: bool = False) -> dict[str, Any]:
        try:
            proc = subprocess.run(self.command(config, expose_gc), capture_output=True, text=True,
                                  timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return {"ok": False, "error": f"timed out after {self.timeout:.0f} s"}
        return parse_driver_output(proc.stdout, proc.stderr, proc.returncode)

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        config = {"host": self.name, "root": str(ROOT), **job}
        if self.name != "node-wasi":
            return self._spawn(config)
        scratch = tempfile.mkdtemp(prefix="wasi-polyfill-bench-", dir=scratch_base())
        try:
            return self._spawn({**config, "dir": scratch})
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def memory(self, files: int, nbytes: int) -> dict[str, Any]:
        """MemFS bytes per empty file and per file byte (polyfill-node only)."""
        return self._spawn({"root": str(ROOT), "memory": {"files": files, "bytes": nbytes}}, expose_gc=True)

    def close(self) -> None:
        pass


class ChromiumHost:
    """The polyfill's browser bundle in headless Chromium, a fresh page per job."""

    def __init__(self, name: str = "polyfill-chromium", timeout: float = 900) -> None:
        from ..hosts.browser import ensure_bundle
        from ..hosts.chromium import check_available

        check_available()
        self.name = name
        self.timeout = timeout
        self.bundle_dir = ensure_bundle().parent
        self._stack: list[Any] = []
        self._browser = None
        self._server = None
        self._programs: dict[str, str] = {}

    def _start(self) -> None:
        import contextlib

        from ..hosts.chromium import Server, browser

        stack = contextlib.ExitStack()
        self._stack.append(stack)
        # cross-origin isolated, so performance.now() has Chromium's fine (5 µs) resolution, not 100 µs
        self._server = stack.enter_context(Server({"/polyfill/": self.bundle_dir, "/bench/": HERE}, headers=ISOLATED))
        self._server.add_file("/index.html", PAGE)
        self._browser = stack.enter_context(browser())

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        if self._browser is None:
            self._start()
        program = job["program"]
        url = self._programs.get(program)
        if url is None:
            url = f"/programs/{len(self._programs)}-{Path(program).name}"
            self._server.add_file(url, program)
            self._programs[program] = url
        page = self._browser.new_page()
        try:
            page.set_default_timeout(self.timeout * 1000)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(self._server.url("/index.html"))
            page.wait_for_function("window.benchReady !== undefined")
            if page.evaluate("window.benchReady") is not True:
                return {"ok": False, "error": f"the page did not load: {page.evaluate('window.benchReady')}"}
            job = {k: v for k, v in job.items() if k != "program"}
            return page.evaluate("job => window.benchRun(job)", {**job, "url": url, "host": self.name})
        except Exception as e:  # a crashed page or browser: this run fails, the others go on
            return {"ok": False, "error": f"Chromium: {str(e).splitlines()[0] if str(e) else type(e).__name__}"}
        finally:
            page.close()

    def close(self) -> None:
        while self._stack:
            self._stack.pop().close()
        self._browser = None


class EngineHost:
    """The browser bundle in an engine of harness/browsers (Firefox), a fresh tab per job."""

    def __init__(self, name: str, engine: str, timeout: float = 900) -> None:
        from .. import browsers
        from ..hosts.browser import ensure_bundle

        why = browsers.available(engine)
        if why:
            raise HostError(f"{name}: {why}")
        self.name = name
        self.engine = engine
        self.timeout = timeout
        self.bundle_dir = ensure_bundle().parent
        self._stack: list[Any] = []
        self._browser = None
        self._server = None
        self._programs: dict[str, str] = {}

    def _start(self) -> None:
        import contextlib

        from .. import browsers
        from ..hosts.chromium import Server

        stack = contextlib.ExitStack()
        self._stack.append(stack)
        self._server = stack.enter_context(Server({"/polyfill/": self.bundle_dir, "/bench/": HERE}, headers=ISOLATED))
        self._server.add_file("/index.html", PAGE)
        self._browser = stack.enter_context(browsers.launch(self.engine))

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        from .. import browsers

        try:
            if self._browser is None:
                self._start()
            program = job["program"]
            url = self._programs.get(program)
            if url is None:
                url = f"/programs/{len(self._programs)}-{Path(program).name}"
                self._server.add_file(url, program)
                self._programs[program] = url
            tab = self._browser.open(self._server.url("/index.html"))
        except browsers.BrowserError as e:
            return {"ok": False, "error": f"{self.engine}: {e}"}
        try:
            job = {k: v for k, v in job.items() if k != "program"}
            arg = json.dumps({**job, "url": url, "host": self.name})
            return tab.evaluate(f"window.benchLoaded.then(() => window.benchRun({arg}))")
        except browsers.BrowserError as e:  # a crashed tab or browser: this run fails, the others go on
            return {"ok": False, "error": f"{self.engine}: {e}"}
        finally:
            tab.close()

    def close(self) -> None:
        while self._stack:
            self._stack.pop().close()
        self._browser = None


def make_host(name: str, timeout: float = 900, profile_dir: str | None = None):
    """A host by name; `profile_dir`: Node hosts write a V8 CPU profile of each
    job there (`node --cpu-prof`, for chrome://inspect or speedscope)."""
    if name in NODE_HOSTS:
        return NodeHost(name, timeout, profile_dir)
    if name == "polyfill-chromium":
        return ChromiumHost(name, timeout)
    if name == "polyfill-firefox":
        return EngineHost(name, "firefox", timeout)
    raise HostError(f"unknown benchmark host {name!r} (hosts: {', '.join(ALL_HOSTS)})")
