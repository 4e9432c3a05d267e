"""`Runtime`: one program's WASI state, with the 46 functions as methods
(the twin of polyfill/src/runtime.js); the generated glue
(`generated/imports.py`) calls it with typed values.

A `Runtime` is used for one run: it holds the descriptor table (stdio at
0-2, preopens from 3 in the order given), the arguments and environment, the
clocks, the random source and the filesystem. `Wasi` (`wasi.py`) is the
public face that makes one.
"""

from __future__ import annotations

from .clocks import Clocks, DeterministicClocks
from .fd_table import MAX_FDS, DirectoryDescriptor, FdTable, StdinDescriptor, StdoutDescriptor
from .random import Random, SplitMix64
from .stdio import InputStream, OutputStream
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


class Runtime(ArgsSyscalls, ClockSyscalls, FdSyscalls, PathSyscalls, PollSyscalls, ProcSyscalls,
              RandomSyscalls, SockSyscalls):
    def __init__(self, *, args: list[bytes], environ: list[bytes],
                 preopens: list[tuple[str, Directory]], fs: MemFS,
                 stdin: InputStream, stdout: OutputStream, stderr: OutputStream,
                 clocks: Clocks | DeterministicClocks, random: Random | SplitMix64,
                 max_fds: int = MAX_FDS) -> None:
        """Everything made already (`Wasi` makes it from its options):
        `environ` as `NAME=value` byte strings, each preopen a guest path and
        its directory, given fds 3, 4, ... in order."""
        self.clocks = clocks
        self.random = random
        self.fs = fs
        self.args = args
        self.environ = environ
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.fds = FdTable(max_fds)
        self.fds.push(StdinDescriptor(stdin))
        self.fds.push(StdoutDescriptor(stdout))
        self.fds.push(StdoutDescriptor(stderr))
        for guest_path, d in preopens:
            self.fds.push(DirectoryDescriptor(d, preopen_path=guest_path))
