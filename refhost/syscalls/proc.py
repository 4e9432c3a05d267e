"""proc_exit, proc_raise, sched_yield."""

from __future__ import annotations

from ..errors import ENOTSUP, InvalidExitStatus, ProcExit, WasiError


class ProcSyscalls:
    def proc_exit(self, rval: int) -> None:
        """Never returns: raises ProcExit, or InvalidExitStatus for a code of
        126 or more, which wasmtime refuses."""
        if rval >= 126:
            raise InvalidExitStatus(rval)
        raise ProcExit(rval)

    def proc_raise(self, sig: int) -> None:
        """Errors: ENOTSUP (always, as wasmtime)."""
        raise WasiError(ENOTSUP, "proc_raise is not supported")

    def sched_yield(self) -> None:
        """Errors: none."""
