r"""Compile test programs to WASI modules: C with zig's clang, WAT with wasmtime.

`compile_one(path)` returns the path of the `.wasm`; `compile_many(paths)`
compiles several over two processes with a progress line per file. Results
are cached under `<repo>/build/cache/wasm/` by a hash of everything that goes
into them — the source (with its local `#include "..."` files, or its WAT
expansion), the flags and the toolchain version — so a cache hit starts no
compiler. zig's own cache lives in `<repo>/build/cache/zig`, per repository.
The environment variable WASI_POLYFILL_CACHE moves `build/cache` elsewhere.

C: `python -m ziglang cc -target wasm32-wasi -O2 -s` (the first compile builds
wasi-libc, about 30 s; later ones take a second or two).

WAT: `wasmtime.wat2wasm`, after two small text expansions that keep the
corpus's WAT programs short:
- a line `;;@include NAME` is replaced by the file NAME (relative to the
  including file), e.g. the shared `prelude.wat` of print helpers;
- a token `$"some text"` becomes `(i32.const ADDR)`, the address of that
  string, NUL-terminated, in a data segment appended to the module (from
  `STRING_BASE` up; identical strings share one address); `$$"some text"`
  becomes `(i32.const ADDR) (i32.const LEN)`, the (pointer, length) pair
  that path arguments take. WAT escapes (`\ff`, `\n`, `\u{...}`) work.

A failed compile raises `CompileError` carrying the compiler's message;
`python -m harness.toolchain FILE...` prints it as one error block and
exits 1, without a traceback.
"""

from __future__ import annotations

from harness.paths import CACHE

import hashlib
import importlib.metadata
import os
import re
import subprocess
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Sequence

WASM_CACHE = CACHE / "wasm"
ZIG_CACHE = CACHE / "zig"

C_FLAGS: tuple[str, ...] = ("-target", "wasm32-wasi", "-O2", "-s")
STRING_BASE = 0x8000  # where `$"..."` strings go; WAT programs keep below it
JOBS = 2


class CompileError(Exception):
    """A program did not compile; the message holds the compiler's output."""


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        raise CompileError(f"the {package!r} package is not installed "
                           "(it comes with the dev extras: pip install -e '.[dev]')") from None


# --- C -----------------------------------------------------------------------

_INCLUDE_C = re.compile(rb'^\s*#\s*include\s*"([^"]+)"', re.M)


def _c_inputs(path: Path, seen: set[Path] | None = None) -> list[tuple[str, bytes]]:
    """The source and every local header it includes (transitively), in order."""
    seen = set() if seen is None else seen
    path = path.resolve()
    if path in seen:
        return []
    seen.add(path)
    data = path.read_bytes()
    out = [(path.name, data)]
    for name in _INCLUDE_C.findall(data):
        header = path.parent / name.decode()
        if header.is_file():
            out += _c_inputs(header, seen)
    return out


def _compile_c(src: Path, out: Path, flags: Sequence[str]) -> None:
    ZIG_CACHE.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, ZIG_GLOBAL_CACHE_DIR=str(ZIG_CACHE), ZIG_LOCAL_CACHE_DIR=str(ZIG_CACHE))
    cmd = [sys.executable, "-m", "ziglang", "cc", *C_FLAGS, *flags, str(src), "-o", str(out)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        msg = (proc.stderr + proc.stdout).strip() or f"zig cc exited with status {proc.returncode}"
        raise CompileError(f"{src}: compile failed:\n{msg}")


# --- WAT ---------------------------------------------------------------------

_INCLUDE_WAT = re.compile(r"^[ \t]*;;@include[ \t]+(\S+)[ \t]*$", re.M)
# a `;;` comment, a `$"..."` token, or an ordinary string, whichever starts first
_STRING_TOKEN = re.compile(r';;[^\n]*|(\$\$?)"((?:[^"\\\n]|\\.)*)"|"(?:[^"\\\n]|\\.)*"')
_ESCAPES = {"n": 10, "t": 9, "r": 13, '"': 34, "'": 39, "\\": 92}


def _wat_string_bytes(literal: str, where: str) -> bytes:
    """The bytes a WAT string literal (without its quotes) stands for."""
    out = bytearray()
    i = 0
    while i < len(literal):
        c = literal[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        nxt = literal[i + 1:i + 2]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif re.fullmatch(r"[0-9a-fA-F]{2}", literal[i + 1:i + 3]):
            out.append(int(literal[i + 1:i + 3], 16))
            i += 3
        elif literal.startswith("u{", i + 1):
            end = literal.index("}", i)
            out += chr(int(literal[i + 3:end], 16)).encode()
            i = end + 1
        else:
            raise CompileError(f"{where}: bad escape in string {literal!r}")
    return bytes(out)


def expand_wat(path: Path, _stack: tuple[Path, ...] = ()) -> str:
    """The WAT text of `path` with `;;@include` lines and `$"..."` strings expanded."""
    path = path.resolve()
    if path in _stack:
        raise CompileError(f"{path}: includes itself")
    text = path.read_text(encoding="utf-8")
    text = _INCLUDE_WAT.sub(lambda m: expand_wat(path.parent / m.group(1), (*_stack, path)), text)
    if _stack:
        return text  # strings are laid out once, for the whole module
    addrs: dict[bytes, int] = {}
    data: list[str] = []
    next_addr = STRING_BASE

    def place(m: re.Match[str]) -> str:
        nonlocal next_addr
        if m.group(1) is None:  # a comment or an ordinary string: as it is
            return m.group(0)
        raw = _wat_string_bytes(m.group(2), str(path))
        if raw not in addrs:
            addrs[raw] = next_addr
            data.append(f'  (data (i32.const {next_addr}) "{m.group(2)}\\00")\n')
            next_addr += len(raw) + 1
        if m.group(1) == "$$":
            return f"(i32.const {addrs[raw]}) (i32.const {len(raw)})"
        return f"(i32.const {addrs[raw]})"

    text = _STRING_TOKEN.sub(place, text)
    if next_addr > 0x10000:
        raise CompileError(f"{path}: strings do not fit below 64 KiB")
    if data:
        end = _module_end(text)
        if end < 0:
            raise CompileError(f"{path}: no closing parenthesis for the module")
        text = text[:end] + "".join(data) + text[end:]
    return text


def _module_end(text: str) -> int:
    """Index of the `)` closing the module: the last one outside comments."""
    stripped = re.sub(r";;[^\n]*", lambda m: " " * len(m.group(0)), text)
    stripped = re.sub(r"\(;.*?;\)", lambda m: " " * len(m.group(0)), stripped, flags=re.S)
    return stripped.rfind(")")


def _compile_wat(text: str, src: Path, out: Path) -> None:
    import wasmtime

    try:
        binary = wasmtime.wat2wasm(text)
    except wasmtime.WasmtimeError as e:
        raise CompileError(f"{src}: wat2wasm failed:\n{e}") from None
    out.write_bytes(binary)


# --- the cache ---------------------------------------------------------------

def _key(src: Path, flags: Sequence[str]) -> tuple[str, str | None]:
    """(content hash, expanded WAT text or None for C)."""
    h = hashlib.sha256()
    if src.suffix == ".c":
        h.update(f"c\0zig {_version('ziglang')}\0{' '.join(C_FLAGS)}\0{' '.join(flags)}\0".encode())
        for name, data in _c_inputs(src):
            h.update(f"{name}\0{len(data)}\0".encode())
            h.update(data)
        return h.hexdigest()[:20], None
    if src.suffix == ".wat":
        text = expand_wat(src)
        h.update(f"wat\0wasmtime {_version('wasmtime')}\0{STRING_BASE}\0".encode())
        h.update(text.encode())
        return h.hexdigest()[:20], text
    raise CompileError(f"{src}: not a .c or .wat file")


def cached_path(src: Path | str, flags: Sequence[str] = ()) -> Path:
    """Where `src` compiles to (whether or not it has been compiled yet)."""
    src = Path(src)
    key, _ = _key(src, flags)
    return WASM_CACHE / f"{src.stem}-{key}.wasm"


def compile_one(src: Path | str, flags: Sequence[str] = ()) -> Path:
    """Compile `src` (.c or .wat) unless cached; return the `.wasm` path."""
    src = Path(src)
    if not src.is_file():
        raise CompileError(f"{src}: no such file")
    key, wat_text = _key(src, flags)
    out = WASM_CACHE / f"{src.stem}-{key}.wasm"
    if out.is_file():
        return out
    WASM_CACHE.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=WASM_CACHE, prefix=f".{src.stem}-", suffix=".wasm")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if wat_text is None:
            _compile_c(src, tmp, flags)
        else:
            _compile_wat(wat_text, src, tmp)
        os.replace(tmp, out)  # atomic: concurrent builders never see half a file
    finally:
        tmp.unlink(missing_ok=True)
    return out


def compile_many(sources: Iterable[Path | str], flags: Sequence[str] = (), jobs: int = JOBS,
                 progress: Callable[[str], None] | None = None) -> dict[Path, Path]:
    """Compile every source (cached ones instantly), `jobs` at a time.

    Returns {source: wasm}. `progress` gets one line per file actually
    compiled. All failures are collected into one `CompileError`.
    """
    sources = [Path(s) for s in sources]
    result: dict[Path, Path] = {}
    todo: list[Path] = []
    for src in sources:
        try:
            out = cached_path(src, flags) if src.is_file() else None
        except CompileError:
            out = None  # compile_one reports it
        if out is not None and out.is_file():
            result[src] = out
        else:
            todo.append(src)
    errors: list[str] = []

    def one(src: Path) -> None:
        start = time.monotonic()
        try:
            result[src] = compile_one(src, flags)
        except CompileError as e:
            errors.append(str(e))
            status = "FAILED"
        else:
            status = f"{time.monotonic() - start:.1f}s"
        if progress is not None:
            progress(f"compiled {src.name} ({status}) [{len(result) + len(errors)}/{len(sources)}]")

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(one, todo))
    if errors:
        raise CompileError("\n\n".join(sorted(errors)))
    return {src: result[src] for src in sources}


def main(argv: list[str] | None = None) -> int:
    """`python -m harness.toolchain [--copy-to DIR] FILE...`: compile (cached)
    and print the .wasm paths; with --copy-to, also copy each to DIR/<stem>.wasm."""
    argv = sys.argv[1:] if argv is None else list(argv)
    copy_to = None
    if argv[:1] == ["--copy-to"] and len(argv) >= 2:
        copy_to, argv = Path(argv[1]), argv[2:]
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m harness.toolchain [--copy-to DIR] FILE.c|FILE.wat ...  "
              "(prints the .wasm paths)", file=sys.stderr)
        return 2
    try:
        out = compile_many(argv, progress=lambda line: print(line, file=sys.stderr, flush=True))
    except CompileError as e:
        print(f"wasi-polyfill: error: {e}", file=sys.stderr)
        return 1
    for src, wasm in out.items():
        if copy_to is not None:
            copy_to.mkdir(parents=True, exist_ok=True)
            dest = copy_to / (Path(src).stem + ".wasm")
            shutil.copyfile(wasm, dest)
            wasm = dest
        print(wasm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
