"""clock_res_get, clock_time_get."""

from __future__ import annotations

from ..errors import EBADF, WasiError


class ClockSyscalls:
    def clock_res_get(self, id: int) -> int:
        """Errors: EBADF (the cputime clocks, as wasmtime)."""
        res = self.clocks.res_get(id)
        if res is None:
            raise WasiError(EBADF, f"clock {id} is not provided")
        return res

    def clock_time_get(self, id: int, precision: int) -> int:
        """Errors: EBADF (the cputime clocks, as wasmtime)."""
        t = self.clocks.time_get(id)
        if t is None:
            raise WasiError(EBADF, f"clock {id} is not provided")
        return t
