"""Enum values and flag bits, read from `spec/` at import time.

`RIGHTS.fd_read`, `OFLAGS.creat`, `FILETYPE.directory`, `WHENCE.end` ... are
the spec's own names; `.mask` on a flags namespace is every defined bit.
Nothing here is typed in by hand, so it cannot disagree with the spec.
"""

from __future__ import annotations

from types import SimpleNamespace

import spec


def _flags(f: spec.Flags) -> SimpleNamespace:
    ns = SimpleNamespace(**{c.name: 1 << i for i, c in enumerate(f.flags)})
    ns.mask = f.mask
    return ns


def _enum(e: spec.Enum) -> SimpleNamespace:
    ns = SimpleNamespace(**{c.name: i for i, c in enumerate(e.cases)})
    ns.count = len(e.cases)
    return ns


RIGHTS = _flags(spec.RIGHTS)
FDFLAGS = _flags(spec.FDFLAGS)
FSTFLAGS = _flags(spec.FSTFLAGS)
LOOKUPFLAGS = _flags(spec.LOOKUPFLAGS)
OFLAGS = _flags(spec.OFLAGS)
EVENTRWFLAGS = _flags(spec.EVENTRWFLAGS)
SUBCLOCKFLAGS = _flags(spec.SUBCLOCKFLAGS)
RIFLAGS = _flags(spec.RIFLAGS)
ROFLAGS = _flags(spec.ROFLAGS)
SDFLAGS = _flags(spec.SDFLAGS)

CLOCKID = _enum(spec.CLOCKID)
WHENCE = _enum(spec.WHENCE)
FILETYPE = _enum(spec.FILETYPE)
ADVICE = _enum(spec.ADVICE)
EVENTTYPE = _enum(spec.EVENTTYPE)
SIGNAL = _enum(spec.SIGNAL)
PREOPENTYPE = _enum(spec.PREOPENTYPE)
