"""The 46 functions of WASI preview1's wasi_snapshot_preview1.witx, in witx order.

Each constant is named after the export in upper case (`fd_read` is
`FD_READ`).  `doc` is the function's `;;;` doc comment, `result_doc` the one
on its `(result $error ...)`, and each param's doc the one on that param.
`result_names` are ours (the witx does not name the ok values): wazero's
POSIX-style names (`nread`, `opened_fd`, ...).
`FUNCTIONS` lists all of them in witx order.
"""

from __future__ import annotations

from .model import STRING, U8, Expected, Function, Param, Pointer, Tuple
from .types import (
    ADVICE,
    CIOVEC_ARRAY,
    CLOCKID,
    DIRCOOKIE,
    ERRNO,
    EVENT,
    EXITCODE,
    FD,
    FDFLAGS,
    FDSTAT,
    FILEDELTA,
    FILESIZE,
    FILESTAT,
    FSTFLAGS,
    IOVEC_ARRAY,
    LOOKUPFLAGS,
    OFLAGS,
    PRESTAT,
    RIFLAGS,
    RIGHTS,
    ROFLAGS,
    SDFLAGS,
    SIFLAGS,
    SIGNAL,
    SIZE,
    SUBSCRIPTION,
    TIMESTAMP,
    WHENCE,
)

ARGS_GET = Function(
    "args_get",
    params=(
        Param("argv", Pointer(Pointer(U8))),
        Param("argv_buf", Pointer(U8)),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Read command-line argument data.\n"
        "\n"
        "The size of the array should match that returned by `args_sizes_get`.\n"
        "\n"
        "Each argument is expected to be `\\0` terminated.\n"
        "\n"
        "The first argument should be a string containing the \"name\" of the\n"
        "program. This need not be a usable filesystem path or even file name,\n"
        "and may even be a fixed string. Subsequent arguments are the arguments\n"
        "passed to the program by the user."
    ),
)

ARGS_SIZES_GET = Function(
    "args_sizes_get",
    params=(),
    result=Expected(Tuple((SIZE, SIZE)), ERRNO),
    doc="Return command-line argument data sizes.",
    result_doc=(
        "Returns the number of arguments and the size of the argument string\n"
        "data, or an error."
    ),
    result_names=("argc", "argv_len"),
)

ENVIRON_GET = Function(
    "environ_get",
    params=(
        Param("environ", Pointer(Pointer(U8))),
        Param("environ_buf", Pointer(U8)),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Read environment variable data.\n"
        "The sizes of the buffers should match that returned by `environ_sizes_get`.\n"
        "Key/value pairs are expected to be joined with `=`s, and terminated with `\\0`s."
    ),
)

ENVIRON_SIZES_GET = Function(
    "environ_sizes_get",
    params=(),
    result=Expected(Tuple((SIZE, SIZE)), ERRNO),
    doc="Return environment variable data sizes.",
    result_doc=(
        "Returns the number of environment variable arguments and the size of the\n"
        "environment variable data."
    ),
    result_names=("environc", "environv_len"),
)

CLOCK_RES_GET = Function(
    "clock_res_get",
    params=(
        Param("id", CLOCKID, "The clock for which to return the resolution."),
    ),
    result=Expected(TIMESTAMP, ERRNO),
    doc=(
        "Return the resolution of a clock.\n"
        "Implementations are required to provide a non-zero value for supported clocks. For unsupported clocks,\n"
        "return `errno::inval`.\n"
        "Note: This is similar to `clock_getres` in POSIX."
    ),
    result_doc="The resolution of the clock, or an error if one happened.",
    result_names=("resolution",),
)

CLOCK_TIME_GET = Function(
    "clock_time_get",
    params=(
        Param("id", CLOCKID, "The clock for which to return the time."),
        Param(
            "precision",
            TIMESTAMP,
            "The maximum lag (exclusive) that the returned time value may have, compared to its actual value.",
        ),
    ),
    result=Expected(TIMESTAMP, ERRNO),
    doc=(
        "Return the time value of a clock.\n"
        "Note: This is similar to `clock_gettime` in POSIX."
    ),
    result_doc="The time value of the clock.",
    result_names=("timestamp",),
)

FD_ADVISE = Function(
    "fd_advise",
    params=(
        Param("fd", FD),
        Param("offset", FILESIZE, "The offset within the file to which the advisory applies."),
        Param("len", FILESIZE, "The length of the region to which the advisory applies."),
        Param("advice", ADVICE, "The advice."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Provide file advisory information on a file descriptor.\n"
        "Note: This is similar to `posix_fadvise` in POSIX."
    ),
)

FD_ALLOCATE = Function(
    "fd_allocate",
    params=(
        Param("fd", FD),
        Param("offset", FILESIZE, "The offset at which to start the allocation."),
        Param("len", FILESIZE, "The length of the area that is allocated."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Force the allocation of space in a file.\n"
        "Note: This is similar to `posix_fallocate` in POSIX."
    ),
)

FD_CLOSE = Function(
    "fd_close",
    params=(
        Param("fd", FD),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Close a file descriptor.\n"
        "Note: This is similar to `close` in POSIX."
    ),
)

FD_DATASYNC = Function(
    "fd_datasync",
    params=(
        Param("fd", FD),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Synchronize the data of a file to disk.\n"
        "Note: This is similar to `fdatasync` in POSIX."
    ),
)

FD_FDSTAT_GET = Function(
    "fd_fdstat_get",
    params=(
        Param("fd", FD),
    ),
    result=Expected(FDSTAT, ERRNO),
    doc=(
        "Get the attributes of a file descriptor.\n"
        "Note: This returns similar flags to `fcntl(fd, F_GETFL)` in POSIX, as well as additional fields."
    ),
    result_doc="The buffer where the file descriptor's attributes are stored.",
    result_names=("stat",),
)

FD_FDSTAT_SET_FLAGS = Function(
    "fd_fdstat_set_flags",
    params=(
        Param("fd", FD),
        Param("flags", FDFLAGS, "The desired values of the file descriptor flags."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Adjust the flags associated with a file descriptor.\n"
        "Note: This is similar to `fcntl(fd, F_SETFL, flags)` in POSIX."
    ),
)

FD_FDSTAT_SET_RIGHTS = Function(
    "fd_fdstat_set_rights",
    params=(
        Param("fd", FD),
        Param("fs_rights_base", RIGHTS, "The desired rights of the file descriptor."),
        Param("fs_rights_inheriting", RIGHTS),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Adjust the rights associated with a file descriptor.\n"
        "This can only be used to remove rights, and returns `errno::notcapable` if called in a way that would attempt to add rights"
    ),
)

FD_FILESTAT_GET = Function(
    "fd_filestat_get",
    params=(
        Param("fd", FD),
    ),
    result=Expected(FILESTAT, ERRNO),
    doc="Return the attributes of an open file.",
    result_doc="The buffer where the file's attributes are stored.",
    result_names=("buf",),
)

FD_FILESTAT_SET_SIZE = Function(
    "fd_filestat_set_size",
    params=(
        Param("fd", FD),
        Param("size", FILESIZE, "The desired file size."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Adjust the size of an open file. If this increases the file's size, the extra bytes are filled with zeros.\n"
        "Note: This is similar to `ftruncate` in POSIX."
    ),
)

FD_FILESTAT_SET_TIMES = Function(
    "fd_filestat_set_times",
    params=(
        Param("fd", FD),
        Param("atim", TIMESTAMP, "The desired values of the data access timestamp."),
        Param("mtim", TIMESTAMP, "The desired values of the data modification timestamp."),
        Param("fst_flags", FSTFLAGS, "A bitmask indicating which timestamps to adjust."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Adjust the timestamps of an open file or directory.\n"
        "Note: This is similar to `futimens` in POSIX."
    ),
)

FD_PREAD = Function(
    "fd_pread",
    params=(
        Param("fd", FD),
        Param("iovs", IOVEC_ARRAY, "List of scatter/gather vectors in which to store data."),
        Param("offset", FILESIZE, "The offset within the file at which to read."),
    ),
    result=Expected(SIZE, ERRNO),
    doc=(
        "Read from a file descriptor, without using and updating the file descriptor's offset.\n"
        "Note: This is similar to `preadv` in Linux (and other Unix-es)."
    ),
    result_doc="The number of bytes read.",
    result_names=("nread",),
)

FD_PRESTAT_GET = Function(
    "fd_prestat_get",
    params=(
        Param("fd", FD),
    ),
    result=Expected(PRESTAT, ERRNO),
    doc="Return a description of the given preopened file descriptor.",
    result_doc="The buffer where the description is stored.",
    result_names=("prestat",),
)

FD_PRESTAT_DIR_NAME = Function(
    "fd_prestat_dir_name",
    params=(
        Param("fd", FD),
        Param("path", Pointer(U8), "A buffer into which to write the preopened directory name."),
        Param("path_len", SIZE),
    ),
    result=Expected(None, ERRNO),
    doc="Return a description of the given preopened file descriptor.",
)

FD_PWRITE = Function(
    "fd_pwrite",
    params=(
        Param("fd", FD),
        Param("iovs", CIOVEC_ARRAY, "List of scatter/gather vectors from which to retrieve data."),
        Param("offset", FILESIZE, "The offset within the file at which to write."),
    ),
    result=Expected(SIZE, ERRNO),
    doc=(
        "Write to a file descriptor, without using and updating the file descriptor's offset.\n"
        "Note: This is similar to `pwritev` in Linux (and other Unix-es).\n"
        "\n"
        "Like Linux (and other Unix-es), any calls of `pwrite` (and other\n"
        "functions to read or write) for a regular file by other threads in the\n"
        "WASI process should not be interleaved while `pwrite` is executed."
    ),
    result_doc="The number of bytes written.",
    result_names=("nwritten",),
)

FD_READ = Function(
    "fd_read",
    params=(
        Param("fd", FD),
        Param("iovs", IOVEC_ARRAY, "List of scatter/gather vectors to which to store data."),
    ),
    result=Expected(SIZE, ERRNO),
    doc=(
        "Read from a file descriptor.\n"
        "Note: This is similar to `readv` in POSIX."
    ),
    result_doc="The number of bytes read.",
    result_names=("nread",),
)

FD_READDIR = Function(
    "fd_readdir",
    params=(
        Param("fd", FD),
        Param("buf", Pointer(U8), "The buffer where directory entries are stored"),
        Param("buf_len", SIZE),
        Param("cookie", DIRCOOKIE, "The location within the directory to start reading"),
    ),
    result=Expected(SIZE, ERRNO),
    doc=(
        "Read directory entries from a directory.\n"
        "When successful, the contents of the output buffer consist of a sequence of\n"
        "directory entries. Each directory entry consists of a `dirent` object,\n"
        "followed by `dirent::d_namlen` bytes holding the name of the directory\n"
        "entry.\n"
        "This function fills the output buffer as much as possible, potentially\n"
        "truncating the last directory entry. This allows the caller to grow its\n"
        "read buffer size in case it's too small to fit a single large directory\n"
        "entry, or skip the oversized directory entry.\n"
        "\n"
        "Entries for the special `.` and `..` directory entries are included in the\n"
        "sequence."
    ),
    result_doc="The number of bytes stored in the read buffer. If less than the size of the read buffer, the end of the directory has been reached.",
    result_names=("bufused",),
)

FD_RENUMBER = Function(
    "fd_renumber",
    params=(
        Param("fd", FD),
        Param("to", FD, "The file descriptor to overwrite."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Atomically replace a file descriptor by renumbering another file descriptor.\n"
        "Due to the strong focus on thread safety, this environment does not provide\n"
        "a mechanism to duplicate or renumber a file descriptor to an arbitrary\n"
        "number, like `dup2()`. This would be prone to race conditions, as an actual\n"
        "file descriptor with the same number could be allocated by a different\n"
        "thread at the same time.\n"
        "This function provides a way to atomically renumber file descriptors, which\n"
        "would disappear if `dup2()` were to be removed entirely."
    ),
)

FD_SEEK = Function(
    "fd_seek",
    params=(
        Param("fd", FD),
        Param("offset", FILEDELTA, "The number of bytes to move."),
        Param("whence", WHENCE, "The base from which the offset is relative."),
    ),
    result=Expected(FILESIZE, ERRNO),
    doc=(
        "Move the offset of a file descriptor.\n"
        "Note: This is similar to `lseek` in POSIX."
    ),
    result_doc="The new offset of the file descriptor, relative to the start of the file.",
    result_names=("newoffset",),
)

FD_SYNC = Function(
    "fd_sync",
    params=(
        Param("fd", FD),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Synchronize the data and metadata of a file to disk.\n"
        "Note: This is similar to `fsync` in POSIX."
    ),
)

FD_TELL = Function(
    "fd_tell",
    params=(
        Param("fd", FD),
    ),
    result=Expected(FILESIZE, ERRNO),
    doc=(
        "Return the current offset of a file descriptor.\n"
        "Note: This is similar to `lseek(fd, 0, SEEK_CUR)` in POSIX."
    ),
    result_doc="The current offset of the file descriptor, relative to the start of the file.",
    result_names=("offset",),
)

FD_WRITE = Function(
    "fd_write",
    params=(
        Param("fd", FD),
        Param("iovs", CIOVEC_ARRAY, "List of scatter/gather vectors from which to retrieve data."),
    ),
    result=Expected(SIZE, ERRNO),
    doc=(
        "Write to a file descriptor.\n"
        "Note: This is similar to `writev` in POSIX.\n"
        "\n"
        "Like POSIX, any calls of `write` (and other functions to read or write)\n"
        "for a regular file by other threads in the WASI process should not be\n"
        "interleaved while `write` is executed."
    ),
    result_names=("nwritten",),
)

PATH_CREATE_DIRECTORY = Function(
    "path_create_directory",
    params=(
        Param("fd", FD),
        Param("path", STRING, "The path at which to create the directory."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Create a directory.\n"
        "Note: This is similar to `mkdirat` in POSIX."
    ),
)

PATH_FILESTAT_GET = Function(
    "path_filestat_get",
    params=(
        Param("fd", FD),
        Param("flags", LOOKUPFLAGS, "Flags determining the method of how the path is resolved."),
        Param("path", STRING, "The path of the file or directory to inspect."),
    ),
    result=Expected(FILESTAT, ERRNO),
    doc=(
        "Return the attributes of a file or directory.\n"
        "Note: This is similar to `stat` in POSIX."
    ),
    result_doc="The buffer where the file's attributes are stored.",
    result_names=("buf",),
)

PATH_FILESTAT_SET_TIMES = Function(
    "path_filestat_set_times",
    params=(
        Param("fd", FD),
        Param("flags", LOOKUPFLAGS, "Flags determining the method of how the path is resolved."),
        Param("path", STRING, "The path of the file or directory to operate on."),
        Param("atim", TIMESTAMP, "The desired values of the data access timestamp."),
        Param("mtim", TIMESTAMP, "The desired values of the data modification timestamp."),
        Param("fst_flags", FSTFLAGS, "A bitmask indicating which timestamps to adjust."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Adjust the timestamps of a file or directory.\n"
        "Note: This is similar to `utimensat` in POSIX."
    ),
)

PATH_LINK = Function(
    "path_link",
    params=(
        Param("old_fd", FD),
        Param(
            "old_flags",
            LOOKUPFLAGS,
            "Flags determining the method of how the path is resolved.",
        ),
        Param("old_path", STRING, "The source path from which to link."),
        Param(
            "new_fd",
            FD,
            "The working directory at which the resolution of the new path starts.",
        ),
        Param("new_path", STRING, "The destination path at which to create the hard link."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Create a hard link.\n"
        "Note: This is similar to `linkat` in POSIX."
    ),
)

PATH_OPEN = Function(
    "path_open",
    params=(
        Param("fd", FD),
        Param("dirflags", LOOKUPFLAGS, "Flags determining the method of how the path is resolved."),
        Param(
            "path",
            STRING,
            "The relative path of the file or directory to open, relative to the\n"
            "`path_open::fd` directory.",
        ),
        Param("oflags", OFLAGS, "The method by which to open the file."),
        Param(
            "fs_rights_base",
            RIGHTS,
            "The initial rights of the newly created file descriptor. The\n"
            "implementation is allowed to return a file descriptor with fewer rights\n"
            "than specified, if and only if those rights do not apply to the type of\n"
            "file being opened.\n"
            "The *base* rights are rights that will apply to operations using the file\n"
            "descriptor itself, while the *inheriting* rights are rights that apply to\n"
            "file descriptors derived from it.",
        ),
        Param("fs_rights_inheriting", RIGHTS),
        Param("fdflags", FDFLAGS),
    ),
    result=Expected(FD, ERRNO),
    doc=(
        "Open a file or directory.\n"
        "The returned file descriptor is not guaranteed to be the lowest-numbered\n"
        "file descriptor not currently open; it is randomized to prevent\n"
        "applications from depending on making assumptions about indexes, since this\n"
        "is error-prone in multi-threaded contexts. The returned file descriptor is\n"
        "guaranteed to be less than 2**31.\n"
        "Note: This is similar to `openat` in POSIX."
    ),
    result_doc="The file descriptor of the file that has been opened.",
    result_names=("opened_fd",),
)

PATH_READLINK = Function(
    "path_readlink",
    params=(
        Param("fd", FD),
        Param("path", STRING, "The path of the symbolic link from which to read."),
        Param(
            "buf",
            Pointer(U8),
            "The buffer to which to write the contents of the symbolic link.",
        ),
        Param("buf_len", SIZE),
    ),
    result=Expected(SIZE, ERRNO),
    doc=(
        "Read the contents of a symbolic link.\n"
        "Note: This is similar to `readlinkat` in POSIX. If `buf` is not large\n"
        "enough to contain the contents of the link, the first `buf_len` bytes will be\n"
        "be written to `buf`."
    ),
    result_doc="The number of bytes placed in the buffer.",
    result_names=("bufused",),
)

PATH_REMOVE_DIRECTORY = Function(
    "path_remove_directory",
    params=(
        Param("fd", FD),
        Param("path", STRING, "The path to a directory to remove."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Remove a directory.\n"
        "Return `errno::notempty` if the directory is not empty.\n"
        "Note: This is similar to `unlinkat(fd, path, AT_REMOVEDIR)` in POSIX."
    ),
)

PATH_RENAME = Function(
    "path_rename",
    params=(
        Param("fd", FD),
        Param("old_path", STRING, "The source path of the file or directory to rename."),
        Param(
            "new_fd",
            FD,
            "The working directory at which the resolution of the new path starts.",
        ),
        Param("new_path", STRING, "The destination path to which to rename the file or directory."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Rename a file or directory.\n"
        "Note: This is similar to `renameat` in POSIX."
    ),
)

PATH_SYMLINK = Function(
    "path_symlink",
    params=(
        Param("old_path", STRING, "The contents of the symbolic link."),
        Param("fd", FD),
        Param("new_path", STRING, "The destination path at which to create the symbolic link."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Create a symbolic link.\n"
        "Note: This is similar to `symlinkat` in POSIX."
    ),
)

PATH_UNLINK_FILE = Function(
    "path_unlink_file",
    params=(
        Param("fd", FD),
        Param("path", STRING, "The path to a file to unlink."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Unlink a file.\n"
        "Return `errno::isdir` if the path refers to a directory.\n"
        "Note: This is similar to `unlinkat(fd, path, 0)` in POSIX."
    ),
)

POLL_ONEOFF = Function(
    "poll_oneoff",
    params=(
        Param("in", Pointer(SUBSCRIPTION, const=True), "The events to which to subscribe."),
        Param("out", Pointer(EVENT), "The events that have occurred."),
        Param("nsubscriptions", SIZE, "Both the number of subscriptions and events."),
    ),
    result=Expected(SIZE, ERRNO),
    doc=(
        "Concurrently poll for the occurrence of a set of events.\n"
        "\n"
        "If `nsubscriptions` is 0, returns `errno::inval`."
    ),
    result_doc="The number of events stored.",
    result_names=("nevents",),
)

PROC_EXIT = Function(
    "proc_exit",
    params=(
        Param("rval", EXITCODE, "The exit code returned by the process."),
    ),
    result=None,
    doc=(
        "Terminate the process normally. An exit code of 0 indicates successful\n"
        "termination of the program. The meanings of other values is dependent on\n"
        "the environment."
    ),
    noreturn=True,
)

PROC_RAISE = Function(
    "proc_raise",
    params=(
        Param("sig", SIGNAL, "The signal condition to trigger."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Send a signal to the process of the calling thread.\n"
        "Note: This is similar to `raise` in POSIX."
    ),
)

SCHED_YIELD = Function(
    "sched_yield",
    params=(),
    result=Expected(None, ERRNO),
    doc=(
        "Temporarily yield execution of the calling thread.\n"
        "Note: This is similar to `sched_yield` in POSIX."
    ),
)

RANDOM_GET = Function(
    "random_get",
    params=(
        Param("buf", Pointer(U8), "The buffer to fill with random data."),
        Param("buf_len", SIZE),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Write high-quality random data into a buffer.\n"
        "This function blocks when the implementation is unable to immediately\n"
        "provide sufficient high-quality random data."
    ),
)

SOCK_ACCEPT = Function(
    "sock_accept",
    params=(
        Param("fd", FD, "The listening socket."),
        Param("flags", FDFLAGS, "The desired values of the file descriptor flags."),
    ),
    result=Expected(FD, ERRNO),
    doc=(
        "Accept a new incoming connection.\n"
        "Note: This is similar to `accept` in POSIX."
    ),
    result_doc="New socket connection",
    result_names=("fd",),
)

SOCK_RECV = Function(
    "sock_recv",
    params=(
        Param("fd", FD),
        Param("ri_data", IOVEC_ARRAY, "List of scatter/gather vectors to which to store data."),
        Param("ri_flags", RIFLAGS, "Message flags."),
    ),
    result=Expected(Tuple((SIZE, ROFLAGS)), ERRNO),
    doc=(
        "Receive a message from a socket.\n"
        "Note: This is similar to `recv` in POSIX, though it also supports reading\n"
        "the data into multiple buffers in the manner of `readv`."
    ),
    result_doc="Number of bytes stored in ri_data and message flags.",
    result_names=("ro_datalen", "ro_flags"),
)

SOCK_SEND = Function(
    "sock_send",
    params=(
        Param("fd", FD),
        Param("si_data", CIOVEC_ARRAY, "List of scatter/gather vectors to which to retrieve data"),
        Param("si_flags", SIFLAGS, "Message flags."),
    ),
    result=Expected(SIZE, ERRNO),
    doc=(
        "Send a message on a socket.\n"
        "Note: This is similar to `send` in POSIX, though it also supports writing\n"
        "the data from multiple buffers in the manner of `writev`."
    ),
    result_doc="Number of bytes transmitted.",
    result_names=("so_datalen",),
)

SOCK_SHUTDOWN = Function(
    "sock_shutdown",
    params=(
        Param("fd", FD),
        Param("how", SDFLAGS, "Which channels on the socket to shut down."),
    ),
    result=Expected(None, ERRNO),
    doc=(
        "Shut down socket send and receive channels.\n"
        "Note: This is similar to `shutdown` in POSIX."
    ),
)


FUNCTIONS: tuple = (
    ARGS_GET,
    ARGS_SIZES_GET,
    ENVIRON_GET,
    ENVIRON_SIZES_GET,
    CLOCK_RES_GET,
    CLOCK_TIME_GET,
    FD_ADVISE,
    FD_ALLOCATE,
    FD_CLOSE,
    FD_DATASYNC,
    FD_FDSTAT_GET,
    FD_FDSTAT_SET_FLAGS,
    FD_FDSTAT_SET_RIGHTS,
    FD_FILESTAT_GET,
    FD_FILESTAT_SET_SIZE,
    FD_FILESTAT_SET_TIMES,
    FD_PREAD,
    FD_PRESTAT_GET,
    FD_PRESTAT_DIR_NAME,
    FD_PWRITE,
    FD_READ,
    FD_READDIR,
    FD_RENUMBER,
    FD_SEEK,
    FD_SYNC,
    FD_TELL,
    FD_WRITE,
    PATH_CREATE_DIRECTORY,
    PATH_FILESTAT_GET,
    PATH_FILESTAT_SET_TIMES,
    PATH_LINK,
    PATH_OPEN,
    PATH_READLINK,
    PATH_REMOVE_DIRECTORY,
    PATH_RENAME,
    PATH_SYMLINK,
    PATH_UNLINK_FILE,
    POLL_ONEOFF,
    PROC_EXIT,
    PROC_RAISE,
    SCHED_YIELD,
    RANDOM_GET,
    SOCK_ACCEPT,
    SOCK_RECV,
    SOCK_SEND,
    SOCK_SHUTDOWN,
)

__all__ = [
    "ARGS_GET",
    "ARGS_SIZES_GET",
    "ENVIRON_GET",
    "ENVIRON_SIZES_GET",
    "CLOCK_RES_GET",
    "CLOCK_TIME_GET",
    "FD_ADVISE",
    "FD_ALLOCATE",
    "FD_CLOSE",
    "FD_DATASYNC",
    "FD_FDSTAT_GET",
    "FD_FDSTAT_SET_FLAGS",
    "FD_FDSTAT_SET_RIGHTS",
    "FD_FILESTAT_GET",
    "FD_FILESTAT_SET_SIZE",
    "FD_FILESTAT_SET_TIMES",
    "FD_PREAD",
    "FD_PRESTAT_GET",
    "FD_PRESTAT_DIR_NAME",
    "FD_PWRITE",
    "FD_READ",
    "FD_READDIR",
    "FD_RENUMBER",
    "FD_SEEK",
    "FD_SYNC",
    "FD_TELL",
    "FD_WRITE",
    "PATH_CREATE_DIRECTORY",
    "PATH_FILESTAT_GET",
    "PATH_FILESTAT_SET_TIMES",
    "PATH_LINK",
    "PATH_OPEN",
    "PATH_READLINK",
    "PATH_REMOVE_DIRECTORY",
    "PATH_RENAME",
    "PATH_SYMLINK",
    "PATH_UNLINK_FILE",
    "POLL_ONEOFF",
    "PROC_EXIT",
    "PROC_RAISE",
    "SCHED_YIELD",
    "RANDOM_GET",
    "SOCK_ACCEPT",
    "SOCK_RECV",
    "SOCK_SEND",
    "SOCK_SHUTDOWN",
    "FUNCTIONS",
]
