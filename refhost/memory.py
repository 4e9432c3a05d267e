"""Guest memory as the glue sees it: the one place that touches it (the
twin of polyfill/src/memory.js).

`GuestMemory` is the interface; `BufferMemory` implements it over any
writable buffer (a `bytearray` in tests, a `memoryview` of wasmtime's linear
memory natively); `engines/pyodide.py` has one over a JS `WebAssembly.Memory`.
`GuestString` and `IoVecs` are the string and iovec-list arguments the glue
hands to behaviour (read where wasmtime reads them), `HOSTCALL_FUEL` what one
call may copy out of memory.

Memory only grows, so the byte length is cached and re-read (`refresh()`)
only when an access seems out of bounds: a call costs no engine round trip
unless memory has grown since the last one. Bounds and alignment violations
raise `Trap` with wasmtime's wording ("Pointer out of bounds: Region {...}").
"""

from __future__ import annotations

import struct
from typing import Callable

from .errors import EILSEQ, ENOMEM, Trap, WasiError

# wasmtime's "hostcall fuel": what one call may copy out of guest memory
# (strings, iovec arrays and the buffer they lead to, poll's arrays); beyond
# it the call fails with ENOMEM before touching memory. RATIONALE "Reference
# host: hostcall fuel".
HOSTCALL_FUEL = 128 << 20

# Under Pyodide an iovec list's first entries cross from guest memory in one
# copy (each crossing costs microseconds); this many at most.
TABLE_ENTRIES = 64


class GuestMemory:
    """Bounds-checked access to the guest's linear memory.

    Subclasses provide `refresh`, `read`, `write`, `unpack` and `pack`; the
    last four never check bounds — callers `check` the whole region first.
    """

    size: int = 0
    #: Bytes the current call may still copy (HOSTCALL_FUEL per call).
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


def consume_fuel(mem: GuestMemory, n: int) -> None:
    if n > mem.fuel:
        raise WasiError(ENOMEM, f"a call may copy at most {HOSTCALL_FUEL} bytes")
    mem.fuel -= n


class GuestString:
    """A `string` argument, read from guest memory when behaviour asks —
    wasmtime looks descriptors up before it reads a path (except in
    path_open), and behaviour reproduces that order by calling `decode()`
    where wasmtime reads the string. `decode()` consumes hostcall fuel
    (ENOMEM), traps if out of bounds, and is EILSEQ if not UTF-8."""

    __slots__ = ("mem", "ptr", "len")

    def __init__(self, mem: GuestMemory, ptr: int, length: int) -> None:
        self.mem = mem
        self.ptr = ptr
        self.len = length

    def decode(self, fuel: bool = True) -> str:
        mem, ptr, n = self.mem, self.ptr, self.len
        if fuel:
            consume_fuel(mem, n)
        mem.check(ptr, n)
        try:
            return mem.read(ptr, n).decode("utf-8")
        except UnicodeDecodeError:
            raise WasiError(EILSEQ, "string is not valid UTF-8") from None


class IoVecs:
    """A `list<iovec>` / `list<ciovec>` argument, valid during one call.

    Entries are read lazily, each bounds- and alignment-checked when first
    needed (as wiggle reads them one at a time); a buffer is checked whole
    before it is read or written. Behaviour sees indexes and lengths, never
    pointers. One object per function is reused call after call (calls do
    not nest), so the hot path allocates nothing but the data.
    """

    __slots__ = ("mem", "ptr", "count", "_st", "_size", "_align", "_i", "_buf", "_len", "_tab",
                 "_gather", "_pre_i", "_pre")

    def __init__(self, mem: GuestMemory, st: struct.Struct, size: int, align: int,
                 gather: tuple[int, int] | None = None) -> None:
        self.mem = mem
        self._st, self._size, self._align = st, size, align
        self.ptr = self.count = 0
        self._i = -1
        self._buf = self._len = 0
        self._tab: bytes | None = None
        # For input buffers (ciovec): the offsets of `buf` and `buf_len`, so
        # memory without a view may copy the first non-empty buffer along
        # with the list (`GuestMemory.gather`); (index, bytes) of that copy.
        self._gather = gather
        self._pre_i, self._pre = -1, b""

    def reset(self, ptr: int, count: int) -> None:
        """Point at the list of `count` entries at `ptr`, for one call (the
        generated glue does the same inline)."""
        self.ptr, self.count, self._i, self._tab, self._pre_i = ptr, count, -1, None, -1

    def _entry(self, i: int) -> None:
        mem, size, align = self.mem, self._size, self._align
        p = self.ptr + i * size
        view = mem.view
        if view is None:
            self._buf, self._len = self._far_entry(i)
        else:
            if p + size > mem.size or p % align:
                mem.check(p, size, align)
            self._buf, self._len = self._st.unpack_from(view, p)
        self._i = i

    def _far_entry(self, i: int) -> tuple[int, int]:
        """Entry i when memory is not directly addressable (Pyodide): the
        first `TABLE_ENTRIES` entries come over in one copy, as many as are
        in bounds and aligned; any other is checked (trap) and read alone."""
        mem, size = self.mem, self._size
        tab = self._tab
        if tab is None:
            ptr = self.ptr
            k = min(self.count, TABLE_ENTRIES, max(0, (mem.size - ptr) // size))
            if ptr % self._align:
                k = 0
            if not k:
                tab = b""
            elif self._gather is not None:
                tab, self._pre_i, self._pre = mem.gather(ptr, k * size, size, *self._gather)
            else:
                tab = mem.read(ptr, k * size)
            self._tab = tab
        if (i + 1) * size <= len(tab):
            return self._st.unpack_from(tab, i * size)
        p = self.ptr + i * size
        mem.check(p, size, self._align)
        return mem.unpack(self._st, p)

    def length(self, i: int) -> int:
        if i != self._i:
            self._entry(i)
        return self._len

    def first_nonempty(self) -> int:
        """Index of the first buffer with a non-zero length, or -1. Like
        wasmtime, consumes hostcall fuel for the array and for that buffer."""
        mem = self.mem
        size = self._size
        n = self.count * size
        if n > mem.fuel:
            consume_fuel(mem, n)
        mem.fuel -= n
        view = mem.view
        if view is None:
            for i in range(self.count):
                buf, length = self._far_entry(i)
                if length:
                    return self._found(i, buf, length)
            return -1
        st, align = self._st, self._align
        p = self.ptr
        for i in range(self.count):
            if p + size > mem.size or p % align:
                mem.check(p, size, align)
            buf, length = st.unpack_from(view, p)
            if length:
                self._i, self._buf, self._len = i, buf, length
                if length > mem.fuel:
                    consume_fuel(mem, length)
                mem.fuel -= length
                return i
            p += size
        return -1

    def _found(self, i: int, buf: int, length: int) -> int:
        self._i, self._buf, self._len = i, buf, length
        mem = self.mem
        if length > mem.fuel:
            consume_fuel(mem, length)
        mem.fuel -= length
        return i

    def read(self, i: int) -> bytes:
        """The whole contents of buffer i (guest -> host)."""
        if i != self._i:
            self._entry(i)
        mem, buf, n = self.mem, self._buf, self._len
        if buf + n > mem.size:
            mem.check(buf, n)
        view = mem.view
        if view is not None:
            return view[buf:buf + n].tobytes()
        return self._pre if i == self._pre_i else mem.read(buf, n)

    def write(self, i: int, data: bytes, whole: bool = True) -> None:
        """Copy `data` (at most `length(i)` bytes) to the start of buffer i.
        The whole buffer must be in bounds (wasmtime's file reads), or with
        `whole=False` only the bytes written (its stdin)."""
        if i != self._i:
            self._entry(i)
        mem, buf, n = self.mem, self._buf, self._len
        if len(data) > n:
            raise ValueError("write longer than the buffer")
        if not whole:
            n = len(data)
        if buf + n > mem.size:
            mem.check(buf, n)
        if data:
            mem.write(buf, data)
