"""The two sides of the differential fuzzer and their comparison.

A *program* is a setup (memory pages, stdin, the initial tree, preopens,
limits) and a list of ops — `("poke", addr, bytes)` writes bytes into guest
memory, `(name, args)` calls a preview1 import with raw core arguments (i64s
as Python ints, both signed as wasm passes them). `run_py` runs it on the
reference host (its ABI layer over a bytearray), `JsDriver` on the JS runtime
(tests/fuzz/js_driver.mjs, one long-lived node process); both answer with the
same shape:

    {"results": [errno | "trap" | "exit" | "crash: ...", ...],   # one per call
     "mem": sha1 hex, "tree": [dir, ...] (one per preopen), "stdout": hex, "stderr": hex}

Everything is deterministic (RATIONALE "Deterministic mode"), so timestamps,
inode numbers and random bytes compare too. `compare` lists the differences,
and any errno a call returned that its list in spec/errnos.py lacks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import traceback
from pathlib import Path
from typing import Any

import spec
from spec.errnos import ERRNOS
from refhost.clocks import DeterministicClocks
from refhost.errors import ProcExit, Trap
from refhost.memory import BufferMemory
from refhost.stdio import BufferOutput, BytesInput
from refhost.vfs.inode import Directory, File, Symlink
from refhost.vfs.memfs import MemFS
from refhost.wasi import Wasi
from spec.abi import lower

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("js_driver.mjs")
NODE = os.environ.get("NODE") or shutil.which("node") or "/usr/bin/node"
PAGE = 65536

#: For each function, which core params are i64 (sent to node as strings).
I64 = {f.name: [p.type == "i64" for p in lower(f).params] for f in spec.FUNCTIONS}


# --- the reference host --------------------------------------------------------------

def _dump_py(d) -> dict:
    node: dict[str, Any] = {"ino": d.ino, "nlink": d.nlink, "size": d.size,
                            "atim": str(d.atim), "mtim": str(d.mtim), "ctim": str(d.ctim)}
    if isinstance(d, Directory):
        node["type"] = "dir"
        node["entries"] = [[name, _dump_py(child)] for name, child in d.entries.items()]
    elif isinstance(d, Symlink):
        node["type"] = "symlink"
        node["target"] = d.target
    else:
        node["type"] = "file"
        node["data"] = d.read(0, d.size).hex()
    return node


def build_py(setup: dict) -> tuple[Wasi, bytearray, BufferOutput, BufferOutput, list]:
    clocks = DeterministicClocks()
    limits = setup.get("limits") or {}
    fs = MemFS(clock=clocks.realtime_now, numbered_root=False, **_py_limits(limits))
    for op in setup["tree"]:
        if op[0] == "dir":
            fs.mkdir_p(op[1])
        elif op[0] == "file":
            fs.write_file(op[1], bytes.fromhex(op[2]))
        elif op[0] == "symlink":
            fs.symlink(op[1], op[2])
        else:
            raise ValueError(op)
    out, err = BufferOutput(), BufferOutput()
    wasi = Wasi(args=setup.get("args", ["fuzz"]), env=setup.get("env", {}),
                preopens=[tuple(p) for p in setup["preopens"]], fs=fs,
                stdin=BytesInput(bytes.fromhex(setup.get("stdin", ""))), stdout=out, stderr=err,
                deterministic=True, clocks=clocks, **_py_fd_limits(limits))
    memory = bytearray(setup.get("pages", 1) * PAGE)
    roots = [fs.lookup(at, follow=False) for _, at in setup["preopens"]]
    return wasi, memory, out, err, roots


def _py_limits(limits: dict) -> dict:
    names = {"maxBytes": "max_bytes", "maxInodes": "max_inodes", "maxFileSize": "max_file_size"}
    return {names[k]: v for k, v in limits.items() if k in names and v is not None}


def _py_fd_limits(limits: dict) -> dict:
    return {"max_fds": limits["maxFds"]} if limits.get("maxFds") is not None else {}


class PyRun:
    """One program on the reference host, an op at a time (the state-aware
    generator runs each call as it draws it and looks at the state)."""

    def __init__(self, setup: dict) -> None:
        self.wasi, self.memory, self.out, self.err, self.roots = build_py(setup)
        self.imports = self.wasi.imports(BufferMemory(self.memory))
        self.results: list = []

    def op(self, op) -> Any:
        """Run one op; a call's result (also appended to `results`)."""
        if op[0] == "poke":
            _, addr, data = op
            self.memory[addr:addr + len(data)] = data
            return None
        name, args = op
        try:
            r = self.imports[name](*args)
        except Trap:
            r = "trap"
        except ProcExit:
            r = "exit"
        except Exception:  # noqa: BLE001 - an uncaught host exception is a finding
            r = "crash: " + traceback.format_exc(limit=-3)
        self.results.append(r)
        return r

    def reply(self, dump: bool = False) -> dict:
        reply = {"results": self.results, "mem": hashlib.sha1(self.memory).hexdigest(),
                 "tree": [_dump_py(r) for r in self.roots],
                 "stdout": self.out.getvalue().hex(), "stderr": self.err.getvalue().hex()}
        if dump:
            reply["memory"] = bytes(self.memory).hex()
        return reply


def run_py(setup: dict, ops: list, dump: bool = False) -> dict:
    run = PyRun(setup)
    for op in ops:
        run.op(op)
    return run.reply(dump)


# --- the JS runtime ------------------------------------------------------------------

def _js_op(op) -> list:
    if op[0] == "poke":
        return ["poke", op[1], bytes(op[2]).hex()]
    name, args = op
    return [name, [str(a) if wide else a for a, wide in zip(args, I64[name])]]


class JsDriver:
    """One node process running js_driver.mjs; `run` is one program."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([NODE, str(DRIVER)], cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1 << 16)

    def send(self, setup: dict, ops: list, dump: bool = False) -> None:
        req = {"setup": setup, "calls": [_js_op(op) for op in ops], "dump": dump}
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()

    def receive(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the node driver exited (status {self.proc.poll()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError("node driver: " + reply["error"])
        return reply

    def run(self, setup: dict, ops: list, dump: bool = False) -> dict:
        self.send(setup, ops, dump)
        return self.receive()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- comparison ----------------------------------------------------------------------

def calls_of(ops: list) -> list:
    return [op for op in ops if op[0] != "poke"]


def _tree_diff(a, b, path: str, out: list) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k == "entries":
                an = [n for n, _ in a.get(k, [])]
                bn = [n for n, _ in b.get(k, [])]
                if an != bn:
                    out.append(f"{path or '/'}: entries py={an} js={bn}")
                    continue
                for (n, ca), (_, cb) in zip(a[k], b[k]):
                    _tree_diff(ca, cb, f"{path}/{n}", out)
            elif a.get(k) != b.get(k):
                out.append(f"{path or '/'}: {k} py={a.get(k)!r} js={b.get(k)!r}")
    elif a != b:
        out.append(f"{path}: py={a!r} js={b!r}")


_ERRNO_NAMES = {i: c.name for i, c in enumerate(spec.ERRNO.cases)}


def compare(ops: list, py: dict, js: dict) -> list[str]:
    """Human-readable differences between the two replies ([] if none)."""
    diffs = []
    calls = calls_of(ops)
    for i, (call, a, b) in enumerate(zip(calls, py["results"], js["results"])):
        for side, r in (("py", a), ("js", b)):
            if isinstance(r, str) and r.startswith("crash"):
                diffs.append(f"call {i} {call[0]}: {side} crashed: {r}")
            elif isinstance(r, int) and r and _ERRNO_NAMES[r] not in ERRNOS[call[0]]:
                diffs.append(f"call {i} {format_call(call)}: {side} returned E{_ERRNO_NAMES[r].upper()}, "
                             f"which is not in {call[0]}'s list (spec/errnos.py)")
        if a != b:
            diffs.append(f"call {i} {format_call(call)}: py={a} js={b}")
            break  # later calls follow from this one
    if len(py["results"]) != len(js["results"]):
        diffs.append(f"result counts py={len(py['results'])} js={len(js['results'])}")
    if diffs:
        return diffs
    for i, (a, b) in enumerate(zip(py["tree"], js["tree"])):
        _tree_diff(a, b, f"preopen{i}", diffs)
    for k in ("stdout", "stderr", "mem"):
        if py[k] != js[k]:
            diffs.append(f"{k}: py={py[k][:200]} js={js[k][:200]}")
    return diffs


U64_NEAR_2_63 = range(2**63 - 2048, 2**63 + 2048)


def known_js(ops: list, py: dict, js: dict) -> str | None:
    """A JS/Python difference known and reported, not fixed here: the
    generated glue turns a u64 into a Number (u64ToNumber), so the values
    around 2^63 that round to it are all 2^63 to the JS runtime (EFBIG or
    EINVAL where the reference host, exact, answers the other)."""
    for call, a, b in zip(calls_of(ops), py["results"], js["results"]):
        if a != b:
            name, args = call
            if name in ("fd_filestat_set_size", "fd_pread", "fd_pwrite", "fd_advise") and \
                    any(x & (2**64 - 1) in U64_NEAR_2_63 for x in args[1:]):
                return "u64 near 2^63 (glue u64ToNumber)"
            return None
    return None


def memory_diff(py_hex: str, js_hex: str, limit: int = 8) -> list[str]:
    a, b = bytes.fromhex(py_hex), bytes.fromhex(js_hex)
    out, i = [], 0
    while i < len(a) and len(out) < limit:
        if a[i] != b[i]:
            j = i
            while j < len(a) and a[j] != b[j] and j - i < 32:
                j += 1
            out.append(f"  memory[{i:#x}:{j:#x}] py={a[i:j].hex()} js={b[i:j].hex()}")
            i = j
        i += 1
    return out


def format_call(op) -> str:
    if op[0] == "poke":
        data = bytes(op[2])
        return f"poke({op[1]:#x}, {data!r})"
    name, args = op
    return f"{name}({', '.join(str(a) for a in args)})"


def format_program(ops: list) -> str:
    return "\n".join("  " + format_call(op) for op in ops)
