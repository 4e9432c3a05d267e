"""The reference host against native wasmtime, call by call.

Each scenario makes raw preview1 calls through the probe module (see
refhost_probe.py) and returns what it observed: errnos, fd numbers, bytes
read, memory images around results (canary bytes 0xAA), the final tree.
It runs on wasmtime (over a real directory) and on the reference host (over
a MemFS loaded from the same tree); the observations must be equal.
Inode numbers, device numbers of files and timestamps are left out (they
differ by nature); directory listings are sorted (host order is not ours).
"""

from __future__ import annotations

import struct

import pytest

from refhost_probe import BASIC, TRAP, RefhostProbe, WasmtimeProbe

from refhost.constants import FDFLAGS, FSTFLAGS, LOOKUPFLAGS, OFLAGS, RIGHTS

FOLLOW = LOOKUPFLAGS.symlink_follow
R, W = RIGHTS.fd_read, RIGHTS.fd_write
RW = R | W | RIGHTS.fd_seek | RIGHTS.fd_tell
PATH, RES, IOV, BUF = 0x1000, 0x2000, 0x3000, 0x4000
CANARY = b"\xaa"


def canary(p, addr, n):
    p.put(addr, CANARY * n)


def open_(p, path, oflags=0, rights=RW, fdflags=0, dirflags=FOLLOW, dirfd=3):
    a, n = p.s(PATH, path)
    e = p.call("path_open", dirfd, dirflags, a, n, oflags, rights, 0, fdflags, RES)
    return e, (p.u32(RES) if e == 0 else None)


def write(p, fd, data, offset=None):
    p.s(BUF, data)
    p.put(IOV, struct.pack("<II", BUF, len(data)))
    canary(p, RES, 8)
    if offset is None:
        e = p.call("fd_write", fd, IOV, 1, RES)
    else:
        e = p.call("fd_pwrite", fd, IOV, 1, offset, RES)
    return e, p.mem(RES, 8)


def read(p, fd, n, offset=None):
    canary(p, BUF, n + 4)
    p.put(IOV, struct.pack("<II", BUF, n))
    canary(p, RES, 8)
    if offset is None:
        e = p.call("fd_read", fd, IOV, 1, RES)
    else:
        e = p.call("fd_pread", fd, IOV, 1, offset, RES)
    got = p.u32(RES) if e == 0 else 0
    return e, p.mem(RES, 8), p.mem(BUF, n + 4)


def fdstat(p, fd):
    if fd is None:
        return None
    canary(p, RES, 32)
    e = p.call("fd_fdstat_get", fd, RES)
    return e, p.mem(RES, 32)


def filestat_fields(p, addr):
    dev, ino, ft, nlink, size = struct.unpack_from("<QQB7xQQ", p.mem(addr, 40))
    if ft == 3:   # a directory's size: ext4's 4096 on wasmtime, 0 here (RATIONALE "fd_filestat_get and stat")
        size = "dir"
    return {"filetype": ft, "nlink": nlink, "size": size}


def fstat(p, fd):
    canary(p, RES, 72)
    e = p.call("fd_filestat_get", fd, RES)
    return e, (filestat_fields(p, RES) if e == 0 else p.mem(RES, 72))


def pstat(p, path, flags=FOLLOW, fd=3):
    a, n = p.s(PATH, path)
    canary(p, RES, 72)
    e = p.call("path_filestat_get", fd, flags, a, n, RES)
    return e, (filestat_fields(p, RES) if e == 0 else p.mem(RES, 72))


def readdir_names(p, fd, buf_len=4096, cookie=0):
    canary(p, BUF, buf_len + 8)
    canary(p, RES, 8)
    e = p.call("fd_readdir", fd, BUF, buf_len, cookie, RES)
    if e != 0:
        return e, None
    used = p.u32(RES)
    data = p.mem(BUF, used)
    out, off = [], 0
    while off + 24 <= used:
        d_next, d_ino, namlen, d_type = struct.unpack_from("<QQIB", data, off)
        name = data[off + 24: off + 24 + namlen]
        out.append((name, d_type))
        off += 24 + namlen
    return e, used, sorted(out), p.mem(BUF + used, 8)


def sizes(p):
    return [pstat(p, name, 0) for name in ("hello.txt", "empty.txt", "dir", "link-to-hello")]


# --- scenarios ---------------------------------------------------------------------------

def sc_args_env(p):
    obs = []
    canary(p, RES, 16)
    obs.append(p.call("args_sizes_get", RES, RES + 4))
    obs.append(p.mem(RES, 16))
    canary(p, BUF, 64)
    obs.append(p.call("args_get", RES, BUF))
    obs.append(p.mem(RES, 16))
    obs.append(p.mem(BUF, 64))
    canary(p, RES, 16)
    obs.append(p.call("environ_sizes_get", RES, RES + 4))
    obs.append(p.mem(RES, 16))
    canary(p, BUF, 64)
    obs.append(p.call("environ_get", RES, BUF))
    obs.append(p.mem(RES, 16))
    obs.append(p.mem(BUF, 64))
    obs.append(p.call("args_sizes_get", RES + 1, RES + 4))     # misaligned: trap
    obs.append(p.call("args_sizes_get", RES, 65534))           # out of bounds: trap
    obs.append(p.call("args_get", 65532, BUF))
    return obs


def sc_clocks(p):
    obs = []
    for cid in range(4):
        canary(p, RES, 16)
        obs.append(p.call("clock_res_get", cid, RES))
        obs.append(p.mem(RES, 16) if cid > 1 else p.u64(RES))
        e = p.call("clock_time_get", cid, 0, RES)
        obs.append(e)
    obs.append(p.call("clock_res_get", 4, RES))       # invalid enum: trap
    obs.append(p.call("clock_time_get", 0, 0, RES + 4))  # misaligned
    obs.append(p.call("clock_time_get", 1, 0, 65530))    # oob
    return obs


def sc_stdio_fdstat(p):
    obs = []
    for fd in (0, 1, 2, 3, 4, 99):
        obs.append(fdstat(p, fd))
        obs.append(fstat(p, fd))
    return obs


def sc_prestat(p):
    obs = []
    for fd in (0, 3, 4):
        canary(p, RES, 16)
        obs.append(p.call("fd_prestat_get", fd, RES))
        obs.append(p.mem(RES, 16))
        canary(p, BUF, 16)
        for n in (0, 7, 8, 9):
            obs.append((n, p.call("fd_prestat_dir_name", fd, BUF, n), p.mem(BUF, 16)))
    obs.append(p.call("fd_prestat_get", 3, RES + 2))
    obs.append(p.call("fd_prestat_dir_name", 3, 65530, 8))
    e, fd = open_(p, "dir", rights=R)
    obs.append((e, p.call("fd_prestat_get", fd, RES), p.call("fd_prestat_dir_name", fd, BUF, 8)))
    return obs


def sc_open_paths(p):
    obs = []
    paths = ["hello.txt", "hello.txt/", "dir", "dir/", "dir//inner.txt", "./dir/./inner.txt",
             "dir/../hello.txt", "dir/sub/../../hello.txt", "..", "../sandbox/hello.txt", "/hello.txt",
             "", ".", "missing", "missing/", "dir/missing/x", "hello.txt/x",
             "link-to-hello", "link-to-hello/", "link-to-dir", "link-to-dir/", "link-to-dir/inner.txt",
             "link-up", "dangling", "dangling/", "abs-link", "escape-link", "loop-a", "self-loop",
             "loop-a/x", "emptydir/..", "emptydir/../..", "a" * 256, "a" * 255]
    for path in paths:
        for dirflags in (0, FOLLOW):
            for oflags, rights in ((0, R), (0, RW), (OFLAGS.directory, R)):
                e, fd = open_(p, path, oflags=oflags, rights=rights, dirflags=dirflags)
                st = fdstat(p, fd) if e == 0 else None
                obs.append((path, dirflags, oflags, rights, e, st))
                if e == 0:
                    p.call("fd_close", fd)
    return obs


def sc_open_create(p):
    obs = []
    C, X, T, D = OFLAGS.creat, OFLAGS.excl, OFLAGS.trunc, OFLAGS.directory
    cases = [("new.txt", C), ("new.txt", C | X), ("hello.txt", C | X), ("hello.txt", C),
             ("new2/", C), ("dir", C), ("dir", C | X), ("new3", C | D), ("dir", D | T),
             ("dangling", C), ("dir/new4", C | X), ("missingdir/new5", C), ("link-to-dir/new6", C),
             ("empty.txt", T), ("hello.txt", T), ("loop-a", C), ("escape-link", C), ("dir", T)]
    for path, oflags in cases:
        for dirflags in (FOLLOW, 0):
            e, fd = open_(p, path, oflags=oflags, rights=RW, dirflags=dirflags)
            obs.append((path, oflags, dirflags, e))
            if e == 0:
                p.call("fd_close", fd)
    e, fd = open_(p, "hello.txt", oflags=T, rights=R)
    obs.append(("trunc readonly", e))
    obs.append(p.tree())
    return obs


def sc_open_bad_args(p):
    obs = []
    a, n = p.s(PATH, "hello.txt")
    obs.append(p.call("path_open", 3, 0, a, n, 0x10, R, 0, 0, RES))            # oflags: trap
    obs.append(p.call("path_open", 3, 2, a, n, 0, R, 0, 0, RES))               # lookupflags: trap
    obs.append(p.call("path_open", 3, 0, a, n, 0, 1 << 30, 0, 0, RES))         # rights: trap
    obs.append(p.call("path_open", 3, 0, a, n, 0, R, 1 << 30, 0, RES))
    obs.append(p.call("path_open", 3, 0, a, n, 0, R, 0, 0x20, RES))            # fdflags: trap
    obs.append(p.call("path_open", 3, 0, 65530, 10, 0, R, 0, 0, RES))          # path oob
    obs.append(p.call("path_open", 3, 0, a, n, 0, R, 0, 0, RES + 1))           # result misaligned
    obs.append(p.call("path_open", 3, 0, a, n, 0, R, 0, 0, 65534))             # result oob
    obs.append(p.call("fd_close", 5))   # the open above happened before the trap? wasmtime: yes
    p.put(PATH, b"\xff\xfe")
    obs.append(p.call("path_open", 3, 0, PATH, 2, 0, R, 0, 0, RES))            # EILSEQ
    obs.append(p.call("path_open", 99, 0, a, n, 0, R, 0, 0, RES))
    obs.append(p.call("path_open", 0, 0, a, n, 0, R, 0, 0, RES))
    e, fd = open_(p, "hello.txt", rights=R)
    a, n = p.s(PATH, "x")
    obs.append(p.call("path_open", fd, 0, a, n, 0, R, 0, 0, RES))              # a file: ENOTDIR
    return obs


def sc_fd_numbers(p):
    obs = []
    fds = [open_(p, "hello.txt", rights=R)[1] for _ in range(4)]
    obs.append(fds)
    obs.append((p.call("fd_close", fds[0]), p.call("fd_close", fds[1])))
    obs.append([open_(p, "hello.txt", rights=R)[1] for _ in range(3)])
    obs.append(p.call("fd_close", fds[0]))
    obs.append(p.call("fd_renumber", fds[2], fds[0]))
    obs.append(p.call("fd_renumber", fds[2], fds[3]))
    obs.append(p.call("fd_renumber", fds[3], 99))
    obs.append(p.call("fd_renumber", 99, fds[3]))
    obs.append(p.call("fd_renumber", fds[3], fds[3]))
    obs.append([open_(p, "hello.txt", rights=R)[1] for _ in range(3)])
    obs.append(p.call("fd_close", 3))
    obs.append(open_(p, "hello.txt", rights=R, dirfd=3))
    obs.append(p.call("fd_close", 0))
    obs.append(fdstat(p, 0))
    obs.append(p.call("fd_renumber", 1, 0))
    obs.append((fdstat(p, 0), fdstat(p, 1)))
    return obs


def sc_read_write(p):
    obs = []
    e, fd = open_(p, "hello.txt", rights=RW)
    obs.append(read(p, fd, 5))
    obs.append(read(p, fd, 100))
    obs.append(read(p, fd, 100))
    obs.append(read(p, fd, 4, offset=7))
    obs.append(read(p, fd, 4, offset=100))
    canary(p, RES, 16)
    obs.append((p.call("fd_tell", fd, RES), p.mem(RES, 16)))
    obs.append(write(p, fd, "XY"))
    obs.append(write(p, fd, "abc", offset=1))
    obs.append(write(p, fd, "far", offset=20))
    for off, whence in ((0, 0), (-1, 0), (3, 0), (2, 1), (-100, 1), (0, 2), (-2, 2), (5, 2), (-100, 2)):
        canary(p, RES, 16)
        obs.append((off, whence, p.call("fd_seek", fd, off, whence, RES), p.mem(RES, 16)))
    obs.append(p.call("fd_seek", fd, 0, 3, RES))     # whence: trap
    obs.append(p.call("fd_seek", fd, 0, 0, RES + 4))  # misaligned filesize
    obs.append(read(p, fd, 100, offset=0))
    obs.append(fstat(p, fd))
    # read-only / write-only
    e, ro = open_(p, "dir/inner.txt", rights=R)
    obs.append(write(p, ro, "no"))
    obs.append(write(p, ro, "no", offset=0))
    e, wo = open_(p, "dir/inner.txt", rights=W)
    obs.append(read(p, wo, 4))
    obs.append(read(p, wo, 4, offset=0))
    obs.append(write(p, wo, "WO"))
    # stdio and dirs
    obs.append(read(p, 0, 10))
    obs.append(read(p, 0, 10, offset=0))
    obs.append(write(p, 1, "to stdout\n"))
    obs.append(write(p, 1, "x", offset=0))
    obs.append(write(p, 0, "x"))
    obs.append(read(p, 1, 4))
    obs.append(read(p, 3, 4))
    obs.append(write(p, 3, "x"))
    obs.append(read(p, 3, 4, offset=0))
    obs.append(p.call("fd_seek", 1, 0, 1, RES))
    obs.append(p.call("fd_seek", 3, 0, 1, RES))
    obs.append(p.call("fd_tell", 0, RES))
    obs.append(p.call("fd_tell", 3, RES))
    obs.append(p.stdout())
    obs.append(p.tree())
    return obs


def sc_iovecs(p):
    obs = []
    e, fd = open_(p, "hello.txt", rights=RW)
    # several iovecs: only the first non-empty one is used
    p.put(IOV, struct.pack("<IIIIII", BUF, 0, BUF + 100, 3, BUF + 200, 4))
    canary(p, BUF, 300)
    canary(p, RES, 8)
    obs.append((p.call("fd_read", fd, IOV, 3, RES), p.mem(RES, 8), p.mem(BUF, 8), p.mem(BUF + 100, 8), p.mem(BUF + 200, 8)))
    p.s(BUF + 100, "QQQ")
    obs.append((p.call("fd_write", fd, IOV, 3, RES), p.mem(RES, 8)))
    obs.append((p.call("fd_write", fd, IOV, 0, RES), p.mem(RES, 8)))
    p.put(IOV, struct.pack("<IIII", BUF, 0, BUF, 0))
    obs.append((p.call("fd_read", fd, IOV, 2, RES), p.mem(RES, 8)))
    obs.append((p.call("fd_write", fd, IOV, 2, RES), p.mem(RES, 8)))
    # traps: iovec array out of bounds, misaligned, buffer out of bounds
    obs.append(p.call("fd_write", 1, 65532, 1, RES))
    obs.append(p.call("fd_write", 1, IOV + 2, 1, RES))
    p.put(IOV, struct.pack("<II", 65530, 10))
    obs.append(p.call("fd_write", 1, IOV, 1, RES))
    obs.append(p.call("fd_read", fd, IOV, 1, RES))
    obs.append(p.call("fd_write", 99, IOV, 1, RES))       # bad fd and bad buffer
    p.put(IOV, struct.pack("<II", BUF, 4))
    obs.append(p.call("fd_write", 1, IOV, 1, 65534))      # nwritten oob: after the write
    obs.append(p.call("fd_write", 1, IOV, 1, RES + 1))
    obs.append(p.stdout())
    obs.append(p.tree())
    return obs


def sc_append(p):
    obs = []
    e, fd = open_(p, "hello.txt", rights=RW, fdflags=FDFLAGS.append)
    obs.append(fdstat(p, fd))
    obs.append(write(p, fd, "A1"))
    canary(p, RES, 16)
    obs.append((p.call("fd_tell", fd, RES), p.mem(RES, 16)))
    obs.append(write(p, fd, "P", offset=0))
    obs.append((p.call("fd_tell", fd, RES), p.mem(RES, 16)))
    obs.append(p.call("fd_seek", fd, 0, 0, RES))
    obs.append(write(p, fd, "A2"))
    obs.append((p.call("fd_tell", fd, RES), p.mem(RES, 16)))
    obs.append(p.call("fd_fdstat_set_flags", fd, 0))
    obs.append(fdstat(p, fd))
    obs.append(p.call("fd_seek", fd, 0, 0, RES))
    obs.append(write(p, fd, "Z"))
    obs.append(p.call("fd_fdstat_set_flags", fd, FDFLAGS.nonblock | FDFLAGS.append))
    obs.append(fdstat(p, fd))
    for flags in (FDFLAGS.dsync, FDFLAGS.rsync, FDFLAGS.sync, 0x20):
        obs.append(p.call("fd_fdstat_set_flags", fd, flags))
    for target in (0, 1, 3, 99):
        obs.append(p.call("fd_fdstat_set_flags", target, 0))
    for flags in (FDFLAGS.dsync, FDFLAGS.rsync, FDFLAGS.sync, FDFLAGS.nonblock):
        e, fd2 = open_(p, "empty.txt", rights=RW, fdflags=flags)
        obs.append((flags, e, fdstat(p, fd2)))
        obs.append((flags, open_(p, "missing", rights=RW, fdflags=flags)))
        obs.append((flags, open_(p, "newfile", oflags=OFLAGS.creat, rights=RW, fdflags=flags)))
        obs.append((flags, open_(p, "dir", rights=R, fdflags=flags)))
    obs.append(p.tree())
    return obs


def sc_misc_fd(p):
    obs = []
    e, fd = open_(p, "hello.txt", rights=RW)
    e, dfd = open_(p, "dir", oflags=OFLAGS.directory, rights=R)
    for target in (fd, dfd, 0, 1, 3, 99):
        obs.append(("advise", target, p.call("fd_advise", target, 0, 10, 0)))
        obs.append(("allocate", target, p.call("fd_allocate", target, 0, 10)))
        obs.append(("datasync", target, p.call("fd_datasync", target)))
        obs.append(("sync", target, p.call("fd_sync", target)))
        obs.append(("set_rights", target, p.call("fd_fdstat_set_rights", target, 0, 0)))
        obs.append(("set_size", target, p.call("fd_filestat_set_size", target, 3)))
        obs.append(("set_times", target, p.call("fd_filestat_set_times", target, 0, 0, 0)))
    obs.append(p.call("fd_advise", fd, 0, 10, 6))     # advice: trap
    obs.append(p.call("fd_filestat_set_times", fd, 0, 0, 0x10))   # fstflags: trap
    obs.append(p.call("fd_filestat_set_times", fd, 0, 0, FSTFLAGS.atim | FSTFLAGS.atim_now))
    obs.append(p.call("fd_filestat_set_times", 99, 0, 0, FSTFLAGS.mtim | FSTFLAGS.mtim_now))
    obs.append(p.call("fd_fdstat_set_rights", fd, 1 << 30, 0))
    obs.append(fstat(p, fd))
    obs.append(p.call("fd_filestat_set_size", fd, 100))
    obs.append(fstat(p, fd))
    obs.append(read(p, fd, 20, offset=0))
    obs.append(p.call("fd_filestat_set_size", fd, 0))
    e, ro = open_(p, "dir/inner.txt", rights=R)
    obs.append(p.call("fd_filestat_set_size", ro, 1))
    obs.append(p.call("fd_filestat_set_size", fd, 1 << 63))
    obs.append(p.tree())
    return obs


def sc_times(p):
    obs = []
    e, fd = open_(p, "hello.txt", rights=RW)
    obs.append(p.call("fd_filestat_set_times", fd, 1_000_000_123, 2_000_000_456, FSTFLAGS.atim | FSTFLAGS.mtim))
    canary(p, RES, 72)
    p.call("fd_filestat_get", fd, RES)
    obs.append(struct.unpack_from("<QQ", p.mem(RES + 40, 16)))
    a, n = p.s(PATH, "dir")
    obs.append(p.call("path_filestat_set_times", 3, FOLLOW, a, n, 5, 6, FSTFLAGS.atim | FSTFLAGS.mtim))
    p.call("path_filestat_get", 3, FOLLOW, a, n, RES)
    obs.append(struct.unpack_from("<QQ", p.mem(RES + 40, 16)))
    a, n = p.s(PATH, "link-to-hello")
    obs.append(p.call("path_filestat_set_times", 3, FOLLOW, a, n, 7, 8, FSTFLAGS.atim | FSTFLAGS.mtim))
    p.call("path_filestat_get", 3, FOLLOW, a, n, RES)
    obs.append(struct.unpack_from("<QQ", p.mem(RES + 40, 16)))
    obs.append(p.call("path_filestat_set_times", 3, 0, a, n, 9, 10, FSTFLAGS.atim | FSTFLAGS.mtim))
    p.call("path_filestat_get", 3, 0, a, n, RES)
    obs.append(struct.unpack_from("<QQ", p.mem(RES + 40, 16)))
    obs.append(p.call("path_filestat_set_times", 3, 0, a, n, 9, 10, FSTFLAGS.atim | FSTFLAGS.atim_now))
    obs.append(p.call("path_filestat_set_times", 99, 0, a, n, 9, 10, FSTFLAGS.atim | FSTFLAGS.atim_now))
    a, n = p.s(PATH, "missing")
    obs.append(p.call("path_filestat_set_times", 3, 0, a, n, 9, 10, FSTFLAGS.mtim))
    # ATIM only leaves mtim
    a, n = p.s(PATH, "hello.txt")
    obs.append(p.call("path_filestat_set_times", 3, 0, a, n, 11, 12, FSTFLAGS.atim))
    p.call("path_filestat_get", 3, 0, a, n, RES)
    obs.append(struct.unpack_from("<QQ", p.mem(RES + 40, 16)))
    return obs


def sc_stat_paths(p):
    obs = []
    for path in list(BASIC) + ["dir/", "hello.txt/", ".", "dir/..", "missing", "", "/x", "..", "loop-a/"]:
        for flags in (0, FOLLOW):
            obs.append((path, flags, pstat(p, path, flags)))
    obs.append(pstat(p, "hello.txt", fd=0))
    obs.append(pstat(p, "hello.txt", fd=99))
    e, fd = open_(p, "hello.txt", rights=R)
    obs.append(pstat(p, "x", fd=fd))
    a, n = p.s(PATH, "hello.txt")
    obs.append(p.call("path_filestat_get", 3, 0, a, n, RES + 4))
    obs.append(p.call("path_filestat_get", 3, 4, a, n, RES))
    return obs


def sc_readdir(p):
    obs = []
    e, fd = open_(p, "dir", oflags=OFLAGS.directory, rights=R)
    obs.append(readdir_names(p, fd))
    obs.append(readdir_names(p, 3))
    e, efd = open_(p, "emptydir", oflags=OFLAGS.directory, rights=R)
    for buf_len in (0, 1, 10, 24, 25, 26, 48, 49, 50, 51, 52, 200):
        canary(p, BUF, 80)
        canary(p, RES, 8)
        e = p.call("fd_readdir", efd, BUF, buf_len, 0, RES)
        # "." at 0 (24 + 1 bytes), ".." at 25: the bytes without d_ino (8..15, 33..40)
        image = bytearray(p.mem(BUF, 80))
        image[8:16] = image[33:41] = b"I" * 8
        obs.append((buf_len, e, p.mem(RES, 8), bytes(image)))
    for cookie in (1, 2, 3, 1 << 40):
        canary(p, BUF, 80)
        obs.append((cookie, p.call("fd_readdir", efd, BUF, 80, cookie, RES), p.u32(RES), p.mem(BUF, 8)))
    obs.append(readdir_names(p, 0))
    obs.append(readdir_names(p, 99))
    e, ffd = open_(p, "hello.txt", rights=R)
    obs.append(readdir_names(p, ffd))
    obs.append(p.call("fd_readdir", efd, 65530, 100, 0, RES))
    obs.append(p.call("fd_readdir", efd, BUF, 100, 0, RES + 2))
    # cookies on a directory being changed
    e, dfd = open_(p, "dir", oflags=OFLAGS.directory, rights=R)
    a, n = p.s(PATH, "dir/zzz")
    p.call("path_create_directory", 3, a, n)
    obs.append(readdir_names(p, dfd))
    return obs


def sc_mkdir_rmdir_unlink(p):
    obs = []
    def pc(name, path, fd=3):
        a, n = p.s(PATH, path)
        return (name, path, p.call(name, fd, a, n))
    for path in ["newdir", "newdir", "newdir2/", "dir/sub/deeper", "missing/x", "hello.txt", "dangling",
                 "link-to-dir/viaslink", ".", "..", "dir/..", "/abs", "", "escape-link/x"]:
        obs.append(pc("path_create_directory", path))
    for path in ["newdir2", "newdir2/", "dir", "dir/sub/deeper/", "hello.txt", "link-to-dir",
                 "link-to-dir/", ".", "..", "dir/sub/..", "emptydir/.", "missing", "dangling", ""]:
        obs.append(pc("path_remove_directory", path))
    for path in ["empty.txt", "empty.txt", "dir", "dir/", "link-to-dir", "link-to-dir/", "hello.txt/",
                 "dangling", ".", "..", "missing", "loop-a", "dir/inner.txt", "emptydir"]:
        obs.append(pc("path_unlink_file", path))
    obs.append(pc("path_create_directory", "x", fd=0))
    obs.append(pc("path_create_directory", "x", fd=99))
    obs.append(pc("path_unlink_file", "x", fd=1))
    obs.append(pc("path_remove_directory", "x", fd=99))
    p.put(PATH, b"\xc3")
    obs.append(p.call("path_create_directory", 3, PATH, 1))
    obs.append(p.call("path_create_directory", 3, 65530, 10))
    # (A bad fd *and* a bad string: wasmtime says EBADF, the reference host
    # EILSEQ / trap -- see RATIONALE "Reference host: strings are decoded first".)
    obs.append(p.tree())
    return obs


def sc_rename(p):
    obs = []
    def rn(old, new, fd=3, new_fd=3):
        a, n = p.s(PATH, old)
        b, m = p.s(PATH + 0x400, new)
        return (old, new, p.call("path_rename", fd, a, n, new_fd, b, m))
    obs.append(rn("hello.txt", "renamed.txt"))
    obs.append(rn("renamed.txt", "dir/moved.txt"))
    obs.append(rn("dir/moved.txt", "empty.txt"))
    obs.append(rn("empty.txt", "empty.txt"))
    obs.append(rn("empty.txt", "dir"))
    obs.append(rn("dir", "empty.txt"))
    obs.append(rn("dir", "emptydir"))
    obs.append(rn("emptydir", "dir2"))
    obs.append(rn("dir2", "dir2/sub/x"))
    obs.append(rn("dir2", "dir2/inner"))
    obs.append(rn("missing", "x"))
    obs.append(rn("link-to-dir", "ltd2"))
    obs.append(rn("ltd2/", "ltd3"))
    obs.append(rn("dangling", "dangling2"))
    obs.append(rn("empty.txt/", "e2"))
    obs.append(rn("empty.txt", "e2/"))
    obs.append(rn(".", "x"))
    obs.append(rn("x", "."))
    obs.append(rn("dir2/sub", "."))
    obs.append(rn("dir2/sub", "newsub/"))
    obs.append(rn("dir2/..", "x"))
    obs.append(rn("empty.txt", "../x"))
    obs.append(rn("empty.txt", "x", fd=99))
    obs.append(rn("empty.txt", "x", new_fd=0))
    obs.append(p.tree())
    return obs


def sc_links(p):
    obs = []
    def ln(old, new, flags=0, fd=3, new_fd=3):
        a, n = p.s(PATH, old)
        b, m = p.s(PATH + 0x400, new)
        return (old, new, flags, p.call("path_link", fd, flags, a, n, new_fd, b, m))
    obs.append(ln("hello.txt", "hard.txt"))
    obs.append(pstat(p, "hello.txt"))
    obs.append(ln("hello.txt", "hard.txt"))
    obs.append(ln("dir", "hard-dir"))
    obs.append(ln("link-to-hello", "hard-link0"))
    obs.append(ln("link-to-hello", "hard-link1", FOLLOW))
    obs.append(ln("dangling", "hard-dangling0"))
    obs.append(ln("dangling", "hard-dangling1", FOLLOW))
    obs.append(ln("missing", "x"))
    obs.append(ln("hello.txt", "new/"))
    obs.append(ln("hello.txt", "dir/"))
    obs.append(ln("hello.txt", "missing/x"))
    obs.append(ln("hello.txt", "."))
    obs.append(ln("hello.txt", "x", fd=99))
    obs.append(ln("hello.txt", "x", new_fd=1))
    obs.append(ln("hello.txt", "x", flags=2))
    obs.append(pstat(p, "hello.txt"))
    e, fd = open_(p, "hard.txt", rights=RW)
    obs.append(write(p, fd, "via hard link"))
    def sl(target, new, fd=3):
        a, n = p.s(PATH, target)
        b, m = p.s(PATH + 0x400, new)
        return (target, new, p.call("path_symlink", a, n, fd, b, m))
    for target, new in [("hello.txt", "s1"), ("hello.txt", "s1"), ("/abs/target", "s2"), ("../up", "s3"),
                        ("", "s4"), ("x", "dir"), ("x", "s5/"), ("x", "missing/s6"), ("x", "."),
                        ("x", "dangling"), ("dir/", "s7")]:
        obs.append(sl(target, new))
    obs.append(sl("x", "s8", fd=99))
    for path in ["s1", "s2", "s3", "link-to-hello", "hello.txt", "missing", "dir", "s7", "link-to-dir/"]:
        a, n = p.s(PATH, path)
        for buf_len in (0, 3, 100):
            canary(p, BUF, 110)
            canary(p, RES, 8)
            obs.append((path, buf_len, p.call("path_readlink", 3, a, n, BUF, buf_len, RES), p.mem(RES, 8), p.mem(BUF, 20)))
    a, n = p.s(PATH, "s1")
    obs.append(p.call("path_readlink", 3, a, n, 65530, 100, RES))
    obs.append(p.call("path_readlink", 3, a, n, BUF, 100, RES + 1))
    obs.append(p.call("path_readlink", 0, a, n, BUF, 100, RES))
    obs.append(pstat(p, "s1"))
    obs.append(pstat(p, "s7"))
    obs.append(p.tree())
    return obs


def sc_unlinked_open(p):
    obs = []
    e, fd = open_(p, "hello.txt", rights=RW)
    a, n = p.s(PATH, "hello.txt")
    obs.append(p.call("path_unlink_file", 3, a, n))
    obs.append(fstat(p, fd))
    obs.append(write(p, fd, "still here"))
    obs.append(read(p, fd, 40, offset=0))
    e, dfd = open_(p, "emptydir", oflags=OFLAGS.directory, rights=R)
    a, n = p.s(PATH, "emptydir")
    obs.append(p.call("path_remove_directory", 3, a, n))
    obs.append(fstat(p, dfd))
    a, n = p.s(PATH, "x")
    obs.append(p.call("path_create_directory", dfd, a, n))
    obs.append(p.tree())
    return obs


def sc_poll(p):
    obs = []
    def sub(ud, tag, body):
        return struct.pack("<QB7x", ud, tag) + body + b"\0" * (32 - len(body))
    def clk(cid, timeout, flags):
        return struct.pack("<IxxxxQQH6x", cid, timeout, 0, flags)
    def fdsub(fd):
        return struct.pack("<I", fd)
    def poll(subs, n=None):
        p.put(BUF, b"".join(subs))
        canary(p, BUF + 0x400, 160)
        canary(p, RES, 8)
        e = p.call("poll_oneoff", BUF, BUF + 0x400, len(subs) if n is None else n, RES)
        return e, p.mem(RES, 8), p.mem(BUF + 0x400, 160)
    obs.append(poll([sub(7, 0, clk(1, 1000, 0))]))
    obs.append(poll([sub(7, 0, clk(0, 1000, 0))]))
    obs.append(poll([sub(7, 0, clk(1, 0, 1))]))
    obs.append(poll([sub(7, 0, clk(0, 5, 1))]))
    obs.append(poll([sub(7, 0, clk(1, 1000, 0)), sub(8, 0, clk(1, 10 ** 9, 0))]))
    obs.append(poll([sub(9, 1, fdsub(0))]))
    obs.append(poll([sub(9, 2, fdsub(1)), sub(10, 2, fdsub(2))]))
    obs.append(poll([sub(9, 2, fdsub(1)), sub(10, 0, clk(1, 10 ** 9, 0))]))
    e, fd = open_(p, "hello.txt", rights=RW)
    obs.append(poll([sub(11, 1, fdsub(fd))]))
    obs.append(poll([sub(12, 2, fdsub(fd))]))
    p.call("fd_seek", fd, 0, 2, RES)
    obs.append(poll([sub(11, 1, fdsub(fd))]))
    for bad in ([sub(9, 1, fdsub(1))], [sub(9, 2, fdsub(0))], [sub(9, 1, fdsub(3))], [sub(9, 1, fdsub(99))],
                [sub(9, 0, clk(2, 0, 0))], [sub(9, 0, clk(4, 0, 0))], [sub(9, 0, clk(1, 0, 2))],
                [sub(9, 3, fdsub(1))], [sub(9, 2, fdsub(1)), sub(9, 2, fdsub(99))]):
        obs.append(poll(bad))
    obs.append(poll([], n=0))
    obs.append(p.call("poll_oneoff", BUF + 4, BUF + 0x400, 1, RES))
    obs.append(p.call("poll_oneoff", 65500, BUF + 0x400, 1, RES))
    p.put(BUF, sub(7, 0, clk(1, 0, 0)))
    obs.append(p.call("poll_oneoff", BUF, 65530, 1, RES))
    obs.append(p.call("poll_oneoff", BUF, BUF + 0x404, 1, RES))
    return obs


def sc_proc_random_sock(p):
    obs = []
    obs.append(p.call("sched_yield"))
    obs.append(p.call("proc_raise", 1))
    obs.append(p.call("proc_raise", 31))
    canary(p, BUF, 40)
    obs.append(p.call("random_get", BUF, 0))
    obs.append(p.mem(BUF, 40))
    obs.append(p.call("random_get", BUF, 32))
    obs.append(p.mem(BUF + 32, 8))
    obs.append(p.call("random_get", 65530, 10))
    for fd in (0, 1, 3, 99):
        canary(p, RES, 16)
        obs.append(p.call("sock_accept", fd, 0, RES))
        obs.append(p.call("sock_recv", fd, IOV, 0, 0, RES, RES + 4))
        obs.append(p.call("sock_send", fd, IOV, 0, 0, RES))
        obs.append(p.call("sock_shutdown", fd, 1))
        obs.append(p.mem(RES, 16))
    obs.append(p.call("sock_accept", 0, 0x20, RES))
    obs.append(p.call("sock_recv", 0, IOV, 0, 4, RES, RES + 4))
    obs.append(p.call("sock_send", 0, IOV, 0, 0xffff, RES))
    obs.append(p.call("sock_send", 0, IOV, 0, 0x10000, RES))     # wider than siflags' u16: trap
    obs.append(p.call("fd_seek", 99, 0, 256, RES))               # whence 256 (u8): trap, even on a bad fd
    obs.append(p.call("fd_fdstat_set_flags", 99, 1 << 16))
    obs.append(p.call("sock_shutdown", 0, 4))
    return obs


def sc_exit(p):
    return [p.call("proc_exit", 3)]


def sc_exit_big(p):
    return [p.call("proc_exit", 126)]


SCENARIOS = {name[3:]: fn for name, fn in globals().items() if name.startswith("sc_")}


def run_both(fn, **kw):
    results = []
    for cls in (WasmtimeProbe, RefhostProbe):
        p = cls(**kw)
        try:
            results.append(fn(p))
        finally:
            p.close()
    return results


def first_difference(a: list, b: list) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"observation {i}:\n  wasmtime: {x!r}\n  refhost:  {y!r}"
    if len(a) != len(b):
        return f"lengths differ: {len(a)} vs {len(b)}"
    return ""


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario(name):
    kw = {}
    if name == "args_env":
        kw = {"args": ("prog", "a b", "ü"), "env": (("A", "1"), ("EMPTY", ""))}
    if name == "read_write":
        kw = {"stdin": b"stdin data"}
    wt, rh = run_both(SCENARIOS[name], **kw)
    assert wt == rh, first_difference(wt, rh)
