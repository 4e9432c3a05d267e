"""`--host browser`: the JS polyfill's browser bundle in headless Chromium.

It behaves as `--host node` (polyfill/src/node/cli.js) does, flag for flag
and byte for byte on stdout and stderr; only the engine around the runtime
differs. A page served from 127.0.0.1 (hosts/chromium.py) imports
polyfill/dist/browser/index.js (rebuilt first if polyfill/src is newer), and
for each run:

- each `--dir`'s host tree is read here (files, directories, symlinks as
  symlinks, never followed; other kinds skipped; names in UTF-8 byte order,
  depth first, as node/hostfs.js `loadHostDir` walks them) and loaded into a
  fresh MemFS at `/0`, `/1`, ... (one copy per real host directory), with the
  host's atime and mtime unless `--deterministic`;
- stdin is read whole up front (a pipe or `spec.stdin`) and given to the
  guest as bytes;
- the module's bytes are passed in with the job and compiled and
  instantiated asynchronously;
- stdout, stderr and `--trace` lines stream back as they are written: the
  page's stdout/stderr functions call an exposed function (`wasiWrite`) for
  each write, in order, and the run's answer comes the same way after the
  last write, so nothing is still in flight when `run` returns;
- the exit status and error lines are cli.js's: the guest's exit code; a trap
  → one line `wasi-polyfill: trap: <message>` and 134; proc_exit(≥ 126) → one
  line `wasi-polyfill: error: ...` and 1; a bad program or dir → HostError;
- with `--write-back`, the final MemFS trees come back as data and each host
  directory is made to match its tree by refhost/vfs/hostdir.py's
  `apply_tree` (temporary file + rename, never following a host symlink),
  however the guest ended — except, as in cli.js, when the start function
  traps during instantiation.

`BrowserSession` keeps one Chromium page with the bundle loaded, for many
runs (tests, `compare`, `demo`): each run gets a fresh WASI and MemFS.

Where it differs from `--host node`: stdin is read to its end before the
guest starts (node reads fd 0 as the guest asks, so an interactive program
on a terminal only works there), and stdio is never a terminal (node reports
a tty on fds 0-2 when they are one); the words of V8's own messages (invalid
module, failed import) are Chromium's V8's, not Node's; each write costs a
Playwright round of a few ms, so a program making thousands of small writes
is slower than on node.
"""

from __future__ import annotations

from harness.paths import ROOT

import base64
import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
from itertools import count
from pathlib import Path
from typing import Any, BinaryIO, Callable

from . import HostError, RunSpec
from .chromium import CHROMIUM, Server, browser as launch_browser, check_available

POLYFILL = ROOT / "polyfill"
# The tracing bundle ("wasi-polyfill/trace"): `--trace` works on this host too.
BUNDLE = POLYFILL / "dist" / "browser" / "trace.js"
BUILD_SCRIPT = POLYFILL / "build.mjs"
BUILD_LOCK = ROOT / "build" / ".polyfill-bundle.lock"

# spec/RATIONALE.md, "Deterministic mode": the MemFS clock while the dirs are
# loaded (cli.js takes it from clocks.js, which the bundle does not export).
DETERMINISTIC_REALTIME_START = 1_700_000_000_000_000_000

PAGE = rb"""<!doctype html>
<meta charset="utf-8">
<title>wasi-polyfill: --host browser</title>
<script>
"use strict";
// The node host's main() (polyfill/src/node/cli.js), in a page.
let P = null; // the polyfill bundle
window.ready = import("/polyfill/trace.js").then((m) => { P = m; });

const TRAP_STATUS = 134;
const encoder = new TextEncoder();
class UsageError extends Error {}

function toB64(u8) {
  if (u8.toBase64) return u8.toBase64();
  let s = "";
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromB64(s) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(s);
  const bin = atob(s);
  const u8 = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
  return u8;
}

function firstLine(s) {
  return String(s).split("\n")[0];
}

function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError || (e instanceof RangeError && /call stack/i.test(e.message));
}

let written = { 1: 0, 2: 0 };

/** Send bytes to the host's fd 1 or 2, in order, without waiting. */
function emit(fd, bytes) {
  if (typeof bytes === "string") bytes = encoder.encode(bytes);
  if (bytes.length === 0) return;
  written[fd] += bytes.length;
  window.wasiWrite(fd, toB64(bytes)).catch(() => {});
}

function trap(e) {
  emit(2, `wasi-polyfill: trap: ${firstLine(e?.message ?? e)}\n`);
  return TRAP_STATUS;
}

/** A host tree (see browser.py `read_tree`) into `memfs` at `at`, as node/hostfs.js loadHostDir. */
function loadTree(memfs, tree, at, times) {
  memfs.mkdirSync(at, { recursive: true });
  const fill = (dir, t) => {
    for (const [name, e] of t.entries) {
      const path = dir === "/" ? `/${name}` : `${dir}/${name}`;
      if (e.type === "dir") {
        memfs.mkdirSync(path);
        fill(path, e);
      } else if (e.type === "file") {
        memfs.writeFileSync(path, fromB64(e.data));
      } else {
        memfs.symlinkSync(e.target, path);
      }
      if (times) memfs.lutimesSync(path, BigInt(e.atim), BigInt(e.mtim));
    }
    if (times) memfs.lutimesSync(dir, BigInt(t.atim), BigInt(t.mtim));
  };
  fill(at.replace(/\/+$/, "") || "/", tree);
}

/** The MemFS directory `path` as refhost/vfs/hostdir.py's tree (data in base64, times as strings). */
function dumpTree(memfs, path) {
  const times = (st) => ({ atim: String(st.atimeNs), mtim: String(st.mtimeNs) });
  const dir = { type: "dir", ...times(memfs.lstatSync(path)), entries: {} };
  for (const d of memfs.readdirSync(path, { withFileTypes: true })) {
    const p = `${path}/${d.name}`;
    if (d.isDirectory()) {
      dir.entries[d.name] = dumpTree(memfs, p);
    } else if (d.isFile()) {
      const st = memfs.lstatSync(p);
      dir.entries[d.name] = { type: "file", ...times(st), data: toB64(memfs.readFileSync(p)) };
    } else if (d.isSymbolicLink()) {
      const st = memfs.lstatSync(p);
      dir.entries[d.name] = { type: "symlink", ...times(st), target: memfs.readlinkSync(p) };
    }
  }
  return dir;
}

async function main(job) {
  const bytes = fromB64(job.program_bytes);
  if (bytes.length < 8 || new DataView(bytes.buffer).getUint32(0, true) !== 0x6d736100) {
    throw new UsageError(`${job.program}: not a WebAssembly module`);
  }
  let module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (e) {
    throw new UsageError(`${job.program}: invalid WebAssembly module: ${firstLine(e.message)}`);
  }
  const memfs = new P.MemFS(job.deterministic ? { clock: () => BigInt(job.realtime_start) } : {});
  // As cli.js: inodes numbered from 1 in loading order, the MemFS root (which
  // holds only the mounts) takes no number.
  if (job.deterministic) memfs._nextIno = 1;
  for (const m of job.mounts) loadTree(memfs, m.tree, m.at, !job.deterministic);
  const preopens = {};
  for (const [guest, at] of job.preopens) preopens[guest] = at;
  const wasi = new P.WASI({
    version: "preview1",
    args: job.args,
    env: Object.fromEntries(job.env),
    preopens,
    fs: memfs,
    stdin: fromB64(job.stdin),
    stdout: (chunk) => emit(1, chunk),
    stderr: (chunk) => emit(2, chunk),
    returnOnExit: true,
    deterministic: job.deterministic,
    trace: job.trace ? (line) => emit(2, line + "\n") : undefined,
  });
  let instance;
  try {
    instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  } catch (e) {
    if (isTrap(e)) return { status: trap(e), trees: null }; // a start function trapped
    throw new UsageError(`${job.program}: cannot instantiate: ${firstLine(e.message)}`);
  }
  if (typeof instance.exports._start !== "function") {
    throw new UsageError(`${job.program}: no _start function exported (not a WASI command)`);
  }
  let status;
  try {
    status = wasi.start(instance);
  } catch (e) {
    if (e instanceof P.InvalidExitStatus) {
      emit(2, `wasi-polyfill: error: ${e.message}\n`);
      status = 1;
    } else if (e instanceof P.WasiExit) {
      status = e.code;
    } else {
      status = trap(e);
    }
  }
  const trees = job.write_back ? job.mounts.map((m) => dumpTree(memfs, m.at)) : null;
  return { status, trees };
}

/**
 * One run. Its answer (JSON) goes to the host through wasiWrite too, as fd 0,
 * after every write of the run; then `token` on the console says it is done.
 */
window.runWasi = async (jobJson, token) => {
  written = { 1: 0, 2: 0 };
  const t0 = performance.now();
  let answer;
  try {
    answer = await main(JSON.parse(jobJson));
  } catch (e) {
    answer = e instanceof UsageError ? { usage: e.message } : { internal: firstLine(e?.stack ?? e) };
  }
  window.wasiWrite(0, JSON.stringify({ ...answer, written, ms: performance.now() - t0 })).catch(() => {});
  console.log(token);
};
</script>
"""


# --- the bundle ------------------------------------------------------------------

def available() -> str | None:
    """None if this host can run here, else why not (for `compare`)."""
    try:
        check_available()
    except HostError as e:
        return str(e)
    if not _bundle_fresh() and shutil.which("node") is None:
        return "the polyfill bundle needs building and node is not installed"
    return None


def ensure_bundle() -> Path:
    """polyfill/dist/browser/trace.js, built first (`node polyfill/build.mjs`)
    if it is missing or older than anything in polyfill/src."""
    if _bundle_fresh():
        return BUNDLE
    node = shutil.which("node")
    if node is None:
        raise HostError("the polyfill bundle needs building (node polyfill/build.mjs) and node is not "
                        "installed (Node.js >= 18 is needed)")
    if not (ROOT / "node_modules" / "esbuild").is_dir():
        raise HostError("the polyfill bundle needs building (node polyfill/build.mjs) and esbuild is "
                        "missing (npm ci)")
    BUILD_LOCK.parent.mkdir(parents=True, exist_ok=True)
    import fcntl

    with open(BUILD_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; the others wait, then find it fresh
        if not _bundle_fresh():
            p = subprocess.run([node, str(BUILD_SCRIPT)], cwd=ROOT, capture_output=True, text=True)
            if p.returncode != 0 or not BUNDLE.is_file():
                why = (p.stderr.strip() or p.stdout.strip() or f"status {p.returncode}").splitlines()[0]
                raise HostError(f"building the polyfill bundle failed: {why}")
    return BUNDLE


def _bundle_fresh() -> bool:
    try:
        built = BUNDLE.stat().st_mtime_ns
    except FileNotFoundError:
        return False
    for path in [*(POLYFILL / "src").rglob("*"), BUILD_SCRIPT]:
        try:
            if path.stat().st_mtime_ns > built:
                return False
        except FileNotFoundError:  # removed while we looked (an editor's temporary file)
            continue
    return True


# --- host trees --------------------------------------------------------------------

def _text(name: str) -> str:
    """A host name as Node's fs gives it: UTF-8, invalid bytes as U+FFFD."""
    return os.fsencode(name).decode("utf-8", "replace")


def read_tree(path: str) -> dict[str, Any]:
    """The host directory `path` as the page loads it: {"type": "dir", "atim",
    "mtim", "entries": [[name, tree], ...]} in UTF-8 byte order of the names;
    files carry "data" (base64), symlinks "target"; times are ns as strings.
    Walked as node/hostfs.js `copyIn` walks it (each entry lstat'ed, never
    followed; sockets, FIFOs and devices skipped)."""
    entries = []
    for name in sorted(os.listdir(path), key=lambda n: _text(n).encode()):
        child = os.path.join(path, name)
        st = os.lstat(child)
        if stat.S_ISDIR(st.st_mode):
            node = read_tree(child)
        elif stat.S_ISREG(st.st_mode):
            with open(child, "rb") as f:
                node = {"type": "file", "data": base64.b64encode(f.read()).decode("ascii")}
        elif stat.S_ISLNK(st.st_mode):
            node = {"type": "symlink", "target": _text(os.readlink(child))}
        else:
            continue
        # cli.js sets a directory's times from this lstat, taken before its contents were read
        node.update(atim=str(st.st_atime_ns), mtim=str(st.st_mtime_ns))
        entries.append([_text(name), node])
    st = os.lstat(path)
    return {"type": "dir", "atim": str(st.st_atime_ns), "mtim": str(st.st_mtime_ns), "entries": entries}


def _host_tree(tree: dict[str, Any]) -> dict[str, Any]:
    """A tree from the page (dumpTree) as refhost/vfs/hostdir.py's Tree."""
    out: dict[str, Any] = {"type": tree["type"], "atim": int(tree["atim"]), "mtim": int(tree["mtim"])}
    if tree["type"] == "dir":
        out["entries"] = {name: _host_tree(t) for name, t in tree["entries"].items()}
    elif tree["type"] == "file":
        out["data"] = base64.b64decode(tree["data"])
    else:
        out["target"] = tree["target"]
    return out


def write_back(host_dir: str, tree: dict[str, Any]) -> None:
    from refhost.vfs.hostdir import apply_tree

    try:
        apply_tree(host_dir, _host_tree(tree))
    except OSError as e:
        raise HostError(f"--write-back {host_dir}: {e.strerror or e}") from None


# --- a run ----------------------------------------------------------------------------

def _read_program(program: str) -> bytes:
    """The program's bytes, with cli.js's user errors (the page checks the bytes)."""
    try:
        with open(program, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise HostError(f"{program}: no such file") from None
    except IsADirectoryError:
        raise HostError(f"{program}: is a directory") from None
    except OSError as e:
        raise HostError(f"{program}: {e.strerror}") from None


def _mounts(spec: RunSpec) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """([(real host dir, MemFS path)], [(guest path, MemFS path)]) as cli.js
    makes them: one copy per real host directory, preopens in --dir order."""
    mounts: dict[str, str] = {}
    preopens: list[tuple[str, str]] = []
    for host, guest in spec.dirs:
        real = os.path.realpath(host)
        if not os.path.exists(real):
            raise HostError(f"--dir {host}: no such directory")
        if not os.path.isdir(real):
            raise HostError(f"--dir {host}: not a directory")
        mounts.setdefault(real, f"/{len(mounts)}")
        guest = guest or host
        if any(g == guest for g, _ in preopens):
            raise HostError(f"--dir: guest directory {json.dumps(guest)} given twice")
        preopens.append((guest, mounts[real]))
    return list(mounts.items()), preopens


def _read_stdin(spec: RunSpec) -> bytes:
    f = spec.stdin if spec.stdin is not None else getattr(sys.stdin, "buffer", None)
    if f is None:  # no stdin at all (fd 0 closed)
        return b""
    try:
        return f.read()
    except OSError:
        return b""


def _sink(f: BinaryIO | None, fd: int) -> Callable[[bytes], None]:
    if f is None:
        (sys.stdout if fd == 1 else sys.stderr).flush()

        def write_fd(data: bytes) -> None:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        return write_fd

    def write_stream(data: bytes) -> None:
        f.write(data)
        f.flush()
    return write_stream


class BrowserSession:
    """One Chromium page with the polyfill bundle loaded, for many runs.

        with BrowserSession() as session:          # or BrowserSession(browser=b)
            status = session.run(spec)

    Given a Playwright `browser`, the session opens its page there and leaves
    the browser open when it closes; else it launches a Chromium of its own.
    Playwright's sync API binds it to the thread that opened it.
    """

    def __init__(self, browser: Any = None) -> None:
        self._given_browser = browser
        self._stack = contextlib.ExitStack()
        self.server: Server | None = None
        self.page: Any = None
        self._sinks: dict[int, Callable[[bytes], None]] = {}
        self._received = {1: 0, 2: 0}
        self._answer: str | None = None
        self._runs = count()
        self.last_ms = 0.0  # the last run's time in the page (compile to write-back data)

    def __enter__(self) -> BrowserSession:
        check_available()
        ensure_bundle()
        try:
            self.server = self._stack.enter_context(Server({"/polyfill/": BUNDLE.parent}))
            self.server.add_bytes("/index.html", PAGE, "text/html; charset=utf-8")
            b = self._given_browser
            if b is None:
                try:
                    b = self._stack.enter_context(launch_browser())
                except HostError:
                    raise
                except Exception as e:  # noqa: BLE001 - Playwright's launch errors are many lines
                    raise HostError(f"cannot start {CHROMIUM}: {str(e).strip().splitlines()[0]}") from None
            self._browser = b
            self._open_page()
        except BaseException:
            self._stack.close()
            raise
        return self

    def _open_page(self) -> None:
        self.page = self._browser.new_page()
        self._stack.callback(self._close_page, self.page)
        self.page.expose_function("wasiWrite", self._on_write)
        self.page.goto(self.server.url("/index.html"))
        try:
            self.page.evaluate("() => window.ready")
        except Exception as e:  # noqa: BLE001
            raise HostError(f"the polyfill bundle does not load in Chromium: {str(e).strip().splitlines()[0]}") from None

    def _evaluate(self, job: dict[str, Any], n: int, timeout: float | None) -> dict[str, Any]:
        """window.runWasi(job)'s answer, once every write of the run has come.

        The page calls wasiWrite in order: the writes, then the answer (as fd
        0); then it logs a token on the console, which Playwright can wait for
        with a time limit (page.evaluate has none, and a busy page cannot run
        a timer). Playwright hands the calls over in order, so they have all
        come when the token does; the loop below is only a safety net.
        """
        from playwright.sync_api import Error as PlaywrightError, TimeoutError as PlaywrightTimeout

        token = f"wasi-polyfill: run {n} done"
        self._answer = None
        try:
            with self.page.expect_console_message(lambda m: m.text == token,
                                                  timeout=0 if timeout is None else timeout * 1000):
                self.page.evaluate("([job, token]) => { window.runWasi(job, token); }", [json.dumps(job), token])
            for _ in range(5000):
                if self._answer is not None:
                    answer = json.loads(self._answer)
                    sent = {int(fd): k for fd, k in answer["written"].items()}
                    if sent == self._received:
                        return answer
                self.page.wait_for_timeout(1)
        except PlaywrightTimeout:
            self._drop_page()
            raise TimeoutError(f"timed out after {timeout:g}s") from None
        except PlaywrightError as e:  # the renderer crashed (e.g. out of memory)
            self._drop_page()
            raise RuntimeError(f"Chromium's page failed: {str(e).strip().splitlines()[0]}") from None
        raise RuntimeError(f"output lost between the page and the host: got {self._received} bytes, "
                           f"answer {'missing' if self._answer is None else self._answer[:200]}")

    def _drop_page(self) -> None:
        page, self.page = self.page, None
        if page is not None:
            self._close_page(page)

    @staticmethod
    def _close_page(page: Any) -> None:
        with contextlib.suppress(Exception):
            page.close()

    def __exit__(self, *exc: object) -> None:
        self._stack.close()
        self.page = None

    def _on_write(self, fd: int, text: str) -> None:
        """wasiWrite(fd, text) from the page: guest output in base64 (fd 1, 2) or the answer (fd 0)."""
        if fd == 0:  # the run's answer (JSON), after its last write
            self._answer = text
            return
        data = base64.b64decode(text)
        self._received[fd] += len(data)
        sink = self._sinks.get(fd)
        if sink is not None:
            sink(data)

    def run(self, spec: RunSpec, timeout: float | None = None) -> int:
        """Run one program as `wasi-polyfill run --host browser` would; the
        exit status. After `timeout` seconds (None: no limit) the page is
        closed (a new one serves the next run) and TimeoutError raised."""
        assert self.server is not None, "the session is not open"
        program = _read_program(spec.program)
        mounts, preopens = _mounts(spec)
        try:
            trees = [read_tree(real) for real, _ in mounts]
        except OSError as e:
            raise HostError(f"--dir {e.filename}: {e.strerror}") from None
        stdin = _read_stdin(spec)
        if self.page is None or self.page.is_closed():  # an earlier run timed out or crashed the page
            self._open_page()
        n = next(self._runs)
        job = {
            "program": spec.program, "program_bytes": base64.b64encode(program).decode("ascii"), "args": spec.argv, "env": spec.env,
            "mounts": [{"at": at, "tree": tree} for (_, at), tree in zip(mounts, trees)],
            "preopens": preopens, "stdin": base64.b64encode(stdin).decode("ascii"),
            "deterministic": spec.deterministic, "realtime_start": str(DETERMINISTIC_REALTIME_START),
            "trace": spec.trace, "write_back": spec.write_back,
        }
        self._sinks = {1: _sink(spec.stdout, 1), 2: _sink(spec.stderr, 2)}
        self._received = {1: 0, 2: 0}
        try:
            answer = self._evaluate(job, n, timeout)
        finally:
            self._sinks = {}
        self.last_ms = answer["ms"]
        if "usage" in answer:
            raise HostError(answer["usage"])
        if "internal" in answer:
            _sink(spec.stderr, 2)(f"wasi-polyfill: error: internal error: {answer['internal']}\n".encode())
            return 70
        if answer["trees"] is not None:
            for (real, _), tree in zip(mounts, answer["trees"]):
                write_back(real, tree)
        return answer["status"]


def run(spec: RunSpec, session: BrowserSession | None = None, browser: Any = None,
        timeout: float | None = None) -> int:
    """`--host browser`: on `session` if given, else on a session of its own
    (on `browser` if given, else on a Chromium of its own)."""
    if session is not None:
        return session.run(spec, timeout)
    _read_program(spec.program)  # before starting a browser for nothing
    _mounts(spec)
    with BrowserSession(browser=browser) as own:
        return own.run(spec, timeout)
