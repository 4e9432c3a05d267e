"""Records and unions as plain dicts for `layouts.js.j2`, `trace.js.j2`,
`preview1.d.ts.j2` and the docs: their layout (from `spec.layout`) and the
JS statements of their read/write/valid/fmt functions.

The JS lines are built here, not in the templates, so the templates stay a
matter of arrangement.
"""

from __future__ import annotations

from spec.layout import align_of, field_layouts, size_of, union_payload_offset
from spec.model import Enum, Flags, Record, Type, Union, name_of, resolve
from . import naming
from .values import GeneratorError, at, hex_literal, load, scalar, store


def _valid_expr(t: Type, value: str) -> str | None:
    """A JS condition true when `value` (a decoded `t`) is a valid `t`, or
    None if every value of `t` is valid."""
    r = resolve(t)
    if isinstance(r, Enum):
        return f"{value} < {len(r.cases)}"
    if isinstance(r, Flags):
        s = scalar(r)
        zero = "0n" if s.bigint else "0"
        return f"({value} & ~{hex_literal(r.mask, s.bigint)}) === {zero}"
    if isinstance(r, (Record, Union)) and has_checks(r):
        return f"{naming.validator(r.name)}({value})"
    return None


def has_checks(t: Type) -> bool:
    """Whether a decoded `t` can be invalid (it holds an enum or flags)."""
    r = resolve(t)
    if isinstance(r, (Enum, Flags)):
        return True
    if isinstance(r, Record):
        return any(has_checks(f.type) for f in r.fields)
    if isinstance(r, Union):
        return True  # its tag is an enum
    return False


def _fmt_expr(t: Type, value: str) -> str:
    """A JS expression formatting a decoded `t` for the trace."""
    r = resolve(t)
    if isinstance(r, Enum):
        return f"enumName({naming.js_member('enumNames', r.name)}, {value})"
    if isinstance(r, (Record, Union)):
        return f"{naming.formatter(r.name)}({value})"
    return value  # numbers and BigInts print as decimal


def record_context(r: Record) -> dict:
    fields = []
    for fl, f in zip(field_layouts(r), r.fields):
        value = f"v.{f.name}"
        fields.append({
            "name": f.name,
            "key": naming.js_key(f.name),
            "type": name_of(f.type),
            "offset": fl.offset,
            "size": fl.size,
            "align": align_of(f.type),
            "doc": f.doc,
            "read": load(f.type, "dv", at("ptr", fl.offset)),
            "write": store(f.type, "dv", at("ptr", fl.offset), value),
            "valid": _valid_expr(f.type, value),
            "fmt": _fmt_expr(f.type, value),
            "spec_type": f.type,
        })
    return {
        "kind": "record",
        "name": r.name,
        "doc": r.doc,
        "size": size_of(r),
        "align": align_of(r),
        "size_const": naming.size_const(r.name),
        "align_const": naming.align_const(r.name),
        "reader": naming.reader(r.name),
        "writer": naming.writer(r.name),
        "validator": naming.validator(r.name) if has_checks(r) else None,
        "formatter": naming.formatter(r.name),
        "fields": fields,
    }


def union_context(u: Union) -> dict:
    tag = u.tag
    s = scalar(tag)
    if s is None or s.bits == 64:
        raise GeneratorError(f"union {u.name}: unsupported tag {tag!r}")
    payload = union_payload_offset(u)
    if len(u.variants) != len(tag.cases):
        raise GeneratorError(f"union {u.name}: one variant per case of {tag.name}")
    variants = []
    for i, (case, v) in enumerate(zip(tag.cases, u.variants)):
        if v.case != case.name:
            raise GeneratorError(f"union {u.name}: variant {i} is {v.case!r}, tag case is {case.name!r}")
        variants.append({
            "tag": i,
            "case": v.case,
            "doc": case.doc,
            "type": name_of(v.type) if v.type is not None else None,
            "read": load(v.type, "dv", at("ptr", payload)) if v.type is not None else None,
            "write": store(v.type, "dv", at("ptr", payload), "v.value") if v.type is not None else None,
            "valid": _valid_expr(v.type, "v.value") if v.type is not None else None,
            "fmt": _fmt_expr(v.type, "v.value") if v.type is not None else None,
            "spec_type": v.type,
        })
    return {
        "kind": "union",
        "name": u.name,
        "doc": u.doc,
        "size": size_of(u),
        "align": align_of(u),
        "size_const": naming.size_const(u.name),
        "align_const": naming.align_const(u.name),
        "reader": naming.reader(u.name),
        "writer": naming.writer(u.name),
        "validator": naming.validator(u.name),
        "formatter": naming.formatter(u.name),
        "tag_type": tag.name,
        "tag_size": size_of(tag),
        "tag_read": load(tag, "dv", "ptr"),
        "tag_write": store(tag, "dv", "ptr", "v.tag"),
        "payload_offset": payload,
        "variants": variants,
    }


def _header(c: dict) -> str:
    text = f"// --- {c['name']} ({c['kind']}, {c['size']} bytes, align {c['align']}) "
    return text + "-" * max(3, 79 - len(text))


def compound_contexts(types) -> list[dict]:
    """Every record and union of `types`, in spec order."""
    out = []
    for t in types:
        if isinstance(t, Record):
            out.append(record_context(t))
        elif isinstance(t, Union):
            out.append(union_context(t))
    for c in out:
        c["header"] = _header(c)
    return out
