"""The descriptor table: what each fd number refers to, and its rights.

Numbering is wasmtime's: 0-2 are stdio, preopens follow from 3 in order; a
new descriptor takes the *highest* closed number not reused yet, else one
past the highest open number (see RATIONALE "Reference host: fd numbers").

Rights are wasmtime's: they are computed, not stored — what a descriptor
can do is decided by how it was opened (readable, writable), and
`fd_fdstat_get` reports the rights that follow from that. A file opened
without `fd_write` cannot be written (EBADF), one opened with only
`fd_write` cannot be read (EBADF); `fd_fdstat_set_rights` is ENOTSUP.
"""

from __future__ import annotations

from .constants import FDFLAGS, FILETYPE, RIGHTS
from .errors import EBADF, EMFILE, ESPIPE, WasiError
from .stdio import InputStream, OutputStream
from .vfs.inode import Directory, File

ALL_RIGHTS = RIGHTS.mask

# wasmtime's fixed rights for a preopened directory and what it hands down.
PREOPEN_RIGHTS_BASE = (
    RIGHTS.path_create_directory | RIGHTS.path_create_file | RIGHTS.path_link_source
    | RIGHTS.path_link_target | RIGHTS.path_open | RIGHTS.fd_readdir | RIGHTS.path_readlink
    | RIGHTS.path_rename_source | RIGHTS.path_rename_target | RIGHTS.path_symlink
    | RIGHTS.path_remove_directory | RIGHTS.path_unlink_file | RIGHTS.path_filestat_get
    | RIGHTS.path_filestat_set_times | RIGHTS.fd_filestat_get | RIGHTS.fd_filestat_set_times)
PREOPEN_RIGHTS_INHERITING = PREOPEN_RIGHTS_BASE | (
    RIGHTS.fd_datasync | RIGHTS.fd_read | RIGHTS.fd_seek | RIGHTS.fd_fdstat_set_flags
    | RIGHTS.fd_sync | RIGHTS.fd_tell | RIGHTS.fd_write | RIGHTS.fd_advise | RIGHTS.fd_allocate
    | RIGHTS.fd_filestat_get | RIGHTS.fd_filestat_set_size | RIGHTS.fd_filestat_set_times
    | RIGHTS.poll_fd_readwrite)


class Descriptor:
    __slots__ = ()

    def fdstat(self) -> dict:
        raise NotImplementedError


class StdinDescriptor(Descriptor):
    __slots__ = ("stream",)

    def __init__(self, stream: InputStream) -> None:
        self.stream = stream

    def fdstat(self) -> dict:
        return _fdstat(FILETYPE.character_device if self.stream.isatty else FILETYPE.unknown,
                       0, RIGHTS.fd_read, RIGHTS.fd_read)


class StdoutDescriptor(Descriptor):
    """stdout or stderr."""

    __slots__ = ("stream",)

    def __init__(self, stream: OutputStream) -> None:
        self.stream = stream

    def fdstat(self) -> dict:
        return _fdstat(FILETYPE.character_device if self.stream.isatty else FILETYPE.unknown,
                       0, RIGHTS.fd_write, RIGHTS.fd_write)


class DirectoryDescriptor(Descriptor):
    __slots__ = ("inode", "preopen_path", "readable")

    def __init__(self, inode: Directory, preopen_path: str | None = None, readable: bool = True) -> None:
        self.inode = inode
        self.preopen_path = preopen_path
        self.readable = readable

    def fdstat(self) -> dict:
        if self.preopen_path is not None:
            return _fdstat(FILETYPE.directory, 0, PREOPEN_RIGHTS_BASE, PREOPEN_RIGHTS_INHERITING)
        rights = ALL_RIGHTS & ~(RIGHTS.fd_seek | RIGHTS.fd_filestat_set_size
                                | RIGHTS.path_filestat_set_size | RIGHTS.fd_write)
        if not self.readable:
            rights &= ~(RIGHTS.fd_read | RIGHTS.fd_readdir)
        return _fdstat(FILETYPE.directory, 0, rights, rights)


class FileDescriptor(Descriptor):
    """An open regular file: its own position, append and nonblock flags
    (changeable with fd_fdstat_set_flags) and its sync flags (fixed at open)."""

    __slots__ = ("inode", "position", "readable", "writable", "append", "nonblock", "sync_flags")

    def __init__(self, inode: File, readable: bool, writable: bool, fdflags: int) -> None:
        self.inode = inode
        self.position = 0
        self.readable = readable
        self.writable = writable
        self.append = bool(fdflags & FDFLAGS.append)
        self.nonblock = bool(fdflags & FDFLAGS.nonblock)
        self.sync_flags = fdflags & (FDFLAGS.dsync | FDFLAGS.rsync | FDFLAGS.sync)

    def fdflags(self) -> int:
        flags = self.sync_flags
        if self.append:
            flags |= FDFLAGS.append
        if self.nonblock:
            flags |= FDFLAGS.nonblock
        return flags

    def fdstat(self) -> dict:
        rights = ALL_RIGHTS
        if not self.readable:
            rights &= ~(RIGHTS.fd_read | RIGHTS.fd_readdir)
        if not self.writable:
            rights &= ~RIGHTS.fd_write
        return _fdstat(FILETYPE.regular_file, self.fdflags(), rights, rights)


def _fdstat(filetype: int, flags: int, base: int, inheriting: int) -> dict:
    return {"fs_filetype": filetype, "fs_flags": flags,
            "fs_rights_base": base, "fs_rights_inheriting": inheriting}


#: Open descriptors at most (EMFILE beyond): RATIONALE "Descriptor numbers".
MAX_FDS = 1 << 20


class FdTable:
    def __init__(self, max_fds: int = MAX_FDS) -> None:
        self.used: dict[int, Descriptor] = {}
        self.free: set[int] = set()
        self.max_fds = max_fds

    def check_room(self) -> None:
        """EMFILE if no descriptor can be added: checked before anything is created."""
        if len(self.used) >= self.max_fds:
            raise WasiError(EMFILE, "too many open descriptors")

    def push(self, desc: Descriptor) -> int:
        self.check_room()
        inode = getattr(desc, "inode", None)
        if inode is not None:
            inode.opens += 1
        if self.free:
            fd = max(self.free)
            self.free.remove(fd)
        else:
            fd = max(self.used) + 1 if self.used else 0
        self.used[fd] = desc
        return fd

    def get(self, fd: int) -> Descriptor:
        try:
            return self.used[fd]
        except KeyError:
            raise WasiError(EBADF, f"fd {fd} is not open") from None

    def get_file(self, fd: int) -> FileDescriptor:
        desc = self.used.get(fd)
        if not isinstance(desc, FileDescriptor):
            raise WasiError(EBADF, f"fd {fd} is not an open file")
        return desc

    def get_dir(self, fd: int) -> DirectoryDescriptor:
        desc = self.used.get(fd)
        if not isinstance(desc, DirectoryDescriptor):
            raise WasiError(EBADF, f"fd {fd} is not an open directory")
        return desc

    def get_seekable(self, fd: int) -> FileDescriptor:
        desc = self.used.get(fd)
        if isinstance(desc, FileDescriptor):
            return desc
        if isinstance(desc, (StdinDescriptor, StdoutDescriptor)):
            raise WasiError(ESPIPE, f"fd {fd} is a stream")
        raise WasiError(EBADF, f"fd {fd} is not an open file")

    def get_inode_descriptor(self, fd: int) -> FileDescriptor | DirectoryDescriptor:
        """A file or directory (not stdio), for calls that work on both."""
        desc = self.used.get(fd)
        if not isinstance(desc, (FileDescriptor, DirectoryDescriptor)):
            raise WasiError(EBADF, f"fd {fd} is not a file or directory")
        return desc

    def close(self, fd: int) -> Descriptor:
        desc = self.get(fd)
        del self.used[fd]
        self.free.add(fd)
        _closed(desc)
        return desc

    def renumber(self, fd: int, to: int) -> None:
        if to not in self.used or fd not in self.used:
            raise WasiError(EBADF, f"fd_renumber({fd}, {to}): not open")
        if fd != to:
            old = self.used[to]
            self.used[to] = self.used.pop(fd)
            self.free.add(fd)
            self.free.discard(to)
            _closed(old)


def _closed(desc: Descriptor) -> None:
    inode = getattr(desc, "inode", None)
    if inode is not None:
        inode.opens -= 1
        inode.fs.release_if_unused(inode)
