"""`Runtime`: one program's WASI state, with the 46 functions as methods
(the twin of polyfill/src/runtime.js); the generated glue
(`generated/imports.py`) calls it with typed values.

A `Runtime` is used for one run: it holds the descriptor table (stdio at
0-2, preopens from 3 in the order given), the arguments and environment, the
clocks, the random source and the filesystem. `Wasi` (`wasi.py`) is the
public face that makes one.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from .clocks import Clocks, DeterministicClocks
from .fd_table import MAX_FDS, DirectoryDescriptor, FdTable, StdinDescriptor, StdoutDescriptor
from .random import Random, SplitMix64
from .stdio import BufferOutput, BytesInput, InputStream, OutputStream
from .syscalls.args import ArgsSyscalls
from .syscalls.clock import ClockSyscalls
from .syscalls.fd import FdSyscalls
from .syscalls.path import PathSyscalls
from .syscalls.poll import PollSyscalls
from .syscalls.proc import ProcSyscalls
from .syscalls.random import RandomSyscalls
from .syscalls.sock import SockSyscalls
from .vfs.inode import Directory
from .vfs.memfs import MemFS


def _bytes(s: str | bytes) -> bytes:
    return s if isinstance(s, bytes) else s.encode("utf-8", "surrogateescape")


class Runtime(ArgsSyscalls, ClockSyscalls, FdSyscalls, PathSyscalls, PollSyscalls, ProcSyscalls,
           RandomSyscalls, SockSyscalls):
    def __init__(self, args: Iterable[str | bytes] = (),
                 env: Mapping[str, str] | Iterable[tuple[str, str]] = (),
                 preopens: Mapping[str, str | Directory] | Iterable[tuple[str, str | Directory]] = (),
                 fs: MemFS | None = None,
                 stdin: InputStream | None = None,
                 stdout: OutputStream | None = None,
                 stderr: OutputStream | None = None,
                 deterministic: bool = False,
                 clocks: Clocks | DeterministicClocks | None = None,
                 max_fds: int = MAX_FDS) -> None:
        """`deterministic`: RATIONALE "Deterministic mode" (clocks, random
        bytes; give `fs` the same `clocks.realtime_now` as its clock)."""
        self.deterministic = deterministic
        if clocks is None:
            clocks = DeterministicClocks() if deterministic else Clocks()
        self.clocks = clocks
        self.random = SplitMix64() if deterministic else Random()
        self.fs = fs if fs is not None else MemFS(clock=clocks.realtime_now)
        self.args = [_bytes(a) for a in args]
        pairs = env.items() if isinstance(env, Mapping) else env
        self.environ = [_bytes(k) + b"=" + _bytes(v) for k, v in pairs]
        self.stdin = stdin if stdin is not None else BytesInput(b"")
        self.stdout = stdout if stdout is not None else BufferOutput()
        self.stderr = stderr if stderr is not None else BufferOutput()
        self.fds = FdTable(max_fds)
        self.fds.push(StdinDescriptor(self.stdin))
        self.fds.push(StdoutDescriptor(self.stdout))
        self.fds.push(StdoutDescriptor(self.stderr))
        items = preopens.items() if isinstance(preopens, Mapping) else preopens
        for guest_path, where in items:
            d = where if isinstance(where, Directory) else self.fs.mkdir_p(where)
            self.fds.push(DirectoryDescriptor(d, preopen_path=guest_path))
