"""Clocks, as wasmtime's WASI has them, and the deterministic ones.

`Clocks` (the real ones):
- `realtime`: nanoseconds since the epoch;
- `monotonic`: nanoseconds since this host was created (wasmtime's monotonic
  clock also starts at the context's creation);
- `process_cputime_id` / `thread_cputime_id`: not provided (EBADF, as
  wasmtime — RATIONALE "Clocks");
- resolution: 1 ns for both.

`DeterministicClocks` (RATIONALE "Deterministic mode: Clocks"): counters that
start at fixed values and step 1 ms per `clock_time_get`; nothing else moves
them but `poll_oneoff`, which `advance`s instead of sleeping.

Both offer: `time_get(id)` and `res_get(id)` for the syscalls (None for a
clock not provided), `realtime_now()` / `monotonic_now()` for the runtime's
own use (file timestamps, poll deadlines; never advancing), and `sleep(ns)`.
"""

from __future__ import annotations

import time

from .constants import CLOCKID

RESOLUTION_NS = 1


class Clocks:
    deterministic = False

    def __init__(self) -> None:
        self._start = time.monotonic_ns()

    def realtime_now(self) -> int:
        return time.time_ns()

    def monotonic_now(self) -> int:
        return time.monotonic_ns() - self._start

    def time_get(self, id: int) -> int | None:
        if id == CLOCKID.realtime:
            return time.time_ns()
        if id == CLOCKID.monotonic:
            return time.monotonic_ns() - self._start
        return None

    def res_get(self, id: int) -> int | None:
        return RESOLUTION_NS if id in (CLOCKID.realtime, CLOCKID.monotonic) else None

    def sleep(self, ns: int) -> None:
        """Block for `ns` nanoseconds (monotonic)."""
        if ns <= 0:
            return
        deadline = time.monotonic_ns() + ns
        while True:
            left = deadline - time.monotonic_ns()
            if left <= 0:
                return
            try:
                time.sleep(left / 1e9)
            except Exception:  # an engine without a blocking sleep: spin
                pass


MASK64 = (1 << 64) - 1


class DeterministicClocks:
    deterministic = True
    STEP = 1_000_000
    START = {CLOCKID.realtime: 1_700_000_000_000_000_000, CLOCKID.monotonic: 1_000_000_000,
             CLOCKID.process_cputime_id: 0, CLOCKID.thread_cputime_id: 0}
    PROVIDED = (CLOCKID.realtime, CLOCKID.monotonic)   # the others: EBADF, as outside the mode

    def __init__(self) -> None:
        self.now = dict(self.START)

    def realtime_now(self) -> int:
        return self.now[CLOCKID.realtime]

    def monotonic_now(self) -> int:
        return self.now[CLOCKID.monotonic]

    def time_get(self, id: int) -> int | None:
        if id not in self.PROVIDED:
            return None
        t = self.now[id]
        self.now[id] = (t + self.STEP) & MASK64   # a u64 counter: it wraps (RATIONALE "Deterministic mode")
        return t

    def res_get(self, id: int) -> int | None:
        return self.STEP if id in self.PROVIDED else None

    def advance(self, ns: int) -> None:
        """poll_oneoff's sleep: realtime and monotonic move together."""
        self.now[CLOCKID.realtime] = (self.now[CLOCKID.realtime] + ns) & MASK64
        self.now[CLOCKID.monotonic] = (self.now[CLOCKID.monotonic] + ns) & MASK64

    def sleep(self, ns: int) -> None:
        self.advance(max(ns, 0))
