"""Probes for the reference host's tests: the same raw calls on native wasmtime
and on the reference host, side by side.

`probe_wat()` is a module that imports every preview1 function and
re-exports it as `call_<name>` with its exact core signature. A `Probe`
instantiates it on one side — `WasmtimeProbe` (the `wasmtime` package's own
WASI over a real temporary directory) or `RefhostProbe` (the reference host
over a MemFS loaded from the same tree) — and offers:

    p.call("fd_write", 1, 0, 1, 8)   -> errno, or "trap" if the call trapped
    p.mem(addr, n) / p.put(addr, data) / p.s(addr, text) -> (addr, len)
    p.u32(addr) / p.u64(addr)
    p.tree()                          -> the sandbox as {path: node} (like tests/differential.py)
    p.stdout()                        -> bytes written to fd 1

A scenario is a function `scenario(p) -> list` of observations; running it
on both sides and comparing the lists is the differential check.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from pathlib import Path

import wasmtime

import spec
from spec import abi

TRAP = "trap"
SANDBOX = "/sandbox"

# The corpus's usual sandbox, its tree helpers (one copy of each: tests/corpus, differential.py)
from corpus.cases import BASIC  # noqa: E402
from differential import make_tree, snapshot  # noqa: E402,F401


def probe_wat(pages: int = 1) -> str:
    lines = ["(module"]
    for f in spec.FUNCTIONS:
        sig = abi.lower(f)
        params = " ".join(f"(param {p.type})" for p in sig.params)
        results = " ".join(f"(result {r})" for r in sig.results)
        lines.append(f'  (import "wasi_snapshot_preview1" "{f.name}" (func ${f.name} {params} {results}))')
    lines.append(f'  (memory (export "memory") {pages})')
    for f in spec.FUNCTIONS:
        sig = abi.lower(f)
        params = " ".join(f"(param {p.type})" for p in sig.params)
        results = " ".join(f"(result {r})" for r in sig.results)
        gets = " ".join(f"(local.get {i})" for i in range(len(sig.params)))
        lines.append(f'  (func (export "call_{f.name}") {params} {results} (call ${f.name} {gets}))')
    lines.append('  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))')
    lines.append('  (func (export "_start"))')
    lines.append(")")
    return "\n".join(lines)


_WASM: bytes | None = None


def probe_wasm() -> bytes:
    global _WASM
    if _WASM is None:
        _WASM = wasmtime.wat2wasm(probe_wat())
    return _WASM


class Probe:
    side = "?"

    def call(self, name: str, *args: int):
        raise NotImplementedError

    # memory helpers
    def mem(self, addr: int, n: int) -> bytes:
        raise NotImplementedError

    def put(self, addr: int, data: bytes) -> None:
        raise NotImplementedError

    def s(self, addr: int, text: str | bytes) -> tuple[int, int]:
        data = text.encode() if isinstance(text, str) else text
        self.put(addr, data)
        return addr, len(data)

    def u32(self, addr: int) -> int:
        return struct.unpack("<I", self.mem(addr, 4))[0]

    def u64(self, addr: int) -> int:
        return struct.unpack("<Q", self.mem(addr, 8))[0]

    def close(self) -> None:
        pass


class WasmtimeProbe(Probe):
    side = "wasmtime"

    def __init__(self, tree: dict | None = None, args=("probe",), env=(), stdin: bytes = b"") -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="refhost-probe-"))
        self.root = self.tmp / "sandbox"
        make_tree(self.root, BASIC if tree is None else tree)
        engine = wasmtime.Engine()
        self.store = wasmtime.Store(engine)
        cfg = wasmtime.WasiConfig()
        cfg.argv = list(args)
        cfg.env = [list(kv) for kv in env]
        self.out_path = str(self.tmp / "stdout")
        cfg.stdout_file = self.out_path
        stdin_path = self.tmp / "stdin"
        stdin_path.write_bytes(stdin)
        cfg.stdin_file = str(stdin_path)
        cfg.preopen_dir(str(self.root), SANDBOX)
        self.store.set_wasi(cfg)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        inst = linker.instantiate(self.store, wasmtime.Module(engine, probe_wasm()))
        self.exports = inst.exports(self.store)
        self.memory = self.exports["memory"]

    def call(self, name: str, *args: int):
        try:
            return self.exports["call_" + name](self.store, *args)
        except wasmtime.ExitTrap as e:
            return ("exit", e.code)
        except (wasmtime.Trap, wasmtime.WasmtimeError):
            return TRAP

    def mem(self, addr: int, n: int) -> bytes:
        return bytes(self.memory.read(self.store, addr, addr + n))

    def put(self, addr: int, data: bytes) -> None:
        self.memory.write(self.store, bytearray(data), addr)

    def tree(self) -> dict:
        return snapshot(self.root)

    def stdout(self) -> bytes:
        return Path(self.out_path).read_bytes()

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


class RefhostProbe(Probe):
    side = "refhost"

    def __init__(self, tree: dict | None = None, args=("probe",), env=(), stdin: bytes = b"",
                 fast: bool | None = None) -> None:
        from refhost import BufferOutput, BytesInput, MemFS, Wasi
        from refhost.engines.wasmtime import Instance
        from harness.tree import read_host_tree
        from refhost.vfs.tree import load_tree

        self.tmp = Path(tempfile.mkdtemp(prefix="refhost-probe-"))
        self.root = self.tmp / "sandbox"
        make_tree(self.root, BASIC if tree is None else tree)
        self.fs = MemFS()
        self.dir = self.fs.mkdir_p("/mnt/0")
        load_tree(self.fs, self.dir, read_host_tree(str(self.root)))
        self.out = BufferOutput()
        self.wasi = Wasi(args=args, env=env, preopens=[(SANDBOX, self.dir)], fs=self.fs,
                         stdin=BytesInput(stdin), stdout=self.out)
        self.inst = Instance(probe_wasm(), self.wasi, fast=fast)

    def call(self, name: str, *args: int):
        from refhost import ProcExit, Trap
        from refhost.errors import InvalidExitStatus
        try:
            return self.inst.call("call_" + name, *args)
        except ProcExit as e:
            return ("exit", e.code)
        except (Trap, InvalidExitStatus):
            return TRAP

    def mem(self, addr: int, n: int) -> bytes:
        return self.inst.mem.view[addr:addr + n].tobytes()

    def put(self, addr: int, data: bytes) -> None:
        self.inst.mem.view[addr:addr + len(data)] = data

    def tree(self) -> dict:
        from harness.tree import apply_tree
        from refhost.vfs.tree import dump_tree
        out = Path(tempfile.mkdtemp(prefix="refhost-wb-"))
        try:
            apply_tree(str(out), dump_tree(self.dir))
            return snapshot(out)
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def stdout(self) -> bytes:
        return self.out.getvalue()

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def both(tree: dict | None = None, **kw) -> list[Probe]:
    return [WasmtimeProbe(tree, **kw), RefhostProbe(tree, **kw)]
