"""Every `typename` of WASI preview1's typenames.witx, in witx order.

Each constant is named after its witx name in upper case (`$errno` is
`ERRNO`); names inside (cases, flags, fields) are the witx names without `$`.
Doc strings are the witx `;;;` doc comments, one string line per comment line
(a plain `;;` comment inside a doc block is not part of the doc, as for the
witx tooling).  `siflags` is a plain u16 alias in the witx, not a flags type.
`TYPES` lists every named type in witx order.
"""

from __future__ import annotations

from .model import (
    S64, U8, U16, U32, U64,
    Alias, Case, Enum, Field, Flags, Handle, List, Pointer, Record, Union, Variant,
)

SIZE = Alias("size", U32)

FILESIZE = Alias("filesize", U64, doc="Non-negative file size or length of a region within a file.")

TIMESTAMP = Alias("timestamp", U64, doc="Timestamp in nanoseconds.")

CLOCKID = Enum(
    "clockid",
    U32,
    (
        Case(
            "realtime",
            "The clock measuring real time. Time value zero corresponds with\n"
            "1970-01-01T00:00:00Z.",
        ),
        Case(
            "monotonic",
            "The store-wide monotonic clock, which is defined as a clock measuring\n"
            "real time, whose value cannot be adjusted and which cannot have negative\n"
            "clock jumps. The epoch of this clock is undefined. The absolute time\n"
            "value of this clock therefore has no meaning.",
        ),
        Case("process_cputime_id", "The CPU-time clock associated with the current process."),
        Case("thread_cputime_id", "The CPU-time clock associated with the current thread."),
    ),
    doc="Identifiers for clocks.",
)

ERRNO = Enum(
    "errno",
    U16,
    (
        Case("success", "No error occurred. System call completed successfully."),
        Case("2big", "Argument list too long."),
        Case("acces", "Permission denied."),
        Case("addrinuse", "Address in use."),
        Case("addrnotavail", "Address not available."),
        Case("afnosupport", "Address family not supported."),
        Case("again", "Resource unavailable, or operation would block."),
        Case("already", "Connection already in progress."),
        Case("badf", "Bad file descriptor."),
        Case("badmsg", "Bad message."),
        Case("busy", "Device or resource busy."),
        Case("canceled", "Operation canceled."),
        Case("child", "No child processes."),
        Case("connaborted", "Connection aborted."),
        Case("connrefused", "Connection refused."),
        Case("connreset", "Connection reset."),
        Case("deadlk", "Resource deadlock would occur."),
        Case("destaddrreq", "Destination address required."),
        Case("dom", "Mathematics argument out of domain of function."),
        Case("dquot", "Reserved."),
        Case("exist", "File exists."),
        Case("fault", "Bad address."),
        Case("fbig", "File too large."),
        Case("hostunreach", "Host is unreachable."),
        Case("idrm", "Identifier removed."),
        Case("ilseq", "Illegal byte sequence."),
        Case("inprogress", "Operation in progress."),
        Case("intr", "Interrupted function."),
        Case("inval", "Invalid argument."),
        Case("io", "I/O error."),
        Case("isconn", "Socket is connected."),
        Case("isdir", "Is a directory."),
        Case("loop", "Too many levels of symbolic links."),
        Case("mfile", "File descriptor value too large."),
        Case("mlink", "Too many links."),
        Case("msgsize", "Message too large."),
        Case("multihop", "Reserved."),
        Case("nametoolong", "Filename too long."),
        Case("netdown", "Network is down."),
        Case("netreset", "Connection aborted by network."),
        Case("netunreach", "Network unreachable."),
        Case("nfile", "Too many files open in system."),
        Case("nobufs", "No buffer space available."),
        Case("nodev", "No such device."),
        Case("noent", "No such file or directory."),
        Case("noexec", "Executable file format error."),
        Case("nolck", "No locks available."),
        Case("nolink", "Reserved."),
        Case("nomem", "Not enough space."),
        Case("nomsg", "No message of the desired type."),
        Case("noprotoopt", "Protocol not available."),
        Case("nospc", "No space left on device."),
        Case("nosys", "Function not supported."),
        Case("notconn", "The socket is not connected."),
        Case("notdir", "Not a directory or a symbolic link to a directory."),
        Case("notempty", "Directory not empty."),
        Case("notrecoverable", "State not recoverable."),
        Case("notsock", "Not a socket."),
        Case("notsup", "Not supported, or operation not supported on socket."),
        Case("notty", "Inappropriate I/O control operation."),
        Case("nxio", "No such device or address."),
        Case("overflow", "Value too large to be stored in data type."),
        Case("ownerdead", "Previous owner died."),
        Case("perm", "Operation not permitted."),
        Case("pipe", "Broken pipe."),
        Case("proto", "Protocol error."),
        Case("protonosupport", "Protocol not supported."),
        Case("prototype", "Protocol wrong type for socket."),
        Case("range", "Result too large."),
        Case("rofs", "Read-only file system."),
        Case("spipe", "Invalid seek."),
        Case("srch", "No such process."),
        Case("stale", "Reserved."),
        Case("timedout", "Connection timed out."),
        Case("txtbsy", "Text file busy."),
        Case("xdev", "Cross-device link."),
        Case("notcapable", "Extension: Capabilities insufficient."),
    ),
    doc=(
        "Error codes returned by functions.\n"
        "Not all of these error codes are returned by the functions provided by this\n"
        "API; some are used in higher-level library layers, and others are provided\n"
        "merely for alignment with POSIX."
    ),
)

RIGHTS = Flags(
    "rights",
    U64,
    (
        Case(
            "fd_datasync",
            "The right to invoke `fd_datasync`.\n"
            "If `path_open` is set, includes the right to invoke\n"
            "`path_open` with `fdflags::dsync`.",
        ),
        Case(
            "fd_read",
            "The right to invoke `fd_read` and `sock_recv`.\n"
            "If `rights::fd_seek` is set, includes the right to invoke `fd_pread`.",
        ),
        Case("fd_seek", "The right to invoke `fd_seek`. This flag implies `rights::fd_tell`."),
        Case("fd_fdstat_set_flags", "The right to invoke `fd_fdstat_set_flags`."),
        Case(
            "fd_sync",
            "The right to invoke `fd_sync`.\n"
            "If `path_open` is set, includes the right to invoke\n"
            "`path_open` with `fdflags::rsync` and `fdflags::dsync`.",
        ),
        Case(
            "fd_tell",
            "The right to invoke `fd_seek` in such a way that the file offset\n"
            "remains unaltered (i.e., `whence::cur` with offset zero), or to\n"
            "invoke `fd_tell`.",
        ),
        Case(
            "fd_write",
            "The right to invoke `fd_write` and `sock_send`.\n"
            "If `rights::fd_seek` is set, includes the right to invoke `fd_pwrite`.",
        ),
        Case("fd_advise", "The right to invoke `fd_advise`."),
        Case("fd_allocate", "The right to invoke `fd_allocate`."),
        Case("path_create_directory", "The right to invoke `path_create_directory`."),
        Case(
            "path_create_file",
            "If `path_open` is set, the right to invoke `path_open` with `oflags::creat`.",
        ),
        Case(
            "path_link_source",
            "The right to invoke `path_link` with the file descriptor as the\n"
            "source directory.",
        ),
        Case(
            "path_link_target",
            "The right to invoke `path_link` with the file descriptor as the\n"
            "target directory.",
        ),
        Case("path_open", "The right to invoke `path_open`."),
        Case("fd_readdir", "The right to invoke `fd_readdir`."),
        Case("path_readlink", "The right to invoke `path_readlink`."),
        Case(
            "path_rename_source",
            "The right to invoke `path_rename` with the file descriptor as the source directory.",
        ),
        Case(
            "path_rename_target",
            "The right to invoke `path_rename` with the file descriptor as the target directory.",
        ),
        Case("path_filestat_get", "The right to invoke `path_filestat_get`."),
        Case(
            "path_filestat_set_size",
            "The right to change a file's size.\n"
            "If `path_open` is set, includes the right to invoke `path_open` with `oflags::trunc`.\n"
            "Note: there is no function named `path_filestat_set_size`. This follows POSIX design,\n"
            "which only has `ftruncate` and does not provide `ftruncateat`.\n"
            "While such function would be desirable from the API design perspective, there are virtually\n"
            "no use cases for it since no code written for POSIX systems would use it.\n"
            "Moreover, implementing it would require multiple syscalls, leading to inferior performance.",
        ),
        Case("path_filestat_set_times", "The right to invoke `path_filestat_set_times`."),
        Case("fd_filestat_get", "The right to invoke `fd_filestat_get`."),
        Case("fd_filestat_set_size", "The right to invoke `fd_filestat_set_size`."),
        Case("fd_filestat_set_times", "The right to invoke `fd_filestat_set_times`."),
        Case("path_symlink", "The right to invoke `path_symlink`."),
        Case("path_remove_directory", "The right to invoke `path_remove_directory`."),
        Case("path_unlink_file", "The right to invoke `path_unlink_file`."),
        Case(
            "poll_fd_readwrite",
            "If `rights::fd_read` is set, includes the right to invoke `poll_oneoff` to subscribe to `eventtype::fd_read`.\n"
            "If `rights::fd_write` is set, includes the right to invoke `poll_oneoff` to subscribe to `eventtype::fd_write`.",
        ),
        Case("sock_shutdown", "The right to invoke `sock_shutdown`."),
        Case("sock_accept", "The right to invoke `sock_accept`."),
    ),
    doc="File descriptor rights, determining which actions may be performed.",
)

FD = Handle("fd", doc="A file descriptor handle.")

IOVEC = Record(
    "iovec",
    (
        Field("buf", Pointer(U8), "The address of the buffer to be filled."),
        Field("buf_len", SIZE, "The length of the buffer to be filled."),
    ),
    doc="A region of memory for scatter/gather reads.",
)

CIOVEC = Record(
    "ciovec",
    (
        Field("buf", Pointer(U8, const=True), "The address of the buffer to be written."),
        Field("buf_len", SIZE, "The length of the buffer to be written."),
    ),
    doc="A region of memory for scatter/gather writes.",
)

IOVEC_ARRAY = Alias("iovec_array", List(IOVEC))

CIOVEC_ARRAY = Alias("ciovec_array", List(CIOVEC))

FILEDELTA = Alias("filedelta", S64, doc="Relative offset within a file.")

WHENCE = Enum(
    "whence",
    U8,
    (
        Case("set", "Seek relative to start-of-file."),
        Case("cur", "Seek relative to current position."),
        Case("end", "Seek relative to end-of-file."),
    ),
    doc="The position relative to which to set the offset of the file descriptor.",
)

DIRCOOKIE = Alias(
    "dircookie",
    U64,
    doc=(
        "A reference to the offset of a directory entry.\n"
        "\n"
        "The value 0 signifies the start of the directory."
    ),
)

DIRNAMLEN = Alias(
    "dirnamlen",
    U32,
    doc="The type for the `dirent::d_namlen` field of `dirent` struct.",
)

INODE = Alias("inode", U64, doc="File serial number that is unique within its file system.")

FILETYPE = Enum(
    "filetype",
    U8,
    (
        Case(
            "unknown",
            "The type of the file descriptor or file is unknown or is different from any of the other types specified.",
        ),
        Case("block_device", "The file descriptor or file refers to a block device inode."),
        Case("character_device", "The file descriptor or file refers to a character device inode."),
        Case("directory", "The file descriptor or file refers to a directory inode."),
        Case("regular_file", "The file descriptor or file refers to a regular file inode."),
        Case("socket_dgram", "The file descriptor or file refers to a datagram socket."),
        Case("socket_stream", "The file descriptor or file refers to a byte-stream socket."),
        Case("symbolic_link", "The file refers to a symbolic link inode."),
    ),
    doc="The type of a file descriptor or file.",
)

DIRENT = Record(
    "dirent",
    (
        Field(
            "d_next",
            DIRCOOKIE,
            "The offset of the next directory entry stored in this directory.",
        ),
        Field("d_ino", INODE, "The serial number of the file referred to by this directory entry."),
        Field("d_namlen", DIRNAMLEN, "The length of the name of the directory entry."),
        Field("d_type", FILETYPE, "The type of the file referred to by this directory entry."),
    ),
    doc="A directory entry.",
)

ADVICE = Enum(
    "advice",
    U8,
    (
        Case(
            "normal",
            "The application has no advice to give on its behavior with respect to the specified data.",
        ),
        Case(
            "sequential",
            "The application expects to access the specified data sequentially from lower offsets to higher offsets.",
        ),
        Case("random", "The application expects to access the specified data in a random order."),
        Case(
            "willneed",
            "The application expects to access the specified data in the near future.",
        ),
        Case(
            "dontneed",
            "The application expects that it will not access the specified data in the near future.",
        ),
        Case(
            "noreuse",
            "The application expects to access the specified data once and then not reuse it thereafter.",
        ),
    ),
    doc="File or memory access pattern advisory information.",
)

FDFLAGS = Flags(
    "fdflags",
    U16,
    (
        Case(
            "append",
            "Append mode: Data written to the file is always appended to the file's end.",
        ),
        Case(
            "dsync",
            "Write according to synchronized I/O data integrity completion. Only the data stored in the file is synchronized.",
        ),
        Case("nonblock", "Non-blocking mode."),
        Case("rsync", "Synchronized read I/O operations."),
        Case(
            "sync",
            "Write according to synchronized I/O file integrity completion. In\n"
            "addition to synchronizing the data stored in the file, the implementation\n"
            "may also synchronously update the file's metadata.",
        ),
    ),
    doc="File descriptor flags.",
)

FDSTAT = Record(
    "fdstat",
    (
        Field("fs_filetype", FILETYPE, "File type."),
        Field("fs_flags", FDFLAGS, "File descriptor flags."),
        Field("fs_rights_base", RIGHTS, "Rights that apply to this file descriptor."),
        Field(
            "fs_rights_inheriting",
            RIGHTS,
            "Maximum set of rights that may be installed on new file descriptors that\n"
            "are created through this file descriptor, e.g., through `path_open`.",
        ),
    ),
    doc="File descriptor attributes.",
)

DEVICE = Alias(
    "device",
    U64,
    doc=(
        "Identifier for a device containing a file system. Can be used in combination\n"
        "with `inode` to uniquely identify a file or directory in the filesystem."
    ),
)

FSTFLAGS = Flags(
    "fstflags",
    U16,
    (
        Case(
            "atim",
            "Adjust the last data access timestamp to the value stored in `filestat::atim`.",
        ),
        Case(
            "atim_now",
            "Adjust the last data access timestamp to the time of clock `clockid::realtime`.",
        ),
        Case(
            "mtim",
            "Adjust the last data modification timestamp to the value stored in `filestat::mtim`.",
        ),
        Case(
            "mtim_now",
            "Adjust the last data modification timestamp to the time of clock `clockid::realtime`.",
        ),
    ),
    doc="Which file time attributes to adjust.",
)

LOOKUPFLAGS = Flags(
    "lookupflags",
    U32,
    (
        Case(
            "symlink_follow",
            "As long as the resolved path corresponds to a symbolic link, it is expanded.",
        ),
    ),
    doc="Flags determining the method of how paths are resolved.",
)

OFLAGS = Flags(
    "oflags",
    U16,
    (
        Case("creat", "Create file if it does not exist."),
        Case("directory", "Fail if not a directory."),
        Case("excl", "Fail if file already exists."),
        Case("trunc", "Truncate file to size 0."),
    ),
    doc="Open flags used by `path_open`.",
)

LINKCOUNT = Alias("linkcount", U64, doc="Number of hard links to an inode.")

FILESTAT = Record(
    "filestat",
    (
        Field("dev", DEVICE, "Device ID of device containing the file."),
        Field("ino", INODE, "File serial number."),
        Field("filetype", FILETYPE, "File type."),
        Field("nlink", LINKCOUNT, "Number of hard links to the file."),
        Field(
            "size",
            FILESIZE,
            "For regular files, the file size in bytes. For symbolic links, the length in bytes of the pathname contained in the symbolic link.",
        ),
        Field(
            "atim",
            TIMESTAMP,
            "Last data access timestamp.\n"
            "This can be 0 if the underlying platform doesn't provide suitable\n"
            "timestamp for this file.",
        ),
        Field(
            "mtim",
            TIMESTAMP,
            "Last data modification timestamp.\n"
            "This can be 0 if the underlying platform doesn't provide suitable\n"
            "timestamp for this file.",
        ),
        Field(
            "ctim",
            TIMESTAMP,
            "Last file status change timestamp.\n"
            "This can be 0 if the underlying platform doesn't provide suitable\n"
            "timestamp for this file.",
        ),
    ),
    doc="File attributes.",
)

USERDATA = Alias(
    "userdata",
    U64,
    doc=(
        "User-provided value that may be attached to objects that is retained when\n"
        "extracted from the implementation."
    ),
)

EVENTTYPE = Enum(
    "eventtype",
    U8,
    (
        Case(
            "clock",
            "The time value of clock `subscription_clock::id` has\n"
            "reached timestamp `subscription_clock::timeout`.",
        ),
        Case(
            "fd_read",
            "File descriptor `subscription_fd_readwrite::file_descriptor` has data\n"
            "available for reading. This event always triggers for regular files.",
        ),
        Case(
            "fd_write",
            "File descriptor `subscription_fd_readwrite::file_descriptor` has capacity\n"
            "available for writing. This event always triggers for regular files.",
        ),
    ),
    doc="Type of a subscription to an event or its occurrence.",
)

EVENTRWFLAGS = Flags(
    "eventrwflags",
    U16,
    (
        Case("fd_readwrite_hangup", "The peer of this socket has closed or disconnected."),
    ),
    doc=(
        "The state of the file descriptor subscribed to with\n"
        "`eventtype::fd_read` or `eventtype::fd_write`."
    ),
)

EVENT_FD_READWRITE = Record(
    "event_fd_readwrite",
    (
        Field("nbytes", FILESIZE, "The number of bytes available for reading or writing."),
        Field("flags", EVENTRWFLAGS, "The state of the file descriptor."),
    ),
    doc=(
        "The contents of an `event` when type is `eventtype::fd_read` or\n"
        "`eventtype::fd_write`."
    ),
)

EVENT = Record(
    "event",
    (
        Field(
            "userdata",
            USERDATA,
            "User-provided value that got attached to `subscription::userdata`.",
        ),
        Field(
            "error",
            ERRNO,
            "If non-zero, an error that occurred while processing the subscription request.",
        ),
        Field("type", EVENTTYPE, "The type of event that occurred"),
        Field(
            "fd_readwrite",
            EVENT_FD_READWRITE,
            "The contents of the event, if it is an `eventtype::fd_read` or\n"
            "`eventtype::fd_write`. `eventtype::clock` events ignore this field.",
        ),
    ),
    doc="An event that occurred.",
)

SUBCLOCKFLAGS = Flags(
    "subclockflags",
    U16,
    (
        Case(
            "subscription_clock_abstime",
            "If set, treat the timestamp provided in\n"
            "`subscription_clock::timeout` as an absolute timestamp of clock\n"
            "`subscription_clock::id`. If clear, treat the timestamp\n"
            "provided in `subscription_clock::timeout` relative to the\n"
            "current time value of clock `subscription_clock::id`.",
        ),
    ),
    doc=(
        "Flags determining how to interpret the timestamp provided in\n"
        "`subscription_clock::timeout`."
    ),
)

SUBSCRIPTION_CLOCK = Record(
    "subscription_clock",
    (
        Field("id", CLOCKID, "The clock against which to compare the timestamp."),
        Field("timeout", TIMESTAMP, "The absolute or relative timestamp."),
        Field(
            "precision",
            TIMESTAMP,
            "The amount of time that the implementation may wait additionally\n"
            "to coalesce with other events.",
        ),
        Field(
            "flags",
            SUBCLOCKFLAGS,
            "Flags specifying whether the timeout is absolute or relative",
        ),
    ),
    doc="The contents of a `subscription` when type is `eventtype::clock`.",
)

SUBSCRIPTION_FD_READWRITE = Record(
    "subscription_fd_readwrite",
    (
        Field(
            "file_descriptor",
            FD,
            "The file descriptor on which to wait for it to become ready for reading or writing.",
        ),
    ),
    doc=(
        "The contents of a `subscription` when type is type is\n"
        "`eventtype::fd_read` or `eventtype::fd_write`."
    ),
)

SUBSCRIPTION_U = Union(
    "subscription_u",
    EVENTTYPE,
    (
        Variant("clock", SUBSCRIPTION_CLOCK),
        Variant("fd_read", SUBSCRIPTION_FD_READWRITE),
        Variant("fd_write", SUBSCRIPTION_FD_READWRITE),
    ),
    doc="The contents of a `subscription`.",
)

SUBSCRIPTION = Record(
    "subscription",
    (
        Field(
            "userdata",
            USERDATA,
            "User-provided value that is attached to the subscription in the\n"
            "implementation and returned through `event::userdata`.",
        ),
        Field("u", SUBSCRIPTION_U, "The type of the event to which to subscribe, and its contents"),
    ),
    doc="Subscription to an event.",
)

EXITCODE = Alias("exitcode", U32, doc="Exit code generated by a process when exiting.")

SIGNAL = Enum(
    "signal",
    U8,
    (
        Case(
            "none",
            "No signal. Note that POSIX has special semantics for `kill(pid, 0)`,\n"
            "so this value is reserved.",
        ),
        Case(
            "hup",
            "Hangup.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "int",
            "Terminate interrupt signal.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "quit",
            "Terminal quit signal.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "ill",
            "Illegal instruction.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "trap",
            "Trace/breakpoint trap.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "abrt",
            "Process abort signal.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "bus",
            "Access to an undefined portion of a memory object.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "fpe",
            "Erroneous arithmetic operation.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "kill",
            "Kill.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "usr1",
            "User-defined signal 1.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "segv",
            "Invalid memory reference.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "usr2",
            "User-defined signal 2.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "pipe",
            "Write on a pipe with no one to read it.\n"
            "Action: Ignored.",
        ),
        Case(
            "alrm",
            "Alarm clock.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "term",
            "Termination signal.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "chld",
            "Child process terminated, stopped, or continued.\n"
            "Action: Ignored.",
        ),
        Case(
            "cont",
            "Continue executing, if stopped.\n"
            "Action: Continues executing, if stopped.",
        ),
        Case(
            "stop",
            "Stop executing.\n"
            "Action: Stops executing.",
        ),
        Case(
            "tstp",
            "Terminal stop signal.\n"
            "Action: Stops executing.",
        ),
        Case(
            "ttin",
            "Background process attempting read.\n"
            "Action: Stops executing.",
        ),
        Case(
            "ttou",
            "Background process attempting write.\n"
            "Action: Stops executing.",
        ),
        Case(
            "urg",
            "High bandwidth data is available at a socket.\n"
            "Action: Ignored.",
        ),
        Case(
            "xcpu",
            "CPU time limit exceeded.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "xfsz",
            "File size limit exceeded.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "vtalrm",
            "Virtual timer expired.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "prof",
            "Profiling timer expired.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "winch",
            "Window changed.\n"
            "Action: Ignored.",
        ),
        Case(
            "poll",
            "I/O possible.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "pwr",
            "Power failure.\n"
            "Action: Terminates the process.",
        ),
        Case(
            "sys",
            "Bad system call.\n"
            "Action: Terminates the process.",
        ),
    ),
    doc="Signal condition.",
)

RIFLAGS = Flags(
    "riflags",
    U16,
    (
        Case(
            "recv_peek",
            "Returns the message without removing it from the socket's receive queue.",
        ),
        Case(
            "recv_waitall",
            "On byte-stream sockets, block until the full amount of data can be returned.",
        ),
    ),
    doc="Flags provided to `sock_recv`.",
)

ROFLAGS = Flags(
    "roflags",
    U16,
    (
        Case("recv_data_truncated", "Returned by `sock_recv`: Message data has been truncated."),
    ),
    doc="Flags returned by `sock_recv`.",
)

SIFLAGS = Alias(
    "siflags",
    U16,
    doc=(
        "Flags provided to `sock_send`. As there are currently no flags\n"
        "defined, it must be set to zero."
    ),
)

SDFLAGS = Flags(
    "sdflags",
    U8,
    (
        Case("rd", "Disables further receive operations."),
        Case("wr", "Disables further send operations."),
    ),
    doc="Which channels on a socket to shut down.",
)

PREOPENTYPE = Enum(
    "preopentype",
    U8,
    (
        Case("dir", "A pre-opened directory."),
    ),
    doc="Identifiers for preopened capabilities.",
)

PRESTAT_DIR = Record(
    "prestat_dir",
    (
        Field(
            "pr_name_len",
            SIZE,
            "The length of the directory name for use with `fd_prestat_dir_name`.",
        ),
    ),
    doc="The contents of a `prestat` when type is `preopentype::dir`.",
)

PRESTAT = Union(
    "prestat",
    PREOPENTYPE,
    (
        Variant("dir", PRESTAT_DIR),
    ),
    doc="Information about a pre-opened capability.",
)


TYPES: tuple = (
    SIZE,
    FILESIZE,
    TIMESTAMP,
    CLOCKID,
    ERRNO,
    RIGHTS,
    FD,
    IOVEC,
    CIOVEC,
    IOVEC_ARRAY,
    CIOVEC_ARRAY,
    FILEDELTA,
    WHENCE,
    DIRCOOKIE,
    DIRNAMLEN,
    INODE,
    FILETYPE,
    DIRENT,
    ADVICE,
    FDFLAGS,
    FDSTAT,
    DEVICE,
    FSTFLAGS,
    LOOKUPFLAGS,
    OFLAGS,
    LINKCOUNT,
    FILESTAT,
    USERDATA,
    EVENTTYPE,
    EVENTRWFLAGS,
    EVENT_FD_READWRITE,
    EVENT,
    SUBCLOCKFLAGS,
    SUBSCRIPTION_CLOCK,
    SUBSCRIPTION_FD_READWRITE,
    SUBSCRIPTION_U,
    SUBSCRIPTION,
    EXITCODE,
    SIGNAL,
    RIFLAGS,
    ROFLAGS,
    SIFLAGS,
    SDFLAGS,
    PREOPENTYPE,
    PRESTAT_DIR,
    PRESTAT,
)

__all__ = [
    "SIZE",
    "FILESIZE",
    "TIMESTAMP",
    "CLOCKID",
    "ERRNO",
    "RIGHTS",
    "FD",
    "IOVEC",
    "CIOVEC",
    "IOVEC_ARRAY",
    "CIOVEC_ARRAY",
    "FILEDELTA",
    "WHENCE",
    "DIRCOOKIE",
    "DIRNAMLEN",
    "INODE",
    "FILETYPE",
    "DIRENT",
    "ADVICE",
    "FDFLAGS",
    "FDSTAT",
    "DEVICE",
    "FSTFLAGS",
    "LOOKUPFLAGS",
    "OFLAGS",
    "LINKCOUNT",
    "FILESTAT",
    "USERDATA",
    "EVENTTYPE",
    "EVENTRWFLAGS",
    "EVENT_FD_READWRITE",
    "EVENT",
    "SUBCLOCKFLAGS",
    "SUBSCRIPTION_CLOCK",
    "SUBSCRIPTION_FD_READWRITE",
    "SUBSCRIPTION_U",
    "SUBSCRIPTION",
    "EXITCODE",
    "SIGNAL",
    "RIFLAGS",
    "ROFLAGS",
    "SIFLAGS",
    "SDFLAGS",
    "PREOPENTYPE",
    "PRESTAT_DIR",
    "PRESTAT",
    "TYPES",
]
