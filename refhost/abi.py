"""The ABI layer: `spec/` interpreted at run time.

Nothing here knows a preview1 function by name. For each `spec.Function`,
`bind_imports` walks `spec.abi.lower(f)` and the spec params and builds one
Python callable with the exact core signature, which

1. decodes each param into a typed value: integers normalised to their spec
   width and signedness; an enum value out of range or a flags value with an
   undefined bit **traps**, as wasmtime 50 does (RATIONALE "Reference host:
   invalid enum and flags arguments trap"); a `string` becomes a
   `GuestString`, which behaviour decodes (bounds: trap; UTF-8: EILSEQ) where
   wasmtime reads it; a `list<iovec>` becomes an `IoVecs`;
2. calls the behaviour method of the same name with those values;
3. on a `WasiError`, returns its errno and writes nothing; otherwise
   bounds/alignment-checks each out-pointer (trap), writes the results and
   returns `ESUCCESS`.

The plan of each function (`FunctionGlue`) is derived from the spec once, at
import; binding it to a memory gives closures, except for the hot shape —
one scalar result, no output buffer (fd_write, fd_read, fd_seek, ...) —
which is compiled from the plan into one Python function
(`_compiled_call`), so a call costs one frame of glue. Under Pyodide, where
memory has no `view` and every access crosses into JS, an iovec list's first
entries cross in one copy, together with the first non-empty input buffer
(`GuestMemory.gather`).

Records, unions and scalars in memory are read and written by a `Codec`
compiled from `spec.layout` (`field_layouts`, `union_payload_offset`): a
record whose fields are all scalars becomes one `struct.Struct`; writes go
field run by field run, so padding bytes are never touched (as wasmtime).

Shapes recognised from the spec types (not from names):
- `pointer<u8>` (not const) followed by a `size` param: an output byte
  buffer; behaviour gets the size and returns `bytes` (at most that long); a
  `size` result, if any, is the number of bytes returned (`bufused`);
- `pointer<pointer<u8>>` followed by `pointer<u8>`: a string table
  (`args_get`, `environ_get`); behaviour returns a list of `bytes`, laid out
  as pointers plus NUL-terminated strings;
- `const_pointer<record>` / `pointer<record>` sharing the function's `size`
  param as count: an input array (behaviour gets a list of decoded records)
  and an output array (behaviour returns a list; a `size` result is its
  length) — `poll_oneoff`.
"""

from __future__ import annotations

import struct
from typing import Any, Callable

import spec
from spec import layout
from spec.abi import lower
from spec.model import (
    Builtin, Enum, Flags, Function, Handle, List, Pointer, Record, String, Type, Union, resolve,
)
from .errors import EILSEQ, EINVAL, ENOMEM, ERRNO_CODES, Trap, WasiError
from .memory import GuestMemory

MASK32 = (1 << 32) - 1
MASK64 = (1 << 64) - 1

# wasmtime's "hostcall fuel": what one call may copy out of guest memory
# (strings, iovec arrays and the buffer they lead to, poll's arrays); beyond
# it the call fails with ENOMEM before touching memory. RATIONALE "Reference
# host: hostcall fuel".
HOSTCALL_FUEL = 128 << 20

# Under Pyodide an iovec list's first entries cross from guest memory in one
# copy (each crossing costs microseconds); this many at most.
TABLE_ENTRIES = 64


def consume_fuel(mem: GuestMemory, n: int) -> None:
    if n > mem.fuel:
        raise WasiError(ENOMEM, f"a call may copy at most {HOSTCALL_FUEL} bytes")
    mem.fuel -= n

_CODES = {(1, False): "B", (2, False): "H", (4, False): "I", (8, False): "Q",
          (1, True): "b", (2, True): "h", (4, True): "i", (8, True): "q"}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def scalar_builtin(t: Type) -> Builtin | None:
    """The integer a scalar type is stored as, or None for compound types."""
    r = resolve(t)
    if isinstance(r, Builtin):
        return r
    if isinstance(r, Enum):
        return r.tag
    if isinstance(r, Flags):
        return r.repr
    if isinstance(r, (Handle, Pointer)):
        return spec.U32
    return None


def scalar_code(t: Type) -> str:
    b = scalar_builtin(t)
    if b is None:
        raise TypeError(f"{t!r} is not a scalar")
    return _CODES[b.size, b.signed]


def validity_check(t: Type) -> Callable[[int], bool] | None:
    """For an enum or flags type: the predicate a stored value must pass."""
    r = resolve(t)
    if isinstance(r, Enum):
        n = len(r.cases)
        return lambda v: v < n
    if isinstance(r, Flags):
        undefined = ~r.mask
        return lambda v: not v & undefined
    return None


def is_buffer_record(r: Type) -> bool:
    """`iovec` / `ciovec`: a record of (pointer<u8>, size)."""
    r = resolve(r)
    if not isinstance(r, Record) or len(r.fields) != 2:
        return False
    p, n = (resolve(f.type) for f in r.fields)
    return isinstance(p, Pointer) and resolve(p.to) == spec.U8 and n == spec.U32


def _is_size(t: Type) -> bool:
    return resolve(t) == spec.U32 and not isinstance(resolve(t), Pointer)


class Codec:
    """Readers and writers of spec types in guest memory, compiled once.

    A reader is `read(mem, ptr) -> value`, a writer `write(mem, ptr, value)`;
    neither checks bounds (the caller checks the whole value's region).
    Values: integers for scalars (enums as their index), dicts keyed by field
    name for records, `(case_name, payload)` for unions. An enum or flags
    value in memory that is not valid reads as `EINVAL` (wiggle's
    `GuestPtr::read`).
    """

    def __init__(self) -> None:
        self._readers: dict[Type, Callable] = {}
        self._writers: dict[Type, Callable] = {}

    # --- reading ---------------------------------------------------------------

    def reader(self, t: Type) -> Callable[[GuestMemory, int], Any]:
        try:
            return self._readers[t]
        except KeyError:
            fn = self._readers[t] = self._make_reader(t)
            return fn

    def _make_reader(self, t: Type) -> Callable:
        r = resolve(t)
        if scalar_builtin(r) is not None:
            st = struct.Struct("<" + scalar_code(r))
            ok = validity_check(r)
            if ok is None:
                return lambda mem, ptr: mem.unpack(st, ptr)[0]

            def read_checked(mem: GuestMemory, ptr: int) -> int:
                v = mem.unpack(st, ptr)[0]
                if not ok(v):
                    raise WasiError(EINVAL, f"invalid {r.name} value {v} in memory")
                return v
            return read_checked
        if isinstance(r, Record):
            fields = layout.field_layouts(r)
            if all(scalar_builtin(f.type) is not None for f in fields):
                st = flat_struct(r)
                names = tuple(f.name for f in fields)
                checks = [(i, ok) for i, f in enumerate(fields) if (ok := validity_check(f.type))]

                def read_flat(mem: GuestMemory, ptr: int) -> dict:
                    values = mem.unpack(st, ptr)
                    for i, ok in checks:
                        if not ok(values[i]):
                            raise WasiError(EINVAL, f"invalid {names[i]} value {values[i]} in memory")
                    return dict(zip(names, values))
                return read_flat
            parts = [(f.name, f.offset, self.reader(f.type)) for f in fields]
            return lambda mem, ptr: {name: rd(mem, ptr + off) for name, off, rd in parts}
        if isinstance(r, Union):
            read_tag = self.reader(r.tag)
            offset = layout.union_payload_offset(r)
            arms = [(v.case, self.reader(v.type) if v.type is not None else None) for v in r.variants]

            def read_union(mem: GuestMemory, ptr: int) -> tuple:
                case, rd = arms[read_tag(mem, ptr)]
                return case, (rd(mem, ptr + offset) if rd else None)
            return read_union
        raise TypeError(f"no reader for {t!r}")

    # --- writing ---------------------------------------------------------------

    def writer(self, t: Type) -> Callable[[GuestMemory, int, Any], None]:
        try:
            return self._writers[t]
        except KeyError:
            fn = self._writers[t] = self._make_writer(t)
            return fn

    def _make_writer(self, t: Type) -> Callable:
        r = resolve(t)
        if scalar_builtin(r) is not None:
            st = struct.Struct("<" + scalar_code(r))
            return lambda mem, ptr, v: mem.pack(st, ptr, v)
        if isinstance(r, Record):
            # Runs of adjacent scalar fields become one Struct each; gaps
            # (padding) are skipped, so they keep whatever the guest had there.
            steps: list[tuple[int, Any, tuple[str, ...]]] = []
            run: list = []

            def flush() -> None:
                if run:
                    fmt = "<" + "".join(scalar_code(f.type) for f in run)
                    steps.append((run[0].offset, struct.Struct(fmt), tuple(f.name for f in run)))
                    run.clear()

            for f in layout.field_layouts(r):
                if scalar_builtin(f.type) is None:
                    flush()
                    steps.append((f.offset, self.writer(f.type), f.name))
                    continue
                if run and run[-1].offset + run[-1].size != f.offset:
                    flush()
                run.append(f)
            flush()

            def write_record(mem: GuestMemory, ptr: int, value: dict) -> None:
                for off, how, names in steps:
                    if isinstance(how, struct.Struct):
                        mem.pack(how, ptr + off, *[value[n] for n in names])
                    else:
                        how(mem, ptr + off, value[names])
            return write_record
        if isinstance(r, Union):
            write_tag = self.writer(r.tag)
            offset = layout.union_payload_offset(r)
            arms = {v.case: (i, self.writer(v.type) if v.type is not None else None)
                    for i, v in enumerate(r.variants)}

            def write_union(mem: GuestMemory, ptr: int, value: tuple) -> None:
                case, payload = value
                tag, wr = arms[case]
                write_tag(mem, ptr, tag)
                if wr is not None:
                    wr(mem, ptr + offset, payload)
            return write_union
        raise TypeError(f"no writer for {t!r}")


def flat_struct(r: Record) -> struct.Struct:
    """One Struct for a record of scalars, padding as `x` (for reading)."""
    fmt, pos = "<", 0
    for f in layout.field_layouts(r):
        fmt += "x" * (f.offset - pos) + scalar_code(f.type)
        pos = f.offset + f.size
    return struct.Struct(fmt)


CODEC = Codec()


class GuestString:
    """A `string` argument, read from guest memory when behaviour asks —
    wasmtime looks descriptors up before it reads a path (except in
    path_open), and behaviour reproduces that order by calling `decode()`
    where wasmtime reads the string. `decode()` consumes hostcall fuel
    (ENOMEM), traps if out of bounds, and is EILSEQ if not UTF-8."""

    __slots__ = ("mem", "ptr", "len")

    def __init__(self, mem: GuestMemory) -> None:
        self.mem = mem
        self.ptr = self.len = 0

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


# --- one function --------------------------------------------------------------

def _scalar_decoder(t: Type, i: int, where: str) -> Callable:
    """A factory (mem -> decode(raw)) for a scalar param; traps on invalid
    enum/flags values."""
    b = scalar_builtin(t)
    r = resolve(t)
    bits = b.size * 8
    if b.signed:
        mask, half = (1 << bits) - 1, 1 << (bits - 1)
        return lambda mem: _inline(lambda raw: ((raw[i] & mask) ^ half) - half,
                                   f"((a{i} & {mask:#x}) ^ {half:#x}) - {half:#x}")
    if isinstance(r, Enum):
        n, name = len(r.cases), _camel(r.name)

        def enum_factory(mem: GuestMemory) -> Callable:
            def decode(raw) -> int:
                v = raw[i] & MASK32
                if v >= n:
                    raise Trap(f"In func {where} at convert {name}: Invalid enum value {name}")
                return v
            return decode
        return enum_factory
    if isinstance(r, Flags):
        undefined, name = ~r.mask, _camel(r.name)
        core_mask = MASK64 if bits == 64 else MASK32

        def flags_factory(mem: GuestMemory) -> Callable:
            def decode(raw) -> int:
                v = raw[i] & core_mask
                if v & undefined:
                    raise Trap(f"In func {where} at convert {name}: Invalid flag value {name}")
                return v
            return decode
        return flags_factory
    if bits < 32:   # a plain u8/u16 (siflags): a wider value does not convert, and traps
        limit, name = (1 << bits) - 1, _camel(r.name) if hasattr(r, "name") else b.name

        def narrow_factory(mem: GuestMemory) -> Callable:
            def decode(raw) -> int:
                v = raw[i] & MASK32
                if v > limit:
                    raise Trap(f"In func {where} at convert {name}: out of range integral type conversion")
                return v
            return decode
        return narrow_factory
    mask = MASK64 if bits == 64 else MASK32
    return lambda mem: _inline(lambda raw: raw[i] & mask, f"a{i} & {mask:#x}")


class FunctionGlue:
    """The decoding plan of one function, built from its spec and lowering.

    `factories` make, for one guest memory, the decoders of the behaviour's
    arguments (in spec order); `output` says how a returned buffer or array
    reaches memory; `results` are the out-pointers (index, type).
    """

    def __init__(self, f: Function) -> None:
        self.function = f
        sig = lower(f)
        self.core = sig.params
        self.returns_errno = bool(sig.results)
        index = {p.name: i for i, p in enumerate(sig.params)}
        self.factories: list[Callable] = []
        self.output: tuple | None = None
        params = list(f.params)
        consumed: set[str] = set()
        where = f"wasi_snapshot_preview1::{f.name}"

        count_param = None
        if any(isinstance(resolve(p.type), Pointer) and isinstance(resolve(resolve(p.type).to), Record)
               for p in params):
            sizes = [p for p in params if _is_size(p.type)]
            assert len(sizes) == 1, f.name
            count_param = sizes[0]
            consumed.add(count_param.name)

        for n, p in enumerate(params):
            if p.name in consumed:
                continue
            t = resolve(p.type)
            nxt = params[n + 1] if n + 1 < len(params) else None
            if isinstance(t, String):
                self.factories.append(_string_decoder(index[p.name], index[p.name + "_len"]))
            elif isinstance(t, List):
                rec = resolve(t.of)
                assert is_buffer_record(rec), f.name
                self.factories.append(_iovecs_decoder(index[p.name], index[p.name + "_len"], rec))
            elif isinstance(t, Pointer):
                to = resolve(t.to)
                if isinstance(to, Pointer) and nxt is not None and isinstance(resolve(nxt.type), Pointer):
                    consumed.add(nxt.name)
                    self.output = ("strings", index[p.name], index[nxt.name])
                elif to == spec.U8 and not t.const and nxt is not None and _is_size(nxt.type):
                    consumed.add(nxt.name)
                    self.factories.append(_scalar_decoder(nxt.type, index[nxt.name], where))
                    self.output = ("bytes", index[p.name], index[nxt.name])
                elif isinstance(to, Record) and t.const:
                    # fuel: this array and the output arrays of the same count
                    per_item = sum(layout.size_of(resolve(q.type).to) for q in params
                                   if isinstance(resolve(q.type), Pointer)
                                   and isinstance(resolve(resolve(q.type).to), Record))
                    self.factories.append(_array_decoder(index[p.name], index[count_param.name], to, per_item))
                elif isinstance(to, Record):
                    self.output = ("records", index[p.name], index[count_param.name], to)
                else:
                    raise TypeError(f"{f.name}: no glue for param {p.name}: {p.type!r}")
            else:
                self.factories.append(_scalar_decoder(p.type, index[p.name], where))

        self.results = [(index[p.name], p.spec_type) for p in sig.params if p.role == "result"]
        # random_get: an output buffer with no descriptor to look up first is
        # checked before behaviour draws (RATIONALE "random_get checks its buffer first").
        self.check_output_first = (self.output is not None and self.output[0] == "bytes"
                                   and not any(isinstance(resolve(p.type), Handle) for p in params))
        if self.output is not None and self.output[0] in ("bytes", "records") and self.results:
            assert len(self.results) == 1 and _is_size(f.ok_types()[0]), f.name

    def bind(self, method: Callable, mem: GuestMemory) -> Callable[..., int | None]:
        """The import function: (*core args) -> errno (None for proc_exit)."""
        decoders = [make(mem) for make in self.factories]
        output = self.output
        name = self.function.name
        invoke = _invoker(method, decoders)

        if not self.returns_errno:  # proc_exit
            def call_noreturn(*raw):
                mem.fuel = HOSTCALL_FUEL
                invoke(raw)
                raise AssertionError(f"{name} returned")
            return call_noreturn

        writers = [_result_writer(i, t) for i, t in self.results]
        if len(writers) == 1 and output is None:
            if scalar_builtin(self.results[0][1]) is not None:
                return _compiled_call(name, len(self.core), method, decoders, self.results[0], mem)
            return _hot_call(method, decoders, writers[0], mem)

        check_first = self.check_output_first

        def call(*raw) -> int:
            mem.fuel = HOSTCALL_FUEL
            if check_first and raw[output[2]] & MASK32:   # an empty buffer anywhere is fine
                mem.check(raw[output[1]] & MASK32, raw[output[2]] & MASK32)
            try:
                value = invoke(raw)
            except WasiError as e:
                return e.errno
            if output is not None:
                value = _write_output(mem, raw, output, value)
            if len(writers) == 1:
                writers[0](mem, raw, value)
            elif writers:
                # wasmtime writes a tuple result only if every out-pointer is
                # good (args_sizes_get with a bad second pointer writes nothing)
                for i, t in self.results:
                    mem.check(raw[i] & MASK32, layout.size_of(t), layout.align_of(t))
                for write, v in zip(writers, value):
                    write(mem, raw, v)
            return 0
        return call


def _inline(decode: Callable, expr: str) -> Callable:
    """Mark a decoder with the expression it computes from the core args
    `a0, a1, ...`, for `_compiled_call`."""
    decode.expr = expr
    return decode


def _compiled_call(name: str, nargs: int, method: Callable, decoders: list[Callable],
                   result: tuple[int, Type], mem: GuestMemory) -> Callable[..., int]:
    """One scalar result, no output buffer (fd_write, fd_read, fd_seek, ...):
    the import function as one Python function compiled from this
    function's plan — core args as named parameters, integer params as
    inline expressions, an iovec list set up in place, the result's check
    and write inline — so a call costs one frame of glue, not one per param.
    Decoders that may trap (enum and flags params) are still called, in
    param order."""
    ri, rt = result
    size, align = layout.size_of(rt), layout.align_of(rt)
    env: dict[str, Any] = {"mem": mem, "method": method, "WasiError": WasiError, "FUEL": HOSTCALL_FUEL,
                           "st": struct.Struct("<" + scalar_code(rt))}
    params = ", ".join(f"a{i}" for i in range(nargs))
    setup, args, raw = [], [], False
    for k, d in enumerate(decoders):
        if hasattr(d, "expr"):
            args.append(d.expr)
        elif hasattr(d, "setup"):
            env[f"iov{k}"], fields = d.setup
            setup.append(f"    iov{k}.ptr, iov{k}.count, iov{k}._i, iov{k}._tab, iov{k}._pre_i = {fields}")
            args.append(f"iov{k}")
        else:
            env[f"d{k}"] = d
            args.append(f"d{k}(raw)")
            raw = True
    if raw:
        setup.append(f"    raw = ({params}{',' if nargs == 1 else ''})")
    src = "\n".join([
        f"def {name}({params}):",
        "    mem.fuel = FUEL",
        *setup,
        "    try:",
        f"        value = method({', '.join(args)})",
        "    except WasiError as e:",
        "        return e.errno",
        f"    p = a{ri} & {MASK32:#x}",
        f"    if p + {size} > mem.size or p % {align}:",
        f"        mem.check(p, {size}, {align})",
        "    view = mem.view",
        "    if view is not None:",
        "        st.pack_into(view, p, value)",
        "    else:",
        "        mem.pack(st, p, value)",
        "    return 0",
    ])
    exec(compile(src, f"<refhost glue: {name}>", "exec"), env)
    fn = env[name]
    fn.source = src
    return fn


def _hot_call(method: Callable, decoders: list[Callable], write_result: Callable,
              mem: GuestMemory) -> Callable[..., int]:
    """One scalar result, no output buffer: fd_write, fd_read, fd_seek, ...
    Unrolled by arity, so a call costs as few Python frames as it can."""
    fuel = HOSTCALL_FUEL
    if len(decoders) == 3:
        a, b, c = decoders

        def call3(*raw) -> int:
            mem.fuel = fuel
            try:
                value = method(a(raw), b(raw), c(raw))
            except WasiError as e:
                return e.errno
            write_result(mem, raw, value)
            return 0
        return call3
    if len(decoders) == 2:
        a, b = decoders

        def call2(*raw) -> int:
            mem.fuel = fuel
            try:
                value = method(a(raw), b(raw))
            except WasiError as e:
                return e.errno
            write_result(mem, raw, value)
            return 0
        return call2
    invoke = _invoker(method, decoders)

    def call(*raw) -> int:
        mem.fuel = fuel
        try:
            value = invoke(raw)
        except WasiError as e:
            return e.errno
        write_result(mem, raw, value)
        return 0
    return call


def _invoker(method: Callable, decoders: list[Callable]) -> Callable:
    """raw -> method(decoded args), unrolled for the usual arities."""
    n = len(decoders)
    if n == 0:
        return lambda raw: method()
    if n == 1:
        (a,) = decoders
        return lambda raw: method(a(raw))
    if n == 2:
        a, b = decoders
        return lambda raw: method(a(raw), b(raw))
    if n == 3:
        a, b, c = decoders
        return lambda raw: method(a(raw), b(raw), c(raw))
    return lambda raw: method(*[d(raw) for d in decoders])


def _result_writer(i: int, t: Type) -> Callable:
    """(mem, raw, value) -> None: check out-pointer raw[i] (trap) and write."""
    size, align = layout.size_of(t), layout.align_of(t)
    if scalar_builtin(t) is not None:
        st = struct.Struct("<" + scalar_code(t))

        def write_scalar(mem: GuestMemory, raw, value: int) -> None:
            ptr = raw[i] & MASK32
            if ptr + size > mem.size or ptr % align:
                mem.check(ptr, size, align)
            view = mem.view
            if view is not None:
                st.pack_into(view, ptr, value)
            else:
                mem.pack(st, ptr, value)
        return write_scalar
    write = CODEC.writer(t)

    def write_compound(mem: GuestMemory, raw, value) -> None:
        ptr = raw[i] & MASK32
        mem.check(ptr, size, align)
        write(mem, ptr, value)
    return write_compound


def _string_decoder(ip: int, il: int) -> Callable:
    def factory(mem: GuestMemory) -> Callable:
        def decode(raw) -> GuestString:
            s = GuestString(mem)
            s.ptr, s.len = raw[ip] & MASK32, raw[il] & MASK32
            return s
        return decode
    return factory


def _iovecs_decoder(ip: int, il: int, rec: Record) -> Callable:
    st = flat_struct(rec)
    size, align = layout.size_of(rec), layout.align_of(rec)
    buf_field, len_field = layout.field_layouts(rec)
    gather = (buf_field.offset, len_field.offset) if resolve(buf_field.type).const else None

    def factory(mem: GuestMemory) -> Callable:
        iov = IoVecs(mem, st, size, align, gather)

        def decode(raw) -> IoVecs:
            iov.ptr, iov.count, iov._i, iov._tab, iov._pre_i = raw[ip] & MASK32, raw[il] & MASK32, -1, None, -1
            return iov
        decode.setup = (iov, f"a{ip} & {MASK32:#x}, a{il} & {MASK32:#x}, -1, None, -1")
        return decode
    return factory


def _array_decoder(ip: int, ic: int, rec: Record, fuel_per_item: int) -> Callable:
    read = CODEC.reader(rec)
    size, align = layout.size_of(rec), layout.align_of(rec)

    def factory(mem: GuestMemory) -> Callable:
        def decode(raw) -> list:
            ptr, n = raw[ip] & MASK32, raw[ic] & MASK32
            if n == 0:
                return []
            consume_fuel(mem, n * fuel_per_item)
            mem.check(ptr, n * size, align)
            return [read(mem, ptr + k * size) for k in range(n)]
        return decode
    return factory


_PTR = struct.Struct("<I")


def _write_output(mem: GuestMemory, raw, output: tuple, value):
    """Copy what behaviour returned into guest memory; returns the value of
    a derived `size` result (the output's length)."""
    kind = output[0]
    if kind == "bytes":
        _, ip, il = output
        data = value
        if len(data) > (raw[il] & MASK32):
            raise AssertionError("behaviour returned more bytes than the buffer holds")
        ptr = raw[ip] & MASK32
        if data:   # nothing written, nothing checked: wasmtime takes an empty slice anywhere
            mem.check(ptr, len(data))
            mem.write(ptr, data)
        return len(data)
    if kind == "strings":
        # As wasmtime: pointer, then its NUL-terminated string, one by one.
        _, ip, ib = output
        ptrs, buf = raw[ip] & MASK32, raw[ib] & MASK32
        for s in value:
            mem.check(ptrs, 4, 4)
            mem.pack(_PTR, ptrs, buf)
            ptrs += 4
            data = bytes(s) + b"\0"
            mem.check(buf, len(data))
            mem.write(buf, data)
            buf += len(data)
        return None
    if kind == "records":
        _, ip, ic, rec = output
        write = CODEC.writer(rec)
        size, align = layout.size_of(rec), layout.align_of(rec)
        ptr = raw[ip] & MASK32
        if len(value) > (raw[ic] & MASK32):
            raise AssertionError("behaviour returned more records than asked for")
        for k, v in enumerate(value):
            mem.check(ptr + k * size, size, align)
            write(mem, ptr + k * size, v)
        return len(value)
    raise AssertionError(kind)


GLUE: dict[str, FunctionGlue] = {f.name: FunctionGlue(f) for f in spec.FUNCTIONS}


def bind_imports(behaviour: Any, mem: GuestMemory, trace: Callable[[str], None] | None = None
                 ) -> dict[str, Callable[..., int | None]]:
    """The 46 import functions, by spec name, calling `behaviour.<name>`."""
    imports = {}
    for name, glue in GLUE.items():
        fn = glue.bind(getattr(behaviour, name), mem)
        if trace is not None:
            from .trace import traced
            fn = traced(glue, fn, mem, trace)
        imports[name] = fn
    return imports


__all__ = ["Codec", "CODEC", "FunctionGlue", "GLUE", "GuestString", "IoVecs", "bind_imports", "ERRNO_CODES"]


def encode_record(t: Type, value: Any) -> bytes:
    """A record's bytes as it lies in guest memory (padding zero), e.g. a
    `dirent` for fd_readdir's buffer."""
    from .memory import BufferMemory

    buf = bytearray(layout.size_of(t))
    CODEC.writer(t)(BufferMemory(buf), 0, value)
    return bytes(buf)
