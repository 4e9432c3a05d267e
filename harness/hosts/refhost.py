"""`--host refhost`: the reference host (refhost) natively, on
the `wasmtime` package as a plain WebAssembly engine.

Each `--dir` is read into the reference host's in-memory filesystem (a host
directory given twice is one copy); with `--write-back`, after the guest
ends — however it ends (spec/RATIONALE.md "CLI") — each host directory is
made to match its final tree (harness/tree.py; the reference host loads and
dumps the trees with its own code, refhost/vfs/tree.py). A trap prints
`wasi-polyfill: trap: ...` and gives 134; `proc_exit(126 or more)` prints
`wasi-polyfill: error: ...` and gives 1, as the wasmtime host does.
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO

from . import TRAP_STATUS, HostError, RunSpec

INVALID_EXIT_STATUS_CODE = 1
# spec/RATIONALE.md "CLI": --write-back happens however the guest ended
# (exit, trap, refused exit status), as wasmtime keeps what a guest did.
WRITE_BACK_AFTER_TRAP = True


def job_for(spec: RunSpec):
    """The Job for a RunSpec and, per tree, the host directory it came from."""
    from refhost.job import Job
    from harness.tree import read_host_tree

    index: dict[str, int] = {}
    hosts: list[str] = []
    preopens = []
    for host_dir, guest in spec.dirs:
        key = os.path.realpath(host_dir)
        if key not in index:
            index[key] = len(hosts)
            hosts.append(host_dir)
        preopens.append((guest, index[key]))
    try:
        trees = [read_host_tree(h) for h in hosts]
    except OSError as e:
        raise HostError(f"--dir {e.filename}: {e.strerror}") from None
    job = Job(args=spec.argv, env=list(spec.env), preopens=preopens, trees=trees,
              deterministic=getattr(spec, "deterministic", False), trace=spec.trace)
    return job, hosts


def write_back(hosts: list[str], trees: list) -> None:
    from harness.tree import apply_tree

    for host_dir, tree in zip(hosts, trees):
        apply_tree(host_dir, tree)


def input_stream(f: BinaryIO | None):
    from refhost.stdio import CallbackInput, FdInput

    if f is None:
        return FdInput(0)
    try:
        return FdInput(f.fileno())
    except (AttributeError, OSError, ValueError):
        read = getattr(f, "read1", None) or f.read
        return CallbackInput(read)


def output_stream(f: BinaryIO | None, fd: int):
    from refhost.stdio import CallbackOutput, FdOutput

    if f is None:
        (sys.stdout if fd == 1 else sys.stderr).flush()
        return FdOutput(fd)

    def write(data: bytes) -> None:
        f.write(data)
        f.flush()
    return CallbackOutput(write)


def report_trap(stderr, message: str) -> int:
    stderr.write(f"wasi-polyfill: trap: {message}\n".encode("utf-8", "replace"))
    return TRAP_STATUS


def report_invalid_exit(stderr, message: str) -> int:
    stderr.write(f"wasi-polyfill: error: {message}\n".encode())
    return INVALID_EXIT_STATUS_CODE


def run(spec: RunSpec) -> int:
    try:
        import wasmtime
    except ModuleNotFoundError:
        raise HostError("the wasmtime package is not installed (pip install -e '.[dev]')") from None
    from refhost.engines import wasmtime as engine
    from refhost.errors import InvalidExitStatus, Trap
    from refhost.job import final_trees, prepare, trace_to

    try:
        with open(spec.program, "rb") as f:
            wasm = f.read()
    except OSError as e:
        raise HostError(f"{spec.program}: {e.strerror}") from None
    job, hosts = job_for(spec)
    stdout = output_stream(spec.stdout, 1)
    stderr = output_stream(spec.stderr, 2)
    wasi, roots = prepare(job, input_stream(spec.stdin), stdout, stderr)
    try:
        status = engine.run(wasm, wasi, trace=trace_to(stderr) if spec.trace else None,
                            trap_unknown_imports=spec.trap_unknown_imports)
    except Trap as e:
        if spec.write_back and WRITE_BACK_AFTER_TRAP:
            write_back(hosts, final_trees(roots))
        return report_trap(stderr, str(e))
    except InvalidExitStatus as e:
        if spec.write_back and WRITE_BACK_AFTER_TRAP:
            write_back(hosts, final_trees(roots))
        return report_invalid_exit(stderr, str(e))
    except wasmtime.WasmtimeError as e:
        raise HostError(f"{spec.program}: {engine._message(e)}") from None
    except ValueError as e:
        raise HostError(f"{spec.program}: {e}") from None
    if spec.write_back:
        write_back(hosts, final_trees(roots))
    return status & 0xFF
