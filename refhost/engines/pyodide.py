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
import struct
from pathlib import Path
from typing import Callable

import js  # type: ignore[import-not-found]
from pyodide.code import run_js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from ..errors import InvalidExitStatus, ProcExit, Trap
from ..memory import GuestMemory
from ..wasi import Wasi

MODULE = "wasi_snapshot_preview1"

# The JS side of guest memory access, a file of its own (pyodide_memory.js):
# evaluated in Pyodide's JS context once.
_MEMORY_HELPER = Path(__file__).with_name("pyodide_memory.js")

_helper = None
SCRATCH = 1 << 16
_U32 = struct.Struct("<I")


def _memory_helper():
    global _helper
    if _helper is None:
        _helper = run_js(_MEMORY_HELPER.read_text(encoding="utf-8"))
    return _helper


# False: the portable path (Uint8Array copies). Checked by hand: 11 corpus
# programs gave the same output, trace and outcome either way.
FAST_COPIES = True


def _heap():
    """Pyodide's Emscripten module (for `HEAPU8`) and a function giving a
    Python buffer's address in it, or None if either is unavailable."""
    if not FAST_COPIES:
        return None
    try:
        import ctypes

        import pyodide_js  # type: ignore[import-not-found]
        module = pyodide_js._module
        if module.HEAPU8 is None:
            return None
    except Exception:  # noqa: BLE001 - fall back to copies through JS
        return None
    return module, lambda buf: ctypes.addressof((ctypes.c_char * len(buf)).from_buffer(buf))


class JsMemory(GuestMemory):
    """Guest memory in the JS heap. Every access is a call into JS, which
    costs about a microsecond plus a third for each argument, so structs and
    iovec lists cross whole, and in as few calls with as few arguments as
    can be. Where Pyodide's heap is reachable, JS copies bytes straight
    between it and a scratch `bytearray`; otherwise a `Uint8Array` crosses
    each way."""

    view = None

    def __init__(self) -> None:
        self.h = None
        self.size = 0

    def attach(self, memory) -> None:
        heap = _heap()
        if heap is None:
            self.h = h = _memory_helper()(memory, None, 0, 0)
            self._read, self._write = h.read, h.write
        else:
            self._address = heap[1]
            self._scratch = bytearray(SCRATCH)
            self._scratch_view = memoryview(self._scratch)
            self.h = h = _memory_helper()(memory, heap[0], self._address(self._scratch), SCRATCH)
            self._read_scratch, self._write_scratch = h.readScratch, h.writeScratch
            self._read_into, self._write_from = h.readInto, h.writeFrom
            self._gatherers: dict[tuple[int, int, int], Callable] = {}
            self.read, self.write = self._heap_read, self._heap_write
            self.gather, self.unpack, self.pack = self._heap_gather, self._heap_unpack, self._heap_pack
        self._size = h.size
        self.refresh()

    def refresh(self) -> None:
        self.size = int(self._size()) if self.h is not None else 0

    def read(self, ptr: int, length: int) -> bytes:
        return self._read(ptr, length).to_bytes()

    def write(self, ptr: int, data: bytes) -> None:
        self._write(ptr, to_js(bytes(data)))

    def unpack(self, st, ptr: int) -> tuple:
        return st.unpack(self.read(ptr, st.size))

    def pack(self, st, ptr: int, *values: int) -> None:
        self.write(ptr, st.pack(*values))

    # --- with Pyodide's heap reachable ---------------------------------------------

    def _heap_read(self, ptr: int, length: int) -> bytes:
        if length <= SCRATCH:
            self._read_scratch(ptr, length)
            return self._scratch_view[:length].tobytes()
        buf = bytearray(length)
        self._read_into(ptr, length, self._address(buf))
        return bytes(buf)

    def _heap_write(self, ptr: int, data: bytes) -> None:
        n = len(data)
        if n <= SCRATCH:
            self._scratch_view[:n] = data
            self._write_scratch(ptr, n)
            return
        buf = bytearray(data)
        self._write_from(ptr, n, self._address(buf))

    def _heap_gather(self, ptr: int, length: int, entry: int, buf_at: int, len_at: int
                     ) -> tuple[bytes, int, bytes]:
        if length > SCRATCH // 2:
            return self._heap_read(ptr, length), -1, b""
        key = (entry, buf_at, len_at)
        gather = self._gatherers.get(key)
        if gather is None:
            gather = self._gatherers[key] = self.h.gatherer(*key)
        i = gather(ptr, length)
        sv = self._scratch_view
        table = sv[:length].tobytes()
        if i < 0:
            return table, -1, b""
        n = _U32.unpack_from(table, i * entry + len_at)[0]
        return table, i, sv[length:length + n].tobytes()

    def _heap_unpack(self, st, ptr: int) -> tuple:
        self._read_scratch(ptr, st.size)
        return st.unpack_from(self._scratch)

    def _heap_pack(self, st, ptr: int, *values: int) -> None:
        st.pack_into(self._scratch, 0, *values)
        self._write_scratch(ptr, st.size)


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


class LoadError(Exception):
    """The module does not compile or instantiate (a user's mistake, not a trap)."""


def _unknown_import(what: str) -> Callable[..., None]:
    def trap(*_args) -> None:
        raise Trap(f"unknown import: `{what}` has not been defined")
    return trap


async def run(wasm, wasi: Wasi, trace: Callable[[str], None] | None = None,
              trap_unknown_imports: bool = False) -> int:
    """Run a WASI command; `wasm` is a JS Uint8Array/ArrayBuffer (or bytes).
    With `trap_unknown_imports`, functions it imports that no one defines
    trap when called instead of failing the instantiation."""
    if isinstance(wasm, (bytes, bytearray)):
        wasm = to_js(bytes(wasm))
    mem = JsMemory()
    state = _State()
    imports = wasi.imports(mem, trace)
    proxies = {name: create_proxy(_recording(fn, state)) for name, fn in imports.items()}
    namespaces: dict[str, dict] = {MODULE: dict(proxies)}
    try:
        try:
            module = await js.WebAssembly.compile(wasm)
        except Exception as e:  # noqa: BLE001 - a CompileError
            raise LoadError(f"invalid WebAssembly module: {_js_message(e)}") from None
        if trap_unknown_imports:
            for imp in js.WebAssembly.Module.imports(module):
                if imp.kind != "function" or imp.name in namespaces.get(imp.module, {}):
                    continue
                fn = create_proxy(_recording(_unknown_import(f"{imp.module}::{imp.name}"), state))
                namespaces.setdefault(imp.module, {})[imp.name] = fn
                proxies[f"{imp.module}::{imp.name}"] = fn
        import_object = to_js(namespaces, dict_converter=js.Object.fromEntries)
        try:
            instance = await js.WebAssembly.instantiate(module, import_object)
        except Exception as e:  # noqa: BLE001 - a LinkError, or the start function trapped or exited
            exc, state.pending = state.pending, None
            if isinstance(exc, ProcExit):
                return exc.code
            if exc is not None:
                raise exc from None
            if _js_message(e).startswith("RuntimeError"):
                raise Trap(_js_message(e)) from None
            raise LoadError(f"cannot instantiate: {_js_message(e)}") from None
        exports = instance.exports
        memory = getattr(exports, "memory", None)
        if memory is not None:
            mem.attach(memory)
        start = getattr(exports, "_start", None)
        if start is None:
            raise LoadError("no `_start` function exported (not a WASI command)")
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
    plus `write_back` and, optionally, `stdin` (base64: input given up front)
    and `trap_unknown_imports`. The web demo's cross-check gives instead of
    `trees` one `tree` for the filesystem's root and `preopens` as [guest
    path, path in that tree]. The result JSON is {"status": n} or {"trap":
    message} or {"error": message} (or {"usage": message}: the module does
    not load), with "trees" (encoded) when write_back.
    """
    from ..job import Job, final_trees, prepare, trace_to
    from ..stdio import BatchedOutputs, BytesInput, CallbackInput
    from ..vfs.tree import encode_tree

    data = json.loads(job_json)
    # Output leaves in batches (a crossing per write would dominate a small
    # write's cost), flushed before stdin is read and when the run ends.
    out_batch = BatchedOutputs(lambda fd, b: io.write(fd, to_js(b)))
    if data.get("stdin") is not None:
        stdin = BytesInput(base64.b64decode(data["stdin"]))
    else:
        def read_stdin(n: int) -> bytes:
            out_batch.flush()
            return io.readStdin(n).to_bytes()
        stdin = CallbackInput(read_stdin, isatty=bool(io.isatty(0)))
    stdout = out_batch.stream(1, isatty=bool(io.isatty(1)))
    stderr = out_batch.stream(2, isatty=bool(io.isatty(2)))
    if "tree" in data:
        wasi, final = _tree_at_root(data, stdin, stdout, stderr)
    else:
        job = Job.from_json(data)
        wasi, roots = prepare(job, stdin, stdout, stderr)
        final = lambda: final_trees(roots)  # noqa: E731
    try:
        try:
            status = await run(wasm, wasi, trace=trace_to(stderr) if data.get("trace") else None,
                               trap_unknown_imports=bool(data.get("trap_unknown_imports")))
        finally:
            out_batch.flush()
    except Trap as e:
        out = {"trap": str(e)}
        if data.get("write_back"):
            out["trees"] = [encode_tree(t) for t in final()]
        return json.dumps(out)
    except LoadError as e:
        return json.dumps({"usage": str(e)})
    except InvalidExitStatus as e:
        out = {"error": str(e)}
        if data.get("write_back"):
            out["trees"] = [encode_tree(t) for t in final()]
        return json.dumps(out)
    out = {"status": status}
    if data.get("write_back"):
        out["trees"] = [encode_tree(t) for t in final()]
    return json.dumps(out)


def _tree_at_root(data: dict, stdin, stdout, stderr):
    """A Wasi over one MemFS holding `data["tree"]` at its root, preopened by
    path (the web demo's files), and how to dump that tree after the run."""
    from ..vfs.tree import decode_tree, dump_tree, load_tree
    from ..vfs.memfs import MemFS

    fs = MemFS()
    load_tree(fs, fs.root, decode_tree(data["tree"]))
    wasi = Wasi(args=list(data["args"]), env=[tuple(kv) for kv in data.get("env", [])],
                preopens=[tuple(p) for p in data.get("preopens", [])], fs=fs,
                stdin=stdin, stdout=stdout, stderr=stderr)
    return wasi, lambda: [dump_tree(fs.root)]
