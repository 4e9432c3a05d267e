"""The fd_* functions.

Which descriptors each accepts is wasmtime's (see fd_table.py for the
lookups): most file calls want an open file (EBADF otherwise, including for
directories and stdio); fd_seek/fd_tell/fd_pread/fd_pwrite say ESPIPE for
stdio; calls that work on files and directories alike say EBADF for stdio.
Data moves through the first non-empty iovec only (RATIONALE "Iovecs: only
the first non-empty buffer").
"""

from __future__ import annotations

from ..constants import FDFLAGS, FILETYPE, FSTFLAGS, WHENCE
from ..errors import (
    EBADF, EFBIG, EINTR, EINVAL, ENAMETOOLONG, ENOTDIR, ENOTSUP, ESPIPE, WasiError,
)
from ..fd_table import (
    DirectoryDescriptor, FdTable, FileDescriptor, StdinDescriptor, StdoutDescriptor,
)
from ..generated.layouts import DIRENT_SIZE, write_dirent
from ..memory import BufferMemory, IoVecs
from ..vfs.inode import MAX_FILE_SIZE, MAX_OFFSET, Inode

MAX_U64 = (1 << 64) - 1
DEVICE = 1  # wasmtime reports dev 1 for every file and directory


def filestat_of(inode: Inode) -> dict:
    return {"dev": DEVICE, "ino": inode.ino, "filetype": inode.filetype, "nlink": inode.nlink,
            "size": inode.size, "atim": inode.atim, "mtim": inode.mtim, "ctim": inode.ctim}


def set_times(inode: Inode, now: int, atim: int, mtim: int, fst_flags: int) -> None:
    if fst_flags & FSTFLAGS.atim_now:
        inode.atim = now
    elif fst_flags & FSTFLAGS.atim:
        inode.atim = atim
    if fst_flags & FSTFLAGS.mtim_now:
        inode.mtim = now
    elif fst_flags & FSTFLAGS.mtim:
        inode.mtim = mtim
    inode.ctim = now


def check_fst_flags(fst_flags: int) -> None:
    """EINVAL for a time both given and `now` (checked before the fd, as wasmtime)."""
    if (fst_flags & FSTFLAGS.atim and fst_flags & FSTFLAGS.atim_now) or \
            (fst_flags & FSTFLAGS.mtim and fst_flags & FSTFLAGS.mtim_now):
        raise WasiError(EINVAL, "a time cannot be both given and now")


def _file_read(desc: FileDescriptor, offset: int, n: int) -> bytes:
    if not desc.readable:
        raise WasiError(EBADF, "not open for reading")
    _check_range(offset, n)
    return desc.inode.read(offset, n)


def _check_range(offset: int, n: int) -> None:
    """EINVAL where Linux's rw_verify_area refuses: an offset beyond 2^63-1,
    or one where `n` bytes would pass it (wasmtime hands the whole buffer to
    pread/pwrite; found by the fuzzer's native sample)."""
    if offset > MAX_OFFSET or (n and offset + n > MAX_OFFSET):
        raise WasiError(EINVAL, "offset out of range")


def _file_write(desc: FileDescriptor, offset: int | None, data: bytes) -> int:
    """Write at `offset`, or at the position (None); append mode writes at
    the end whatever is asked (Linux pwrite semantics)."""
    if not desc.writable:
        raise WasiError(EBADF, "not open for writing")
    f = desc.inode
    if desc.append:
        at = f.size
    else:
        at = desc.position if offset is None else offset
        _check_range(at, len(data))
    n = f.write(at, data) if data else 0
    if offset is None:
        desc.position = f.size if desc.append else at + n
    return n


class FdSyscalls:
    fds: FdTable

    def fd_advise(self, fd: int, offset: int, len: int, advice: int) -> None:
        """Errors: EBADF (not a file), EINVAL (a length beyond 2^63-1: negative
        as off_t, as posix_fadvise under wasmtime; the offset is not checked)."""
        self.fds.get_file(fd)
        if len > MAX_OFFSET:
            raise WasiError(EINVAL, "negative length")

    def fd_allocate(self, fd: int, offset: int, len: int) -> None:
        """Errors: EBADF (not a file), ENOTSUP (always otherwise, as wasmtime)."""
        self.fds.get_file(fd)
        raise WasiError(ENOTSUP, "fd_allocate is not supported")

    def fd_close(self, fd: int) -> None:
        """Errors: EBADF."""
        self.fds.close(fd)

    def fd_datasync(self, fd: int) -> None:
        """Errors: EBADF (not a file)."""
        self.fds.get_file(fd)

    def fd_fdstat_get(self, fd: int) -> dict:
        """Errors: EBADF."""
        return self.fds.get(fd).fdstat()

    def fd_fdstat_set_flags(self, fd: int, flags: int) -> None:
        """Only append and nonblock can change. Errors: EBADF (not a file),
        EINVAL (dsync, rsync or sync)."""
        desc = self.fds.get_file(fd)
        if flags & (FDFLAGS.dsync | FDFLAGS.rsync | FDFLAGS.sync):
            raise WasiError(EINVAL, "sync flags cannot be changed")
        desc.append = bool(flags & FDFLAGS.append)
        desc.nonblock = bool(flags & FDFLAGS.nonblock)

    def fd_fdstat_set_rights(self, fd: int, fs_rights_base: int, fs_rights_inheriting: int) -> None:
        """Errors: EBADF (stdio or not open), ENOTSUP (always otherwise, as wasmtime)."""
        self.fds.get_inode_descriptor(fd)
        raise WasiError(ENOTSUP, "rights cannot be changed")

    def fd_filestat_get(self, fd: int) -> dict:
        """Stdio is all zeros but its filetype, as wasmtime. Errors: EBADF."""
        desc = self.fds.get(fd)
        if isinstance(desc, (FileDescriptor, DirectoryDescriptor)):
            return filestat_of(desc.inode)
        return {"dev": 0, "ino": 0, "filetype": desc.fdstat()["fs_filetype"], "nlink": 0,
                "size": 0, "atim": 0, "mtim": 0, "ctim": 0}

    def fd_filestat_set_size(self, fd: int, size: int) -> None:
        """Errors: EBADF (not a file), EINVAL (not open for writing, or a
        size beyond 2^63-1), EFBIG (beyond what ext4 holds), ENOSPC (the
        MemFS's capacity)."""
        desc = self.fds.get_file(fd)
        if not desc.writable or size > MAX_OFFSET:
            raise WasiError(EINVAL, "cannot set the size")
        if size > MAX_FILE_SIZE:
            raise WasiError(EFBIG, "file too large")
        desc.inode.truncate(size)

    def fd_filestat_set_times(self, fd: int, atim: int, mtim: int, fst_flags: int) -> None:
        """Errors: EINVAL (a time both given and now), EBADF (stdio or not open)."""
        check_fst_flags(fst_flags)
        desc = self.fds.get_inode_descriptor(fd)
        set_times(desc.inode, desc.inode.fs.now(), atim, mtim, fst_flags)

    def fd_pread(self, fd: int, iovs: IoVecs, offset: int) -> int:
        """Errors: EBADF (not a file or not readable), ESPIPE (stdin),
        EINVAL (offset beyond 2^63-1)."""
        i = iovs.first_nonempty()
        n = iovs.length(i) if i >= 0 else 0
        desc = self.fds.get(fd)
        if isinstance(desc, FileDescriptor):
            _check_range(offset, n)   # before readability, as wasmtime (found by the native fuzz sample)
            data = _file_read(desc, offset, n)
        elif isinstance(desc, StdinDescriptor):
            raise WasiError(ESPIPE, "stdin cannot pread")
        else:
            raise WasiError(EBADF, f"fd {fd} cannot pread")
        if data:
            iovs.write(i, data)
        return len(data)

    def fd_prestat_get(self, fd: int) -> tuple:
        """Errors: EBADF (not open, or not a preopen)."""
        desc = self.fds.get(fd)
        if isinstance(desc, DirectoryDescriptor) and desc.preopen_path is not None:
            return ("dir", {"pr_name_len": len(desc.preopen_path.encode())})
        raise WasiError(EBADF, f"fd {fd} is not a preopen")

    def fd_prestat_dir_name(self, fd: int, path_len: int) -> bytes:
        """Errors: EBADF (not open), ENOTDIR (not a preopen), ENAMETOOLONG
        (longer than path_len)."""
        desc = self.fds.get(fd)
        if isinstance(desc, DirectoryDescriptor) and desc.preopen_path is not None:
            name = desc.preopen_path.encode()
            if len(name) > path_len:
                raise WasiError(ENAMETOOLONG, "buffer too small")
            return name
        raise WasiError(ENOTDIR, f"fd {fd} is not a preopen")

    def fd_pwrite(self, fd: int, iovs: IoVecs, offset: int) -> int:
        """Errors: EBADF (not a file or not writable), ESPIPE (stdout,
        stderr), EINVAL (offset beyond 2^63-1), EFBIG, ENOSPC (the MemFS's
        capacity)."""
        i = iovs.first_nonempty()
        desc = self.fds.get(fd)
        if isinstance(desc, FileDescriptor):
            data = iovs.read(i) if i >= 0 else b""
            if offset > MAX_OFFSET and not desc.append:   # before writability, as wasmtime (native sample)
                raise WasiError(EINVAL, "offset out of range")
            return _file_write(desc, offset, data)
        if isinstance(desc, StdoutDescriptor):
            raise WasiError(ESPIPE, "stdout cannot pwrite")
        raise WasiError(EBADF, f"fd {fd} cannot pwrite")

    def fd_read(self, fd: int, iovs: IoVecs) -> int:
        """Errors: EBADF (not a file or stdin, or not readable), EINVAL
        (position beyond 2^63-1), EINTR (no room to read stdin into)."""
        i = iovs.first_nonempty()
        n = iovs.length(i) if i >= 0 else 0
        desc = self.fds.get(fd)
        if isinstance(desc, FileDescriptor):
            data = _file_read(desc, desc.position, n)
            if i >= 0:   # the whole buffer, even at end of file (fd_pread does not check it there), as wasmtime
                iovs.write(i, data)   # a trap here leaves the position, as wasmtime
            desc.position += len(data)
            return len(data)
        elif isinstance(desc, StdinDescriptor):
            if not n:   # wasmtime's stdin gives no bytes for no room, and calls that EINTR
                raise WasiError(EINTR, "zero-length read from stdin")
            data = desc.stream.read(n)
            if data:   # wasmtime's stdin checks only the bytes it writes
                iovs.write(i, data, whole=False)
            return len(data)
        else:
            raise WasiError(EBADF, f"fd {fd} cannot be read")

    def fd_readdir(self, fd: int, buf_len: int, cookie: int) -> bytes:
        """Entries from `cookie` on, `.` and `..` first, each a dirent and its
        name, cut off where `buf_len` ends (as wasmtime, even mid-dirent).
        Errors: EBADF (not a directory)."""
        d = self.fds.get_dir(fd).inode
        entries = [(".", d.ino, FILETYPE.directory), ("..", d.ino, FILETYPE.directory)]
        entries += [(name, node.ino, node.filetype) for name, node in d.listing()]
        out = bytearray()
        cap = buf_len
        for k in range(cookie, len(entries)) if cookie < len(entries) else ():
            name, ino, filetype = entries[k]
            raw = name.encode("utf-8", "surrogateescape")
            header = bytearray(DIRENT_SIZE)   # as it lies in guest memory, padding zero
            write_dirent(BufferMemory(header), 0, {"d_next": k + 1, "d_ino": ino,
                                                   "d_namlen": len(raw), "d_type": filetype})
            out += header[:cap]
            cap -= min(cap, len(header))
            if cap == 0:
                break
            out += raw[:cap]
            cap -= min(cap, len(raw))
            if cap == 0:
                break
        return bytes(out)

    def fd_renumber(self, fd: int, to: int) -> None:
        """Errors: EBADF (either not open)."""
        self.fds.renumber(fd, to)

    def fd_seek(self, fd: int, offset: int, whence: int) -> int:
        """Errors: EBADF (not a file), ESPIPE (stdio), EINVAL (a resulting
        offset below 0)."""
        desc = self.fds.get_seekable(fd)
        if whence == WHENCE.set:
            base = 0
        elif whence == WHENCE.cur:
            base = desc.position
        else:
            base = desc.inode.size
        pos = base + offset
        if pos < 0 or pos > MAX_U64:
            raise WasiError(EINVAL, "offset out of range")
        desc.position = pos
        return pos

    def fd_sync(self, fd: int) -> None:
        """Errors: EBADF (not a file)."""
        self.fds.get_file(fd)

    def fd_tell(self, fd: int) -> int:
        """Errors: EBADF (not a file), ESPIPE (stdio)."""
        return self.fds.get_seekable(fd).position

    def fd_write(self, fd: int, iovs: IoVecs) -> int:
        """Errors: EBADF (not a file, stdout or stderr, or not writable),
        EINVAL (position beyond 2^63-1), EFBIG, ENOSPC (the MemFS's
        capacity)."""
        i = iovs.first_nonempty()
        desc = self.fds.used.get(fd)
        if type(desc) is StdoutDescriptor:  # the hot path: stdout/stderr
            if i < 0:
                return 0
            data = iovs.read(i)
            desc.stream.write(data)
            return len(data)
        if isinstance(desc, FileDescriptor):
            return _file_write(desc, None, iovs.read(i) if i >= 0 else b"")
        raise WasiError(EBADF, f"fd {fd} cannot be written")
