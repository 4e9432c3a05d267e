"""The fuzzer's third oracle: a program rendered as WAT and run natively
under wasmtime (the `wasmtime` package), compared call by call with the
reference host (which `make fuzz` compares with the JS runtime).

`program_wat(ops)` is a module importing the preview1 functions the program
calls, exporting its memory (one page) and one function `c<k>` per call
that makes the k-th call with its constant arguments and returns its errno.
`run_native` instantiates it over a real temporary directory holding the
fuzz tree (`/0` preopened as "/sandbox", `/1` as "."), writes the pokes into
memory from Python and calls `c0`, `c1`, ... in order; a trap ends that call
only, as in the other two runners.

`compare_native` walks the program on both sides at once and after every
call compares the result (errno or trap) and the whole memory. What a real
file system does not share with the deterministic MemFS is masked: clock
readings, random bytes, `dev`/`ino`/timestamps (and directories' size and
nlink) in a filestat, a `fd_readdir` buffer (native order and d_ino) and
`poll_oneoff` events (real time). A masked range is then copied from the
reference into wasmtime's memory, so later calls see the same bytes. At the
end the trees (names, types, file contents, symlink targets), stdout and
stderr are compared. Programs for this sample are drawn without limits
(`native_setup`) and without blocking polls (`generate(..., native=True)`).
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from pathlib import Path

import wasmtime

from spec.abi import lower
import spec

from .harness import PyRun, format_call

SIGS = {f.name: lower(f) for f in spec.FUNCTIONS}
_ENGINE: wasmtime.Engine | None = None


def engine() -> wasmtime.Engine:
    global _ENGINE
    if _ENGINE is None:
        cfg = wasmtime.Config()
        cfg.cranelift_opt_level = "none"   # tiny modules, compiled once each
        _ENGINE = wasmtime.Engine(cfg)
    return _ENGINE


def native_setup() -> dict:
    from .strategies import base_setup

    return base_setup(limits={})


def program_wat(ops: list) -> str:
    calls = [op for op in ops if op[0] != "poke"]
    used = sorted({name for name, _ in calls})
    lines = ["(module"]
    for name in used:
        sig = SIGS[name]
        params = " ".join(f"(param {p.type})" for p in sig.params)
        results = " ".join(f"(result {r})" for r in sig.results)
        lines.append(f'  (import "wasi_snapshot_preview1" "{name}" (func ${name} {params} {results}))')
    lines.append('  (memory (export "memory") 1)')
    for k, (name, args) in enumerate(calls):
        consts = " ".join(f"({p.type}.const {a})" for p, a in zip(SIGS[name].params, args))
        lines.append(f'  (func (export "c{k}") (result i32) (call ${name} {consts}))')
    lines.append('  (func (export "_start"))')
    lines.append(")")
    return "\n".join(lines)


def _write_tree(root: Path, setup: dict) -> None:
    for op in setup["tree"]:
        if op[0] == "dir":
            (root / op[1].lstrip("/")).mkdir(parents=True, exist_ok=True)
        elif op[0] == "file":
            (root / op[1].lstrip("/")).write_bytes(bytes.fromhex(op[2]))
        else:
            os.symlink(op[1], root / op[2].lstrip("/"))


def snapshot(root: Path) -> dict:
    """{relative path: node} without times; big files by size only."""
    out: dict = {}

    def walk(d: Path, rel: str) -> None:
        for entry in sorted(os.scandir(d), key=lambda e: e.name):
            name = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_symlink():
                out[name] = ("symlink", os.readlink(entry.path))
            elif entry.is_dir():
                out[name] = ("dir",)
                walk(Path(entry.path), name)
            else:
                size = os.path.getsize(entry.path)
                out[name] = ("file", Path(entry.path).read_bytes() if size <= 1 << 20 else size)

    if os.path.lexists(root):
        walk(root, "")
    return out


def py_snapshot(tree: dict) -> dict:
    out: dict = {}

    def walk(node: dict, rel: str) -> None:
        for name, child in node.get("entries", []):
            path = f"{rel}/{name}" if rel else name
            if child["type"] == "symlink":
                out[path] = ("symlink", child["target"])
            elif child["type"] == "dir":
                out[path] = ("dir",)
                walk(child, path)
            else:
                data = bytes.fromhex(child["data"])
                out[path] = ("file", data if len(data) <= 1 << 20 else len(data))

    walk(tree, "")
    return out


class Native:
    """One program's instance under wasmtime."""

    def __init__(self, setup: dict, ops: list) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="fuzz-native-"))
        _write_tree(self.tmp, setup)
        store = wasmtime.Store(engine())
        cfg = wasmtime.WasiConfig()
        cfg.argv = list(setup.get("args", ["fuzz"]))
        cfg.env = [[k, v] for k, v in setup.get("env", {}).items()]
        (self.tmp / "stdin").write_bytes(bytes.fromhex(setup.get("stdin", "")))
        cfg.stdin_file = str(self.tmp / "stdin")
        cfg.stdout_file = str(self.tmp / "stdout")
        cfg.stderr_file = str(self.tmp / "stderr")
        self.roots = []
        for guest, at in setup["preopens"]:
            cfg.preopen_dir(str(self.tmp / at.lstrip("/")), guest)
            self.roots.append(self.tmp / at.lstrip("/"))
        store.set_wasi(cfg)
        linker = wasmtime.Linker(engine())
        linker.define_wasi()
        module = wasmtime.Module(engine(), program_wat(ops))
        inst = linker.instantiate(store, module)
        self.store = store
        self.exports = inst.exports(store)
        self.memory = self.exports["memory"]

    def call(self, k: int):
        try:
            return self.exports[f"c{k}"](self.store)
        except wasmtime.ExitTrap:
            return "exit"
        except (wasmtime.Trap, wasmtime.WasmtimeError):
            return "trap"

    def read(self) -> bytes:
        return bytes(self.memory.read(self.store, 0, 65536))

    def write(self, addr: int, data: bytes) -> None:
        self.memory.write(self.store, bytearray(data), addr)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def _u32(mem: bytes, addr: int) -> int:
    return struct.unpack_from("<I", mem, addr)[0] if 0 <= addr <= len(mem) - 4 else 0


def masks(name: str, args: list, result, mem: bytes) -> list[tuple[int, int]]:
    """Byte ranges of a successful call's output a real file system and
    clock legitimately fill differently (see the module doc)."""
    a = [x & 0xFFFFFFFF for x in args]
    if name == "fd_readdir" and result == "trap":   # the buffer is filled before bufused traps
        return [(a[1], a[2])]
    if result != 0:
        return []
    if name in ("clock_time_get", "clock_res_get"):
        return [(a[-1], 8)]
    if name == "random_get":
        return [(a[0], a[1])]
    if name in ("fd_filestat_get", "path_filestat_get"):
        p = a[-1]
        out = [(p, 16), (p + 40, 24)]            # dev, ino; atim, mtim, ctim
        if 0 <= p + 16 < len(mem) and mem[p + 16] == 3:   # a directory: nlink and size too
            out.append((p + 24, 16))
        return out
    if name == "fd_readdir":
        return [(a[1], a[2]), (a[-1], 4)]
    if name == "poll_oneoff":
        return [(a[1], 32 * max(a[2], 0)), (a[3], 4)]
    return []


def compare_native(setup: dict, ops: list) -> tuple[list[str], list, tuple | None]:
    """Differences between wasmtime and the reference host ([] if none), the
    reference's results, and the call they first differ on (None if none or
    only at the end)."""
    py = PyRun(setup)
    nat = Native(setup, ops)
    diffs: list[str] = []
    where = None
    try:
        k = 0
        for op in ops:
            if op[0] == "poke":
                py.op(op)
                nat.write(op[1], bytes(op[2]))
                continue
            a = py.op(op)
            b = nat.call(k)
            k += 1
            if a != b:
                diffs.append(f"call {k - 1} {format_call(op)}: py={a} wasmtime={b}")
                where = (op, a, b, bytes(py.memory))
                break
            pm = bytes(py.memory)
            nm = nat.read()
            for addr, n in masks(op[0], op[1], a, pm):
                lo, hi = max(addr, 0), min(addr + n, len(pm))
                if lo < hi:
                    nat.write(lo, pm[lo:hi])
                    nm = nm[:lo] + pm[lo:hi] + nm[hi:]
            if pm != nm:
                first = next(i for i in range(len(pm)) if pm[i] != nm[i])
                diffs.append(f"call {k - 1} {format_call(op)}: memory differs from {first:#x}: "
                             f"py={pm[first:first + 16].hex()} wasmtime={nm[first:first + 16].hex()}")
                where = (op, a, b, pm)
                break
        if not diffs:
            reply = py.reply()
            for i, root in enumerate(nat.roots):
                a, b = py_snapshot(reply["tree"][i]), snapshot(root)
                if a != b:
                    for path in sorted(set(a) | set(b)):
                        if a.get(path) != b.get(path):
                            diffs.append(f"tree preopen{i}/{path}: py={a.get(path)!r:.80} wasmtime={b.get(path)!r:.80}")
                            break
            for what in ("stdout", "stderr"):
                native_out = (nat.tmp / what).read_bytes()
                if bytes.fromhex(reply[what]) != native_out:
                    diffs.append(f"{what}: py={reply[what][:80]} wasmtime={native_out[:40].hex()}")
    finally:
        nat.close()
    return diffs, py.results, where


# Differences from native wasmtime that are known and reported, not fixed
# here (each a finding for the lead; `make fuzz` counts them apart).
def strings_of(name: str, args: list, mem: bytes) -> list[bytes]:
    """The string (path) arguments of a call, as they are in memory."""
    from spec.model import name_of

    out, params = [], SIGS[name].params
    for i, p in enumerate(params):
        if p.role == "pointer" and p.spec_type is not None and name_of(p.spec_type) == "string":
            ptr, n = args[i] & 0xFFFFFFFF, args[i + 1] & 0xFFFFFFFF
            out.append(mem[ptr:ptr + n])
    return out


def known_native(where) -> str | None:
    if where is None:
        return None
    (name, args), a, b, mem = where
    if name in ("fd_fdstat_get", "fd_filestat_get", "path_filestat_get", "fd_prestat_get") and a == b == "trap":
        # wasmtime writes a struct result field by field and traps at the
        # first field out of bounds or misaligned (after writing the ones
        # before); both glues check the whole struct first and write none.
        return "struct results: wasmtime writes the fields before the bad one"
    if a == 28 and b in (2, 44, 54, 32, 63) and any(b"\0" in s for s in strings_of(name, args, mem)):
        # wasmtime (cap-std) meets a NUL byte only in the component it opens:
        # a missing, non-directory or escaping component before it wins; both
        # twins refuse any NUL first (EINVAL, corpus adv-names). Reported.
        return "a NUL after a bad path component: wasmtime gives that component's errno"
    if name in ("args_sizes_get", "environ_sizes_get") and a == b == "trap":
        # wasmtime writes a tuple result's last value first: with a bad first
        # pointer the second is written before the trap. Both glues (the
        # generator's, refhost/abi.py) check every pointer first and write none.
        return "tuple results: wasmtime writes the last first"
    if name in ("args_get", "environ_get") and a == b == "trap":
        # wasmtime copies the in-bounds bytes of a string that runs off the
        # end of memory before trapping; both glues write none of it.
        return "args_get/environ_get: a string running off memory is written in part"
    return None
