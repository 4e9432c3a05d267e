"""A small reader for the import section of a WebAssembly binary.

`imports(data)` lists (module, name, kind) for every import, kind being
"func", "table", "memory", "global" or "tag". Only what it takes to walk the
import section is decoded; other sections are skipped by their sizes.
"""

from __future__ import annotations

from pathlib import Path

KINDS = {0: "func", 1: "table", 2: "memory", 3: "global", 4: "tag"}
IMPORT_SECTION = 2


class WasmFormatError(ValueError):
    pass


class _Reader:
    def __init__(self, data: bytes, pos: int = 0, end: int | None = None):
        self.data, self.pos = data, pos
        self.end = len(data) if end is None else end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise WasmFormatError("unexpected end of data")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def u32(self) -> int:  # unsigned LEB128
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 35:
                raise WasmFormatError("LEB128 too long")

    def bytes(self, n: int) -> bytes:
        if self.pos + n > self.end:
            raise WasmFormatError("unexpected end of data")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def name(self) -> str:
        return self.bytes(self.u32()).decode("utf-8")

    def limits(self) -> None:
        flags = self.byte()
        self.u32()
        if flags & 1:
            self.u32()

    def reftype_or_valtype(self) -> None:
        b = self.byte()
        if b in (0x63, 0x64):  # (ref null? heaptype)
            self.s33()

    def s33(self) -> None:
        while self.byte() & 0x80:
            pass


def imports(data: bytes) -> list[tuple[str, str, str]]:
    if data[:4] != b"\0asm":
        raise WasmFormatError("not a WebAssembly binary (bad magic)")
    if data[4:8] != b"\x01\0\0\0":
        raise WasmFormatError("not a WebAssembly module (version is not 1)")
    r = _Reader(data, 8)
    out: list[tuple[str, str, str]] = []
    while r.pos < r.end:
        section, size = r.byte(), r.u32()
        if section != IMPORT_SECTION:
            r.pos += size
            continue
        s = _Reader(data, r.pos, r.pos + size)
        for _ in range(s.u32()):
            module, name, kind = s.name(), s.name(), s.byte()
            if kind == 0:
                s.u32()  # type index
            elif kind == 1:
                s.reftype_or_valtype()
                s.limits()
            elif kind == 2:
                s.limits()
            elif kind == 3:
                s.reftype_or_valtype()
                s.byte()  # mutability
            elif kind == 4:
                s.byte()
                s.u32()
            else:
                raise WasmFormatError(f"unknown import kind {kind}")
            out.append((module, name, KINDS[kind]))
        return out
    return out


def wasi_imports(path: Path | str) -> set[str]:
    """The wasi_snapshot_preview1 functions a module imports."""
    return {name for module, name, kind in imports(Path(path).read_bytes())
            if module == "wasi_snapshot_preview1" and kind == "func"}
