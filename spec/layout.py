"""Memory layout of preview1 types, as the witx ABI defines it.

Records use C struct rules: each field at the next offset aligned to its own
alignment, the size rounded up to the record's alignment (the largest field
alignment).  A union is its tag (the tag enum's integer), then the payload at
the largest variant alignment, the whole rounded up to that alignment.
Pointers, sizes and handles are 32-bit (wasm32).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .model import (
    Alias, Builtin, Enum, Flags, Handle, List, Pointer, Record, String, Type, Union,
)


def _round_up(n: int, align: int) -> int:
    return (n + align - 1) // align * align


@cache
def size_align(t: Type) -> tuple[int, int]:
    """(size, alignment) in bytes of a value of `t` stored in guest memory."""
    if isinstance(t, Alias):
        return size_align(t.of)
    if isinstance(t, Builtin):
        return t.size, t.size
    if isinstance(t, Enum):
        return t.tag.size, t.tag.size
    if isinstance(t, Flags):
        return t.repr.size, t.repr.size
    if isinstance(t, (Handle, Pointer)):
        return 4, 4
    if isinstance(t, (String, List)):
        return 8, 4  # (pointer, length)
    if isinstance(t, Record):
        offset, align = 0, 1
        for f in t.fields:
            fs, fa = size_align(f.type)
            offset = _round_up(offset, fa) + fs
            align = max(align, fa)
        return _round_up(offset, align), align
    if isinstance(t, Union):
        tag_size, tag_align = size_align(t.tag)
        align = max([tag_align] + [size_align(v.type)[1] for v in t.variants if v.type])
        payload = max([0] + [size_align(v.type)[0] for v in t.variants if v.type])
        return _round_up(_round_up(tag_size, align) + payload, align), align
    raise TypeError(f"no memory layout for {t!r}")


def size_of(t: Type) -> int:
    return size_align(t)[0]


def align_of(t: Type) -> int:
    return size_align(t)[1]


@dataclass(frozen=True)
class FieldLayout:
    name: str
    type: Type
    offset: int
    size: int


@cache
def field_layouts(r: Record) -> tuple[FieldLayout, ...]:
    out, offset = [], 0
    for f in r.fields:
        fs, fa = size_align(f.type)
        offset = _round_up(offset, fa)
        out.append(FieldLayout(f.name, f.type, offset, fs))
        offset += fs
    return tuple(out)


def union_payload_offset(u: Union) -> int:
    """Offset of the payload inside a union: the tag size rounded up to the
    union's alignment."""
    return _round_up(size_of(u.tag), align_of(u))
