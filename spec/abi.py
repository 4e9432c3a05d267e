"""Lowering of preview1 functions to their core wasm signatures.

The rules (the witx "preview1 ABI"):
- integers of 64 bits lower to i64, everything else integral to i32:
  enums by their tag type, flags by their repr, handles and pointers as i32;
- a `string` or `list` param lowers to two i32 params, `name` and `name_len`;
- the function returns its errno as i32; each value of the ok result is
  written through an extra trailing i32 out-pointer param, named
  `result.<name>` after `Function.result_names` (wazero's convention);
- a `noreturn` function (proc_exit) returns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import (
    Alias, Builtin, Enum, Flags, Function, Handle, List, Param, Pointer, String, Type,
)

CoreType = Literal["i32", "i64"]


@dataclass(frozen=True)
class CoreParam:
    name: str                 # "fd", "path", "path_len", "result.nread"
    type: CoreType
    role: Literal["value", "pointer", "length", "result"]
    source: str               # the spec param (or result) this comes from
    spec_type: Type | None    # the spec type for "value"/"pointer"/"result"


@dataclass(frozen=True)
class CoreSignature:
    params: tuple[CoreParam, ...]
    results: tuple[CoreType, ...]

    @property
    def param_types(self) -> tuple[CoreType, ...]:
        return tuple(p.type for p in self.params)


def core_type(t: Type) -> CoreType:
    """The core wasm value type a scalar spec type is passed as."""
    while isinstance(t, Alias):
        t = t.of
    if isinstance(t, Builtin):
        return "i64" if t.size == 8 else "i32"
    if isinstance(t, Enum):
        return core_type(t.tag)
    if isinstance(t, Flags):
        return core_type(t.repr)
    if isinstance(t, (Handle, Pointer)):
        return "i32"
    raise TypeError(f"{t!r} is not a scalar")


def _lower_param(p: Param) -> list[CoreParam]:
    t = p.type
    while isinstance(t, Alias):
        t = t.of
    if isinstance(t, (String, List)):
        return [
            CoreParam(p.name, "i32", "pointer", p.name, p.type),
            CoreParam(p.name + "_len", "i32", "length", p.name, None),
        ]
    role = "pointer" if isinstance(t, Pointer) else "value"
    return [CoreParam(p.name, core_type(t), role, p.name, p.type)]


def lower(f: Function) -> CoreSignature:
    params: list[CoreParam] = []
    for p in f.params:
        params.extend(_lower_param(p))
    for name, t in zip(f.result_names, f.ok_types()):
        params.append(CoreParam("result." + name, "i32", "result", name, t))
    results: tuple[CoreType, ...] = () if f.noreturn or f.result is None else ("i32",)
    return CoreSignature(tuple(params), results)
