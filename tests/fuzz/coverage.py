"""What the fuzzer reached: per function, calls, successes and each errno.

`Coverage.add(ops, results)` counts one program's calls; `table()` prints
one line per function — calls, the share that succeeded, every errno
reached (with its count) — against the errnos that function is documented
to return (`documented_errnos`), marking the listed ones never reached
(`missing`) and the ones reached but not listed (`unlisted`: either the
list or the runtime is wrong; the glue's own errnos for bad enum/flag
values, EINVAL/EOVERFLOW/EILSEQ, and ENOMEM for the fuel limit are not
counted as unlisted). `floor_failures()` is the floor `make test`'s short
pass enforces, so that the distribution cannot silently collapse back to
calls on bad descriptors.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import spec

ERRNO_NAMES = [c.name for c in spec.ERRNO.cases]
FUNCTIONS = [f.name for f in spec.FUNCTIONS if f.name != "proc_exit"]

# The glue's errnos for a bad enum/flags/integer argument: reached by wild
# arguments anywhere (spec/errnos.py lists the glue errnos a function
# really returns; these are not held against a list here).
GLUE_ERRNOS = {"inval", "overflow", "ilseq", "nomem"}

# Functions that cannot succeed in the fuzzer's world (a MemFS, no sockets),
# as in native wasmtime: the floor does not ask them to.
NEVER_SUCCEED = {
    "fd_allocate": "ENOTSUP always, as wasmtime",
    "fd_fdstat_set_rights": "ENOTSUP always, as wasmtime",
    "proc_raise": "ENOTSUP always, as wasmtime",
    "sock_accept": "no sockets: EBADF or ENOTSOCK",
    "sock_recv": "no sockets: EBADF or ENOTSOCK",
    "sock_send": "no sockets: EBADF or ENOTSOCK",
    "sock_shutdown": "no sockets: EBADF or ENOTSOCK",
}

# The floor of the short pass (issue #18).
MIN_SUCCESS_SHARE = 0.40
MIN_PATH_OPEN_SUCCESS = 0.30


def documented_errnos(name: str) -> tuple[str, ...] | None:
    """The errnos `name` is documented to return (None: not documented):
    spec/errnos.py, the one list (read here and nowhere else in the fuzzer)."""
    from spec.errnos import ERRNOS

    return ERRNOS.get(name)


def outcome(result) -> str:
    """"ok", an errno name, "trap", "exit" or "crash"."""
    if isinstance(result, int):
        return "ok" if result == 0 else ERRNO_NAMES[result] if result < len(ERRNO_NAMES) else f"errno{result}"
    return "crash" if result.startswith("crash") else result


class Coverage:
    def __init__(self) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)

    def add(self, ops: list, results: list) -> None:
        calls = [op[0] for op in ops if op[0] != "poke"]
        for name, result in zip(calls, results):
            self.counts[name][outcome(result)] += 1

    def merge(self, other: "Coverage") -> None:
        for name, c in other.counts.items():
            self.counts[name].update(c)

    @property
    def calls(self) -> int:
        return sum(sum(c.values()) for c in self.counts.values())

    @property
    def successes(self) -> int:
        return sum(c["ok"] for c in self.counts.values())

    def share(self, name: str | None = None) -> float:
        if name is None:
            return self.successes / max(self.calls, 1)
        c = self.counts.get(name, Counter())
        return c["ok"] / max(sum(c.values()), 1)

    def table(self) -> str:
        lines = [f"{'function':<24} {'calls':>8} {'ok %':>6}  outcomes (errnos reached; missing: listed, never "
                 "reached; unlisted: reached, not listed)"]
        for name in FUNCTIONS:
            c = self.counts.get(name, Counter())
            n = sum(c.values())
            reached = ", ".join(f"{k} {v}" for k, v in c.most_common() if k != "ok")
            listed = documented_errnos(name)
            notes = []
            if listed is not None:
                missing = [e for e in listed if e not in c]
                unlisted = sorted(k for k in c if k not in listed and k not in GLUE_ERRNOS
                                  and k not in ("ok", "trap", "exit"))
                if missing:
                    notes.append("missing: " + " ".join(missing))
                if unlisted:
                    notes.append("unlisted: " + " ".join(unlisted))
            else:
                notes.append("no errno list")
            tail = f"  [{'; '.join(notes)}]" if notes else ""
            lines.append(f"{name:<24} {n:>8} {100 * self.share(name):>5.1f}%  {reached or '-'}{tail}")
        lines.append(f"{'all':<24} {self.calls:>8} {100 * self.share():>5.1f}%")
        return "\n".join(lines)

    def floor_failures(self) -> list[str]:
        """Why the distribution is below the floor ([] when it is not)."""
        out = []
        never = [n for n in FUNCTIONS if n not in NEVER_SUCCEED and not self.counts.get(n, Counter())["ok"]]
        if never:
            out.append(f"functions that never succeeded: {' '.join(never)}")
        if self.share() < MIN_SUCCESS_SHARE:
            out.append(f"{100 * self.share():.1f} % of calls succeeded (floor {100 * MIN_SUCCESS_SHARE:.0f} %)")
        if self.share("path_open") < MIN_PATH_OPEN_SUCCESS:
            out.append(f"path_open succeeded in {100 * self.share('path_open'):.1f} % of its calls "
                       f"(floor {100 * MIN_PATH_OPEN_SUCCESS:.0f} %)")
        crashes = [n for n, c in self.counts.items() if c["crash"]]
        if crashes:
            out.append(f"host crashes in {' '.join(crashes)}")
        return out
