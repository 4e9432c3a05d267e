"""The errnos our runtime returns, per preview1 function, for the reference
docs (docs/preview1.md, "Errors our runtime returns").

This is documentation, kept next to the generator because the spec does not
say it: it records what a wasmtime-like host returns (first filled from
wasmtime's `crates/wasi/src/preview1.rs`, which maps a wrong descriptor kind
to EBADF and a path escaping its preopen to EPERM, and checks no rights).
The runtime engineers refine it as the runtime's errno comments change.

Errnos the generated glue returns by itself (EINVAL for an enum or flags
param out of range, EOVERFLOW for an integer too wide for its type, EILSEQ
for a string that is not UTF-8) are derived from the spec and listed
separately; they are not repeated here. Every function also traps on an
out-of-bounds or misaligned pointer.

A function missing from the table is documented as "not yet documented".
"""

from __future__ import annotations

_PATH = ("badf", "noent", "notdir", "perm", "loop", "nametoolong")

ERRNOS: dict[str, tuple[str, ...]] = {
    "args_get": (),
    "args_sizes_get": (),
    "environ_get": (),
    "environ_sizes_get": (),
    # wasmtime: the CPU-time clocks are EBADF, not EINVAL.
    "clock_res_get": ("badf",),
    "clock_time_get": ("badf",),
    "fd_advise": ("badf",),
    "fd_allocate": ("badf", "notsup"),
    "fd_close": ("badf",),
    "fd_datasync": ("badf",),
    "fd_fdstat_get": ("badf",),
    # Only `append` and `nonblock` can change; the sync flags are EINVAL.
    "fd_fdstat_set_flags": ("badf", "inval"),
    "fd_fdstat_set_rights": ("badf", "notcapable"),
    "fd_filestat_get": ("badf",),
    "fd_filestat_set_size": ("badf", "inval", "fbig"),
    "fd_filestat_set_times": ("badf", "inval"),
    "fd_pread": ("badf", "spipe", "inval"),
    "fd_prestat_get": ("badf",),
    # wasmtime: an open fd that is not a preopen is ENOTDIR.
    "fd_prestat_dir_name": ("badf", "notdir", "nametoolong"),
    "fd_pwrite": ("badf", "spipe", "inval", "fbig"),
    "fd_read": ("badf",),
    "fd_readdir": ("badf",),
    "fd_renumber": ("badf",),
    "fd_seek": ("badf", "spipe", "inval"),
    "fd_sync": ("badf",),
    "fd_tell": ("badf", "spipe"),
    "fd_write": ("badf", "fbig"),
    "path_create_directory": _PATH + ("exist",),
    "path_filestat_get": _PATH,
    "path_filestat_set_times": _PATH + ("inval",),
    "path_link": _PATH + ("exist",),
    "path_open": _PATH + ("exist", "isdir", "inval"),
    # EINVAL: the path is not a symbolic link.
    "path_readlink": _PATH + ("inval",),
    "path_remove_directory": _PATH + ("notempty", "inval"),
    "path_rename": _PATH + ("exist", "isdir", "notempty", "inval"),
    "path_symlink": _PATH + ("exist",),
    "path_unlink_file": _PATH + ("isdir",),
    # EINVAL: no subscriptions, or an unsupported clock; EBADF: a bad fd
    # subscription fails the whole call, as in wasmtime.
    "poll_oneoff": ("inval", "badf"),
    "proc_exit": (),
    "proc_raise": ("notsup",),
    "sched_yield": (),
    "random_get": (),
    "sock_accept": ("badf", "notsock"),
    "sock_recv": ("badf", "notsock"),
    "sock_send": ("badf", "notsock"),
    "sock_shutdown": ("badf", "notsock"),
}
