"""The reference host's glue as Python source: `refhost/generated/layouts.py`,
`imports.py` and `trace.py`, the twins of the JS runtime's generated
`layouts.js`, `imports.js` and `trace.js`.

The Python statements are built here, templates only arrange them. The glue
follows the reference host's own contract (refhost/README.md), which is not
the JS glue's in every detail (the reference host traps on an invalid enum
or flags argument, as wasmtime does; strings and iovec lists reach behaviour
unread as `GuestString` / `IoVecs`). Shapes are recognised from the spec
types, never from function names:

- `string`, `list<iovec>`: `GuestString`, `IoVecs` (one per import, reused);
- `pointer<u8>` (not const) followed by a `size` param: an output byte
  buffer; behaviour gets the size and returns `bytes`; a `size` result, if
  any, is the number of bytes copied;
- `pointer<pointer<u8>>` followed by `pointer<u8>`: a string table
  (`args_get`, `environ_get`), behaviour returns a list of `bytes`;
- `const_pointer<record>` / `pointer<record>` sharing the function's one
  `size` param as count: an input array (a list of decoded records) and an
  output array (behaviour returns a list; a `size` result is its length).
"""

from __future__ import annotations

import keyword

import spec
from spec import layout
from spec.abi import lower
from spec.model import Builtin, Enum, Flags, Function, Handle, List, Pointer, Record, String, Type, Union, resolve
from .values import GeneratorError

M32 = "0xffffffff"
M64 = "0xffffffffffffffff"

_CODES = {(1, False): "B", (2, False): "H", (4, False): "I", (8, False): "Q",
          (1, True): "b", (2, True): "h", (4, True): "i", (8, True): "q"}
#: The scalar Structs of layouts.py, by format character.
SCALAR_STRUCTS = {"B": "U8", "H": "U16", "I": "U32", "Q": "U64",
                  "b": "S8", "h": "S16", "i": "S32", "q": "S64"}


def ident(name: str) -> str:
    """A core param's Python name: `result.nread` -> `result_nread`, `in` -> `in_`."""
    n = name.replace(".", "_")
    return n + "_" if keyword.iskeyword(n) else n


def camel(name: str) -> str:
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


def code(t: Type) -> str:
    b = scalar_builtin(t)
    if b is None:
        raise GeneratorError(f"{t!r} is not a scalar")
    return _CODES[b.size, b.signed]


def scalar_struct(t: Type) -> str:
    return SCALAR_STRUCTS[code(t)]


def upper(name: str) -> str:
    return name.upper()


def _invalid_check(t: Type, var: str) -> str | None:
    """A condition true when `var`, read from memory as `t`, is not a valid `t`."""
    r = resolve(t)
    if isinstance(r, Enum):
        return f"{var} >= {len(r.cases)}"
    if isinstance(r, Flags):
        undefined = ~r.mask & ((1 << (r.repr.size * 8)) - 1)
        return f"{var} & {undefined:#x}" if undefined else None
    return None


# --- layouts.py ------------------------------------------------------------------

def _read_field_lines(name: str, t: Type, at: str, var: str) -> list[str]:
    """Statements reading field `name` of type `t` at `at` into `var`."""
    if scalar_builtin(t) is not None:
        lines = [f"{var} = mem.unpack({scalar_struct(t)}, {at})[0]"]
        bad = _invalid_check(t, var)
        if bad:
            lines += [f"if {bad}:",
                      f'    raise WasiError(EINVAL, f"invalid {name} value {{{var}}} in memory")']
        return lines
    return [f"{var} = read_{resolve(t).name}(mem, {at})"]


def _offset(base: str, off: int) -> str:
    return f"{base} + {off}" if off else base


def record_layout(r: Record) -> dict:
    fields = layout.field_layouts(r)
    flat = all(scalar_builtin(f.type) is not None for f in fields)
    structs: list[tuple[str, str]] = []
    read: list[str] = []
    if flat:
        fmt, pos = "<", 0
        for f in fields:
            fmt += "x" * (f.offset - pos) + code(f.type)
            pos = f.offset + f.size
        structs.append((f"{upper(r.name)}_STRUCT", fmt))
        names = [f"v_{f.name}" for f in fields]
        read.append(f"{', '.join(names)}{',' if len(names) == 1 else ''} = mem.unpack({upper(r.name)}_STRUCT, ptr)")
        for f in fields:
            bad = _invalid_check(f.type, f"v_{f.name}")
            if bad:
                read += [f"if {bad}:",
                         f'    raise WasiError(EINVAL, f"invalid {f.name} value {{v_{f.name}}} in memory")']
    else:
        for f in fields:
            read += _read_field_lines(f.name, f.type, _offset("ptr", f.offset), f"v_{f.name}")
    read.append("return {" + ", ".join(f'"{f.name}": v_{f.name}' for f in fields) + "}")

    # Writes go run of adjacent scalar fields by run (one Struct each), so
    # padding bytes keep whatever the guest had there, as in wasmtime.
    write: list[str] = []
    run: list = []

    def flush() -> None:
        if run:
            sname = f"_{upper(r.name)}_AT{run[0].offset}"
            structs.append((sname, "<" + "".join(code(f.type) for f in run)))
            values = ", ".join(f'v["{f.name}"]' for f in run)
            write.append(f"mem.pack({sname}, {_offset('ptr', run[0].offset)}, {values})")
            run.clear()

    for f in fields:
        if scalar_builtin(f.type) is None:
            flush()
            write.append(f'write_{resolve(f.type).name}(mem, {_offset("ptr", f.offset)}, v["{f.name}"])')
            continue
        if run and run[-1].offset + run[-1].size != f.offset:
            flush()
        run.append(f)
    flush()
    return {"name": r.name, "kind": "record", "size": layout.size_of(r), "align": layout.align_of(r),
            "structs": structs, "read": read, "write": write,
            "doc": ", ".join(f"{f.name} at {f.offset}" for f in fields)}


def union_layout(u: Union) -> dict:
    offset = layout.union_payload_offset(u)
    tag_struct = scalar_struct(u.tag)
    read = [f"tag = mem.unpack({tag_struct}, ptr)[0]"]
    write = ["case, payload = v"]
    for i, v in enumerate(u.variants):
        if v.type is None:
            read.append(f'if tag == {i}:\n    return ("{v.case}", None)')
            write.append(f'if case == "{v.case}":\n    mem.pack({tag_struct}, ptr, {i})\n    return')
            continue
        at = _offset("ptr", offset)
        if scalar_builtin(v.type) is not None:
            rd = f"mem.unpack({scalar_struct(v.type)}, {at})[0]"
            wr = f"mem.pack({scalar_struct(v.type)}, {at}, payload)"
        else:
            rd = f"read_{resolve(v.type).name}(mem, {at})"
            wr = f"write_{resolve(v.type).name}(mem, {at}, payload)"
        read.append(f'if tag == {i}:\n    return ("{v.case}", {rd})')
        write.append(f'if case == "{v.case}":\n    mem.pack({tag_struct}, ptr, {i})\n    {wr}\n    return')
    read.append(f'raise WasiError(EINVAL, f"invalid {resolve(u.tag).name} value {{tag}} in memory")')
    write.append("raise ValueError(f\"no case {case!r}\")")
    return {"name": u.name, "kind": "union", "size": layout.size_of(u), "align": layout.align_of(u),
            "structs": [], "read": read, "write": write,
            "doc": f"tag {resolve(u.tag).name} at 0, payload at {offset}"}


def layouts_context(types) -> dict:
    compounds = []
    for t in types:
        if isinstance(t, Record):
            compounds.append(record_layout(t))
        elif isinstance(t, Union):
            compounds.append(union_layout(t))
    return {"scalars": [(name, f"<{c}") for c, name in SCALAR_STRUCTS.items()], "compounds": compounds}


# --- imports.py ------------------------------------------------------------------

def _is_size(t: Type) -> bool:
    return resolve(t) == spec.U32


def _scalar_decode(t: Type, raw: str, var: str, where: str) -> tuple[list[str], str]:
    """(statements, expression): the typed value of scalar param `raw`. An
    enum out of range, a flags value with an undefined bit, a narrow integer
    too wide all trap while decoding, with wasmtime's messages."""
    b = scalar_builtin(t)
    r = resolve(t)
    bits = b.size * 8
    if b.signed:
        mask, half = (1 << bits) - 1, 1 << (bits - 1)
        return [], f"(({raw} & {mask:#x}) ^ {half:#x}) - {half:#x}"
    if isinstance(r, Enum):
        name = camel(r.name)
        return [f"{var} = {raw} & {M32}",
                f"if {var} >= {len(r.cases)}:",
                f'    raise Trap("In func {where} at convert {name}: Invalid enum value {name}")'], var
    if isinstance(r, Flags):
        name = camel(r.name)
        undefined = ~r.mask & ((1 << 64) - 1 if bits == 64 else (1 << 32) - 1)
        return [f"{var} = {raw} & {M64 if bits == 64 else M32}",
                f"if {var} & {undefined:#x}:",
                f'    raise Trap("In func {where} at convert {name}: Invalid flag value {name}")'], var
    if bits < 32:   # a plain u8/u16 (siflags): a wider value does not convert, and traps
        name = camel(r.name)
        return [f"{var} = {raw} & {M32}",
                f"if {var} > {(1 << bits) - 1}:",
                f'    raise Trap("In func {where} at convert {name}: out of range integral type conversion")'], var
    return [], f"{raw} & {M64 if bits == 64 else M32}"


def _write_scalar(t: Type, ptr: str, value: str, check: bool = True) -> list[str]:
    size, align = layout.size_of(t), layout.align_of(t)
    st = scalar_struct(t)
    lines = [f"ptr = {ptr} & {M32}"]
    if check:
        lines += [f"if ptr + {size} > mem.size or ptr % {align}:",
                  f"    mem.check(ptr, {size}, {align})"]
    return lines + ["view = mem.view",
                    "if view is not None:",
                    f"    {st}.pack_into(view, ptr, {value})",
                    "else:",
                    f"    mem.pack({st}, ptr, {value})"]


def function_glue(f: Function) -> dict:
    sig = lower(f)
    index = {p.name: p for p in sig.params}
    core = [ident(p.name) for p in sig.params]
    where = f"wasi_snapshot_preview1::{f.name}"
    setup: list[str] = []        # once per import (per guest memory)
    before: list[str] = []       # each call, before behaviour (cannot fail)
    decode: list[str] = []       # each call, in param order, inside the try
    args: list[str] = []
    after: list[str] = []        # on success, writing what behaviour returned
    output = None
    params = list(f.params)
    consumed: set[str] = set()

    count = None
    if any(isinstance(resolve(p.type), Pointer) and isinstance(resolve(resolve(p.type).to), Record)
           for p in params):
        sizes = [p for p in params if _is_size(p.type) and not isinstance(resolve(p.type), Pointer)]
        if len(sizes) != 1:
            raise GeneratorError(f"{f.name}: a record array needs exactly one size param")
        count = sizes[0]
        consumed.add(count.name)
        before.append(f"count = {ident(count.name)} & {M32}")

    for n, p in enumerate(params):
        if p.name in consumed:
            continue
        t = resolve(p.type)
        nxt = params[n + 1] if n + 1 < len(params) else None
        raw = ident(p.name)
        if isinstance(t, String):
            args.append(f"GuestString(mem, {raw} & {M32}, {ident(p.name + '_len')} & {M32})")
        elif isinstance(t, List):
            rec = resolve(t.of)
            fields = layout.field_layouts(rec) if isinstance(rec, Record) else []
            if not (len(fields) == 2 and isinstance(resolve(fields[0].type), Pointer)
                    and resolve(resolve(fields[0].type).to) == spec.U8 and _is_size(fields[1].type)):
                raise GeneratorError(f"{f.name}: no glue for a list of {t.of!r}")
            gather = f"({fields[0].offset}, {fields[1].offset})" if resolve(fields[0].type).const else "None"
            R = upper(rec.name)
            setup.append(f"{raw}_list = IoVecs(mem, {R}_STRUCT, {R}_SIZE, {R}_ALIGN, {gather})")
            # IoVecs.reset, inlined (a method call costs more than the rest of it)
            decode.append(f"{raw}_list.ptr, {raw}_list.count, {raw}_list._i, {raw}_list._tab, {raw}_list._pre_i"
                          f" = {raw} & {M32}, {ident(p.name + '_len')} & {M32}, -1, None, -1")
            args.append(f"{raw}_list")
        elif isinstance(t, Pointer):
            to = resolve(t.to)
            if isinstance(to, Pointer) and nxt is not None and isinstance(resolve(nxt.type), Pointer):
                consumed.add(nxt.name)
                output = "strings"
                after.append(f"write_c_strings(mem, ret, {raw} & {M32}, {ident(nxt.name)} & {M32})")
            elif to == spec.U8 and not t.const and nxt is not None and _is_size(nxt.type):
                consumed.add(nxt.name)
                size = ident(nxt.name)
                before.append(f"{size}_v = {size} & {M32}")
                args.append(f"{size}_v")
                output = "bytes"
                after.append(f"ret = write_bytes(mem, ret, {raw} & {M32}, {size}_v)")
                # random_get: an output buffer with no descriptor to look up
                # first is checked before behaviour draws (RATIONALE
                # "random_get checks its buffer first").
                if not any(isinstance(resolve(q.type), Handle) for q in params):
                    before += [f"if {size}_v:   # an empty buffer anywhere is fine",
                               f"    mem.check({raw} & {M32}, {size}_v)"]
            elif isinstance(to, Record) and t.const:
                # fuel: this array and the output arrays of the same count
                per_item = sum(layout.size_of(resolve(q.type).to) for q in params
                               if isinstance(resolve(q.type), Pointer)
                               and isinstance(resolve(resolve(q.type).to), Record))
                R = upper(to.name)
                decode.append(f"{ident(p.name + '_v')} = read_array(mem, {raw} & {M32}, count, {per_item}, "
                              f"{R}_SIZE, {R}_ALIGN, read_{to.name})")
                args.append(ident(p.name + "_v"))
            elif isinstance(to, Record):
                output = "records"
                R = upper(to.name)
                after.append(f"ret = write_array(mem, ret, {raw} & {M32}, count, {R}_SIZE, {R}_ALIGN, "
                             f"write_{to.name})")
            else:
                raise GeneratorError(f"{f.name}: no glue for param {p.name}: {p.type!r}")
        else:
            stmts, expr = _scalar_decode(p.type, raw, f"{raw}_v", where)
            decode += stmts
            args.append(expr)

    results = [p for p in sig.params if p.role == "result"]
    if not results:   # nothing to write the output's length to
        after = [line.removeprefix("ret = ") for line in after]
    if output in ("bytes", "records") and results:
        if len(results) != 1 or not _is_size(results[0].spec_type):
            raise GeneratorError(f"{f.name}: an output's length is one size result")
    if len(results) == 1:
        rp = results[0]
        if scalar_builtin(rp.spec_type) is not None:
            after += _write_scalar(rp.spec_type, ident(rp.name), "ret")
        else:
            t = resolve(rp.spec_type)
            after += [f"ptr = {ident(rp.name)} & {M32}",
                      f"mem.check(ptr, {layout.size_of(t)}, {layout.align_of(t)})",
                      f"write_{t.name}(mem, ptr, ret)"]
    elif results:
        # wasmtime writes a tuple result only if every out-pointer is good
        # (args_sizes_get with a bad second pointer writes nothing)
        for rp in results:
            after.append(f"mem.check({ident(rp.name)} & {M32}, {layout.size_of(rp.spec_type)}, "
                         f"{layout.align_of(rp.spec_type)})")
        for k, rp in enumerate(results):
            after.append(f"mem.pack({scalar_struct(rp.spec_type)}, {ident(rp.name)} & {M32}, ret[{k}])")
    return {
        "name": f.name,
        "doc": f.doc.strip().splitlines()[0] if f.doc and f.doc.strip() else "",
        "core": core,
        "returns_errno": bool(sig.results),
        "setup": setup,
        "before": before,
        "decode": decode,
        "call": f"method({', '.join(args)})",
        "after": after,
    }


def imports_context(functions) -> dict:
    return {"functions": [function_glue(f) for f in functions]}


# --- trace.py --------------------------------------------------------------------

def _fmt_expr(t: Type, value: str) -> str:
    r = resolve(t)
    if isinstance(r, Enum):
        return f"enum_name({upper(r.name)}_NAMES, {value})"
    if isinstance(r, (Record, Union)):
        return f"fmt_{r.name}({value})"
    return value


def _enums_used(types) -> list:
    out = []
    for t in types:
        r = resolve(t)
        if isinstance(r, Enum) and r not in out:
            out.append(r)
    return out


def trace_context(types, functions) -> dict:
    formatters = []
    enums: list = []
    for t in types:
        if isinstance(t, Record):
            parts = []
            for fl in layout.field_layouts(t):
                r = resolve(fl.type)
                if isinstance(r, Enum) and r not in enums:
                    enums.append(r)
                parts.append(f"{fl.name}={{{_fmt_expr(fl.type, repr(fl.name).join(('v[', ']')))}}}")
            formatters.append({"name": t.name, "body": [f'return f"{{{{{",".join(parts)}}}}}"']})
        elif isinstance(t, Union):
            body = ["case, payload = v"]
            for v in t.variants:
                if v.type is None:
                    body.append(f'if case == "{v.case}":\n    return "{{tag={v.case}}}"')
                else:
                    inner = _fmt_expr(v.type, "payload")
                    body.append(f'if case == "{v.case}":\n    return f"{{{{tag={v.case},value={{{inner}}}}}}}"')
            body.append('return f"{{tag={case}}}"')
            formatters.append({"name": t.name, "body": body})
    fns = []
    for f in functions:
        sig = lower(f)
        shown = []
        for p in sig.params:
            if p.role == "result":
                continue
            name = ident(p.name)
            if p.type == "i64" and p.spec_type is not None and scalar_builtin(p.spec_type).signed:
                expr = f"(({name} & {M64}) ^ {1 << 63:#x}) - {1 << 63:#x}"
            else:
                expr = f"{name} & {M64 if p.type == 'i64' else M32}"
            shown.append(f"{p.name}={{{expr}}}")
        results = []
        for p in sig.params:
            if p.role != "result":
                continue
            r = resolve(p.spec_type)
            if isinstance(r, Enum) and r not in enums:
                enums.append(r)
            if scalar_builtin(r) is not None:
                value = f"mem.unpack({scalar_struct(r)}, {ident(p.name)} & {M32})[0]"
            else:
                value = f"read_{r.name}(mem, {ident(p.name)} & {M32})"
            results.append(f"{p.source}={{{_fmt_expr(r, value)}}}")
        fns.append({"name": f.name, "core": [ident(p.name) for p in sig.params],
                    "call": f'f"==> {f.name}({",".join(shown)})"',
                    "ok": f'f"<== ({",".join(results)},errno=ESUCCESS)"' if results else None})
    return {"formatters": formatters, "functions": fns,
            "enums": [{"const": f"{upper(e.name)}_NAMES", "names": [f'"{c.name}"' for c in e.cases]}
                      for e in enums],
            "layout_imports": sorted(({f"read_{t.name}" for t in types if isinstance(t, (Record, Union))}
                                      | set(SCALAR_STRUCTS.values()))
                                     & {w for fn in fns if fn["ok"] for w in _words(fn["ok"])})}


def _words(text: str) -> set[str]:
    import re
    return set(re.findall(r"\w+", text))
