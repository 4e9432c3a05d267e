"""The Pyodide engine: the reference host's imports on the JS `WebAssembly`
engine, from Python running in Pyodide (Node or a browser page).

`await run(wasm, wasi)` instantiates the module asynchronously — Chromium
refuses to compile a module over 8 MB synchronously on its main thread —
with each of the 46 import functions a Python function (`create_proxy`),
then calls `_start` synchronously; it returns the exit status and raises
`Trap` if the guest traps.

Guest memory lives in the JS heap, not Pyodide's, so `JsMemory` reaches it
through a small JS helper that keeps a `Uint8Array` view of
`memory.buffer` and re-derives it when `memory.grow` has replaced the
buffer; bytes cross as copies (`Uint8Array.slice` to Python, `to_js` back).

`proc_exit` raises `ProcExit` in the import function; Pyodide turns it into
a JS error that unwinds the wasm frames up to the `_start` call, where it
comes back into Python as that exception or as a `JsException` wrapping it.
The import function records it first, so `run` re-raises what was recorded
whatever shape it comes back in.

`run_job` is the entry point of the CLI drivers (hosts/pyodide_node_run.mjs,
the page of hosts/pyodide_browser.py): a `Job` as JSON in, the outcome as
JSON out.
"""

from __future__ import annotations

import base64
import json
from typing import Callable

import js  # type: ignore[import-not-found]
from pyodide.code import run_js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from ..errors import InvalidExitStatus, ProcExit, Trap
from ..memory import GuestMemory
from ..wasi import Wasi

MODULE = "wasi_snapshot_preview1"

_MEMORY_HELPER = """
(memory) => {
  let u8 = new Uint8Array(memory.buffer);
  let dv = new DataView(memory.buffer);
  const view = () => (u8.buffer === memory.buffer ? u8 : (u8 = new Uint8Array(memory.buffer)));
  const data = () => (dv.buffer === memory.buffer ? dv : (dv = new DataView(memory.buffer)));
  return {
    size: () => memory.buffer.byteLength,
    read: (ptr, n) => view().slice(ptr, ptr + n),
    write: (ptr, bytes) => { view().set(bytes, ptr); },
    get: (code, ptr) => {
      const d = data();
      switch (code) {
        case "B": return d.getUint8(ptr); case "b": return d.getInt8(ptr);
        case "H": return d.getUint16(ptr, true); case "h": return d.getInt16(ptr, true);
        case "I": return d.getUint32(ptr, true); case "i": return d.getInt32(ptr, true);
        case "Q": return d.getBigUint64(ptr, true); case "q": return d.getBigInt64(ptr, true);
      }
    },
    set: (code, ptr, v) => {
      const d = data();
      switch (code) {
        case "B": case "b": d.setUint8(ptr, Number(v) & 0xff); break;
        case "H": case "h": d.setUint16(ptr, Number(v) & 0xffff, true); break;
        case "I": case "i": d.setUint32(ptr, Number(v) >>> 0, true); break;
        case "Q": case "q": d.setBigUint64(ptr, BigInt.asUintN(64, BigInt(v)), true); break;
      }
    },
  };
}
"""

# Structs of at most this many fields are read and written field by field
# with DataView calls (numbers cross for free); larger ones as one byte copy.
_FIELDWISE_MAX = 2
_plans: dict[str, list | None] = {}


def _plan(fmt: str) -> list | None:
    """[(code, offset), ...] for a little-endian Struct format, or None."""
    plan = _plans.get(fmt, False)
    if plan is False:
        import struct
        fields, off = [], 0
        for c in fmt.lstrip("<"):
            if c == "x":
                off += 1
                continue
            fields.append((c, off))
            off += struct.calcsize("<" + c)
        plan = _plans[fmt] = fields if len(fields) <= _FIELDWISE_MAX else None
    return plan
_helper = None


def _memory_helper():
    global _helper
    if _helper is None:
        _helper = run_js(_MEMORY_HELPER)
    return _helper


class JsMemory(GuestMemory):
    view = None

    def __init__(self) -> None:
        self.h = None
        self.size = 0

    def attach(self, memory) -> None:
        self.h = _memory_helper()(memory)
        self.refresh()

    def refresh(self) -> None:
        self.size = int(self.h.size()) if self.h is not None else 0

    def read(self, ptr: int, length: int) -> bytes:
        return self.h.read(ptr, length).to_bytes()

    def write(self, ptr: int, data: bytes) -> None:
        self.h.write(ptr, to_js(bytes(data)))

    def unpack(self, st, ptr: int) -> tuple:
        plan = _plan(st.format)
        if plan is None:
            return st.unpack(self.read(ptr, st.size))
        get = self.h.get
        return tuple(int(get(code, ptr + off)) for code, off in plan)

    def pack(self, st, ptr: int, *values: int) -> None:
        plan = _plan(st.format)
        if plan is None:
            self.write(ptr, st.pack(*values))
            return
        put = self.h.set
        for (code, off), v in zip(plan, values):
            put(code, ptr + off, v if code not in "Qq" else str(v))


class _State:
    pending: BaseException | None = None


def _recording(fn: Callable, state: _State) -> Callable:
    def imported(*raw):
        try:
            return fn(*raw)
        except BaseException as e:  # noqa: BLE001 - recorded, then unwinds the guest
            state.pending = e
            raise
    return imported


async def run(wasm, wasi: Wasi, trace: Callable[[str], None] | None = None) -> int:
    """Run a WASI command; `wasm` is a JS Uint8Array/ArrayBuffer (or bytes)."""
    if isinstance(wasm, (bytes, bytearray)):
        wasm = to_js(bytes(wasm))
    mem = JsMemory()
    state = _State()
    imports = wasi.imports(mem, trace)
    proxies = {name: create_proxy(_recording(fn, state)) for name, fn in imports.items()}
    try:
        import_object = to_js({MODULE: proxies}, dict_converter=js.Object.fromEntries)
        result = await js.WebAssembly.instantiate(wasm, import_object)
        instance = result.instance
        exports = instance.exports
        memory = getattr(exports, "memory", None)
        if memory is not None:
            mem.attach(memory)
        start = getattr(exports, "_start", None)
        if start is None:
            raise ValueError("the module exports no `_start` function (not a WASI command)")
        try:
            start()
        except BaseException as e:  # noqa: BLE001
            exc, state.pending = state.pending, None
            if isinstance(exc, ProcExit):
                return exc.code
            if exc is not None:
                raise exc from None
            raise Trap(_js_message(e)) from None
        return 0
    finally:
        for p in proxies.values():
            p.destroy()


def _js_message(e: BaseException) -> str:
    js_error = getattr(e, "js_error", None)
    if js_error is not None:
        try:
            return f"{js_error.name}: {js_error.message}"
        except Exception:  # noqa: BLE001
            pass
    return str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__


async def run_job(job_json: str, wasm, io) -> str:
    """Run one CLI job in Pyodide.

    `io` (JS) has `write(fd, Uint8Array)`, `readStdin(n) -> Uint8Array`
    (empty at the end) and `isatty(fd)`. The job JSON is `Job.to_json()`
    plus `write_back` and, optionally, `stdin` (base64: input given up front).
    The result JSON is {"status": n} or {"trap": message} or {"error":
    message}, with "trees" (encoded) when write_back and the run ended normally.
    """
    from ..job import Job, final_trees, prepare, trace_to
    from ..stdio import BytesInput, CallbackInput, CallbackOutput
    from ..vfs.hostdir import encode_tree

    data = json.loads(job_json)
    job = Job.from_json(data)
    if data.get("stdin") is not None:
        stdin = BytesInput(base64.b64decode(data["stdin"]))
    else:
        stdin = CallbackInput(lambda n: io.readStdin(n).to_bytes(), isatty=bool(io.isatty(0)))
    stdout = CallbackOutput(lambda b: io.write(1, to_js(b)), isatty=bool(io.isatty(1)))
    stderr = CallbackOutput(lambda b: io.write(2, to_js(b)), isatty=bool(io.isatty(2)))
    wasi, roots = prepare(job, stdin, stdout, stderr)
    try:
        status = await run(wasm, wasi, trace=trace_to(stderr) if job.trace else None)
    except Trap as e:
        out = {"trap": str(e)}
        if data.get("write_back"):
            out["trees"] = [encode_tree(t) for t in final_trees(roots)]
        return json.dumps(out)
    except InvalidExitStatus as e:
        out = {"error": str(e)}
        if data.get("write_back"):
            out["trees"] = [encode_tree(t) for t in final_trees(roots)]
        return json.dumps(out)
    out = {"status": status}
    if data.get("write_back"):
        out["trees"] = [encode_tree(t) for t in final_trees(roots)]
    return json.dumps(out)
