"""The corpus: every case the differential tests run on every host.

A case is a program (`c/NAME.c` or `wat/NAME.wat`, relative to this folder),
its arguments, environment and stdin, and the directory trees it gets
preopened: `dirs` maps a guest path (e.g. "/sandbox") to a tree literal
{relative path: str | bytes (a file) | {} (a directory) | {"symlink": target}}.
Parent directories are made as needed. The first preopen is fd 3, the next 4.

Programs print results, never timestamps, inode numbers or random bytes, so
every host must produce the same stdout, stderr, exit status and final trees
as native wasmtime. `note` says what a case is about when its name does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Case:
    name: str
    program: str
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    stdin: bytes = b""
    dirs: dict[str, dict] = field(default_factory=dict)
    note: str = ""


# The usual sandbox: files, directories and every kind of symlink.
BASIC = {
    "hello.txt": "hello, world\n",
    "empty.txt": "",
    "dir/inner.txt": "inner\n",
    "dir/sub": {},
    "emptydir": {},
    "link-to-hello": {"symlink": "hello.txt"},
    "link-to-dir": {"symlink": "dir"},
    "link-up": {"symlink": "dir/../hello.txt"},
    "dangling": {"symlink": "missing.txt"},
    "abs-link": {"symlink": "/sandbox/hello.txt"},
    "escape-link": {"symlink": "../outside.txt"},
    "loop-a": {"symlink": "loop-b"},
    "loop-b": {"symlink": "loop-a"},
    "self-loop": {"symlink": "self-loop"},
}

SANDBOX = {"/sandbox": BASIC}

CASES: list[Case] = []


def case(name: str, program: str, *args: str, env: dict[str, str] | None = None,
         stdin: bytes | str = b"", dirs: dict[str, dict] | None = None, note: str = "") -> None:
    if any(c.name == name for c in CASES):
        raise ValueError(f"duplicate case name {name!r}")
    CASES.append(Case(name, program, tuple(args), tuple((env or {}).items()),
                      stdin.encode() if isinstance(stdin, str) else stdin,
                      SANDBOX if dirs is None else dirs, note))


# --- WAT: exact calls and corner cases -----------------------------------------------

case("badf-sweep", "wat/badf.wat", note="every fd-taking call with fds 99, 2^31-1, -1 and a closed one")

for letter, what in [
    ("a", "clock_time_get clockid 4"), ("b", "clock_res_get clockid -1"), ("c", "fd_seek whence 3"),
    ("d", "fd_seek whence 3, fd 99"), ("e", "fd_advise advice 6"), ("f", "fd_fdstat_set_flags bit 5"),
    ("g", "fd_fdstat_set_rights bit 30"), ("h", "path_open rights -1"), ("i", "fd_filestat_set_times bit 4"),
    ("j", "path_filestat_get lookupflags bit 1"), ("k", "path_open oflags bit 4"),
    ("l", "path_open fdflags bit 5"), ("m", "path_link lookupflags bit 1"), ("n", "proc_raise signal 31"),
    ("o", "sock_shutdown sdflags bit 2"), ("p", "sock_recv riflags bit 2"), ("q", "sock_accept fdflags bit 5"),
    ("r", "poll_oneoff eventtype 3"), ("s", "poll_oneoff subclockflags bit 1"), ("t", "poll_oneoff clockid 9"),
    ("u", "fd_filestat_set_times all fstflags"), ("v", "path_open all oflags"),
]:
    case(f"invalid-{letter}-{what.split()[0]}", "wat/invalid_args.wat", letter, note=what)

for letter, what in [
    ("a", "args_sizes_get"), ("b", "args_get"), ("c", "environ_get"), ("d", "environ_sizes_get misaligned"),
    ("e", "clock_time_get misaligned"), ("f", "clock_res_get at the end"), ("g", "fd_write iovs"),
    ("h", "fd_write iovec buffer"), ("i", "fd_write nwritten after the write"), ("j", "fd_read buffer"),
    ("k", "fd_fdstat_get misaligned"), ("l", "random_get crossing the end"), ("m", "poll_oneoff subscriptions"),
    ("n", "fd_prestat_get"), ("o", "fd_prestat_dir_name"), ("p", "path_open path"),
    ("q", "path_open opened_fd after creating"), ("r", "fd_filestat_get misaligned"), ("s", "fd_readdir buffer"),
    ("t", "path_readlink buffer"), ("u", "fd_seek newoffset"), ("v", "path_filestat_get crossing the end"),
    ("w", "fd_write empty iovec out of bounds"), ("x", "fd_write iovs_len wrapping"),
    ("y", "path_create_directory length wrapping"), ("z", "fd_pread zero iovecs out of bounds"),
]:
    case(f"trap-{letter}-{what.split()[0]}", "wat/traps.wat", letter, env={"A": "1"}, stdin="xy", note=what)

case("args", "wat/args.wat", "first", "", "with space", "ünïcödé", "--flag=1")
case("args-none", "wat/args.wat", note="argv is just the program")
case("environ", "wat/environ.wat", env={"HOME": "/home/guest", "EMPTY": "", "EQ": "a=b=c", "UNI": "ü"})
case("environ-none", "wat/environ.wat")
case("clock", "wat/clock.wat")
case("fd_write", "wat/fd_write.wat")
case("fd_read", "wat/fd_read.wat", stdin="abcdefghijklmnopqrstuvwxyz\n" * 3)
case("fd_read-empty-stdin", "wat/fd_read.wat")
case("fd_seek", "wat/fd_seek.wat", stdin="stdin bytes")
case("fdstat", "wat/fdstat.wat")
case("fd_fdstat_set_flags", "wat/fd_fdstat_set_flags.wat")
case("fd_fdstat_set_rights", "wat/fd_fdstat_set_rights.wat")
case("prestat", "wat/prestat.wat", dirs={"/sandbox": BASIC, "/second/dir": {"x": "x"}, ".": {}})
case("filestat", "wat/filestat.wat")
case("fd_filestat_set_size", "wat/fd_filestat_set_size.wat")
case("set_times", "wat/set_times.wat")
case("pread_pwrite", "wat/pread_pwrite.wat")
case("readdir", "wat/readdir.wat", dirs={"/sandbox": {"one/only.txt": "x", "emptydir": {}}})
case("path_readlink", "wat/path_readlink.wat")
case("path_link", "wat/path_link.wat", dirs={"/sandbox": BASIC, "/other": {}})
case("path_symlink", "wat/path_symlink.wat")
RENAME_TREE = {
    "f1": "one", "f2": "two", "f3": "three", "d-a/x": "x", "d-empty": {}, "d-full/y": "y",
    "sym": {"symlink": "f2"}, "dangling": {"symlink": "nowhere"},
}
case("path_rename", "wat/path_rename.wat", dirs={"/sandbox": RENAME_TREE, "/other": {}})
RENAME_ORDER_TREE = {
    "a/f": "f", "a/s": {"symlink": "f"}, "a/b/g": "g", "a/b/c/h": "h", "full/y": "y",
    "e/gone": {}, "e/z": "z", "emptyd": {}, "top": "t",
}
case("rename_order", "wat/rename_order.wat", dirs={"/sandbox": RENAME_ORDER_TREE},
     note="path_rename's check order (Linux do_renameat2): onto an ancestor, into a removed directory")
case("path_unlink_file", "wat/path_unlink_file.wat")
case("path_create_directory", "wat/path_create_directory.wat")
case("path_remove_directory", "wat/path_remove_directory.wat")
case("utf8_paths", "wat/utf8_paths.wat")
case("path_open", "wat/path_open.wat")
RESOLUTION_TREE = {
    **BASIC,
    "chain1": {"symlink": "chain2"}, "chain2": {"symlink": "chain3"}, "chain3": {"symlink": "dir"},
    "deep/a/b/c": {},
    "deep/a/b/c/up3": {"symlink": "../../../../hello.txt"},
    "deep/a/b/c/up4": {"symlink": "../../../../../hello.txt"},
    "deep/a/b/c/up5": {"symlink": "../../../../../../sandbox/hello.txt"},
}
case("path_resolution", "wat/path_resolution.wat", dirs={"/sandbox": RESOLUTION_TREE})
case("poll_oneoff", "wat/poll_oneoff.wat", stdin="ready")
case("poll_multi", "wat/poll_multi.wat", stdin="ready")
for code in ["0", "1", "42", "125", "126", "255", "256", "4294967295"]:
    case(f"proc_exit-{code}", "wat/proc_exit.wat", code, dirs={})
case("proc_raise", "wat/proc_raise.wat", dirs={})
case("sched_yield", "wat/sched_yield.wat", dirs={})
case("random_get", "wat/random_get.wat", dirs={})
case("sock", "wat/sock.wat")
case("fd_renumber", "wat/fd_renumber.wat")
case("fd_close", "wat/fd_close.wat", stdin="input")
case("fd_sync", "wat/fd_sync.wat")
case("advise_allocate", "wat/advise_allocate.wat")
case("unreachable", "wat/unreachable.wat", dirs={})
case("memory_oob", "wat/memory_oob.wat", dirs={})
case("stack_overflow", "wat/stack_overflow.wat", dirs={})
case("start_returns", "wat/start_returns.wat", dirs={})

# --- C: libc-level behaviour -----------------------------------------------------------

case("c-hello", "c/hello.c", dirs={})
case("c-args_env", "c/args_env.c", "one", "two words", "", "ünï", "-x",
     env={"HOME": "/home/guest", "EMPTY": "", "EQ": "a=b", "LANG": "C.UTF-8"}, dirs={})
case("c-args_env-none", "c/args_env.c", dirs={})
for mode, code in [("r", "0"), ("r", "1"), ("r", "42"), ("r", "255"), ("e", "0"), ("e", "7"), ("e", "200"),
                   ("_", "3"), ("w", "9"), ("a", "0")]:
    case(f"c-exit_code-{mode}-{code}", "c/exit_code.c", mode, code, dirs={},
         note="r: return from main, e: exit(), _: _Exit(), w: __wasi_proc_exit, a: abort()")
case("c-stdin_cat", "c/stdin_cat.c", stdin=b"Hello, stdin!\nsecond line\n\x00\xff tail without newline", dirs={})
case("c-stdin_cat-empty", "c/stdin_cat.c", dirs={})
case("c-stdin_cat-large", "c/stdin_cat.c", stdin=b"0123456789abcdef\n" * 4096, dirs={})
case("c-stdin_lines", "c/stdin_lines.c", stdin="alpha\n\nbeta gamma\nnumbers:\n1 2 3\n-4\n100 ", dirs={})
case("c-stdin_lines-no-newline", "c/stdin_lines.c", stdin="only line", dirs={})
case("c-file_rw", "c/file_rw.c")
case("c-append", "c/append.c")
case("c-sparse", "c/sparse.c")
case("c-truncate", "c/truncate.c")
case("c-readdir_sorted", "c/readdir_sorted.c")
case("c-readdir_many", "c/readdir_many.c", dirs={"/sandbox": {}})
case("c-mkdir_rmdir", "c/mkdir_rmdir.c")
case("c-unlink_rename", "c/unlink_rename.c", dirs={"/sandbox": BASIC, "/out": {}})
case("c-symlinks", "c/symlinks.c")
case("c-hardlinks", "c/hardlinks.c", dirs={"/sandbox": BASIC, "/out": {}})
case("c-stat_types", "c/stat_types.c")
case("c-utimens", "c/utimens.c")
case("c-open_flags", "c/open_flags.c")
case("c-cwd", "c/cwd.c")
case("c-trailing_slash", "c/trailing_slash.c")
case("c-fcntl_dup", "c/fcntl_dup.c")
case("c-sync_advise", "c/sync_advise.c")
case("c-clocks", "c/clocks.c", dirs={})
case("c-entropy", "c/entropy.c", dirs={})
case("c-sockets", "c/sockets.c")
case("c-big_file", "c/big_file.c", dirs={"/sandbox": {}})
case("c-stdout_big", "c/stdout_big.c", dirs={})
case("c-deep_tree", "c/deep_tree.c", dirs={"/sandbox": {"existing.txt": "x"}})
case("c-preopens", "c/preopens.c",
     dirs={"/sandbox": {"s.txt": "s"}, "/a": {"x.txt": "in a\n"}, "/a/b": {"inside-b.txt": "in b\n"},
           ".": {"top.txt": "top\n"}},
     note="several preopens, one nested inside another, one at '.'")
case("c-stdio_kinds", "c/stdio_kinds.c")
case("c-closed_fd", "c/closed_fd.c")
case("c-names", "c/names.c", dirs={"/sandbox": {}})
TEXT_TREE = {
    "docs/a.txt": "the quick brown fox\njumps over\nthe lazy dog\n",
    "docs/b.txt": "nothing here\n",
    "docs/sub/c.txt": "a fox again\n\nand the end",
    "docs/empty.txt": "",
    "docs/link.txt": {"symlink": "a.txt"},
}
case("c-tools-wc", "c/tools.c", "wc", "/data/docs/a.txt", "/data/docs/b.txt", "/data/docs/sub/c.txt",
     "/data/docs/empty.txt", "/data/docs/link.txt", "/data/docs/missing", dirs={"/data": TEXT_TREE})
case("c-tools-grep", "c/tools.c", "grep", "fox", "/data", dirs={"/data": TEXT_TREE})
case("c-tools-sort", "c/tools.c", "sort", "/out/sorted.txt", stdin="pear\napple\nfig\n\nbanana\napple\n",
     dirs={"/out": {}})
case("c-tools-cp", "c/tools.c", "cp", "/data/docs/a.txt", "/out/copy.txt", dirs={"/data": TEXT_TREE, "/out": {}})
case("c-tools-bad", "c/tools.c", "frobnicate", dirs={})
case("c-assert_fail", "c/assert_fail.c", dirs={})
case("fd_write_file", "wat/fd_write_file.wat")
case("path_dirfd", "wat/path_dirfd.wat")
case("fd_tell", "wat/fd_tell.wat")
case("open_rights", "wat/open_rights.wat")
case("c-interleave", "c/interleave.c", dirs={})

# --- adversarial: ways out of the preopen (issue #8) ----------------------------------
# tests/test_sandbox.py runs every `adv-` case with a canary tree beside and
# above the preopened host dirs (`outside.txt`, `secret/key.txt`, ...) and
# retargets `abs-secret` at the canary's real absolute path; here, under
# wasmtime's reference run, those names simply do not exist outside.
ADV_TREE = {
    **BASIC,
    "escape-deep": {"symlink": "dir/../../outside.txt"},
    "escape-dir": {"symlink": "../secret"},
    "abs-secret": {"symlink": "/secret/key.txt"},
    "abs-outside": {"symlink": "/outside.txt"},
    "abs-root": {"symlink": "/"},
    "up-dir": {"symlink": ".."},
    "dir/rel-out": {"symlink": "../../outside.txt"},
    "dir/rel-in": {"symlink": "../hello.txt"},
    "dir/link-to-sub": {"symlink": "sub"},
    "dangle-out": {"symlink": "../created-outside.txt"},
    "chain1": {"symlink": "chain2"}, "chain2": {"symlink": "chain3"}, "chain3": {"symlink": "dir"},
    "chain-out": {"symlink": "escape-link"},
    "n1": {"symlink": "dir"},
    **{f"n{i}": {"symlink": f"n{i - 1}"} for i in range(2, 42)},
}
ADV_DIRS = {"/sandbox": ADV_TREE, "/other": {"o.txt": "other preopen\n", "odir/x": "x"}}

case("adv-paths", "wat/adv_paths.wat", dirs=ADV_DIRS,
     note="`..`, absolute paths, symlinks out, chains, loops, trailing slashes: read-only and mutating")
case("adv-names", "wat/adv_names.wat", dirs=ADV_DIRS,
     note="NUL bytes in paths, 255/256-byte names, paths up to 40000 bytes, a directory into its own subtree")
case("adv-preopen", "wat/adv_preopen.wat", dirs=ADV_DIRS,
     note="removing, renaming and renumbering over preopens; a removed or moved directory's fd")
case("adv-libc", "c/adv_libc.c", dirs=ADV_DIRS,
     note="the ways out through wasi-libc: absolute paths, chdir and climb, symlinks out, renames")


# The cases that only read their preopened trees: under wasmtime each gives
# the same stdout, stderr and exit status with its trees on a read-only mount
# (a tmpfs remounted read-only) as on a writable one, and changes nothing.
# tests/test_urldir.py runs them with the trees served over HTTP (UrlDirectory,
# read-only). Found by running every case both ways; a new case that only
# reads belongs here too.
READ_ONLY = frozenset({
    "badf-sweep", "invalid-a-clock_time_get", "invalid-b-clock_res_get", "invalid-c-fd_seek",
    "invalid-d-fd_seek", "invalid-e-fd_advise", "invalid-f-fd_fdstat_set_flags",
    "invalid-g-fd_fdstat_set_rights", "invalid-h-path_open", "invalid-i-fd_filestat_set_times",
    "invalid-j-path_filestat_get", "invalid-k-path_open", "invalid-l-path_open", "invalid-m-path_link",
    "invalid-n-proc_raise", "invalid-o-sock_shutdown", "invalid-p-sock_recv", "invalid-q-sock_accept",
    "invalid-r-poll_oneoff", "invalid-s-poll_oneoff", "invalid-t-poll_oneoff",
    "invalid-u-fd_filestat_set_times", "invalid-v-path_open", "trap-a-args_sizes_get", "trap-b-args_get",
    "trap-c-environ_get", "trap-d-environ_sizes_get", "trap-e-clock_time_get", "trap-f-clock_res_get",
    "trap-g-fd_write", "trap-h-fd_write", "trap-i-fd_write", "trap-j-fd_read", "trap-k-fd_fdstat_get",
    "trap-l-random_get", "trap-m-poll_oneoff", "trap-n-fd_prestat_get", "trap-o-fd_prestat_dir_name",
    "trap-p-path_open", "trap-r-fd_filestat_get", "trap-s-fd_readdir", "trap-t-path_readlink",
    "trap-u-fd_seek", "trap-v-path_filestat_get", "trap-w-fd_write", "trap-x-fd_write",
    "trap-y-path_create_directory", "trap-z-fd_pread", "args", "args-none", "environ", "environ-none",
    "clock", "fd_write", "fd_read", "fd_read-empty-stdin", "fd_fdstat_set_rights", "prestat", "filestat",
    "path_readlink", "path_resolution", "c-readdir_sorted", "c-stat_types", "c-stdio_kinds", "c-closed_fd",
    "c-tools-wc", "c-tools-grep",
})
