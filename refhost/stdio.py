"""Standard streams: what fds 0, 1 and 2 read from and write to.

An `InputStream` has `read(n)` (at most n bytes, b"" at end of input; it may
block), `ready()` (would `read` return at once?) and `isatty`. An
`OutputStream` has `write(data)` (all of it) and `isatty`. A stream that is
a terminal makes `fd_fdstat_get` say `character_device`, otherwise
`unknown`, as wasmtime does.
"""

from __future__ import annotations

import os
from typing import Callable


class InputStream:
    isatty = False

    def read(self, n: int) -> bytes:
        raise NotImplementedError

    def ready(self) -> bool:
        return True


class OutputStream:
    isatty = False

    def write(self, data: bytes) -> None:
        raise NotImplementedError


class BytesInput(InputStream):
    """Input given up front."""

    def __init__(self, data: bytes = b"") -> None:
        self.data = memoryview(bytes(data))
        self.pos = 0

    def read(self, n: int) -> bytes:
        chunk = self.data[self.pos:self.pos + n].tobytes()
        self.pos += len(chunk)
        return chunk


class FdInput(InputStream):
    """A host file descriptor (natively: the process's stdin)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.isatty = os.isatty(fd)

    def read(self, n: int) -> bytes:
        try:
            return os.read(self.fd, min(n, 1 << 20))
        except BlockingIOError:  # a non-blocking fd that has nothing yet: wait for it
            import select
            select.select([self.fd], [], [])
            return self.read(n)

    def ready(self) -> bool:
        try:
            import select
            return bool(select.select([self.fd], [], [], 0)[0])
        except (OSError, ValueError):
            return True


class CallbackInput(InputStream):
    """Reads through a function `read(n) -> bytes` (b"" at end)."""

    def __init__(self, read: Callable[[int], bytes], isatty: bool = False) -> None:
        self._read = read
        self.isatty = isatty

    def read(self, n: int) -> bytes:
        return self._read(n)


class FdOutput(OutputStream):
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.isatty = os.isatty(fd)

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]


class CallbackOutput(OutputStream):
    def __init__(self, write: Callable[[bytes], object], isatty: bool = False) -> None:
        self.write = write   # called directly: one frame less per fd_write
        self.isatty = isatty


class BufferOutput(OutputStream):
    """Collects everything written (tests)."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes) -> None:
        self.buffer += data

    def getvalue(self) -> bytes:
        return bytes(self.buffer)


class BatchedOutputs:
    """Several output streams (stdout and stderr) batched into one sink.

    Under Pyodide each write that leaves Python costs a crossing into JS (and
    in Chromium a message to Playwright), so writes are collected and handed
    to `sink(fd, data)` in batches: when the stream written changes (so the
    order of stdout and stderr is kept), when `limit` bytes are waiting,
    when `flush()` is called (before stdin is read, and at the end of the
    run) — as C's stdio buffers a pipe. A stream that is a terminal is not
    batched (each write goes out at once).
    """

    def __init__(self, sink: Callable[[int, bytes], object], limit: int = 1 << 16) -> None:
        self._sink = sink
        self._limit = limit
        self._fd = -1
        self._buf = bytearray()

    def stream(self, fd: int, isatty: bool = False) -> OutputStream:
        return _BatchedStream(self, fd, isatty)

    def write(self, fd: int, data: bytes, isatty: bool) -> None:
        if fd != self._fd or isatty:
            self.flush()
            if isatty:
                self._sink(fd, bytes(data))
                return
            self._fd = fd
        buf = self._buf
        buf += data
        if len(buf) >= self._limit:
            self.flush()

    def flush(self) -> None:
        if self._buf:
            data = bytes(self._buf)
            self._buf.clear()
            self._sink(self._fd, data)


class _BatchedStream(OutputStream):
    def __init__(self, batch: BatchedOutputs, fd: int, isatty: bool) -> None:
        self._batch, self._fd, self.isatty = batch, fd, isatty

    def write(self, data: bytes) -> None:
        self._batch.write(self._fd, data, self.isatty)
