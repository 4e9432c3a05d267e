"""The i64 trampoline: a tiny wasm module, as bytes, for the imports whose
core signature has an i64 param (spec/RATIONALE.md, "i64 params through a
wasm trampoline in SpiderMonkey").

SpiderMonkey's wasm→JS call for an import with an i64 param makes a BigInt
and takes a slow exit (~0.7 µs against ~0.04 µs with i32s: docs/performance.md,
"Firefox's syscall row"). For each such import the module has a function
with the import's core (WASI) signature that calls an imported JS function
with every param as an i32: each i64 passes its low 32 bits in its own place
and its high 32 bits after the last param (in param order), so the glue's one
JS body takes both forms (imports.js.j2: `<name>_hi` params) and keeps its
arity. Emscripten "legalizes" its JS imports the same way.

The module: import i (module "", name "<i>") has the split signature,
function i (exported as "<i>") the core one; `SPLIT_I64` in imports.js names
them in the same order. Which imports, and where their i64s are, come from
`spec.abi.lower`: nothing here names a WASI function.
"""

from __future__ import annotations

from spec import abi
from spec.model import Function

_VALTYPE = {"i32": 0x7F, "i64": 0x7E}
# opcodes
_LOCAL_GET, _CALL, _END = 0x20, 0x10, 0x0B
_I32_WRAP_I64, _I64_CONST, _I64_SHR_U = 0xA7, 0x42, 0x88


def _uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _vec(items: list[bytes]) -> bytes:
    return _uleb(len(items)) + b"".join(items)


def _name(s: str) -> bytes:
    return _vec([bytes([c]) for c in s.encode()])


def _section(sid: int, body: bytes) -> bytes:
    return bytes([sid]) + _uleb(len(body)) + body


def _functype(params: tuple[str, ...], results: tuple[str, ...]) -> bytes:
    return (b"\x60" + _vec([bytes([_VALTYPE[t]]) for t in params])
            + _vec([bytes([_VALTYPE[t]]) for t in results]))


def split_functions(functions) -> list[Function]:
    """The functions whose core signature has an i64 param, in spec order."""
    return [f for f in functions if "i64" in abi.lower(f).param_types]


def _body(sig: abi.CoreSignature, import_index: int) -> bytes:
    code = bytearray(b"\x00")  # no locals
    for i, t in enumerate(sig.param_types):
        code += bytes([_LOCAL_GET]) + _uleb(i)
        if t == "i64":
            code.append(_I32_WRAP_I64)
    for i, t in enumerate(sig.param_types):
        if t == "i64":
            code += bytes([_LOCAL_GET]) + _uleb(i) + bytes([_I64_CONST, 32, _I64_SHR_U, _I32_WRAP_I64])
    code += bytes([_CALL]) + _uleb(import_index) + bytes([_END])
    return _uleb(len(code)) + bytes(code)


def trampoline_module(functions) -> bytes:
    """The module's bytes (the wasm binary format, version 1)."""
    split = split_functions(functions)
    types: list[bytes] = []

    def type_index(t: bytes) -> int:
        if t not in types:
            types.append(t)
        return types.index(t)

    imports, funcs, exports, bodies = [], [], [], []
    for i, f in enumerate(split):
        sig = abi.lower(f)
        wide = sig.param_types.count("i64")
        narrow = _functype(("i32",) * (len(sig.params) + wide), sig.results)
        imports.append(_name("") + _name(str(i)) + b"\x00" + _uleb(type_index(narrow)))
        funcs.append(_uleb(type_index(_functype(sig.param_types, sig.results))))
        exports.append(_name(str(i)) + b"\x00" + _uleb(len(split) + i))
        bodies.append(_body(sig, i))
    return (b"\x00asm\x01\x00\x00\x00"
            + _section(1, _vec(types)) + _section(2, _vec(imports)) + _section(3, _vec(funcs))
            + _section(7, _vec(exports)) + _section(10, _vec(bodies)))


def trampoline_context(functions) -> dict:
    split = split_functions(functions)
    return {
        "split_names": [f.name for f in split],
        "trampoline_bytes": list(trampoline_module(functions)),
    }
