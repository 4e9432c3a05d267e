"""Guest memory as the ABI layer sees it: the one place that touches it.

`GuestMemory` is the interface; `BufferMemory` implements it over any
writable buffer (a `bytearray` in tests, a `memoryview` of wasmtime's linear
memory natively); `engines/pyodide.py` has one over a JS `WebAssembly.Memory`.

Memory only grows, so the byte length is cached and re-read (`refresh()`)
only when an access seems out of bounds: a call costs no engine round trip
unless memory has grown since the last one. Bounds and alignment violations
raise `Trap` with wasmtime's wording ("Pointer out of bounds: Region {...}").
"""

from __future__ import annotations

import struct
from typing import Callable

from .errors import Trap


class GuestMemory:
    """Bounds-checked access to the guest's linear memory.

    Subclasses provide `refresh`, `read`, `write`, `unpack` and `pack`; the
    last four never check bounds — callers `check` the whole region first.
    """

    size: int = 0
    #: Bytes the current call may still copy (abi.HOSTCALL_FUEL per call).
    fuel: int = 0
    #: A memoryview of all of memory, for the hot paths, or None when memory
    #: is not directly addressable (Pyodide: it lives in another heap).
    view = None

    def refresh(self) -> None:
        raise NotImplementedError

    def check(self, ptr: int, length: int, align: int = 1) -> None:
        """Trap unless [ptr, ptr+length) is inside memory and ptr is aligned."""
        end = ptr + length
        if end > self.size:
            self.refresh()
            if end > self.size:
                raise Trap(f"Pointer out of bounds: Region {{ start: {ptr}, len: {length} }}")
        if ptr % align:
            raise Trap(f"Pointer not aligned to {align}: Region {{ start: {ptr}, len: {length} }}")

    def read(self, ptr: int, length: int) -> bytes:
        raise NotImplementedError

    def write(self, ptr: int, data: bytes) -> None:
        raise NotImplementedError

    def unpack(self, st: struct.Struct, ptr: int) -> tuple:
        raise NotImplementedError

    def pack(self, st: struct.Struct, ptr: int, *values: int) -> None:
        raise NotImplementedError

    def gather(self, ptr: int, length: int, entry: int, buf_at: int, len_at: int
               ) -> tuple[bytes, int, bytes]:
        """The `length` bytes of a (pointer, length) list at `ptr` (in
        bounds), and the index and contents of the first entry of non-zero
        length if it may as well come along (in bounds; else -1, b"") —
        for memory where each access is costly (Pyodide). Nothing traps."""
        return self.read(ptr, length), -1, b""


class BufferMemory(GuestMemory):
    """Guest memory over a writable buffer.

    `view` is the buffer; `current_size()` the number of bytes of it that are
    guest memory now (the buffer may be a larger reservation, as wasmtime's
    non-moving memories are). Without `current_size`, all of `view` is.
    """

    __slots__ = ("view", "size", "fuel", "_current_size")

    def __init__(self, view, current_size: Callable[[], int] | None = None) -> None:
        self.view = memoryview(view).cast("B") if not isinstance(view, memoryview) else view
        self._current_size = current_size or (lambda: len(self.view))
        self.size = self._current_size()
        self.fuel = 0

    def refresh(self) -> None:
        self.size = min(self._current_size(), len(self.view))

    def read(self, ptr: int, length: int) -> bytes:
        return self.view[ptr:ptr + length].tobytes()

    def write(self, ptr: int, data: bytes) -> None:
        self.view[ptr:ptr + len(data)] = data

    def unpack(self, st: struct.Struct, ptr: int) -> tuple:
        return st.unpack_from(self.view, ptr)

    def pack(self, st: struct.Struct, ptr: int, *values: int) -> None:
        st.pack_into(self.view, ptr, *values)
