"""Each preview1 function as a plain dict for `imports.js.j2` and
`trace.js.j2`: what the generated glue does with each core param, what it
passes to `runtime.<name>(...)`, and how it writes the results back.

The glue contract (polyfill/README.md) in terms of the spec:

- scalar params are converted to their typed value; enums, flags and narrow
  integers are validated first, in param order, before memory is touched
  (wiggle converts every scalar before the call, too);
- then memory params, in param order: strings decoded (EILSEQ), iovec arrays
  loaded into the shared `IoVecs`, byte buffers and input record arrays
  bounds-checked (trap);
- the runtime is called; a thrown WasiError becomes its errno;
- every out-pointer is bounds/alignment-checked, then every result written.

A function whose params match none of the shapes below is a GeneratorError:
a new spec construct needs a deliberate decision, not a guess.
"""

from __future__ import annotations

from spec import abi
from spec.layout import align_of, field_layouts, size_of
from spec.model import (
    U8, Builtin, Enum, Function, Handle, List, Pointer, Record, String, Type, Union, name_of, resolve,
)
from . import naming
from .layouts import has_checks
from .values import GeneratorError, at, hex_literal, load, scalar, store, ts_type


# What the glue does with a scalar param it cannot decode: an enum value out
# of range, a flags value with an undefined bit, an integer too wide for its
# u8/u16 type. "einval": return EINVAL without calling the runtime (the glue
# contract, polyfill/README.md; spec/RATIONALE.md), an over-wide integer is
# truncated to its type. "trap": throw WebAssembly.RuntimeError, as wasmtime 50
# does (wiggle fails while decoding the argument: tests/corpus invalid-a..q).
INVALID_SCALARS = "trap"

# wasmtime looks the descriptors up before it decodes a path (EBADF wins over
# EILSEQ), except in these functions, which read the path first. Elsewhere an
# undecodable string reaches the runtime as null (spec/RATIONALE.md, "Bad UTF-8: EILSEQ where wasmtime decodes the path").
DECODES_STRINGS_FIRST = frozenset({"path_open"})

# wasmtime reads this function's path without charging hostcall fuel, so a
# huge length traps instead of ENOMEM (spec/RATIONALE.md, "Hostcall fuel and
# the order of reads").
UNFUELED_STRINGS = frozenset({"path_unlink_file"})

# The imports that can wait in async mode (`new WASI({async: true})`,
# spec/RATIONALE.md, "Async mode"): their one body also takes a Promise
# from the runtime call (imports.js.j2). "retry": the runtime returns it before
# it has read or written anything (stdin has no data yet, a WritableStream
# wants no more), and once it settles the whole call runs again, memory
# re-read. "result": the Promise resolves to the runtime's result, which the
# glue writes after the await with fresh views of memory. Every other import
# stays plain in async mode. fd_pread, fd_pwrite, fd_sync, fd_datasync and
# fd_close wait only on an async backend (HandleDirectory on the main thread:
# pages to load, changes to write back); polyfill/src/wasi.js picks them when
# one is mounted.
CAN_WAIT = {
    "fd_read": "retry", "fd_write": "retry", "fd_pread": "retry", "fd_pwrite": "retry",
    "fd_sync": "result", "fd_datasync": "result", "fd_close": "result",
    "poll_oneoff": "result", "sched_yield": "result",
}


def _reject(f: Function, core_name: str, js_name: str) -> str:
    """The statement rejecting an invalid value of a scalar param."""
    if INVALID_SCALARS == "trap":
        return f"throw invalidArgument({_label(f, core_name)}, {js_name});"
    return "return errno.inval;"


def _is_u8(t: Type) -> bool:
    r = resolve(t)
    return isinstance(r, Builtin) and r.name == "u8"


def _is_size(t: Type) -> bool:
    r = resolve(t)
    return isinstance(r, Builtin) and r.name == "u32"


def iovec_record(t: Type) -> Record | None:
    """The element record if `t` is a list of (pointer<u8>, u32) records."""
    r = resolve(t)
    if not isinstance(r, List):
        return None
    el = resolve(r.of)
    if (isinstance(el, Record) and len(el.fields) == 2
            and isinstance(resolve(el.fields[0].type), Pointer)
            and _is_u8(resolve(el.fields[0].type).to)
            and _is_size(el.fields[1].type)):
        return el
    raise GeneratorError(f"list of {name_of(r.of)}: only iovec-like lists are supported")


def iovec_loader(r: Record) -> dict:
    """The imports.js helper filling `IoVecs` from an array of `r`."""
    buf, buf_len = field_layouts(r)
    if (buf.size, buf_len.size) != (4, 4):
        raise GeneratorError(f"{r.name}: IoVecs reads a u32 buffer address and a u32 length")
    return {
        "buf_offset": buf.offset,
        "len_offset": buf_len.offset,
        "name": "load" + naming.camel(r.name) + "s",
        "record": r.name,
        "size": size_of(r),
        "align": align_of(r),
        "size_const": naming.size_const(r.name),
        "align_const": naming.align_const(r.name),
        "read_buf": load(buf.type, "dv", at("p", buf.offset)),
        "read_len": load(buf_len.type, "dv", at("p", buf_len.offset)),
    }


def _label(f: Function, core_name: str) -> str:
    return f'"{f.name}({core_name})"'


def _scalar_prologue(f: Function, name: str, core_name: str, t: Type) -> list[str]:
    """Convert the raw core value in `name` to its typed value, rejecting it
    (see INVALID_SCALARS) if it is not a valid value of `t`."""
    s = scalar(t)
    r = s.type
    reject = _reject(f, core_name, name)
    if s.bits == 64:
        if s.kind == "flags":
            return [f"{name} = toI64({name}, {name}_hi);",
                    f"if (({name} & ~{hex_literal(r.mask, True)}) !== 0n) {reject}"]
        if s.kind != "int":
            raise GeneratorError(f"{f.name}: 64-bit {s.kind} params are not supported")
        # i64 arrives as a signed BigInt, or through the i64 trampoline
        # (generator/trampoline.py) as its low 32 bits in `name` and its high
        # 32 bits in `name_hi`. (`BigInt.asUintN` would allocate on every
        # call; this only allocates for a BigInt u64 >= 2^63.)
        hi = name + "_hi"
        if s.bigint:
            return [f"{name} = toI64({name}, {hi});"] + (
                [] if s.signed else [f"if ({name} < 0n) {name} += 0x10000000000000000n;"])
        return [f"{name} = {'s64ToNumber' if s.signed else 'u64ToNumber'}({name}, {hi});"]
    if s.signed:
        raise GeneratorError(f"{f.name}: signed 32-bit params are not supported")
    lines = [f"{name} >>>= 0;"]
    if s.kind == "enum":
        lines.append(f"if ({name} >= {len(r.cases)}) {reject}")
    elif s.kind == "flags":
        lines.append(f"if (({name} & ~{hex_literal(r.mask)}) !== 0) {reject}")
    elif s.bits < 32:
        max_value = hex_literal((1 << s.bits) - 1)
        if INVALID_SCALARS == "trap":
            lines.append(f"if ({name} > {max_value}) {reject}")
        else:
            lines.append(f"{name} &= {max_value};")
    return lines


def _trace_value(core: abi.CoreParam, js: str) -> str:
    """Template-literal expression of a raw core value for the `==>` line."""
    if core.type == "i64":
        s = scalar(core.spec_type)
        return js if s.signed else f"BigInt.asUintN(64, {js})"
    return f"{js} >>> 0"


def _trace_result(t: Type, ptr: str) -> str:
    """Template-literal expression reading back and formatting a result."""
    r = resolve(t)
    s = scalar(t)
    if s is not None and s.bits == 64:  # exact, even past 2^53
        return f"mem.dv.get{'BigInt64' if s.signed else 'BigUint64'}({ptr}, true)"
    value = load(t, "mem.dv", ptr)
    if isinstance(r, Enum):
        return f"enumName({naming.js_member('enumNames', r.name)}, {value})"
    if isinstance(r, (Record, Union)):
        return f"{naming.formatter(r.name)}({value})"
    return value


def _read_array_lines(arr: dict) -> list[str]:
    """Bounds-check an input record array, decode each element and validate
    its enum/flags fields (EINVAL, as wiggle's `GuestPtr::read`)."""
    lines = [
        f"if ({arr['count']} * {arr['fuel_per_item']} > mem.fuel) return errno.nomem;",
        f"mem.checkAligned({arr['ptr']}, {arr['count']} * {arr['size_const']}, "
        f"{arr['align_const']}, {arr['label']});",
        f"const {arr['local']} = new Array({arr['count']});",
        f"for (let i = 0; i < {arr['count']}; i++) {{",
        f"  const v = {arr['reader']}(mem.dv, {arr['ptr']} + i * {arr['size_const']});",
    ]
    if arr["validator"]:
        lines.append(f"  if (!{arr['validator']}(v)) return errno.inval;")
    return lines + [f"  {arr['local']}[i] = v;", "}"]


def function_context(f: Function) -> dict:
    sig = abi.lower(f)
    core = list(sig.params)
    js = {p.name: naming.js_ident(p.name) for p in core}

    scalar_lines: list[str] = []     # first: convert/validate scalars (no memory access)
    memory_lines: list[str] = []     # then: strings, iovecs, buffers, record arrays
    call_args: list[str] = []
    uses_memory = False
    shape = "none"                   # how the runtime's return value is handled
    out_bytes = None                 # (ptr js, len js) of an output byte buffer
    cstrings = None                  # (ptrs js, buf js)
    out_arrays: list[dict] = []
    loaders: list[Record] = []

    runtime_params: list[dict] = []  # what runtime.<name>() receives
    glue_errnos: list[str] = []      # errnos the glue itself may return
    pointers: list[str] = []         # core params that trap when out of bounds
    traps_invalid: list[str] = []    # params that trap when invalid (INVALID_SCALARS)

    def errno_(name: str) -> None:
        if name not in glue_errnos:
            glue_errnos.append(name)

    def rt_param(name: str, ts: str, doc: str) -> None:
        runtime_params.append({"name": name, "ts": ts, "doc": doc})

    params = list(f.params)
    consumed: set[str] = set()
    # Pointer-to-record params share the function's one `size` param as count.
    record_ptrs = [p for p in params if isinstance(resolve(p.type), Pointer)
                   and isinstance(resolve(resolve(p.type).to), Record)]
    count_param = None
    if record_ptrs:
        sizes = [p for p in params if _is_size(p.type) and not isinstance(resolve(p.type), Pointer)]
        if len(sizes) != 1:
            raise GeneratorError(f"{f.name}: record pointers need exactly one size param as count")
        count_param = sizes[0]

    for i, p in enumerate(params):
        if p.name in consumed:
            continue
        t = resolve(p.type)
        name = js[p.name]
        if isinstance(t, String):
            uses_memory = True
            length = js[p.name + "_len"]
            fuel = ", false" if f.name in UNFUELED_STRINGS else ""
            memory_lines.append(f"{name} = mem.takeString({name}, {length}, {_label(f, p.name)}{fuel});")
            errno_("nomem")
            errno_("ilseq")
            pointers.append(p.name)
            if f.name in DECODES_STRINGS_FIRST:
                memory_lines.append(f"if ({name} === null) return errno.ilseq;")
                memory_lines.append(f"if (typeof {name} !== \"string\") return toErrno({name}.error);")
                rt_param(name, "string", p.doc)
            else:  # behaviour throws EILSEQ, ENOMEM or the trap after it has looked up the fds
                rt_param(name, "string | null | UnreadableString", p.doc)
            # the pointer/length were i32: make them unsigned first
            scalar_lines.append(f"{name} >>>= 0;")
            scalar_lines.append(f"{length} >>>= 0;")
            call_args.append(name)
        elif isinstance(t, List):
            uses_memory = True
            rec = iovec_record(t)
            if rec not in loaders:
                loaders.append(rec)
            length = js[p.name + "_len"]
            scalar_lines.append(f"{name} >>>= 0;")
            scalar_lines.append(f"{length} >>>= 0;")
            memory_lines.append(f"{iovec_loader(rec)['name']}(vecs, {name}, {length}, {_label(f, p.name)});")
            errno_("nomem")
            call_args.append("vecs")
            pointers.append(p.name)
            rt_param(name, "IoVecs", p.doc)
        elif isinstance(t, Pointer) and isinstance(resolve(t.to), Pointer):
            # args_get/environ_get: pointer<pointer<u8>> + pointer<u8>
            nxt = params[i + 1] if i + 1 < len(params) else None
            if not (_is_u8(resolve(t.to).to) and nxt is not None
                    and isinstance(resolve(nxt.type), Pointer) and _is_u8(resolve(nxt.type).to)):
                raise GeneratorError(f"{f.name}: unsupported pointer<pointer<...>> param {p.name}")
            uses_memory = True
            consumed.add(nxt.name)
            scalar_lines.append(f"{name} >>>= 0;")
            scalar_lines.append(f"{js[nxt.name]} >>>= 0;")
            cstrings = (name, js[nxt.name], _label(f, p.name), _label(f, nxt.name))
            pointers.extend([p.name, nxt.name])
            shape = "cstrings"
        elif isinstance(t, Pointer) and _is_u8(t.to):
            nxt = params[i + 1] if i + 1 < len(params) else None
            if t.const or nxt is None or nxt.name != p.name + "_len" or not _is_size(nxt.type):
                raise GeneratorError(f"{f.name}: pointer<u8> {p.name} must be followed by {p.name}_len")
            uses_memory = True
            consumed.add(nxt.name)
            length = js[nxt.name]
            scalar_lines.append(f"{name} >>>= 0;")
            scalar_lines.append(f"{length} >>>= 0;")
            call_args.append(length)
            pointers.append(p.name)
            rt_param(length, ts_type(nxt.type), f"The size of the `{p.name}` buffer: return at most this many bytes.")
            out_bytes = (name, length, _label(f, p.name))
            shape = "bytes"
            if not any(isinstance(resolve(q.type), Handle) for q in params):
                # random_get: nothing to look up first, so the buffer is checked
                # before the runtime draws (spec/RATIONALE.md, "random_get checks
                # its buffer first"): a huge bad length costs nothing.
                memory_lines.append(f"mem.check({name}, {length}, {_label(f, p.name)});")
        elif isinstance(t, Pointer) and isinstance(resolve(t.to), Record):
            uses_memory = True
            rec = resolve(t.to)
            count = js[count_param.name]
            consumed.add(count_param.name)
            arr = {
                "ptr": name,
                "count": count,
                "record": rec.name,
                "size_const": naming.size_const(rec.name),
                "align_const": naming.align_const(rec.name),
                "reader": naming.reader(rec.name),
                "writer": naming.writer(rec.name),
                "validator": naming.validator(rec.name) if has_checks(rec) else None,
                "local": rec.name + "s",
                "label": _label(f, p.name),
                # the input array and the output arrays of the same count
                "fuel_per_item": sum(size_of(resolve(q.type).to) for q in record_ptrs),
            }
            scalar_lines.append(f"{name} >>>= 0;")
            pointers.append(p.name)
            if t.const:
                memory_lines.extend(_read_array_lines(arr))
                call_args.append(arr["local"])
                rt_param(arr["local"], f"{rec.name}[]", p.doc)
                errno_("nomem")
                if arr["validator"]:
                    errno_("inval")
            else:
                out_arrays.append(arr)
                shape = "records"
        elif scalar(p.type) is not None and not isinstance(t, Pointer):
            if p is count_param:
                continue  # converted below, before the arrays use it
            lines = _scalar_prologue(f, name, p.name, p.type)
            scalar_lines.extend(lines)
            if any("errno.inval" in line for line in lines):
                errno_("inval")
            if any("invalidArgument" in line for line in lines):
                traps_invalid.append(p.name)
            call_args.append(name)
            rt_param(name, ts_type(p.type), p.doc)
        else:
            raise GeneratorError(f"{f.name}: unsupported param {p.name}: {name_of(p.type)}")

    if count_param is not None:
        scalar_lines.append(f"{js[count_param.name]} >>>= 0;")

    # Results (the ok values, each through a `result.<name>` out-pointer).
    results = []
    for rp, t in zip([p for p in core if p.role == "result"], f.ok_types()):
        compound = isinstance(resolve(t), (Record, Union))
        results.append({
            "name": rp.source,
            "ptr": js[rp.name],
            "type": name_of(t),
            "size": naming.size_const(resolve(t).name) if compound else size_of(t),
            "align": naming.align_const(resolve(t).name) if compound else align_of(t),
            "label": _label(f, rp.name),
            "spec_type": t,
        })
        scalar_lines.append(f"{js[rp.name]} >>>= 0;")
        uses_memory = True

    epilogue: list[str] = []
    if shape == "none" and results:
        shape = "values"
    if shape == "values":
        for r in results:
            epilogue.append(f"mem.checkAligned({r['ptr']}, {r['size']}, {r['align']}, {r['label']});")
        for k, r in enumerate(results):
            value = "ret" if len(results) == 1 else f"ret[{k}]"
            epilogue.append(store(r["spec_type"], "mem.dv", r["ptr"], value) + ";")
    elif shape == "bytes":
        if len(results) > 1:
            raise GeneratorError(f"{f.name}: a byte buffer with more than one result")
        ptr, length, label = out_bytes
        # As wasmtime: the buffer is filled inside the call, the size result
        # written after it returns, so a bad result pointer traps with the
        # buffer already written.
        epilogue.append(f"const n = ret.length <= {length} ? ret.length : {length};")
        epilogue.append(f"mem.check({ptr}, n, {label});")
        epilogue.append(f"if (n !== 0) mem.u8.set(n === ret.length ? ret : ret.subarray(0, n), {ptr});")
        for r in results:
            epilogue.append(f"mem.checkAligned({r['ptr']}, {r['size']}, {r['align']}, {r['label']});")
        for r in results:
            epilogue.append(store(r["spec_type"], "mem.dv", r["ptr"], "n") + ";")
    elif shape == "cstrings":
        if results:
            raise GeneratorError(f"{f.name}: C strings with a result")
        ptrs, buf, label_ptrs, label_buf = cstrings
        epilogue.append(f"writeCStrings(mem, ret, {ptrs}, {buf}, {label_ptrs}, {label_buf});")
    elif shape == "records":
        if len(out_arrays) != 1 or len(results) > 1:
            raise GeneratorError(f"{f.name}: exactly one output record array is supported")
        arr = out_arrays[0]
        epilogue.append(f"if (!(ret.length <= {arr['count']})) throw new RangeError("
                        f"\"runtime.{f.name} returned more {arr['record']} values than {arr['count']}\");")
        # One by one, each checked as it is written, as wasmtime: a bad tail
        # traps with the events before it written.
        epilogue.append(f"for (let i = 0; i < ret.length; i++) {{")
        epilogue.append(f"  mem.checkAligned({arr['ptr']} + i * {arr['size_const']}, {arr['size_const']}, "
                        f"{arr['align_const']}, {arr['label']});")
        epilogue.append(f"  {arr['writer']}(mem.dv, {arr['ptr']} + i * {arr['size_const']}, ret[i]);")
        epilogue.append("}")
        for r in results:  # after the array, as wasmtime (see "bytes" above)
            epilogue.append(f"mem.checkAligned({r['ptr']}, {r['size']}, {r['align']}, {r['label']});")
        for r in results:
            epilogue.append(store(r["spec_type"], "mem.dv", r["ptr"], "ret.length") + ";")

    trace_params = [f"{p.name}=${{{_trace_value(p, js[p.name])}}}" for p in core if p.role != "result"]
    trace_results = [f"{r['name']}=${{{_trace_result(r['spec_type'], r['ptr'] + ' >>> 0')}}}" for r in results]

    ok = f.ok_types()
    if f.noreturn:
        returns = "never"
    elif shape == "values":
        returns = (ts_type(ok[0], output=True) if len(ok) == 1 else
                   "[" + ", ".join(f"{n}: {ts_type(t, output=True)}" for n, t in zip(f.result_names, ok)) + "]")
    elif shape == "bytes":
        returns = "Uint8Array"
    elif shape == "cstrings":
        returns = "Uint8Array[]"
    elif shape == "records":
        returns = f"{out_arrays[0]['record']}[]"
    else:
        returns = "void"
    pointers.extend(p.name for p in core if p.role == "result")

    return {
        "name": f.name,
        "doc": f.doc,
        "result_doc": f.result_doc,
        "runtime_params": runtime_params,
        "runtime_returns": returns,
        "glue_errnos": glue_errnos,
        "pointers": pointers,
        "traps_invalid": traps_invalid,
        "params": [js[p.name] for p in core],
        # the high halves of the i64 params, after the core params (generator/trampoline.py)
        "hi_params": [js[p.name] + "_hi" for p in core if p.type == "i64"],
        "core": [{"name": p.name, "js": js[p.name], "type": p.type, "role": p.role} for p in core],
        "core_results": list(sig.results),
        "noreturn": f.noreturn,
        "waits": CAN_WAIT.get(f.name),
        "uses_memory": uses_memory,
        "prologue": scalar_lines + (["mem.fuel = HOSTCALL_FUEL;"] if memory_lines else []) + memory_lines,
        "call_args": call_args,
        "shape": shape,
        "epilogue": epilogue,
        "loaders": loaders,
        "trace_params": ",".join(trace_params),
        "trace_results": ",".join(trace_results),
    }


def glue_context(functions) -> dict:
    fns = [function_context(f) for f in functions]
    loaders = []
    for fn in fns:
        for rec in fn["loaders"]:
            if rec not in loaders:
                loaders.append(rec)
    return {
        "functions": fns,
        "loaders": [iovec_loader(r) for r in loaders],
        "invalid_traps": any(fn["traps_invalid"] for fn in fns),
        "i64_helpers": [h for h in ("u64ToNumber", "s64ToNumber", "toI64")
                        if any(h + "(" in line for fn in fns for line in fn["prologue"])],
        # args_get/environ_get write arrays of pointer<u8>
        "ptr_size": size_of(Pointer(U8)),
        "ptr_align": align_of(Pointer(U8)),
    }
