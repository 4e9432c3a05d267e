"""Enums and flags as plain dicts for `constants.js.j2`, `trace.js.j2`,
`preview1.d.ts.j2` and the docs."""

from __future__ import annotations

from spec.model import Enum, Flags
from . import naming
from .values import hex_literal, scalar


def enum_context(e: Enum) -> dict:
    return {
        "kind": "enum",
        "name": e.name,
        "doc": e.doc,
        "repr": e.tag.name,
        "size": e.tag.size,
        "cases": [{"name": c.name, "key": naming.js_key(c.name), "value": i,
                   "literal": str(i), "doc": c.doc} for i, c in enumerate(e.cases)],
    }


def flags_context(f: Flags) -> dict:
    big = scalar(f).bigint
    # constants.js builds each flags object from its names, case i = bit i.
    if f.mask != (1 << len(f.flags)) - 1:
        raise ValueError(f"flags {f.name}: the cases are not bits 0..{len(f.flags) - 1}")
    return {
        "kind": "flags",
        "name": f.name,
        "doc": f.doc,
        "repr": f.repr.name,
        "size": f.repr.size,
        "bigint": big,
        "mask": hex_literal(f.mask, big),
        "cases": [{"name": c.name, "key": naming.js_key(c.name), "value": 1 << i,
                   "literal": hex_literal(1 << i, big), "doc": c.doc} for i, c in enumerate(f.flags)],
    }


def constants_context(types) -> dict:
    enums = [enum_context(t) for t in types if isinstance(t, Enum)]
    flags = [flags_context(t) for t in types if isinstance(t, Flags)]
    errno = next((e for e in enums if e["name"] == "errno"), None)
    if errno is None:
        raise ValueError("the spec has no `errno` enum")
    # constants.js spells each errno code from its case name ("E" + capitals)
    codes = [naming.errno_code(c["name"]) for c in errno["cases"]]
    if codes != ["E" + c["name"].upper() for c in errno["cases"]]:
        raise ValueError("constants.js derives errnoCode as \"E\" + the case name in capitals; naming.errno_code differs")
    return {
        "enums": enums,
        "flags": flags,
        "errno_codes": codes,
        # each type's case names in one string: constants.js is part of the
        # browser bundle, and a name list is a fraction of an object literal
        "names": {t["name"]: " ".join(c["name"] for c in t["cases"]) for t in enums + flags},
    }
