"""Inodes of the in-memory filesystem: files, directories, symlinks.

Every inode belongs to one `MemFS` (`fs`), which numbers its inodes from 1
(per filesystem, not per process) and supplies the clock for timestamps.
Timestamps are nanoseconds since the epoch (`atim`, `mtim`, `ctim`), as
`filestat` carries them.

Link counts follow Linux: a file or symlink counts its directory entries; a
directory counts its entry in its parent, its own `.` and each
subdirectory's `..` (2 + subdirectories), and drops to 0 when removed. An
inode with no links lives on while a descriptor refers to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..constants import FILETYPE
from ..errors import EFBIG, ENOSPC, WasiError

if TYPE_CHECKING:
    from .memfs import MemFS

# Bytes a file may hold in memory; a write beyond it is EFBIG. (A larger
# size is fine while the tail is a hole: reads of it make zeros.)
MAX_MATERIALIZED = 1 << 32
# The largest offset Linux takes (loff_t): beyond it, EINVAL.
MAX_OFFSET = (1 << 63) - 1
# The largest file ext4 holds (2^32 - 1 blocks of 4 KiB), which is what
# wasmtime meets on Linux: a size or write beyond it is EFBIG.
MAX_FILE_SIZE = ((1 << 32) - 1) * 4096


class Inode:
    __slots__ = ("fs", "ino", "nlink", "opens", "atim", "mtim", "ctim")
    filetype: int = FILETYPE.unknown

    def __init__(self, fs: MemFS, nlink: int, numbered: bool = True) -> None:
        fs.take_inode()   # ENOSPC past max_inodes
        self.fs = fs
        self.ino = fs.next_ino() if numbered else 0
        self.nlink = nlink
        #: Descriptors open on this inode: it lives until both these and its links are gone.
        self.opens = 0
        self.atim = self.mtim = self.ctim = fs.now()

    @property
    def size(self) -> int:
        raise NotImplementedError

    def changed(self) -> None:
        """Metadata changed (links, times, renames): ctim."""
        self.ctim = self.fs.now()

    def modified(self) -> None:
        """Contents changed: mtim and ctim."""
        self.mtim = self.ctim = self.fs.now()


class File(Inode):
    """A regular file: `data` holds the first len(data) bytes of `size`; the
    rest up to `size` is a hole that reads as zeros (sparse extension)."""

    __slots__ = ("data", "_size")
    filetype = FILETYPE.regular_file

    def __init__(self, fs: MemFS, data: bytes = b"") -> None:
        super().__init__(fs, nlink=0)
        self.data = bytearray()
        self._size = 0
        if data:
            fs.charge(len(data))
            self.data[:] = data
            self._size = len(data)

    @property
    def size(self) -> int:
        return self._size

    def read(self, offset: int, n: int) -> bytes:
        end = min(offset + n, self._size)
        if offset >= end:
            return b""
        stored = len(self.data)
        if end <= stored:
            return bytes(self.data[offset:end])
        if offset >= stored:
            return bytes(end - offset)
        return bytes(self.data[offset:]) + bytes(end - stored)

    def write(self, offset: int, chunk: bytes) -> int:
        """Write `chunk` at `offset`, extending the file. Past the file size
        limit: a short write, EFBIG if nothing fits; past the capacity: a
        short write, ENOSPC if nothing fits (RATIONALE "MemFS capacity")."""
        fs = self.fs
        limit = fs.max_file_size
        if offset >= limit:
            raise WasiError(EFBIG, "file too large")
        chunk = chunk[:limit - offset]   # a short write at the limit, as Linux
        end = offset + len(chunk)
        if end > self._size and fs.max_bytes is not None:
            room = self._size + fs.free_bytes()
            if room <= offset:
                raise WasiError(ENOSPC, "no space left on the MemFS")
            if end > room:
                chunk = chunk[:room - offset]   # a short write, as Linux on a full tmpfs
                end = room
        n = len(chunk)
        if n and end > MAX_MATERIALIZED:
            raise WasiError(EFBIG, "file too large for memory")
        if end > self._size:
            fs.bytes_used += end - self._size    # charge(): the room was checked above
        data = self.data
        stored = len(data)
        if offset > stored:
            data.extend(bytes(offset - stored))      # fill the hole up to offset
            stored = offset
        if offset == stored:
            data += chunk                            # append: bytearray grows amortised
        else:
            data[offset:end] = chunk
        if end > self._size:
            self._size = end
        self.mtim = self.ctim = self.fs.now()        # modified(), inlined: the hot path
        return n

    def truncate(self, size: int) -> None:
        """ftruncate: EFBIG past the file size limit, ENOSPC past the capacity
        (all or nothing); a larger size is a hole, charged all the same."""

        if size > self.fs.max_file_size:
            raise WasiError(EFBIG, "file too large")
        self.fs.charge(size - self._size)
        if size < len(self.data):
            del self.data[size:]
        self._size = size
        self.modified()


class Directory(Inode):
    """`entries` maps names to inodes; `parent` is what `..` names (the
    directory itself for a filesystem's root)."""

    __slots__ = ("entries", "parent")
    filetype = FILETYPE.directory

    def __init__(self, fs: MemFS, parent: Directory | None = None, numbered: bool = True) -> None:
        super().__init__(fs, nlink=2, numbered=numbered)
        self.entries: dict[str, Inode] = {}
        self.parent = parent if parent is not None else self

    @property
    def size(self) -> int:
        return 0  # RATIONALE "fd_filestat_get and stat" (ext4 would say 4096)

    def listing(self) -> list[tuple[str, Inode]]:
        """Entries in creation order (a rename moves one to the end), for
        fd_readdir (RATIONALE "fd_readdir"). Loading adds a host directory's
        entries in name order."""
        return list(self.entries.items())

    def is_ancestor_of(self, other: Directory) -> bool:
        d = other
        while True:
            if d is self:
                return True
            if d.parent is d:
                return False
            d = d.parent


class Symlink(Inode):
    __slots__ = ("target",)
    filetype = FILETYPE.symbolic_link

    def __init__(self, fs: MemFS, target: str) -> None:
        super().__init__(fs, nlink=0)
        self.target = target

    @property
    def size(self) -> int:
        return len(self.target.encode("utf-8", "surrogateescape"))
