"""`Wasi`: the reference host's public class (the twin of polyfill/src/wasi.js).

    fs = MemFS()
    fs.write_file("/data/in.txt", b"hello")
    wasi = Wasi(args=["prog", "x"], env={"HOME": "/data"},
                preopens={"/sandbox": "/data"}, fs=fs,
                stdout=BufferOutput())
    status = engines.wasmtime.run(wasm_bytes, wasi)

A `Wasi` is used for one run. It makes the `Runtime` (the state and the 46
functions) from its options, with their defaults (clocks, random bytes and a
MemFS, deterministic or not); an engine asks it for the import functions over
the guest's memory with `imports(mem, trace)`.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from .clocks import Clocks, DeterministicClocks
from .fd_table import MAX_FDS
from .generated.imports import create_imports
from .generated.trace import trace_imports
from .memory import GuestMemory
from .random import Random, SplitMix64
from .runtime import Runtime
from .stdio import BufferOutput, BytesInput, InputStream, OutputStream
from .vfs.inode import Directory
from .vfs.memfs import MemFS


def _bytes(s: str | bytes) -> bytes:
    return s if isinstance(s, bytes) else s.encode("utf-8", "surrogateescape")


class Wasi:
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
        """`preopens`: guest path -> a path in `fs` (made if missing) or a
        `Directory`, given fds 3, 4, ... in order. `deterministic`: RATIONALE
        "Deterministic mode" (clocks, random bytes; give `fs` the same
        `clocks.realtime_now` as its clock). `max_fds`: EMFILE beyond."""
        if clocks is None:
            clocks = DeterministicClocks() if deterministic else Clocks()
        if fs is None:
            fs = MemFS(clock=clocks.realtime_now)
        pairs = env.items() if isinstance(env, Mapping) else env
        items = preopens.items() if isinstance(preopens, Mapping) else preopens
        self.runtime = Runtime(
            args=[_bytes(a) for a in args],
            environ=[_bytes(k) + b"=" + _bytes(v) for k, v in pairs],
            preopens=[(guest, where if isinstance(where, Directory) else fs.mkdir_p(where))
                      for guest, where in items],
            fs=fs,
            stdin=stdin if stdin is not None else BytesInput(b""),
            stdout=stdout if stdout is not None else BufferOutput(),
            stderr=stderr if stderr is not None else BufferOutput(),
            clocks=clocks,
            random=SplitMix64() if deterministic else Random(),
            max_fds=max_fds)

    @property
    def fs(self) -> MemFS:
        """The MemFS the guest's preopens live in."""
        return self.runtime.fs

    def imports(self, mem: GuestMemory, trace: Callable[[str], None] | None = None) -> dict:
        """The 46 `wasi_snapshot_preview1` functions over guest memory `mem`,
        by spec name; with `trace`, each reports its calls to it."""
        imports = create_imports(self.runtime, mem)
        return trace_imports(imports, mem, trace) if trace is not None else imports
