"""`poll_oneoff`: wait for clocks and descriptors, as wasmtime does
(RATIONALE "poll_oneoff", "Deterministic mode: poll_oneoff never sleeps").

Every subscription is checked before any waiting (an error fails the whole
call, nothing written): none at all is EINVAL; a clock other than realtime
or monotonic is EINVAL; fd_read on anything but stdin or a file, or fd_write
on anything but stdout, stderr or a file, is EBADF.

Then: if any fd subscription is ready (files, stdout and stderr always are;
stdin when input is waiting or at its end), the ready fd events are reported
and no clock — not even one already due. Otherwise the call waits for the
earliest clock (or stdin) and reports every clock whose time has come, in
subscription order. Deterministic clocks are not waited for: the earliest
clocks fire at once and realtime and monotonic advance by their timeout.

Events are wasmtime's: `nbytes` is 1 for fd events (not a byte count) and 0
for clocks; fd_read on a file at or past its end has `fd_readwrite_hangup`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .constants import CLOCKID, EVENTRWFLAGS, EVENTTYPE, SUBCLOCKFLAGS
from .errors import EBADF, EINVAL, ESUCCESS, WasiError
from .fd_table import FileDescriptor, StdinDescriptor, StdoutDescriptor

if TYPE_CHECKING:
    from .runtime import Runtime

# How often to look at stdin again while waiting for it.
_STDIN_POLL_NS = 1_000_000


def poll_oneoff(wasi: Runtime, subscriptions: list[dict]) -> list[dict]:
    if not subscriptions:
        raise WasiError(EINVAL, "no subscriptions")
    clocks = wasi.clocks
    timers = []   # (index, timeout from now, ns)
    fds = []      # (index, kind, descriptor)
    for i, sub in enumerate(subscriptions):
        tag, u = sub["u"]
        if tag == "clock":
            cid, timeout = u["id"], u["timeout"]
            absolute = bool(u["flags"] & SUBCLOCKFLAGS.subscription_clock_abstime)
            if cid == CLOCKID.monotonic:
                now = clocks.monotonic_now()
            elif cid == CLOCKID.realtime:
                now = clocks.realtime_now()
            else:
                raise WasiError(EINVAL, f"poll_oneoff: clock {cid} cannot be waited on")
            timers.append((i, max(0, timeout - now) if absolute else timeout))
        else:
            fd = u["file_descriptor"]
            desc = wasi.fds.get(fd)
            if tag == "fd_read" and isinstance(desc, StdinDescriptor):
                fds.append((i, "stdin", desc))
            elif tag == "fd_read" and isinstance(desc, FileDescriptor):
                fds.append((i, "file_read", desc))
            elif tag == "fd_write" and isinstance(desc, (StdoutDescriptor, FileDescriptor)):
                fds.append((i, "write", desc))
            else:
                raise WasiError(EBADF, f"poll_oneoff: fd {fd} cannot be polled for {tag}")

    def ready_fds() -> list[dict]:
        out = []
        for i, kind, desc in fds:
            sub = subscriptions[i]
            if kind == "stdin":
                if desc.stream.ready():
                    out.append(_event(sub, EVENTTYPE.fd_read, 1, 0))
            elif kind == "file_read":
                at_end = desc.inode.size <= desc.position
                out.append(_event(sub, EVENTTYPE.fd_read, 1,
                                  EVENTRWFLAGS.fd_readwrite_hangup if at_end else 0))
            else:
                out.append(_event(sub, EVENTTYPE.fd_write, 1, 0))
        return out

    events = ready_fds()
    if events or not timers and not fds:
        return events
    if clocks.deterministic:
        if not timers:   # only stdin, not ready: it can only be at its end or blocked; wait for it
            return _wait_stdin(clocks, ready_fds)
        first = min(t for _, t in timers)
        clocks.advance(first)
        return [_event(subscriptions[i], EVENTTYPE.clock, 0, 0) for i, t in timers if t == first]

    start = clocks.monotonic_now()
    deadlines = [(i, start + t) for i, t in timers]
    while True:
        now = clocks.monotonic_now()
        due = [i for i, d in deadlines if d <= now]
        if due:
            return [_event(subscriptions[i], EVENTTYPE.clock, 0, 0) for i in due]
        wait = min(d for _, d in deadlines) - now if deadlines else _STDIN_POLL_NS
        if fds:   # stdin, not ready yet: look again now and then
            wait = min(wait, _STDIN_POLL_NS)
        clocks.sleep(wait)
        if fds:
            events = ready_fds()
            if events:
                return events


def _wait_stdin(clocks, ready_fds) -> list[dict]:
    while True:
        events = ready_fds()
        if events:
            return events
        import time
        time.sleep(_STDIN_POLL_NS / 1e9)


def _event(sub: dict, type_: int, nbytes: int, flags: int) -> dict:
    return {"userdata": sub["userdata"], "error": ESUCCESS, "type": type_,
            "fd_readwrite": {"nbytes": nbytes, "flags": flags}}
