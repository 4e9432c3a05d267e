"""How each spec type is represented in JS: the glue contract's table of
typed values, as code.

`scalar(t)` classifies a scalar (integer, enum, flags, handle, pointer) type;
`load`/`store` give the DataView expression reading or writing any
fixed-size type at an address; `ts_type` gives its TypeScript spelling.
Everything here is about one value; what a function does with its params is
`glue.py`'s business.
"""

from __future__ import annotations

from dataclasses import dataclass

from spec.model import (
    Alias, Builtin, Enum, Flags, Handle, List, Pointer, Record, String, Tuple, Type, Union,
    resolve,
)
from . import naming

# 64-bit offsets, sizes and cookies are Numbers on the JS side (the contract's
# table); every other 64-bit type is a BigInt.
NUMBER_64 = frozenset({"filesize", "filedelta", "dircookie"})


class GeneratorError(Exception):
    """The spec uses a construct this generator has no representation for."""


@dataclass(frozen=True)
class Scalar:
    """A value that fits a core wasm param or a DataView get/set."""

    bits: int            # 8, 16, 32 or 64: its size in memory
    signed: bool
    bigint: bool         # True if the JS value is a BigInt
    kind: str            # "int" | "enum" | "flags" | "handle" | "pointer"
    type: Type           # the resolved spec type (Enum, Flags, Builtin, ...)

    @property
    def js(self) -> str:
        return "bigint" if self.bigint else "number"


def _number_64(t: Type) -> bool:
    while isinstance(t, Alias):
        if t.name in NUMBER_64:
            return True
        t = t.of
    return False


def scalar(t: Type) -> Scalar | None:
    """The scalar representation of `t`, or None if `t` is not a scalar."""
    r = resolve(t)
    if isinstance(r, Builtin):
        big = r.size == 8 and not _number_64(t)
        return Scalar(r.bits, r.signed, big, "int", r)
    if isinstance(r, Enum):
        return Scalar(r.tag.bits, False, r.tag.size == 8, "enum", r)
    if isinstance(r, Flags):
        return Scalar(r.repr.bits, False, r.repr.size == 8, "flags", r)
    if isinstance(r, Handle):
        return Scalar(32, False, False, "handle", r)
    if isinstance(r, Pointer):
        return Scalar(32, False, False, "pointer", r)
    return None


def hex_literal(value: int, bigint: bool = False) -> str:
    return f"0x{value:x}" + ("n" if bigint else "")


_GET = {(8, False): "getUint8", (16, False): "getUint16", (32, False): "getUint32",
        (8, True): "getInt8", (16, True): "getInt16", (32, True): "getInt32"}
_SET = {k: "s" + v[1:] for k, v in _GET.items()}


def at(ptr: str, offset: int) -> str:
    """The address expression `ptr + offset` (just `ptr` for offset 0)."""
    return ptr if offset == 0 else f"{ptr} + {offset}"


def load(t: Type, dv: str, addr: str) -> str:
    """A JS expression reading a `t` stored at `addr`, as its typed value."""
    s = scalar(t)
    if s is not None:
        if s.bits == 64:
            if s.bigint:
                return f"{dv}.get{'BigInt64' if s.signed else 'BigUint64'}({addr}, true)"
            return f"{'readS64Number' if s.signed else 'readU64Number'}({dv}, {addr})"
        little = "" if s.bits == 8 else ", true"
        return f"{dv}.{_GET[(s.bits, s.signed)]}({addr}{little})"
    r = resolve(t)
    if isinstance(r, (Record, Union)):
        return f"{naming.reader(r.name)}({dv}, {addr})"
    raise GeneratorError(f"no memory representation for {t!r}")


def store(t: Type, dv: str, addr: str, value: str) -> str:
    """A JS statement (without `;`) writing the typed value `value` as a `t`
    at `addr`. 64-bit integers accept a Number or a BigInt."""
    s = scalar(t)
    if s is not None:
        if s.bits == 64:
            return f"{'writeS64' if s.signed else 'writeU64'}({dv}, {addr}, {value})"
        little = "" if s.bits == 8 else ", true"
        return f"{dv}.{_SET[(s.bits, s.signed)]}({addr}, {value}{little})"
    r = resolve(t)
    if isinstance(r, (Record, Union)):
        return f"{naming.writer(r.name)}({dv}, {addr}, {value})"
    raise GeneratorError(f"no memory representation for {t!r}")


# --- TypeScript ----------------------------------------------------------------


def ts_type(t: Type, output: bool = False) -> str:
    """The TypeScript type of the typed value of `t`. With output=True, the
    type the runtime may *return* (64-bit BigInt values also accept a Number)."""
    if isinstance(t, (Alias, Enum, Flags, Record, Union, Handle)):
        base = t.name
        s = scalar(t)
        if output and s is not None and s.bigint and s.kind == "int":
            return f"{base} | number"
        return base
    if isinstance(t, Builtin):
        s = scalar(t)
        if output and s.bigint:
            return "bigint | number"
        return s.js
    if isinstance(t, String):
        return "string"
    if isinstance(t, Pointer):
        return "number"
    if isinstance(t, List):
        return "IoVecs"
    if isinstance(t, Tuple):
        return "[" + ", ".join(ts_type(i, output) for i in t.items) + "]"
    raise GeneratorError(f"no TypeScript type for {t!r}")


def ts_alias_target(a: Alias) -> str:
    """What a named alias stands for in TypeScript (`size` -> `number`)."""
    if isinstance(resolve(a), List):
        return "IoVecs"
    s = scalar(a)
    if s is None:
        raise GeneratorError(f"no TypeScript type for alias {a.name}")
    return s.js
