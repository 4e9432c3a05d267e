"""Run one program on several hosts, each on a fresh copy of the dirs.

A host is a callable `HostFn(spec: RunSpec) -> int` — the same shape as every
`harness.hosts.*.run` — given a spec whose dirs are this host's own
copies and whose stdin/stdout/stderr are real files. By default a host is
`SubprocessHost(name)`: `python -m harness run --host NAME --write-back
...` as a child process (own process group, killed whole on timeout), so a
crashing or hanging host cannot take the comparison down. Tests pass their
own callables (e.g. one that tampers with a real host's output).

Browser hosts share one Chromium (`SharedBrowser`): a browser host whose
`run` takes a `session=` (its module's `BrowserSession`, opened once) or a
`browser=` (from `harness.hosts.chromium.browser()`) runs in-process,
one after another in the calling thread (Playwright's sync API is bound to the
thread that started it), on sessions and a browser that can last a whole
`demo`. Otherwise it runs as a subprocess with its own Chromium, and the
progress output says so. In-process runs have no timeout of their own
(Playwright's waits time out); a crash of one is that host's "no result".

Up to `jobs` (default 2, the machine's cores) hosts run at once, the browser
hosts counting as one.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, TextIO

from ..hosts import DETERMINISTIC_HOSTS, HOSTS, USAGE_STATUS, HostError, RunSpec
from .tree import Tree, snapshot

HostFn = Callable[[RunSpec], int]

BROWSER_HOSTS = frozenset({"browser", "pyodide"})
DEFAULT_TIMEOUT = 120.0
# Hosts that start a browser or Pyodide per run: a minute is not unusual on a busy machine.
SLOW_HOSTS = BROWSER_HOSTS | {"pyodide-node", "firefox", "webkit"}
SLOW_TIMEOUT = 600.0
JOBS = 2


@dataclass
class CompareSpec:
    """What to run: the `run` flags shared by every host, plus stdin and mode."""
    program: str
    args: list[str] = field(default_factory=list)
    env: list[tuple[str, str]] = field(default_factory=list)
    dirs: list[tuple[str, str]] = field(default_factory=list)  # (host dir, guest path)
    stdin: str | None = None          # a file given to every host as stdin; None: empty
    deterministic: bool = False
    timeout: float | None = None      # per host; None: DEFAULT_TIMEOUT, SLOW_TIMEOUT for SLOW_HOSTS
    argv0: str | None = None
    trap_unknown_imports: bool = False

    def timeout_for(self, host: str) -> float:
        if self.timeout is not None:
            return self.timeout
        return SLOW_TIMEOUT if host in SLOW_HOSTS else DEFAULT_TIMEOUT

    def run_spec(self, host: str, dirs: list[tuple[str, str]]) -> RunSpec:
        return RunSpec(program=self.program, args=list(self.args), env=list(self.env), dirs=dirs,
                       write_back=True, deterministic=self.deterministic and host in DETERMINISTIC_HOSTS,
                       argv0=self.argv0, trap_unknown_imports=self.trap_unknown_imports)

    def command_line(self) -> str:
        """The equivalent `wasi-polyfill compare` flags, for reports."""
        import shlex

        spec = RunSpec(program=self.program, args=list(self.args), env=list(self.env), dirs=list(self.dirs),
                       deterministic=self.deterministic, argv0=self.argv0,
                       trap_unknown_imports=self.trap_unknown_imports)
        stdin = ["--stdin", self.stdin] if self.stdin else []
        return shlex.join(["wasi-polyfill", "compare", *spec.flags(), *stdin, self.program, *self.args])


@dataclass
class HostRun:
    """What one host did: its outputs, exit status and final trees."""
    host: str
    status: int | None                # None: no result (see `error`)
    stdout: bytes = b""
    stderr: bytes = b""
    tree: Tree = field(default_factory=dict)
    elapsed: float = 0.0
    error: str | None = None          # why there is no result: timeout, crash
    command: list[str] | None = None  # the subprocess, when there was one
    shared_browser: bool = False      # ran in-process on the shared Chromium

    @property
    def ok(self) -> bool:
        return self.status is not None


class SubprocessHost:
    """`python -m harness run --host NAME ...` as a child process."""

    def __init__(self, name: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.name = name
        self.timeout = timeout

    def command(self, spec: RunSpec) -> list[str]:
        return [sys.executable, "-m", "harness", "run", "--host", self.name, *spec.flags(),
                "--", spec.program, *spec.args]

    def __call__(self, spec: RunSpec) -> int:
        proc = subprocess.Popen(self.command(spec), stdin=spec.stdin, stdout=spec.stdout,
                                stderr=spec.stderr, start_new_session=True)
        try:
            return proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise TimeoutError(f"timed out after {self.timeout:g}s") from None
        finally:
            if proc.poll() is None or _group_alive(proc.pid):
                _kill_group(proc)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """End the child and whatever it started (node, chromium): its own group only."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


# --- progress ------------------------------------------------------------------

class Progress:
    """A line per host as it finishes; on a terminal, a live line of the running ones."""

    def __init__(self, stream: TextIO | None = None, width: int = 12) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty() and os.environ.get("TERM") != "dumb"
        self.width = width
        self.running: dict[str, float] = {}
        self.lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def note(self, text: str) -> None:
        with self.lock:
            self._clear()
            print(text, file=self.stream, flush=True)
            self._draw()

    def started(self, host: str) -> None:
        with self.lock:
            self.running[host] = time.monotonic()
            self._draw()
        if self.live and self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def finished(self, run: HostRun) -> None:
        if run.ok:
            outcome = f"exit {run.status}"
        else:
            outcome = f"no result: {run.error}"
        with self.lock:
            self.running.pop(run.host, None)
            self._clear()
            print(f"  {run.host:<{self.width}} {run.elapsed:6.2f}s  {outcome}", file=self.stream, flush=True)
            self._draw()

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        with self.lock:
            self._clear()

    def _tick(self) -> None:
        while not self._stop.wait(0.25):
            with self.lock:
                self._draw()

    def _clear(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")

    def _draw(self) -> None:
        if self.live and self.running:
            now = time.monotonic()
            hosts = ", ".join(f"{h} {now - t:.1f}s" for h, t in self.running.items())
            self.stream.write(f"\r\033[K  running: {hosts}")
            self.stream.flush()


# --- one host --------------------------------------------------------------------

def _copy_dirs(spec: CompareSpec, dest: Path) -> list[tuple[str, str]]:
    copies = []
    for i, (host_dir, guest) in enumerate(spec.dirs):
        copy = dest / f"{i}-{Path(host_dir).resolve().name or 'root'}"
        shutil.copytree(host_dir, copy, symlinks=True)  # copy2: times come along
        copies.append((str(copy), guest))
    return copies


def _run_one(name: str, fn: HostFn, spec: CompareSpec, work: Path, shared: bool = False) -> HostRun:
    dest = work / name
    dest.mkdir(parents=True)
    copies = _copy_dirs(spec, dest)
    run_spec = spec.run_spec(name, copies)
    command = fn.command(run_spec) if isinstance(fn, SubprocessHost) else None
    out_path, err_path = work / f"{name}.stdout", work / f"{name}.stderr"
    start = time.monotonic()
    status: int | None
    error = None
    with open(spec.stdin or os.devnull, "rb") as stdin, open(out_path, "wb") as out, \
            open(err_path, "wb") as err:
        try:
            status = fn(replace(run_spec, stdin=stdin, stdout=out, stderr=err))
        except HostError as e:  # in-process hosts: what the CLI would have printed
            err.write(f"wasi-polyfill: error: {e}\n".encode())
            status = USAGE_STATUS
        except TimeoutError as e:
            status, error = None, str(e)
        except Exception as e:  # a host that crashed gives no result, not a traceback
            status, error = None, f"{type(e).__name__}: {e}"
    elapsed = time.monotonic() - start
    tree = snapshot([(copy, guest) for copy, guest in copies]) if status is not None else {}
    return HostRun(host=name, status=status, stdout=out_path.read_bytes(), stderr=err_path.read_bytes(),
                   tree=tree, elapsed=elapsed, error=error, command=command, shared_browser=shared)


# --- the shared browser ------------------------------------------------------------

class SharedBrowser:
    """One Chromium (and one session per browser host) for a whole invocation.

    The seam, as the host modules offer it:
    - `harness.hosts.chromium.browser()`: a context manager yielding a
      Playwright browser (Debian's Chromium);
    - a browser host module whose `run` takes `session=` and which has a
      `BrowserSession` (a context manager: the page with its runtime loaded)
      gets one session, made on first use and kept until `close()`; if
      `BrowserSession` takes `browser=`, the session is opened on the shared
      browser, else it starts a Chromium of its own (still one per
      invocation, not one per run);
    - a host whose `run` takes `browser=` gets the shared browser itself.
    A host offering neither runs as a subprocess, with its own Chromium.

    Playwright's sync API works only in the thread that started it, so all of
    it — launch, runs, close — happens in the thread that owns this object:
    run_hosts runs the shared hosts in the calling thread. `wasi-polyfill
    demo` keeps one for all its examples; `compare` makes one per call.
    """

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._browser: object | None = None
        self._sessions: dict[str, object] = {}
        self._thread = threading.get_ident()

    @staticmethod
    def host_runs(names: list[str]) -> tuple[dict[str, Callable[[RunSpec, SharedBrowser], int]], str | None]:
        """({host: run(spec, shared)} for those of `names` that can share, why the others cannot)."""
        import importlib

        runs: dict[str, Callable[[RunSpec, SharedBrowser], int]] = {}
        for name in names:
            module_name, func = HOSTS[name].split(":")
            try:
                module = importlib.import_module(module_name)
                run = getattr(module, func)
                params = inspect.signature(run).parameters
            except Exception:
                continue
            if "session" in params and hasattr(module, "BrowserSession"):
                runs[name] = lambda spec, shared, n=name, m=module, r=run: r(spec, session=shared.session(n, m))
            elif "browser" in params:
                runs[name] = lambda spec, shared, r=run: r(spec, browser=shared.browser())
        missing = [n for n in names if n not in runs]
        why = (f"{', '.join(missing)}: run() takes neither session= nor browser=, so no shared Chromium"
               if missing else None)
        return runs, why

    def browser(self) -> object:
        """The shared Playwright browser, launched on first use."""
        self._check_thread()
        if self._browser is None:
            import importlib

            chromium = importlib.import_module("harness.hosts.chromium")
            self._browser = self._stack.enter_context(chromium.browser())
        return self._browser

    def session(self, name: str, module: object) -> object:
        """Host `name`'s session, opened on first use (on the shared browser if it takes one)."""
        self._check_thread()
        if name not in self._sessions:
            factory = getattr(module, "BrowserSession")
            if "browser" in inspect.signature(factory).parameters:
                session = factory(browser=self.browser())
            else:
                session = factory()
            self._sessions[name] = self._stack.enter_context(session)
        return self._sessions[name]

    def _check_thread(self) -> None:
        assert threading.get_ident() == self._thread, "the shared browser is used from another thread"

    def close(self) -> None:
        """Close the sessions, then the browser."""
        self._sessions.clear()
        self._browser = None
        self._stack.close()

    def __enter__(self) -> SharedBrowser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _run_shared(name: str, run: Callable[[RunSpec, SharedBrowser], int], shared: SharedBrowser,
                spec: CompareSpec, work: Path, progress: Progress | None) -> HostRun:
    if progress:
        progress.started(name)
    result = _run_one(name, lambda s: run(s, shared), spec, work, shared=True)
    if progress:
        progress.finished(result)
    return result


# --- all hosts ---------------------------------------------------------------------

def run_hosts(spec: CompareSpec, hosts: dict[str, HostFn | None], *, jobs: int = JOBS,
              progress: Progress | None = None, workdir: Path | None = None,
              browser: SharedBrowser | None = None) -> list[HostRun]:
    """Run `spec` on every host (None: the default `SubprocessHost`), in `hosts` order.

    Browser hosts that can share `browser` (one is made for this call if none
    is given) run one after another in this thread; the other hosts run on a
    pool of `jobs` threads meanwhile.
    """
    work = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="wasi-polyfill-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    own_browser = browser is None
    shared = browser if browser is not None else SharedBrowser()
    try:
        browser_names = [n for n, fn in hosts.items() if fn is None and n in BROWSER_HOSTS]
        shared_runs, why_not = SharedBrowser.host_runs(browser_names) if browser_names else ({}, None)
        if why_not and progress:
            progress.note(f"  ({why_not})")

        results: dict[str, HostRun] = {}

        def single(name: str) -> None:
            fn = hosts[name] or SubprocessHost(name, spec.timeout_for(name))
            if progress:
                progress.started(name)
            run = _run_one(name, fn, spec, work)
            if progress:
                progress.finished(run)
            results[name] = run

        others = [name for name in hosts if name not in shared_runs]
        with ThreadPoolExecutor(max_workers=max(1, jobs - (1 if shared_runs else 0))) as pool:
            futures = [pool.submit(single, name) for name in others]
            for name, run in shared_runs.items():  # here, in the browser's thread
                results[name] = _run_shared(name, run, shared, spec, work, progress)
            for future in futures:
                future.result()
        return [results[name] for name in hosts]
    finally:
        if own_browser:
            shared.close()
        if progress:
            progress.close()
        if workdir is None:
            shutil.rmtree(work, ignore_errors=True)
