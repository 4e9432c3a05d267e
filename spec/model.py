"""The vocabulary in which `types.py` and `functions.py` write preview1 down.

Every witx construct preview1 uses has one frozen dataclass here.  Types refer
to each other by object, not by name, so a typo is a NameError at import time
rather than a dangling reference.  Nothing in this module knows about memory
layout (see `layout.py`) or the core-wasm ABI (see `abi.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Builtin:
    """A witx builtin integer type: u8 u16 u32 u64 s8 s16 s32 s64."""

    name: str
    size: int
    signed: bool

    @property
    def bits(self) -> int:
        return self.size * 8


U8 = Builtin("u8", 1, False)
U16 = Builtin("u16", 2, False)
U32 = Builtin("u32", 4, False)
U64 = Builtin("u64", 8, False)
S8 = Builtin("s8", 1, True)
S16 = Builtin("s16", 2, True)
S32 = Builtin("s32", 4, True)
S64 = Builtin("s64", 8, True)
BUILTINS = {b.name: b for b in (U8, U16, U32, U64, S8, S16, S32, S64)}


@dataclass(frozen=True)
class String:
    """A UTF-8 string passed as (pointer, length); not NUL-terminated."""


STRING = String()


@dataclass(frozen=True)
class Pointer:
    """`(@witx pointer T)` or, with const=True, `(@witx const_pointer T)`."""

    to: "Type"
    const: bool = False


@dataclass(frozen=True)
class List:
    """`(list T)`: a (pointer, length) pair of T elements in guest memory."""

    of: "Type"


@dataclass(frozen=True)
class Tuple:
    """`(tuple A B ...)`: only used for multi-value results."""

    items: tuple["Type", ...]


# Named types: each is a `(typename $name ...)` of the witx.


@dataclass(frozen=True)
class Alias:
    """`(typename $size u32)`: a named integer (or other) type."""

    name: str
    of: "Type"
    doc: str = ""


@dataclass(frozen=True)
class Case:
    """One case of an enum (value = its index) or one bit of a flags type."""

    name: str
    doc: str = ""


@dataclass(frozen=True)
class Enum:
    """`(enum (@witx tag u8) $a $b ...)`: case i has value i."""

    name: str
    tag: Builtin
    cases: tuple[Case, ...]
    doc: str = ""

    def value(self, case: str) -> int:
        return [c.name for c in self.cases].index(case)


@dataclass(frozen=True)
class Flags:
    """`(flags (@witx repr u16) $a $b ...)`: flag i is bit 1 << i."""

    name: str
    repr: Builtin
    flags: tuple[Case, ...]
    doc: str = ""

    def bit(self, flag: str) -> int:
        return 1 << [f.name for f in self.flags].index(flag)

    @property
    def mask(self) -> int:
        return (1 << len(self.flags)) - 1


@dataclass(frozen=True)
class Field:
    name: str
    type: "Type"
    doc: str = ""


@dataclass(frozen=True)
class Record:
    """`(record (field $a T) ...)`: C struct layout (see layout.py)."""

    name: str
    fields: tuple[Field, ...]
    doc: str = ""


@dataclass(frozen=True)
class Variant:
    """One arm of a union: the tag case it belongs to and its payload type
    (None for a case without payload)."""

    case: str
    type: "Type | None"


@dataclass(frozen=True)
class Union:
    """`(union (@witx tag $enum) T0 T1 ...)`: variant i belongs to tag case i."""

    name: str
    tag: Enum
    variants: tuple[Variant, ...]
    doc: str = ""


@dataclass(frozen=True)
class Handle:
    """`(handle)`: an opaque resource index (a file descriptor)."""

    name: str
    doc: str = ""


NamedType = Alias | Enum | Flags | Record | Union | Handle
Type = Builtin | String | Pointer | List | Tuple | NamedType


@dataclass(frozen=True)
class Param:
    name: str
    type: Type
    doc: str = ""


@dataclass(frozen=True)
class Expected:
    """`(expected OK (error E))`; ok is None for `(expected (error E))`."""

    ok: Type | None
    error: Type


@dataclass(frozen=True)
class Function:
    """One `(@interface func (export "name") ...)`.

    `result_names` is ours, not the witx's: it names each value of the ok
    result (one per tuple item), as wazero does, and becomes the name of its
    out-pointer (`result.nread`) and of its field in the trace (`nread=6`).
    """

    name: str
    params: tuple[Param, ...]
    result: Expected | None
    doc: str = ""
    result_doc: str = ""
    result_names: tuple[str, ...] = ()
    noreturn: bool = False

    def ok_types(self) -> tuple[Type, ...]:
        if self.result is None or self.result.ok is None:
            return ()
        ok = self.result.ok
        return ok.items if isinstance(ok, Tuple) else (ok,)

    def __post_init__(self) -> None:
        if len(self.result_names) != len(self.ok_types()):
            raise ValueError(f"{self.name}: one result name per ok value")


def resolve(t: Type) -> Type:
    """Follow aliases down to the type that decides representation."""
    while isinstance(t, Alias):
        t = t.of
    return t


def name_of(t: Type) -> str:
    """The witx spelling of a type reference (`$size`, `u8`, `string`, ...)."""
    if isinstance(t, (Alias, Enum, Flags, Record, Union, Handle)):
        return t.name
    if isinstance(t, Builtin):
        return t.name
    if isinstance(t, String):
        return "string"
    if isinstance(t, Pointer):
        return f"{'const_pointer' if t.const else 'pointer'}<{name_of(t.to)}>"
    if isinstance(t, List):
        return f"list<{name_of(t.of)}>"
    if isinstance(t, Tuple):
        return "tuple<" + ", ".join(name_of(i) for i in t.items) + ">"
    raise TypeError(t)


__all__ = [n for n in dir() if not n.startswith("_") and n not in ("annotations", "dataclass", "field")]
