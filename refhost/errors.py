"""The one place errors become errno, and the two ways a call ends abnormally.

Hand-written behaviour raises `WasiError(errno.X)`; the generated glue (`generated/imports.py`)
turns it into the return value with `to_errno()`. Anything else is not a WASI
error and keeps propagating: `Trap` (the guest did something the spec says
must trap: a bad pointer, an invalid enum or flags argument), `ProcExit`
(`proc_exit` unwinding), or a bug.

The errno values are the cases of `spec.ERRNO`, in order: `ESUCCESS`,
`E2BIG`, `EACCES`, ..., `ENOTCAPABLE` (each case name upper-cased, with an
`E` in front), also as `errno.badf` etc. on the `errno` namespace.
"""

from __future__ import annotations

from types import SimpleNamespace

from spec import ERRNO

#: errno value by spec case name ("badf" -> 8).
ERRNO_VALUES: dict[str, int] = {case.name: i for i, case in enumerate(ERRNO.cases)}
#: POSIX-style code by errno value (8 -> "EBADF"); the trace prints these.
ERRNO_CODES: dict[int, str] = {i: "E" + case.name.upper() for i, case in enumerate(ERRNO.cases)}

errno = SimpleNamespace(**{("e" + name if name[0].isdigit() else name): value
                           for name, value in ERRNO_VALUES.items()})

# Module constants, so behaviour reads `raise WasiError(EBADF)`.
globals().update({code: value for value, code in ERRNO_CODES.items()})
ESUCCESS: int
E2BIG: int
EACCES: int
EAGAIN: int
EBADF: int
EBUSY: int
EEXIST: int
EFAULT: int
EFBIG: int
EILSEQ: int
EINTR: int
EINVAL: int
EIO: int
EISDIR: int
ELOOP: int
EMFILE: int
EMLINK: int
ENAMETOOLONG: int
ENOENT: int
ENOMEM: int
ENOSPC: int
ENOSYS: int
ENOTDIR: int
ENOTEMPTY: int
ENOTSOCK: int
ENOTSUP: int
EOVERFLOW: int
EPERM: int
EPIPE: int
ERANGE: int
ESPIPE: int
EXDEV: int
ENOTCAPABLE: int


class WasiError(Exception):
    """A WASI error: the call returns `errno` to the guest."""

    def __init__(self, errno_value: int, message: str = "") -> None:
        code = ERRNO_CODES.get(errno_value, f"E{errno_value}")
        super().__init__(f"{code}: {message}" if message else code)
        self.errno = errno_value
        self.code = code


class Trap(Exception):
    """The guest must trap (witx: "the function shall trap rather than
    returning errno.fault"). Engines turn it into a wasm trap; hosts print
    `wasi-polyfill: trap: <message>`."""


class ProcExit(BaseException):
    """`proc_exit(code)`: unwinds the guest. A BaseException, like SystemExit,
    so no `except Exception` on the way swallows it."""

    def __init__(self, code: int) -> None:
        super().__init__(f"proc_exit({code})")
        self.code = code


class InvalidExitStatus(Exception):
    """`proc_exit` with a status wasmtime refuses (126 or more): the run fails
    with an error, not a trap (RATIONALE "proc_exit, proc_raise, ...")."""

    MESSAGE = "exit with invalid exit status outside of [0..126)"

    def __init__(self, code: int) -> None:
        super().__init__(self.MESSAGE)
        self.code = code


def to_errno(e: BaseException) -> int:
    """The errno a raised exception stands for; re-raises what is not a WasiError."""
    if isinstance(e, WasiError):
        return e.errno
    raise e
