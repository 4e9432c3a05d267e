"""The wazero-style syscall trace, from the spec like the rest of the glue.

    ==> fd_read(fd=4,iovs=1,iovs_len=3)
    <== (nread=6,errno=ESUCCESS)

The `==>` line lists the core params except the `result.*` out-pointers, as
unsigned numbers (a signed 64-bit param as signed). On success the `<==` line
lists each result as written to memory (records as `{field=value,...}`, enum
fields by case name, unions as `{tag=case,value=...}`), then the errno; on
failure, or for a function without results, it is `<== errno=EBADF`. A call
that does not return (a trap, `proc_exit`) has no `<==` line.
"""

from __future__ import annotations

from typing import Any, Callable

from spec.model import Enum, Record, Type, Union, resolve
from spec import layout
from .abi import CODEC, MASK32, MASK64, FunctionGlue, scalar_builtin
from .errors import ERRNO_CODES
from .memory import GuestMemory


def format_value(t: Type, value: Any) -> str:
    r = resolve(t)
    if isinstance(r, Enum):
        return r.cases[value].name if 0 <= value < len(r.cases) else str(value)
    if isinstance(r, Record):
        return "{" + ",".join(f"{f.name}={format_value(f.type, value[f.name])}"
                              for f in layout.field_layouts(r)) + "}"
    if isinstance(r, Union):
        case, payload = value
        v = next(v for v in r.variants if v.case == case)
        inner = f",value={format_value(v.type, payload)}" if v.type is not None else ""
        return f"{{tag={case}{inner}}}"
    return str(value)


def traced(glue: FunctionGlue, fn: Callable, mem: GuestMemory, trace: Callable[[str], None]) -> Callable:
    f = glue.function
    shown = []
    for i, p in enumerate(glue.core):
        if p.role == "result":
            continue
        signed = p.type == "i64" and p.spec_type is not None and scalar_builtin(p.spec_type).signed
        shown.append((i, p.name, p.type, signed))
    results = [(i, p) for i, p in enumerate(glue.core) if p.role == "result"]

    def show(i: int, kind: str, signed: bool, raw) -> str:
        v = raw[i]
        if signed:
            v = ((v & MASK64) ^ (1 << 63)) - (1 << 63)
        else:
            v &= MASK64 if kind == "i64" else MASK32
        return str(v)

    def call(*raw):
        trace(f"==> {f.name}(" + ",".join(f"{name}={show(i, kind, s, raw)}" for i, name, kind, s in shown) + ")")
        errno = fn(*raw)
        if errno is None:
            return errno
        if errno == 0 and results:
            parts = []
            for i, p in results:
                value = CODEC.reader(p.spec_type)(mem, raw[i] & MASK32)
                parts.append(f"{p.source}={format_value(p.spec_type, value)}")
            trace("<== (" + ",".join(parts) + f",errno={ERRNO_CODES[0]})")
        else:
            trace(f"<== errno={ERRNO_CODES.get(errno, str(errno))}")
        return errno
    return call
