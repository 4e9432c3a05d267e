"""Every errno each preview1 function can return, here and nowhere else.

The witx docs say little about errors; these lists say what our two runtimes
(the JS runtime in `polyfill/src/`, the reference host in `refhost/`) really
return, read from their code and checked against native wasmtime 50 where
they follow it (spec/RATIONALE.md). They count every source: behaviour, the
glue (ENOMEM past the hostcall fuel, EILSEQ for a path that is not UTF-8,
EINVAL for an invalid enum or flags value inside a subscription), the MemFS
limits (ENOSPC past `maxBytes`/`maxInodes`, EFBIG past the file size limit,
EMFILE past `maxFds`) and the host's streams (Node's stdio: EPIPE, EIO).
`ESUCCESS` is not listed. A trap is not an errno and is not listed.

Checked by `tests/test_errnos.py` (each runtime's per-syscall doc comment
names only errnos listed here, and together they name every listed errno
but those `glue_errnos` derives), by the differential corpus
(`tests/test_corpus.py`: every errno the node host's `--trace` shows) and
by the fuzzer (`tests/fuzz/harness.py`: every errno either twin returns).
The reference docs (`docs/preview1.md`) show each list.
"""

from __future__ import annotations

from .model import Function, List, Pointer, Record, String, resolve

# The errors of resolving a path beneath a directory descriptor, common to
# every path_* function: EBADF (not an open directory), ENOENT (empty path,
# missing component), ENOTDIR (a non-directory used as one), ELOOP (too many
# symlinks, or a symlink without symlink_follow where one is not allowed),
# ENAMETOOLONG (a component over 255 bytes), EPERM (absolute, or climbing
# out), EINVAL (a NUL byte), EILSEQ (not UTF-8), ENOMEM (beyond the
# hostcall fuel).
_PATH = ("badf", "noent", "notdir", "loop", "nametoolong", "perm", "inval", "ilseq", "nomem")

ERRNOS: dict[str, tuple[str, ...]] = {
    "args_get": (),
    "args_sizes_get": (),
    "environ_get": (),
    "environ_sizes_get": (),
    # the CPU-time clocks are EBADF, as wasmtime (an unknown clock id traps)
    "clock_res_get": ("badf",),
    "clock_time_get": ("badf",),
    # EINVAL: a length of 2^63 or more (negative off_t, as wasmtime)
    "fd_advise": ("badf", "inval"),
    # wasmtime does not implement fd_allocate
    "fd_allocate": ("badf", "notsup"),
    "fd_close": ("badf",),
    # EIO: a live host folder's fdatasync failed (the JS runtime's HostDirectory)
    "fd_datasync": ("badf", "io"),
    "fd_fdstat_get": ("badf",),
    # only append and nonblock can change; dsync, rsync, sync are EINVAL
    "fd_fdstat_set_flags": ("badf", "inval"),
    # wasmtime: rights cannot be changed (ENOTSUP), never ENOTCAPABLE
    "fd_fdstat_set_rights": ("badf", "notsup"),
    "fd_filestat_get": ("badf",),
    # EINVAL: not open for writing, or a size beyond 2^63 - 1
    "fd_filestat_set_size": ("badf", "inval", "fbig", "nospc"),
    "fd_filestat_set_times": ("badf", "inval"),
    "fd_pread": ("badf", "spipe", "inval", "nomem"),
    "fd_prestat_get": ("badf",),
    # an open fd that is not a preopen is ENOTDIR (wasmtime)
    "fd_prestat_dir_name": ("badf", "notdir", "nametoolong"),
    "fd_pwrite": ("badf", "spipe", "inval", "fbig", "nospc", "nomem"),
    # EINTR: stdin with no room to read into (wasmtime); EINVAL: a position
    # beyond 2^63 - 1 (wasmtime); EIO: the host's stdin failed (the JS runtime)
    "fd_read": ("badf", "intr", "inval", "io", "nomem"),
    "fd_readdir": ("badf",),
    "fd_renumber": ("badf",),
    "fd_seek": ("badf", "spipe", "inval"),
    # EIO: a live host folder's fsync failed (the JS runtime's HostDirectory)
    "fd_sync": ("badf", "io"),
    "fd_tell": ("badf", "spipe"),
    # EPIPE, EIO: the host's stdout or stderr failed (the JS runtime on Node)
    "fd_write": ("badf", "inval", "fbig", "nospc", "pipe", "io", "nomem"),
    "path_create_directory": _PATH + ("exist", "nospc"),
    "path_filestat_get": _PATH,
    "path_filestat_set_times": _PATH,
    "path_link": _PATH + ("exist",),
    "path_open": _PATH + ("exist", "isdir", "notsup", "mfile", "nospc"),
    # EINVAL: not a symlink (in _PATH already)
    "path_readlink": _PATH,
    "path_remove_directory": _PATH + ("notempty",),
    "path_rename": _PATH + ("busy", "isdir", "notempty"),
    "path_symlink": _PATH + ("exist", "nospc"),
    # wasmtime reads this path without hostcall fuel: no ENOMEM (a trap)
    "path_unlink_file": tuple(e for e in _PATH if e != "nomem") + ("isdir",),
    # EINVAL: no subscriptions, an unsupported clock, an invalid enum or
    # flags value in a subscription; EBADF: a bad fd subscription fails the
    # whole call, as in wasmtime
    "poll_oneoff": ("inval", "badf", "nomem"),
    "proc_exit": (),
    "proc_raise": ("notsup",),
    "sched_yield": (),
    "random_get": (),
    # no sockets: the descriptor fails before the iovecs are read
    "sock_accept": ("badf", "notsock"),
    "sock_recv": ("badf", "notsock"),
    "sock_send": ("badf", "notsock"),
    "sock_shutdown": ("badf", "notsock"),
}


def glue_errnos(f: Function) -> tuple[str, ...]:
    """The errnos of `f` that come from reading its arguments rather than
    from behaviour, derived from the spec's param types: ENOMEM (hostcall
    fuel: a string, an iovec list, an input record array), EILSEQ (a string
    that is not UTF-8), EINVAL (an invalid value inside an input record).
    A runtime's doc comment need not name these; only those in `ERRNOS`
    can happen."""
    found: list[str] = []
    for p in f.params:
        t = resolve(p.type)
        if isinstance(t, String):
            found += ["nomem", "ilseq"]
        elif isinstance(t, List):
            found.append("nomem")
        elif isinstance(t, Pointer) and t.const and isinstance(resolve(t.to), Record):
            found += ["nomem", "inval"]
    return tuple(e for e in dict.fromkeys(found) if e in ERRNOS[f.name])


__all__ = ["ERRNOS", "glue_errnos"]
