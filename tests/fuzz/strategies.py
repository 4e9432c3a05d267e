"""Programs of raw preview1 calls for the fuzzer, drawn through a `Draw`.

The generator is written once against a small drawing interface (`Draw`:
`int(lo, hi)`, `choice(seq)`, `bytes(n)`) with two implementations:
`HypothesisDraw` (each value a `data.draw`, so hypothesis explores and
shrinks — the pytest pass) and `RandomDraw` (a seeded `random.Random`, a few
microseconds a value — `make fuzz`'s million calls, shrunk by
`fuzz.run.shrink` when they diverge).

Arguments are drawn per core parameter from its spec type (read from
`spec/`, not from a hand list), mixing "good" values — open descriptors,
pointers into the scratch areas where the program just wrote paths, iovec
arrays, subscriptions; names of the tree; valid flag combinations — with bad
ones: closed and huge descriptors, out-of-bounds, wrapping and misaligned
pointers, huge lengths and counts, undefined flag bits and enum values,
paths with `..`, NUL, trailing slashes, absolute paths, symlinks, bad UTF-8.

Memory (one 64 KiB page) is laid out as fixed scratch areas, so good
pointers are easy to come by and bad ones are deliberate:

    PATHS   0x0000  path strings, one 0x200 slot per string param
    IOVS    0x0800  iovec arrays
    SUBS    0x0c00  poll subscriptions (48 bytes each)
    BUFS    0x1000  data buffers (up to 0x3000 bytes)
    RES     0x4000  out-pointers (8-aligned, one 16-byte slot per result)
    EVENTS  0x4400  poll events
"""

from __future__ import annotations

import struct

import random

from hypothesis import strategies as st

import spec
from spec.abi import lower
from spec.model import Builtin, Enum, Flags, Handle, name_of, resolve

PAGE = 0x10000
PATHS, PATH_SLOT = 0x0000, 0x200
IOVS = 0x0800
SUBS = 0x0C00
BUFS, BUFS_LEN = 0x1000, 0x3000
RES = 0x4000
EVENTS = 0x4400
STRINGS = 0x5000  # args_get/environ_get buffers

# The initial tree (a small fixed one keeps examples readable; the calls
# then build and break it). Paths are inside the MemFS; "/0" is preopened as
# "/sandbox" (fd 3) and "/1" as "." (fd 4).
TREE = [
    ["dir", "/0"],
    ["dir", "/0/d"],
    ["file", "/0/d/in.txt", b"inner\n".hex()],
    ["dir", "/0/d/sub"],
    ["dir", "/0/empty"],
    ["file", "/0/f.txt", b"hello, world\n".hex()],
    ["file", "/0/z", ""],
    ["symlink", "f.txt", "/0/lf"],
    ["symlink", "d", "/0/ld"],
    ["symlink", "missing", "/0/dangling"],
    ["symlink", "../x", "/0/escape"],
    ["symlink", "loop", "/0/loop"],
    ["dir", "/1"],
    ["file", "/1/g", b"g\n".hex()],
]
PREOPENS = [["/sandbox", "/0"], [".", "/1"]]


# Small limits, so that ENOSPC, EFBIG and EMFILE are reached and files stay
# small enough to compare whole.
LIMITS = {"maxBytes": 4096, "maxInodes": 40, "maxFds": 12, "maxFileSize": 2**31 - 1}


def base_setup(limits: dict | None = None) -> dict:
    return {"pages": 1, "stdin": b"line one\nline two\n".hex(), "tree": TREE,
            "preopens": PREOPENS, "args": ["fuzz", "arg"], "env": {"K": "v"},
            "limits": LIMITS if limits is None else limits}


# --- drawing ----------------------------------------------------------------------

class Draw:
    def int(self, lo: int, hi: int) -> int:
        raise NotImplementedError

    def choice(self, seq):
        return seq[self.int(0, len(seq) - 1)]

    def bytes(self, n: int) -> bytes:
        return bytes(self.int(0, 255) for _ in range(self.int(0, n)))

    def chance(self, k: int) -> bool:
        """True one time in `k`."""
        return self.int(0, k - 1) == 0


class RandomDraw(Draw):
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def int(self, lo: int, hi: int) -> int:
        return self.r.randint(lo, hi)

    def bytes(self, n: int) -> bytes:
        return self.r.randbytes(self.r.randint(0, n))


class HypothesisDraw(Draw):
    def __init__(self, data) -> None:
        self.data = data

    def int(self, lo: int, hi: int) -> int:
        return self.data.draw(st.integers(lo, hi))

    def bytes(self, n: int) -> bytes:
        return self.data.draw(st.binary(max_size=n))


# --- scalar values ----------------------------------------------------------------

def _signed(v: int, bits: int) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


BOUNDARIES64 = [0, 1, 2, 7, 8, 13, 100, 4095, 4096, 65536, 2**31 - 1, 2**31, 2**32 - 1, 2**32,
                2**53 - 1, 2**53, 2**53 + 1, 2**62, 2**63 - 1, 2**63, 2**64 - 1, 2**64 - 13]
BOUNDARIES32 = [0, 1, 2, 3, 8, 64, 255, 256, 4096, 65535, 65536, 65537, 2**24, 2**24 + 1,
                2**28, 2**31 - 1, 2**31, 2**32 - 1]


def wide(d: Draw, bits: int) -> int:
    k = d.int(0, 3)
    if k <= 1:
        return d.int(0, 64)
    if k == 2:
        return d.choice(BOUNDARIES64 if bits == 64 else BOUNDARIES32)
    return d.int(0, 2**bits - 1)


def fd(d: Draw) -> int:
    return d.int(0, 9) if not d.chance(8) else d.choice([10, 64, 2**31 - 1, 2**32 - 1])


def flags_value(d: Draw, t: Flags) -> int:
    mask = (1 << len(t.flags)) - 1
    v = d.int(0, mask)
    if d.chance(12):
        v |= 1 << d.int(len(t.flags), t.repr.size * 8 - 1)
    return v


RIGHTS_MASK = (1 << len(spec.RIGHTS.flags)) - 1
R_READ, R_WRITE = 1 << 1, 1 << 6


def rights(d: Draw) -> int:
    k = d.int(0, 5)
    if k <= 3:
        return d.choice([0, R_READ, R_WRITE, R_READ | R_WRITE, RIGHTS_MASK])
    if k == 4:
        return d.int(0, RIGHTS_MASK)
    return d.choice([1 << 30, 1 << 63])


def enum_value(d: Draw, t: Enum) -> int:
    n = len(t.cases)
    return d.int(0, n - 1) if not d.chance(8) else d.choice([n, 255, 256, 2**32 - 1])


def scalar(d: Draw, t) -> int:
    """A raw value for a scalar spec type (unsigned; made signed later)."""
    name = name_of(t)
    r = resolve(t)
    if isinstance(r, Handle):
        return fd(d)
    if name == "rights":
        return rights(d)
    if isinstance(r, Flags):
        return flags_value(d, r)
    if isinstance(r, Enum):
        return enum_value(d, r)
    if name == "filedelta":
        k = d.int(0, 2)
        if k == 0:
            v = d.int(-20, 20)
        elif k == 1:
            v = d.choice([-(2**63), 2**63 - 1, 2**53, -(2**53)])
        else:
            v = wide(d, 64)
        return v & (2**64 - 1)
    if name == "timestamp":
        if d.chance(2):
            return d.choice([0, 1, 1_700_000_000_000_000_000, 1_000_000_000])
        return wide(d, 64)
    assert isinstance(r, Builtin), t
    return wide(d, r.size * 8)


# --- pointers and memory ----------------------------------------------------------

def pointer(d: Draw, good: int, align: int = 1) -> int:
    k = d.int(0, 15)
    if k <= 11:
        return good
    if k == 12:
        return good + d.int(1, 7) if align > 1 else PAGE - d.int(1, 7)
    if k == 13:
        return PAGE - d.int(0, 64)
    return d.int(0, 2**32 - 1)


# Path components: names of the tree and of things calls create, and corners.
NAMES = ["f.txt", "d", "in.txt", "sub", "empty", "z", "lf", "ld", "dangling", "escape", "loop",
         "g", "new", "n2", ".", "..", "d", "new"]
CORNERS = ["", "..", "/", "/abs", "d/", "d/.", "d/..", "f.txt/", "lf/", "ld/", "d//in.txt",
           "../0/f.txt", "d/../f.txt", "x\x00y", "n" * 255, "n" * 256, "ü", "d/sub/../../f.txt",
           "./new", "new/", "..//", "ld/in.txt"]
BAD_UTF8 = [b"\xff", b"d/\xc3", b"\xed\xa0\x80", b"f.txt\xfe"]


def path_bytes(d: Draw) -> bytes:
    kind = d.int(0, 9)
    if kind == 0:
        return d.choice(CORNERS).encode()
    if kind == 1:
        return d.choice(BAD_UTF8)
    p = "/".join(d.choice(NAMES) for _ in range(d.int(1, 3)))
    if kind == 2:
        p += "/"
    return p.encode()


def string_param(d: Draw, slot: int, ops: list) -> tuple[int, int]:
    """Write a path into slot `slot`; its (ptr, len), sometimes bent."""
    data = path_bytes(d)
    addr = PATHS + slot * PATH_SLOT
    ops.append(("poke", addr, data))
    how = d.int(0, 19)
    if how == 0:
        return PAGE - d.int(0, 4), len(data)
    if how == 1:
        return addr, d.choice([len(data) + 1, PATH_SLOT, 2**31, 2**32 - 1, 2**27 + 1])
    if how == 2:
        return d.int(0, 2**32 - 1), len(data)
    return addr, len(data)


def iovec_param(d: Draw, ops: list, writing: bool) -> tuple[int, int]:
    n = d.int(0, 3)
    entries = []
    for i in range(n):
        k = d.int(0, 6)
        length = d.int(0, 40) if k <= 4 else 0 if k == 5 else d.choice([0x1000, 0x2fff, 2**31, 2**32 - 1])
        good = BUFS + 0x400 * i
        k = d.int(0, 9)
        ptr = good if k <= 7 else PAGE - d.int(0, 32) if k == 8 else d.int(0, 2**32 - 1)
        entries.append((ptr, length))
        if writing and ptr == good:
            data = d.bytes(min(length, 40))
            if data:
                ops.append(("poke", ptr, data))
    ops.append(("poke", IOVS, b"".join(struct.pack("<II", p, n_) for p, n_ in entries) or b"\0" * 8))
    count = n if not d.chance(10) else d.choice([2**28, 2**24 + 1, 2**32 - 1, 8])
    return pointer(d, IOVS, 4), count


def subscriptions_param(d: Draw, ops: list) -> tuple[int, int, int]:
    n = d.int(0, 3)
    subs = b""
    for i in range(n):
        userdata = d.choice([0, i + 1, 2**64 - 1])
        tag = d.int(0, 2) if not d.chance(10) else 3
        payload = bytearray(40)
        if tag == 0:
            clock = d.int(0, 1) if d.chance(2) else d.int(0, 4)
            timeout = d.int(0, 5_000_000) if d.chance(2) else d.choice(
                [1_700_000_000_000_000_000, 1_000_000_000, 2**64 - 1])
            flags = d.choice([0, 0, 1, 2])
            struct.pack_into("<IxxxxQQH", payload, 8, clock, timeout, 0, flags)
        else:
            struct.pack_into("<I", payload, 8, fd(d))
        payload[0] = tag
        subs += struct.pack("<Q", userdata) + bytes(payload)
    if subs:
        ops.append(("poke", SUBS, subs))
    count = n if not d.chance(10) else d.choice([2**24, 2**31, 2**32 - 1, 100])
    return pointer(d, SUBS, 8), pointer(d, EVENTS, 8), count


# --- calls ------------------------------------------------------------------------

FUNCTIONS = [f for f in spec.FUNCTIONS if f.name != "proc_exit"]
SIGNATURES = {f.name: lower(f) for f in FUNCTIONS}
# Weights: the file system calls matter most.
WEIGHT = {name: 3 for name in SIGNATURES}
for name in ("fd_write", "fd_read", "fd_pwrite", "fd_pread", "fd_seek", "fd_close",
             "path_create_directory", "path_rename", "path_unlink_file", "path_symlink", "path_link",
             "fd_filestat_set_size", "fd_readdir", "path_filestat_get", "fd_filestat_get",
             "path_remove_directory", "path_readlink"):
    WEIGHT[name] = 8
WEIGHT["path_open"] = 20
CHOICES = [name for name, w in WEIGHT.items() for _ in range(w)]
RESULT_ALIGN8 = ("timestamp", "filesize", "filestat", "fdstat")


def wild_call(d: Draw, ops: list) -> None:
    """Append one call with arguments drawn blind from their types (and the
    pokes preparing its memory) to `ops`: mostly errors, as issue #18 found —
    the deliberately bad share of a program."""
    name = d.choice(CHOICES)
    params = SIGNATURES[name].params
    args: list[int] = [0] * len(params)
    slot = res_slot = i = 0
    while i < len(params):
        p = params[i]
        tname = name_of(p.spec_type) if p.spec_type is not None else ""
        if p.role == "pointer" and tname == "string":
            args[i], args[i + 1] = string_param(d, slot, ops)
            slot += 1
            i += 2
            continue
        if p.role == "pointer" and tname in ("iovec_array", "ciovec_array"):
            args[i], args[i + 1] = iovec_param(d, ops, tname == "ciovec_array")
            i += 2
            continue
        if name == "poll_oneoff" and p.name == "in":
            args[i], args[i + 1], args[i + 2] = subscriptions_param(d, ops)
            i += 3
            continue
        if p.role == "pointer":
            if tname == "pointer<pointer<u8>>":
                args[i] = pointer(d, RES, 4)
            elif p.name.endswith("_buf"):
                args[i] = pointer(d, STRINGS)
            else:
                args[i] = pointer(d, BUFS)
        elif p.role == "result":
            args[i] = pointer(d, RES + 16 * res_slot, 8 if tname in RESULT_ALIGN8 else 4)
            res_slot += 1
        elif tname == "size":
            k = d.int(0, 5)
            args[i] = d.int(0, 64) if k <= 2 else d.int(0, 300) if k <= 4 else d.choice(
                [0x3000, 0x10000, 2**31, 2**32 - 1])
        else:
            args[i] = scalar(d, p.spec_type)
        i += 1
    ops.append((name, [_signed(a, 64 if p.type == "i64" else 32) for a, p in zip(args, params)]))


# --- state-aware calls (issue #18) -------------------------------------------------
#
# Most calls are drawn against the state the program has built so far: the
# generator runs each call on the reference host as it draws it (`PyRun`)
# and looks at the result — which descriptors are open and what they are,
# which names exist in each open directory, which are files, directories,
# symlinks — so a call gets a live descriptor of the kind it needs and an
# existing name (or a fresh one where it creates), flags that make sense
# together and buffers in bounds. A tunable share (`bad`) of calls is drawn
# blind instead (`wild_call`), for the error paths.

from refhost.fd_table import DirectoryDescriptor, FileDescriptor, StdinDescriptor, StdoutDescriptor  # noqa: E402
from refhost.vfs.inode import Directory, File, Symlink  # noqa: E402

BAD_SHARE = 0.2    # calls drawn blind (`--bad` of `make fuzz`)

O_CREAT, O_DIRECTORY, O_EXCL, O_TRUNC = 1, 2, 4, 8
FD_APPEND, FD_NONBLOCK = 1, 4
FOLLOW = 1
ATIM, ATIM_NOW, MTIM, MTIM_NOW = 1, 2, 4, 8
FRESH = ["new", "n2", "n3", "a", "b", "c.txt"]
SANE_WEIGHT = {name: 2 for name in SIGNATURES}
SANE_WEIGHT.update({
    "path_open": 14, "fd_close": 6, "fd_write": 7, "fd_read": 7, "fd_pwrite": 6, "fd_pread": 6,
    "fd_seek": 5, "fd_tell": 3, "fd_filestat_set_size": 4, "fd_readdir": 5, "fd_filestat_get": 4,
    "path_create_directory": 5, "path_rename": 6, "path_unlink_file": 5, "path_symlink": 4,
    "path_link": 5, "path_filestat_get": 5, "path_remove_directory": 4, "path_readlink": 4,
    "poll_oneoff": 3, "fd_renumber": 2, "proc_raise": 1, "sock_accept": 1, "sock_recv": 1,
    "sock_send": 1, "sock_shutdown": 1, "fd_allocate": 1, "fd_fdstat_set_rights": 1,
})
SANE_CHOICES = [name for name, w in SANE_WEIGHT.items() for _ in range(w)]


class State:
    """What a program has built, read from the reference host running it."""

    def __init__(self, run) -> None:
        self.run = run

    @property
    def fds(self) -> dict:
        return self.run.wasi.runtime.fds.used

    def of(self, *kinds, writable=None, readable=None) -> list[int]:
        out = []
        for fd, desc in sorted(self.fds.items()):
            if not isinstance(desc, kinds):
                continue
            if writable is not None and getattr(desc, "writable", True) != writable:
                continue
            if readable is not None and getattr(desc, "readable", True) != readable:
                continue
            out.append(fd)
        return out

    def opened(self) -> list[int]:
        """Descriptors the program opened (not stdio, not preopens)."""
        return [fd for fd, desc in sorted(self.fds.items())
                if isinstance(desc, FileDescriptor)
                or (isinstance(desc, DirectoryDescriptor) and desc.preopen_path is None)]


def _entries(dir_inode, d: Draw, want=None, depth: int = 2) -> list[tuple[str, object]]:
    """(relative path, inode) pairs under a directory, a level or two deep."""
    out = []
    for name, child in list(dir_inode.entries.items()):
        if want is None or isinstance(child, want):
            out.append((name, child))
        if depth > 1 and isinstance(child, Directory):
            out += [(f"{name}/{sub}", c) for sub, c in _entries(child, d, want, depth - 1)]
    return out


def live_fd(d: Draw, st: State, *kinds, **kw) -> int:
    fds = st.of(*kinds, **kw) or st.of(*kinds) or sorted(st.fds) or [3]
    return d.choice(fds)


def dir_fd(d: Draw, st: State) -> int:
    return live_fd(d, st, DirectoryDescriptor)


def existing(d: Draw, st: State, fd: int, want=None) -> str:
    desc = st.fds.get(fd)
    if not isinstance(desc, DirectoryDescriptor):
        return d.choice(NAMES)
    found = _entries(desc.inode, d, want) or _entries(desc.inode, d)
    return d.choice(found)[0] if found else d.choice(FRESH)


def fresh(d: Draw, st: State, fd: int) -> str:
    desc = st.fds.get(fd)
    if not isinstance(desc, DirectoryDescriptor):
        return d.choice(FRESH)
    subdirs = [""] + [p + "/" for p, _ in _entries(desc.inode, d, Directory, 1)]
    where = subdirs[0] if d.int(0, 2) else d.choice(subdirs)
    return where + d.choice(FRESH)


def put_path(ops: list, slot: int, path: str) -> tuple[int, int]:
    data = path.encode()
    addr = PATHS + slot * PATH_SLOT
    ops.append(("poke", addr, data))
    return addr, len(data)


def put_iovecs(d: Draw, ops: list, writing: bool, total: int = 40) -> tuple[int, int]:
    n = d.int(1, 3)
    entries = []
    for i in range(n):
        length = d.int(0, total)
        entries.append((BUFS + 0x400 * i, length))
        if writing and length:
            ops.append(("poke", BUFS + 0x400 * i, bytes((i * 31 + j) & 0xFF for j in range(length))))
    ops.append(("poke", IOVS, b"".join(struct.pack("<II", p, n_) for p, n_ in entries)))
    return IOVS, n


def times(d: Draw) -> tuple[int, int, int]:
    flags = d.choice([ATIM | MTIM, ATIM, MTIM, ATIM_NOW | MTIM_NOW, ATIM_NOW, MTIM | ATIM_NOW, 0])
    return d.choice([0, 1, 1_000_000_000]), d.choice([5, 2_000_000_000]), flags


def sane_call(d: Draw, st: State, ops: list) -> None:
    """Append one call drawn against the state (and its pokes) to `ops`."""
    name = d.choice(SANE_CHOICES)
    files = st.of(FileDescriptor)
    if name in ("fd_close", "fd_renumber") and not st.opened():
        name = "path_open"
    if name in ("fd_pread", "fd_pwrite", "fd_seek", "fd_tell", "fd_filestat_set_size", "fd_advise",
                "fd_sync", "fd_datasync", "fd_fdstat_set_flags", "fd_allocate") and not files:
        name = "path_open"
    res = RES
    if name in ("args_get", "environ_get"):
        args = [RES, STRINGS]
    elif name in ("args_sizes_get", "environ_sizes_get"):
        args = [RES, RES + 16]
    elif name == "clock_res_get":
        args = [d.choice([0, 1, 0, 1, 2, 3]), res]
    elif name == "clock_time_get":
        args = [d.choice([0, 1, 0, 1, 2, 3]), d.choice([0, 1, 1000]), res]
    elif name == "fd_advise":
        args = [live_fd(d, st, FileDescriptor), d.int(0, 100), d.int(0, 100), d.int(0, 5)]
    elif name == "fd_allocate":
        args = [live_fd(d, st, FileDescriptor), d.int(0, 100), d.int(1, 100)]
    elif name == "fd_close":
        args = [d.choice(st.opened())]
    elif name in ("fd_datasync", "fd_sync"):
        args = [live_fd(d, st, FileDescriptor)]
    elif name in ("fd_fdstat_get", "fd_filestat_get"):
        args = [d.choice(sorted(st.fds) or [3]), res]
    elif name == "fd_fdstat_set_flags":
        args = [live_fd(d, st, FileDescriptor), d.choice([0, FD_APPEND, FD_NONBLOCK, FD_APPEND | FD_NONBLOCK])]
    elif name == "fd_fdstat_set_rights":
        args = [live_fd(d, st, FileDescriptor, DirectoryDescriptor), R_READ, 0]
    elif name == "fd_filestat_set_size":
        args = [live_fd(d, st, FileDescriptor, writable=True), d.int(0, 100)]
    elif name == "fd_filestat_set_times":
        args = [live_fd(d, st, FileDescriptor, DirectoryDescriptor), *times(d)]
    elif name in ("fd_pread", "fd_read"):
        kinds = (FileDescriptor,) if name == "fd_pread" or d.int(0, 4) else (StdinDescriptor,)
        fd = live_fd(d, st, *kinds, readable=True)
        iovs, n = put_iovecs(d, ops, False)
        args = [fd, iovs, n, d.int(0, 30), res] if name == "fd_pread" else [fd, iovs, n, res]
    elif name in ("fd_pwrite", "fd_write"):
        kinds = (FileDescriptor,) if name == "fd_pwrite" or d.int(0, 4) else (StdoutDescriptor,)
        fd = live_fd(d, st, *kinds, writable=True)
        iovs, n = put_iovecs(d, ops, True)
        args = [fd, iovs, n, d.int(0, 60), res] if name == "fd_pwrite" else [fd, iovs, n, res]
    elif name == "fd_prestat_get":
        args = [d.choice([3, 4, 3, 4, 0, 5]), res]
    elif name == "fd_prestat_dir_name":
        fd = d.choice([3, 4, 3, 4, 5])
        args = [fd, BUFS, d.choice([8, 8, 1, 32])]
    elif name == "fd_readdir":
        args = [dir_fd(d, st), BUFS, d.choice([0, 24, 64, 200, 600, 0x1000]), d.choice([0, 0, 1, 2, 3, 7]), res]
    elif name == "fd_renumber":
        opened = st.opened()
        args = [d.choice(opened), d.choice(opened)]
    elif name == "fd_seek":
        args = [live_fd(d, st, FileDescriptor), d.choice([0, 1, 5, 13, 100, -1, -5]) & (2**64 - 1), d.int(0, 2), res]
    elif name == "fd_tell":
        args = [live_fd(d, st, FileDescriptor), res]
    elif name == "path_create_directory":
        fd = dir_fd(d, st)
        args = [fd, *put_path(ops, 0, fresh(d, st, fd) if d.int(0, 4) else existing(d, st, fd))]
    elif name in ("path_filestat_get", "path_filestat_set_times"):
        fd = dir_fd(d, st)
        flags = d.choice([FOLLOW, 0])
        path = put_path(ops, 0, existing(d, st, fd) if d.int(0, 5) else fresh(d, st, fd))
        args = [fd, flags, *path, res] if name == "path_filestat_get" else [fd, flags, *path, *times(d)]
    elif name == "path_link":
        old, new = dir_fd(d, st), dir_fd(d, st)
        args = [old, d.choice([0, 0, FOLLOW]), *put_path(ops, 0, existing(d, st, old, (File, Symlink))),
                new, *put_path(ops, 1, fresh(d, st, new) if d.int(0, 4) else existing(d, st, new))]
    elif name == "path_open":
        args = path_open_args(d, st, ops)
    elif name == "path_readlink":
        fd = dir_fd(d, st)
        args = [fd, *put_path(ops, 0, existing(d, st, fd, Symlink)), BUFS, d.choice([64, 64, 3, 0]), res]
    elif name == "path_remove_directory":
        fd = dir_fd(d, st)
        args = [fd, *put_path(ops, 0, existing(d, st, fd, Directory))]
    elif name == "path_rename":
        old, new = dir_fd(d, st), dir_fd(d, st)
        args = [old, *put_path(ops, 0, existing(d, st, old)),
                new, *put_path(ops, 1, fresh(d, st, new) if d.int(0, 3) else existing(d, st, new))]
    elif name == "path_symlink":
        fd = dir_fd(d, st)
        target = existing(d, st, fd) if d.int(0, 3) else d.choice(["missing", "../x", "d/in.txt", "."])
        args = [*put_path(ops, 0, target), fd, *put_path(ops, 1, fresh(d, st, fd))]
    elif name == "path_unlink_file":
        fd = dir_fd(d, st)
        args = [fd, *put_path(ops, 0, existing(d, st, fd, (File, Symlink)))]
    elif name == "poll_oneoff":
        args = poll_args(d, st, ops)
    elif name == "proc_raise":
        args = [d.int(0, 30)]
    elif name == "sched_yield":
        args = []
    elif name == "random_get":
        args = [BUFS, d.int(0, 64)]
    elif name == "sock_accept":
        args = [d.choice(sorted(st.fds) or [3]), 0, res]
    elif name == "sock_recv":
        iovs, n = put_iovecs(d, ops, False)
        args = [d.choice(sorted(st.fds) or [3]), iovs, n, 0, res, res + 16]
    elif name == "sock_send":
        iovs, n = put_iovecs(d, ops, True)
        args = [d.choice(sorted(st.fds) or [3]), iovs, n, 0, res]
    elif name == "sock_shutdown":
        args = [d.choice(sorted(st.fds) or [3]), d.int(1, 3)]
    else:
        raise AssertionError(name)
    params = SIGNATURES[name].params
    ops.append((name, [_signed(a, 64 if p.type == "i64" else 32) for a, p in zip(args, params)]))


def path_open_args(d: Draw, st: State, ops: list) -> list[int]:
    fd = dir_fd(d, st)
    desc = st.fds.get(fd)
    k = d.int(0, 9)
    if k <= 3 or not isinstance(desc, DirectoryDescriptor):
        path = fresh(d, st, fd)
        oflags = d.choice([O_CREAT, O_CREAT, O_CREAT | O_EXCL, O_CREAT | O_TRUNC])
        rights = R_READ | R_WRITE
    elif k <= 7:
        path = existing(d, st, fd, (File, Symlink))
        oflags = d.choice([0, 0, O_TRUNC, O_CREAT])
        rights = d.choice([R_READ, R_WRITE, R_READ | R_WRITE, R_READ | R_WRITE])
    else:
        path = existing(d, st, fd, Directory)
        oflags = d.choice([O_DIRECTORY, 0])
        rights = R_READ
    fdflags = d.choice([0, 0, 0, FD_APPEND, FD_NONBLOCK])
    return [fd, d.choice([FOLLOW, FOLLOW, 0]), *put_path(ops, 0, path), oflags, rights, rights, fdflags, RES]


def poll_args(d: Draw, st: State, ops: list) -> list[int]:
    subs = b""
    for i in range(d.int(1, 3)):
        payload = bytearray(40)
        tag = d.int(0, 2)
        if tag == 0:
            struct.pack_into("<IxxxxQQH", payload, 8, d.int(0, 1), d.choice([0, 1, 1000, 20_000]), 0, 0)
        else:  # fd_read on a readable descriptor, fd_write on a writable one
            fds = st.of(FileDescriptor) + ([0] if tag == 1 else [1, 2])
            struct.pack_into("<I", payload, 8, d.choice(fds))
        payload[0] = tag
        subs += struct.pack("<Q", i + 1) + bytes(payload)
    ops.append(("poke", SUBS, subs))
    return [SUBS, EVENTS, len(subs) // 48, RES]


def generate(d: Draw, setup: dict, min_calls: int = 1, max_calls: int = 40,
             bad: float = BAD_SHARE, native: bool = False) -> tuple[list, "PyRun"]:
    """A program and the reference host's run of it (done while drawing).
    `native`: for the wasmtime sample (fuzz/native.py) — no blind
    `poll_oneoff` (its clocks would really wait, up to forever)."""
    from .harness import PyRun

    run = PyRun(setup)
    st = State(run)
    ops: list = []
    pct = round(bad * 100)
    for _ in range(d.int(min_calls, max_calls)):
        step: list = []
        if d.int(0, 99) < pct:
            wild_call(d, step)
            if native and step[-1][0] == "poll_oneoff":
                step = []
                sane_call(d, st, step)
        else:
            sane_call(d, st, step)
        for op in step:
            run.op(op)
        ops += step
    return ops, run


def program(d: Draw, min_calls: int = 1, max_calls: int = 40, bad: float = BAD_SHARE,
            setup: dict | None = None) -> list:
    return generate(d, setup or base_setup(), min_calls, max_calls, bad)[0]


@st.composite
def programs(draw, min_calls: int = 1, max_calls: int = 40, bad: float = BAD_SHARE) -> list:
    """The hypothesis strategy: a program drawn value by value (so it shrinks)."""
    return program(HypothesisDraw(_Data(draw)), min_calls, max_calls, bad)


class _Data:
    """`draw` of st.composite, with the `data.draw` shape HypothesisDraw expects."""

    def __init__(self, draw) -> None:
        self.draw = draw
