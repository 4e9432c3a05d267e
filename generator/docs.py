"""The context of the reference docs (`docs/preview1.md`) and the TypeScript
declarations (`preview1.d.ts`): every type and function with its docs,
signatures in the three notations (spec, core wasm, runtime), layouts and
errnos."""

from __future__ import annotations

from spec import abi
from spec.errnos import ERRNOS, glue_errnos
from spec.layout import align_of, size_of
from spec.model import (
    Alias, Enum, Flags, Handle, List, Pointer, Record, Tuple, Union, name_of, resolve,
)
from . import naming
from .constants import enum_context, flags_context
from .glue import function_context
from .layouts import record_context, union_context
from .values import scalar, ts_alias_target, ts_type


def _input_records(functions) -> set[str]:
    """Names of the records/unions the runtime receives (through a param).
    The others it produces (results, non-const pointers, and `dirent`, which
    nothing refers to): their 64-bit BigInt fields also accept a Number."""
    inputs: set[str] = set()

    def walk(t, into: set[str]) -> None:
        r = resolve(t)
        if isinstance(r, (Record, Union)) and r.name not in into:
            into.add(r.name)
            for sub in (f.type for f in r.fields) if isinstance(r, Record) else (
                    v.type for v in r.variants if v.type is not None):
                walk(sub, into)
        elif isinstance(r, List):
            walk(r.of, into)
        elif isinstance(r, Pointer) and r.const:
            walk(r.to, into)

    for f in functions:
        for p in f.params:
            walk(p.type, inputs)
    return inputs


def _type_context(t, inputs: set[str]) -> dict:
    if isinstance(t, Enum):
        ctx = enum_context(t)
    elif isinstance(t, Flags):
        ctx = flags_context(t)
    elif isinstance(t, Record):
        ctx = record_context(t)
        output = t.name not in inputs
        for fl in ctx["fields"]:
            fl["ts"] = ts_type(fl["spec_type"], output=output)
    elif isinstance(t, Union):
        ctx = union_context(t)
        output = t.name not in inputs
        for v in ctx["variants"]:
            v["ts"] = ts_type(v["spec_type"], output=output) if v["spec_type"] is not None else "null"
    elif isinstance(t, Alias):
        ctx = {"kind": "alias", "name": t.name, "doc": t.doc, "of": name_of(t.of),
               "ts": ts_alias_target(t)}
    elif isinstance(t, Handle):
        ctx = {"kind": "handle", "name": t.name, "doc": t.doc, "ts": "number"}
    else:
        raise TypeError(t)
    try:
        ctx["size"], ctx["align"] = size_of(t), align_of(t)
    except TypeError:
        ctx["size"] = ctx["align"] = None  # lists: (pointer, length) params only
    if isinstance(t, Alias) and isinstance(resolve(t), List):
        ctx["size"] = ctx["align"] = None
    s = scalar(t)
    ctx["js"] = s.js if s is not None else None
    return ctx


def _spec_signature(f) -> str:
    params = ", ".join(f"{p.name}: {name_of(p.type)}" for p in f.params)
    if f.noreturn:
        return f"{f.name}({params}) -> noreturn"
    if f.result is None:
        return f"{f.name}({params})"
    ok = f.result.ok
    if ok is None:
        ok_s = "()"
    elif isinstance(ok, Tuple):
        ok_s = "(" + ", ".join(name_of(i) for i in ok.items) + ")"
    else:
        ok_s = name_of(ok)
    return f"{f.name}({params}) -> result<{ok_s}, {name_of(f.result.error)}>"


def _core_signature(f) -> str:
    sig = abi.lower(f)
    params = ", ".join(f"{p.name}: {p.type}" for p in sig.params)
    results = ", ".join(sig.results)
    return f"{f.name}({params})" + (f" -> {results}" if results else "")


def _function_context(f, index: int) -> dict:
    glue = function_context(f)
    rt = ", ".join(f"{p['name']}: {p['ts']}" for p in glue["runtime_params"])
    results = [{"name": n, "type": name_of(t), "core": f"result.{n}"}
               for n, t in zip(f.result_names, f.ok_types())]
    errnos = ERRNOS.get(f.name)
    return {
        **glue,
        "index": index,
        "spec_params": [{"name": p.name, "type": name_of(p.type), "doc": p.doc,
                         "core": ", ".join(c.name for c in abi.lower(f).params if c.source == p.name
                                           and c.role != "result")}
                        for p in f.params],
        "results": results,
        "spec_signature": _spec_signature(f),
        "core_signature": _core_signature(f),
        "runtime_signature": f"runtime.{f.name}({rt}): {glue['runtime_returns']}",
        "core_params_ts": [{"name": c["js"], "ts": "bigint" if c["type"] == "i64" else "number"}
                           for c in glue["core"]],
        "core_returns_ts": "number" if glue["core_results"] else "void",
        "errno_codes": None if errnos is None else [naming.errno_code(e) for e in errnos],
        "arg_errno_codes": [naming.errno_code(e) for e in glue_errnos(f)] if f.name in ERRNOS else [],
    }


def docs_context(view) -> dict:
    inputs = _input_records(view.functions)
    types = [_type_context(t, inputs) for t in view.types]
    named = {e for f in view.functions for e in ERRNOS.get(f.name, ())}
    errno_type = next(t for t in view.types if isinstance(t, Enum) and t.name == "errno")
    bad = named - {c.name for c in errno_type.cases}
    if bad:
        raise ValueError(f"spec/errnos.py names unknown errnos: {sorted(bad)}")
    return {
        "types": types,
        "functions": [_function_context(f, i) for i, f in enumerate(view.functions)],
    }
