"""The path_* functions: a directory descriptor plus a path, resolved by
vfs/path.py (sandboxed to that directory) and carried out by vfs/memfs.py.

Every one takes its directory fd with `get_dir`: EBADF for anything that is
not an open directory (path_open says ENOTDIR for a file, as wasmtime).
Paths arrive as `GuestString`s and are decoded where wasmtime reads them:
after the descriptors, except in path_open (so a bad descriptor and a bad
string together give EBADF, or path_open's EILSEQ / trap). Decoding can
give EILSEQ, ENOMEM (hostcall fuel) or trap.

Errors common to every function here: EBADF (`get_dir`), and those of path
resolution: EPERM (absolute path, escape), ENOENT, ENOTDIR, ELOOP,
ENAMETOOLONG, EINVAL (a NUL byte).
"""

from __future__ import annotations

from ..constants import FDFLAGS, LOOKUPFLAGS, OFLAGS, RIGHTS
from ..errors import EBADF, EINVAL, ENOENT, ENOTDIR, ENOTSUP, EPERM, WasiError
from ..fd_table import DirectoryDescriptor, FdTable, FileDescriptor
from ..memory import GuestString
from ..vfs import memfs
from ..vfs.inode import Directory
from .fd import check_fst_flags, filestat_of, set_times


def _follow(flags: int) -> bool:
    return bool(flags & LOOKUPFLAGS.symlink_follow)


class PathSyscalls:
    fds: FdTable

    def _dir(self, fd: int) -> Directory:
        return self.fds.get_dir(fd).inode

    def path_create_directory(self, fd: int, path: GuestString) -> None:
        """Errors: EBADF, EEXIST, ENOSPC (the MemFS's inode limit)."""
        base = self._dir(fd)
        memfs.mkdir_at(base, path.decode())

    def path_filestat_get(self, fd: int, flags: int, path: GuestString) -> dict:
        """Errors: EBADF."""
        base = self._dir(fd)
        return filestat_of(memfs.stat_at(base, path.decode(), _follow(flags)))

    def path_filestat_set_times(self, fd: int, flags: int, path: GuestString, atim: int, mtim: int,
                                fst_flags: int) -> None:
        """Errors: EINVAL (a time both given and now), EBADF."""
        check_fst_flags(fst_flags)
        base = self._dir(fd)
        name, follow = path.decode(), _follow(flags)
        try:
            inode = memfs.stat_at(base, name, follow)
        except WasiError as e:
            # Nothing to set and no following: wasmtime resolves only the parent,
            # so a missing last name is no error (RATIONALE "path_filestat_set_times").
            if e.errno == ENOENT and not follow and not fst_flags and name and not name.endswith("/"):
                memfs.stat_at(base, name.rpartition("/")[0] or ".", True)
                return
            raise
        set_times(inode, base.fs.now(), atim, mtim, fst_flags)

    def path_link(self, old_fd: int, old_flags: int, old_path: GuestString, new_fd: int,
                  new_path: GuestString) -> None:
        """Errors: EBADF, EINVAL (symlink_follow: wasmtime does not do it),
        EEXIST, EPERM (a directory)."""
        old_base, new_base = self._dir(old_fd), self._dir(new_fd)
        old, new = old_path.decode(), new_path.decode()
        if _follow(old_flags):
            raise WasiError(EINVAL, "path_link cannot follow symlinks")
        memfs.link_at(old_base, old, new_base, new)

    def path_open(self, fd: int, dirflags: int, path: GuestString, oflags: int, fs_rights_base: int,
                  fs_rights_inheriting: int, fdflags: int) -> int:
        """Open a file or directory; a new fd (fd_table.py says which number).

        Readable unless only fd_write is asked for; writable if fd_write is,
        or creat or trunc.
        Errors: EBADF, ENOTDIR (fd is a file, or oflags.directory and not a
        directory), ENOTSUP (fdflags dsync, rsync or sync, as wasmtime),
        EINVAL (directory with creat or trunc), EEXIST, EISDIR, ELOOP (a
        symlink without symlink_follow), EMFILE (the table is full), ENOSPC.
        """
        name = path.decode()
        desc = self.fds.get(fd)
        if isinstance(desc, FileDescriptor):
            raise WasiError(ENOTDIR, f"fd {fd} is a file")
        if not isinstance(desc, DirectoryDescriptor):
            raise WasiError(EBADF, f"fd {fd} is not a directory")
        if fdflags & (FDFLAGS.dsync | FDFLAGS.rsync | FDFLAGS.sync):
            raise WasiError(ENOTSUP, "synchronized I/O is not supported")
        asked_write = bool(fs_rights_base & RIGHTS.fd_write)
        read = bool(fs_rights_base & RIGHTS.fd_read) or not asked_write
        # creat and trunc open for writing whatever the rights, as wasmtime (RATIONALE "path_open")
        write = asked_write or bool(oflags & (OFLAGS.creat | OFLAGS.trunc))
        self.fds.check_room()   # EMFILE before anything is created (RATIONALE "Descriptor numbers")
        inode = memfs.open_at(desc.inode, name, _follow(dirflags),
                              memfs.OpenFlags.from_oflags(oflags), write)
        if isinstance(inode, Directory):
            return self.fds.push(DirectoryDescriptor(inode, None, readable=read))
        return self.fds.push(FileDescriptor(inode, read, write, fdflags))

    def path_readlink(self, fd: int, path: GuestString, buf_len: int) -> bytes:
        """The target, cut to buf_len bytes. Errors: EBADF, EINVAL (not a
        symlink), EPERM (an absolute target: cap-std will not hand one out)."""
        base = self._dir(fd)
        target = memfs.readlink_at(base, path.decode())
        if target.startswith("/"):
            raise WasiError(EPERM, "absolute symlink target")
        return target.encode("utf-8", "surrogateescape")[:buf_len]

    def path_remove_directory(self, fd: int, path: GuestString) -> None:
        """Errors: EBADF, ENOTEMPTY, EINVAL ("."), ENOTDIR."""
        base = self._dir(fd)
        memfs.rmdir_at(base, path.decode())

    def path_rename(self, fd: int, old_path: GuestString, new_fd: int, new_path: GuestString) -> None:
        """Errors: EBADF, EBUSY, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL (into itself)."""
        old_base, new_base = self._dir(fd), self._dir(new_fd)
        old, new = old_path.decode(), new_path.decode()
        memfs.rename_at(old_base, old, new_base, new)

    def path_symlink(self, old_path: GuestString, fd: int, new_path: GuestString) -> None:
        """Errors: EBADF, EPERM (an absolute target, as wasmtime), EEXIST,
        ENOENT (an empty target), ENOSPC (the MemFS's inode limit)."""
        base = self._dir(fd)
        target, new = old_path.decode(), new_path.decode()
        if target.startswith("/"):
            raise WasiError(EPERM, "absolute symlink target")
        memfs.symlink_at(target, base, new)

    def path_unlink_file(self, fd: int, path: GuestString) -> None:
        """Errors: EBADF, EISDIR (a directory). (wasmtime reads this path
        without hostcall fuel: a huge length traps.)"""
        base = self._dir(fd)
        memfs.unlink_at(base, path.decode(fuel=False))
