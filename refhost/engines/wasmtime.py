"""The native engine: the reference host's imports on the `wasmtime` package.

`run(wasm, wasi)` compiles and instantiates the module with the 46
`wasi_snapshot_preview1` functions of `wasi` (and nothing else) and calls
`_start`; it returns the exit status (0, or `proc_exit`'s code) and raises
`Trap` if the guest traps (a wasm trap, or one of the glue's).

Two ways to define the imports, one interface:
- *fast* (default): raw `wasmtime_linker_define_func_unchecked` callbacks
  through ctypes: arguments arrive as one `wasmtime_val_raw_t` array read with
  a single `struct.unpack_from`, the result goes back in its first slot. This
  uses `wasmtime._bindings` / `wasmtime._ffi`, private modules of the pinned
  wasmtime-py (`PINNED_VERSION`); on any other version it is not used.
- *public*: `Linker.define_func` (10-25 us per call: wasmtime-py wraps every
  value in a `Val`).

Guest memory is a `BufferMemory` over the linear memory's whole reservation:
the engine is configured so memories never move (`memory_may_move(False)`),
so the base address is fixed, and only the length is re-read when an access
falls beyond the length last seen (the memory grew).

`proc_exit` raises `ProcExit` in the callback; the callback stores it and
returns a trap, which unwinds the guest; `run` then re-raises what was stored.
"""

from __future__ import annotations

import ctypes
import struct
from typing import Callable

import wasmtime

from ..errors import ProcExit, Trap
from ..memory import BufferMemory
from ..wasi import Wasi
import spec
from spec.abi import lower

PINNED_VERSION = "50.0.1"
MODULE = "wasi_snapshot_preview1"
RESERVATION = 1 << 32        # a 32-bit memory never needs more; with may_move off it never moves
_RAW_SLOT = 16               # sizeof(wasmtime_val_raw_t)

_engine: wasmtime.Engine | None = None


def engine() -> wasmtime.Engine:
    global _engine
    if _engine is None:
        config = wasmtime.Config()
        config.memory_may_move = False
        config.memory_reservation = RESERVATION
        _engine = wasmtime.Engine(config)
    return _engine


def fast_path_available() -> bool:
    try:
        from importlib.metadata import version
        if version("wasmtime") != PINNED_VERSION:
            return False
        from wasmtime import _ffi  # noqa: F401
        return hasattr(_ffi.dll, "wasmtime_linker_define_func_unchecked")
    except Exception:
        return False


class _Memory(BufferMemory):
    """Linear memory, attached once the instance exists."""

    def __init__(self) -> None:
        self.view = memoryview(b"")
        self.size = self.fuel = 0
        self._current_size = lambda: 0

    def attach(self, store: wasmtime.Store, memory: wasmtime.Memory) -> None:
        base = ctypes.cast(memory.data_ptr(store), ctypes.c_void_p).value
        self.view = memoryview((ctypes.c_ubyte * RESERVATION).from_address(base)).cast("B")
        self._current_size = lambda: memory.data_len(store)
        self.refresh()


class _State:
    """What a callback leaves for `run`: the exception that ended the guest."""

    pending: BaseException | None = None


class Instance:
    """An instantiated module with the reference host's imports; `call`
    invokes an export (as `run` invokes `_start`)."""

    def __init__(self, wasm: bytes | str, wasi: Wasi, trace: Callable[[str], None] | None = None,
                 fast: bool | None = None, trap_unknown_imports: bool = False) -> None:
        eng = engine()
        module = wasmtime.Module(eng, wasm) if isinstance(wasm, (bytes, bytearray)) \
            else wasmtime.Module.from_file(eng, wasm)
        self.store = store = wasmtime.Store(eng)
        linker = wasmtime.Linker(eng)
        self.mem = _Memory()
        self.state = _State()
        imports = wasi.imports(self.mem, trace)
        self._keep = define_imports(linker, imports, self.state,
                                    fast_path_available() if fast is None else fast)
        if trap_unknown_imports:  # wasmtime's --trap-unknown-imports
            linker.define_unknown_imports_as_traps(module)
        self.exit_code: int | None = None
        try:
            self.instance = linker.instantiate(store, module)
        except ProcExit as e:
            self.exit_code = e.code
            return
        except wasmtime.WasmtimeError as e:
            code = _pending_exit(self.state)
            if code is not None:
                self.exit_code = code
                return
            if isinstance(e, wasmtime.Trap):
                raise Trap(_message(e)) from None
            raise
        self.exports = self.instance.exports(store)
        memory = self.exports.get("memory")
        if isinstance(memory, wasmtime.Memory):
            self.mem.attach(store, memory)

    def call(self, name: str, *args: int):
        """Call export `name`; raises ProcExit if the guest exits, Trap if it traps."""
        func = self.exports[name]
        try:
            return func(self.store, *args)
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            code = _pending_exit(self.state)
            if code is not None:
                raise ProcExit(code) from None
            raise Trap(_message(e)) from None


def run(wasm: bytes | str, wasi: Wasi, trace: Callable[[str], None] | None = None,
        fast: bool | None = None, trap_unknown_imports: bool = False) -> int:
    """Run a WASI command: the exit status (0 when `_start` returns, or
    `proc_exit`'s code); raises `Trap` if the guest traps. With
    `trap_unknown_imports`, functions it imports that no one defines trap
    when called instead of failing the instantiation."""
    inst = Instance(wasm, wasi, trace, fast, trap_unknown_imports)
    if inst.exit_code is not None:
        return inst.exit_code
    start = inst.exports.get("_start")
    if not isinstance(start, wasmtime.Func):
        raise ValueError("the module exports no `_start` function (not a WASI command)")
    try:
        inst.call("_start")
    except ProcExit as e:
        return e.code
    return 0


def _pending_exit(state: _State) -> int | None:
    """The exit code if a callback ended the guest with proc_exit; re-raises
    any other exception a callback stored (a Trap, a bug)."""
    exc, state.pending = state.pending, None
    if isinstance(exc, ProcExit):
        return exc.code
    if exc is not None:
        raise exc.with_traceback(exc.__traceback__)
    return None


def _message(e: BaseException) -> str:
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    if "Caused by:" in lines:
        causes = lines[lines.index("Caused by:") + 1:]
        if causes:
            first = causes[0]
            return first[3:] if first[:3] == "0: " else first
    return lines[0] if lines else type(e).__name__


# --- defining the imports ----------------------------------------------------------------

def _functype(f: spec.Function) -> wasmtime.FuncType:
    sig = lower(f)
    vt = {"i32": wasmtime.ValType.i32(), "i64": wasmtime.ValType.i64()}
    return wasmtime.FuncType([vt[p.type] for p in sig.params], [vt[r] for r in sig.results])


def define_imports(linker: wasmtime.Linker, imports: dict, state: _State, fast: bool) -> list:
    """Define every import on `linker`; returns what must stay alive."""
    keep: list = []
    for f in spec.FUNCTIONS:
        fn = imports[f.name]
        if fast:
            keep.append(_define_raw(linker, f, fn, state))
        else:
            linker.define_func(MODULE, f.name, _functype(f), fn)
    return keep


_RAW_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_size_t, ctypes.c_void_p, ctypes.c_void_p,
                                 ctypes.c_void_p, ctypes.c_size_t)
_define_unchecked = None


def _define_raw(linker: wasmtime.Linker, f: spec.Function, fn: Callable, state: _State):
    global _define_unchecked
    from wasmtime import _ffi as ffi

    if _define_unchecked is None:
        # Our own prototype of the C function (wasmtime-py's binding is left alone).
        proto = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
                                 ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p, _RAW_CALLBACK,
                                 ctypes.c_void_p, ctypes.c_void_p)
        _define_unchecked = proto(("wasmtime_linker_define_func_unchecked", ffi.dll))

    sig = lower(f)
    nslots = max(len(sig.params), len(sig.results))
    args = struct.Struct("<" + "".join("I12x" if p.type == "i32" else "Q8x" for p in sig.params))
    result = struct.Struct("<I") if sig.results else None
    size = _RAW_SLOT * nslots
    last = [0, None]     # address of the last args array, and a view of it

    def new_trap(message: str) -> int:
        data = message.encode()
        trap = ffi.wasmtime_trap_new(data, len(data))
        return ctypes.cast(trap, ctypes.c_void_p).value

    def callback(env, caller, raw, nraw):
        try:
            if raw != last[0]:
                last[0] = raw
                last[1] = memoryview((ctypes.c_char * size).from_address(raw)).cast("B") if size else None
            view = last[1]
            r = fn(*args.unpack_from(view)) if args.size else fn()
            if result is not None:
                result.pack_into(view, 0, r)
            return 0
        except BaseException as e:  # noqa: BLE001 - everything must stop at the C boundary
            state.pending = e
            return new_trap(str(e) if isinstance(e, Trap) else f"{type(e).__name__}: {e}")

    cb = _RAW_CALLBACK(callback)
    ty = _functype(f)
    name = f.name.encode()
    module = MODULE.encode()
    err = _define_unchecked(ctypes.cast(linker.ptr(), ctypes.c_void_p), module, len(module),
                            name, len(name), ctypes.cast(ty.ptr(), ctypes.c_void_p), cb, None, None)
    if err:
        raise wasmtime.WasmtimeError._from_ptr(ctypes.cast(err, ctypes.POINTER(ffi.wasmtime_error_t)))
    return cb, ty
