"""Hypothesis strategies: programs of raw preview1 calls for the fuzzer.

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

from hypothesis import strategies as st

from wasi_polyfill import spec
from wasi_polyfill.spec.abi import lower
from wasi_polyfill.spec.model import Builtin, Enum, Flags, Handle, name_of, resolve

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


def base_setup(limits: dict | None = None) -> dict:
    return {"pages": 1, "stdin": b"line one\nline two\n".hex(), "tree": TREE,
            "preopens": PREOPENS, "args": ["fuzz", "arg"], "env": {"K": "v"},
            "limits": limits or {}}


# --- scalar values ----------------------------------------------------------------

def _signed(v: int, bits: int) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


BOUNDARIES64 = [0, 1, 2, 7, 8, 13, 100, 4095, 4096, 65536, 2**31 - 1, 2**31, 2**32 - 1, 2**32,
                2**53 - 1, 2**53, 2**53 + 1, 2**62, 2**63 - 1, 2**63, 2**64 - 1, 2**64 - 13]
BOUNDARIES32 = [0, 1, 2, 3, 8, 64, 255, 256, 4096, 65535, 65536, 65537, 2**24, 2**24 + 1,
                2**28, 2**31 - 1, 2**31, 2**32 - 1]

u32 = st.integers(0, 2**32 - 1)
u64 = st.integers(0, 2**64 - 1)


def wide(bits: int) -> st.SearchStrategy[int]:
    small = st.integers(0, 64)
    b = BOUNDARIES64 if bits == 64 else BOUNDARIES32
    return st.one_of(small, st.sampled_from(b), st.integers(0, 2**bits - 1))


def fds() -> st.SearchStrategy[int]:
    return st.one_of(st.integers(0, 9), st.integers(0, 9), st.integers(0, 9),
                     st.sampled_from([10, 64, 2**31 - 1, 2**32 - 1]))


def flags_value(t: Flags) -> st.SearchStrategy[int]:
    mask = (1 << len(t.flags)) - 1
    valid = st.integers(0, mask).map(lambda v: v & mask)
    invalid = st.integers(len(t.flags), t.repr.size * 8 - 1).map(lambda b: 1 << b)
    return st.one_of(valid, valid, valid, valid, valid, valid, valid, valid, valid,
                     st.tuples(valid, invalid).map(lambda p: p[0] | p[1]))


RIGHTS_MASK = (1 << len(spec.RIGHTS.flags)) - 1
R_READ, R_WRITE = 1 << 1, 1 << 6


def rights() -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from([0, R_READ, R_WRITE, R_READ | R_WRITE, RIGHTS_MASK]),
                     st.integers(0, RIGHTS_MASK),
                     st.sampled_from([1 << 30, 1 << 63]))


def enum_value(t: Enum) -> st.SearchStrategy[int]:
    n = len(t.cases)
    return st.one_of(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(0, n - 1),
                     st.integers(0, n - 1), st.sampled_from([n, 255, 256, 2**32 - 1]))


def scalar(t) -> st.SearchStrategy[int]:
    """A raw value for a scalar spec type (unsigned; made signed later)."""
    name = name_of(t)
    r = resolve(t)
    if isinstance(r, Handle):
        return fds()
    if name == "rights":
        return rights()
    if isinstance(r, Flags):
        return flags_value(r)
    if isinstance(r, Enum):
        return enum_value(r)
    if name == "filedelta":
        return st.one_of(st.integers(-20, 20), st.sampled_from([-(2**63), 2**63 - 1, 2**53, -(2**53)]),
                         wide(64)).map(lambda v: v & (2**64 - 1))
    if name == "timestamp":
        return st.one_of(st.sampled_from([0, 1, 1_700_000_000_000_000_000, 1_000_000_000]), wide(64))
    assert isinstance(r, Builtin), t
    return wide(r.size * 8)


# --- pointers and memory ----------------------------------------------------------

def pointer(good: int, align: int = 1) -> st.SearchStrategy[int]:
    return st.one_of(*[st.just(good)] * 12,
                     st.integers(1, 7).map(lambda k: good + k if align > 1 else PAGE - k),
                     st.integers(0, 64).map(lambda k: PAGE - k),
                     u32)


# Path components: names of the tree and of things calls create, and corners.
NAMES = ["f.txt", "d", "in.txt", "sub", "empty", "z", "lf", "ld", "dangling", "escape", "loop",
         "g", "new", "n2", "."]
CORNERS = ["", "..", "/", "/abs", "d/", "d/.", "d/..", "f.txt/", "lf/", "ld/", "d//in.txt",
           "../0/f.txt", "d/../f.txt", "x\x00y", "n" * 255, "n" * 256, "ü", "d/sub/../../f.txt",
           "./new", "new/", "..//", "ld/in.txt"]


@st.composite
def path_bytes(draw) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from(CORNERS)).encode()
    if kind == 1:
        return draw(st.sampled_from([b"\xff", b"d/\xc3", b"\xed\xa0\x80", b"f.txt\xfe"]))
    parts = draw(st.lists(st.sampled_from(NAMES + ["..", "d", "new"]), min_size=1, max_size=3))
    p = "/".join(parts)
    if kind == 2:
        p += "/"
    return p.encode()


@st.composite
def string_param(draw, slot: int, ops: list) -> tuple[int, int]:
    """Write a path into slot `slot`; its (ptr, len), sometimes bent."""
    data = draw(path_bytes())
    addr = PATHS + slot * PATH_SLOT
    ops.append(("poke", addr, data))
    how = draw(st.integers(0, 19))
    if how == 0:
        return PAGE - draw(st.integers(0, 4)), len(data)
    if how == 1:
        return addr, draw(st.sampled_from([len(data) + 1, PATH_SLOT, 2**31, 2**32 - 1, 2**27 + 1]))
    if how == 2:
        return draw(u32), len(data)
    return addr, len(data)


@st.composite
def iovec_param(draw, ops: list, writing: bool) -> tuple[int, int]:
    n = draw(st.integers(0, 3))
    entries = []
    for i in range(n):
        length = draw(st.one_of(st.integers(0, 40), st.integers(0, 40), st.just(0),
                                st.sampled_from([0x1000, 0x2fff, 2**31, 2**32 - 1])))
        ptr = draw(st.one_of(*[st.just(BUFS + 0x400 * i)] * 8, st.integers(0, 32).map(lambda k: PAGE - k), u32))
        entries.append((ptr, length))
        if writing and ptr == BUFS + 0x400 * i:
            data = draw(st.binary(min_size=0, max_size=min(length, 40)))
            if data:
                ops.append(("poke", ptr, data))
    ops.append(("poke", IOVS, b"".join(struct.pack("<II", p, n_) for p, n_ in entries) or b"\0" * 8))
    count = draw(st.one_of(*[st.just(n)] * 10, st.sampled_from([2**28, 2**24 + 1, 2**32 - 1, 8])))
    ptr = draw(pointer(IOVS, 4))
    return ptr, count


@st.composite
def subscriptions_param(draw, ops: list) -> tuple[int, int, int]:
    n = draw(st.integers(0, 3))
    subs = b""
    for i in range(n):
        userdata = draw(st.sampled_from([0, i + 1, 2**64 - 1]))
        tag = draw(st.one_of(st.integers(0, 2), st.integers(0, 2), st.just(3)))
        payload = bytearray(40)
        if tag == 0:
            clock = draw(st.one_of(st.integers(0, 1), st.integers(0, 4)))
            timeout = draw(st.one_of(st.integers(0, 5_000_000), st.sampled_from(
                [1_700_000_000_000_000_000, 1_000_000_000, 2**64 - 1])))
            flags = draw(st.sampled_from([0, 0, 1, 2]))
            struct.pack_into("<IxxxxQQH", payload, 8, clock, timeout, 0, flags)
        else:
            struct.pack_into("<I", payload, 8, draw(fds()))
        payload[0] = tag
        subs += struct.pack("<Q", userdata) + bytes(payload)
    if subs:
        ops.append(("poke", SUBS, subs))
    count = draw(st.one_of(*[st.just(n)] * 10, st.sampled_from([2**24, 2**31, 2**32 - 1, 100])))
    return draw(pointer(SUBS, 8)), draw(pointer(EVENTS, 8)), count


# --- calls ------------------------------------------------------------------------

FUNCTIONS = [f for f in spec.FUNCTIONS if f.name != "proc_exit"]
SIGNATURES = {f.name: lower(f) for f in FUNCTIONS}
# Weights: the file system calls matter most.
WEIGHT = {name: 3 for name in SIGNATURES}
for name in ("path_open", "fd_write", "fd_read", "fd_pwrite", "fd_pread", "fd_seek", "fd_close",
             "path_create_directory", "path_rename", "path_unlink_file", "path_symlink", "path_link",
             "fd_filestat_set_size", "fd_readdir", "path_filestat_get", "fd_filestat_get",
             "path_remove_directory", "path_readlink"):
    WEIGHT[name] = 8
for name in ("path_open",):
    WEIGHT[name] = 16
CHOICES = [name for name, w in WEIGHT.items() for _ in range(w)]


@st.composite
def call(draw, ops: list) -> None:
    name = draw(st.sampled_from(CHOICES))
    sig = SIGNATURES[name]
    params = sig.params
    args: list[int] = [0] * len(params)
    slot = 0
    res_slot = 0
    i = 0
    poll = name == "poll_oneoff"
    while i < len(params):
        p = params[i]
        t = resolve(p.spec_type) if p.spec_type is not None else None
        tname = name_of(p.spec_type) if p.spec_type is not None else ""
        if p.role == "pointer" and tname == "string":
            args[i], args[i + 1] = draw(string_param(slot, ops))
            slot += 1
            i += 2
            continue
        if p.role == "pointer" and tname in ("iovec_array", "ciovec_array"):
            args[i], args[i + 1] = draw(iovec_param(ops, tname == "ciovec_array"))
            i += 2
            continue
        if poll and p.name == "in":
            a, b, c = draw(subscriptions_param(ops))
            args[i], args[i + 1], args[i + 2] = a, b, c
            i += 3
            continue
        if p.role == "pointer":
            if tname == "pointer<pointer<u8>>":
                args[i] = draw(pointer(RES, 4))
            elif p.name.endswith("_buf"):
                args[i] = draw(pointer(STRINGS))
            else:
                args[i] = draw(pointer(BUFS))
        elif p.role == "result":
            align = 8 if tname in ("timestamp", "filesize", "filestat", "fdstat") else 4
            args[i] = draw(pointer(RES + 16 * res_slot, align))
            res_slot += 1
        elif tname == "size":
            args[i] = draw(st.one_of(st.integers(0, 64), st.integers(0, 300),
                                     st.sampled_from([0x3000, 0x10000, 2**31, 2**32 - 1])))
        else:
            args[i] = draw(scalar(p.spec_type))
        i += 1
    args = [_signed(a, 64 if p.type == "i64" else 32) for a, p in zip(args, params)]
    ops.append((name, args))


@st.composite
def programs(draw, min_calls: int = 1, max_calls: int = 40) -> list:
    n = draw(st.integers(min_calls, max_calls))
    ops: list = []
    for _ in range(n):
        draw(call(ops))
    return ops
