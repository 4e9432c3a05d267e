"""The in-memory filesystem: a tree of inodes and POSIX `*at` operations on it.

Each operation takes the directory a path is relative to (a `Directory`
inode, as a directory descriptor holds one) and behaves as its Linux
counterpart does through wasmtime, raising `WasiError` on failure:
`open_at`, `mkdir_at`, `unlink_at`, `rmdir_at`, `rename_at`, `link_at`,
`symlink_at`, `readlink_at`, `stat_at`, `set_times_at`.

For programs that set a filesystem up (tests, the CLI hosts) there are
plain-path helpers from the root: `mkdir_p`, `write_file`, `read_file`,
`symlink`, `lookup`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..constants import OFLAGS
from ..errors import (
    EBUSY, EEXIST, EINVAL, EISDIR, ELOOP, ENOENT, ENOSPC, ENOTDIR, ENOTEMPTY, EPERM, WasiError,
)
from .inode import MAX_FILE_SIZE, Directory, File, Inode, Symlink
from .path import Resolved, open_parent, resolve, strip_dir_suffix


class MemFS:
    """One in-memory filesystem: a root directory and its inode numbering.

    Inode numbers count from 1 in creation order (RATIONALE "Inode numbers
    and devices"); `clock()` stamps times (nanoseconds). The root, which
    only holds what is put in it, takes no number when `numbered_root` is
    false (the CLI hosts load each `--dir` as a root of its own: `new_root`).
    """

    def __init__(self, clock=time.time_ns, numbered_root: bool = True, max_bytes: int | None = None,
                 max_inodes: int | None = None, max_file_size: int = MAX_FILE_SIZE) -> None:
        """`max_bytes`: what regular files may hold together; `max_inodes`:
        how many inodes may live at once (the root included); beyond either,
        ENOSPC. `max_file_size`: the largest file (EFBIG beyond). RATIONALE
        "MemFS capacity"."""
        self._clock = clock
        self._last_ino = 0
        self.max_bytes = max_bytes
        self.max_inodes = max_inodes
        self.max_file_size = max_file_size
        self.bytes_used = 0
        self.inodes_used = 0
        self.root = Directory(self, numbered=numbered_root)

    def new_root(self) -> Directory:
        """A directory of its own (its `..` is itself), not in `root`."""
        return Directory(self)

    def next_ino(self) -> int:
        self._last_ino += 1
        return self._last_ino

    def now(self) -> int:
        return self._clock()

    # --- capacity (the one place it is accounted) ---------------------------------

    def take_inode(self) -> None:
        if self.max_inodes is not None and self.inodes_used >= self.max_inodes:
            raise WasiError(ENOSPC, "no inodes left on the MemFS")
        self.inodes_used += 1

    def free_bytes(self) -> int | float:
        return float("inf") if self.max_bytes is None else self.max_bytes - self.bytes_used

    def charge(self, delta: int) -> None:
        """`delta` more (or fewer) bytes in files; ENOSPC past `max_bytes`."""
        if delta > 0 and self.max_bytes is not None and self.bytes_used + delta > self.max_bytes:
            raise WasiError(ENOSPC, "no space left on the MemFS")
        self.bytes_used += delta

    def release_if_unused(self, inode: Inode) -> None:
        """An inode with no links and no descriptors is gone: its bytes and its slot are free."""
        if inode.nlink == 0 and inode.opens == 0:
            self.inodes_used -= 1
            if isinstance(inode, File):
                self.bytes_used -= inode.size

    # --- helpers for setting a filesystem up --------------------------------------

    def lookup(self, path: str, follow: bool = True) -> Inode:
        rel = path.strip("/") or "."
        r = resolve(self.root, rel, follow)
        if r.inode is None:
            raise WasiError(ENOENT, path)
        return r.inode

    def mkdir_p(self, path: str) -> Directory:
        d = self.root
        for name in (c for c in path.split("/") if c and c != "."):
            child = d.entries.get(name)
            if child is None:
                child = Directory(self, d)
                _add_entry(d, name, child)
            if not isinstance(child, Directory):
                raise WasiError(ENOTDIR, f"{name!r} in {path!r} is not a directory")
            d = child
        return d

    def write_file(self, path: str, data: bytes) -> File:
        parent, _, name = path.strip("/").rpartition("/")
        d = self.mkdir_p(parent)
        old = d.entries.get(name)
        if isinstance(old, File):
            old.truncate(0)
            old.write(0, data)
            return old
        if old is not None:
            raise WasiError(EEXIST, path)
        f = File(self, data)
        _add_entry(d, name, f)
        return f

    def read_file(self, path: str) -> bytes:
        f = self.lookup(path)
        if not isinstance(f, File):
            raise WasiError(EISDIR, path)
        return f.read(0, f.size)

    def symlink(self, target: str, path: str) -> Symlink:
        parent, _, name = path.strip("/").rpartition("/")
        d = self.mkdir_p(parent)
        if name in d.entries:
            raise WasiError(EEXIST, path)
        s = Symlink(self, target)
        _add_entry(d, name, s)
        return s


# --- directory entries ------------------------------------------------------------

def _add_entry(d: Directory, name: str, inode: Inode) -> None:
    d.entries[name] = inode
    if isinstance(inode, Directory):
        inode.parent = d
        d.nlink += 1           # the child's ".."
    else:
        inode.nlink += 1
    inode.changed()
    d.modified()


def _remove_entry(d: Directory, name: str, release: bool = True) -> Inode:
    inode = d.entries.pop(name)
    if isinstance(inode, Directory):
        d.nlink -= 1
        inode.nlink = 0
    else:
        inode.nlink -= 1
    inode.changed()
    d.modified()
    if release:
        d.fs.release_if_unused(inode)
    return inode


# --- the *at operations ------------------------------------------------------------

def _creating_in(d: Directory, path: str) -> None:
    """Nothing can be created in a directory that has been removed (ENOENT)."""
    if d.nlink == 0:
        raise WasiError(ENOENT, f"{path!r}: the directory was removed")


@dataclass
class OpenFlags:
    creat: bool = False
    directory: bool = False
    excl: bool = False
    trunc: bool = False

    @classmethod
    def from_oflags(cls, oflags: int) -> OpenFlags:
        return cls(bool(oflags & OFLAGS.creat), bool(oflags & OFLAGS.directory),
                   bool(oflags & OFLAGS.excl), bool(oflags & OFLAGS.trunc))


def open_at(base: Directory, path: str, follow: bool, oflags: OpenFlags, write: bool) -> Inode:
    """openat(2): the inode opened (a File or a Directory).

    Errors: EINVAL (directory with creat or trunc), ENOENT, EEXIST (creat+excl), EISDIR
    (a directory for writing, truncating or creating; creat with a trailing
    slash), ENOTDIR (oflags.directory on a non-directory), ELOOP (a symlink
    not followed), and those of `resolve`.
    """
    if oflags.directory and (oflags.creat or oflags.excl or oflags.trunc):
        raise WasiError(EINVAL, "directory with creat, excl or trunc")
    if oflags.creat and len(path) > 1 and path.endswith("/"):
        # O_CREAT with a trailing slash is EISDIR whatever is there (Linux,
        # wasmtime), once the path up to it resolves (corpus case adv-paths)
        resolve(base, path.rstrip("/") or "/", False)   # a missing parent is still ENOENT
        raise WasiError(EISDIR, f"{path!r}: creat with a trailing slash")   # even if it exists (wasmtime)
    # O_CREAT|O_EXCL never follows a final symlink: a dangling one is EEXIST (wasmtime)
    r = resolve(base, path, follow and not (oflags.creat and oflags.excl))
    node = r.inode
    if node is None:
        if not oflags.creat:
            raise WasiError(ENOENT, path)
        if r.trailing_slash:
            raise WasiError(EISDIR, f"{path!r}: cannot create a file with a trailing slash")
        _creating_in(r.parent, path)
        node = File(base.fs)
        _add_entry(r.parent, r.name, node)
        return node
    if oflags.creat and oflags.excl:
        raise WasiError(EEXIST, path)
    if isinstance(node, Symlink):
        raise WasiError(ELOOP, f"{path!r} is a symlink")
    if isinstance(node, Directory):
        if write or oflags.trunc or oflags.creat:
            raise WasiError(EISDIR, path)
        return node
    if oflags.directory:
        raise WasiError(ENOTDIR, path)
    if oflags.trunc:
        node.truncate(0)  # stamps mtim and ctim even when already empty, as Linux (found by the fuzzer)
    return node


def mkdir_at(base: Directory, path: str) -> Directory:
    """mkdirat(2), trailing slashes ignored. Errors: EEXIST (anything there,
    even a dangling symlink; "."), and those of `open_parent`."""
    d, name = open_parent(base, strip_dir_suffix(path))
    if name == "." or name in d.entries:
        raise WasiError(EEXIST, path)
    _creating_in(d, path)
    new = Directory(base.fs, d)
    _add_entry(d, name, new)
    return new


def unlink_at(base: Directory, path: str) -> None:
    """unlinkat(2) without AT_REMOVEDIR. Errors: ENOENT, EISDIR (a directory,
    or a path ending in "/" or ".."), and those of `open_parent`."""
    d, name = open_parent(base, path)
    if name == ".":
        raise WasiError(EISDIR, path)
    node = d.entries.get(name)
    if node is None:
        raise WasiError(ENOENT, path)
    if isinstance(node, Directory):
        raise WasiError(EISDIR, path)
    _remove_entry(d, name)


def rmdir_at(base: Directory, path: str) -> None:
    """unlinkat(2) with AT_REMOVEDIR. Errors: EINVAL (a path ending in "/",
    "." or ".."), ENOENT, ENOTDIR, ENOTEMPTY, and those of `open_parent`."""
    d, name = open_parent(base, path)
    if name == ".":
        raise WasiError(EINVAL, path)
    node = d.entries.get(name)
    if node is None:
        raise WasiError(ENOENT, path)
    if not isinstance(node, Directory):
        raise WasiError(ENOTDIR, path)
    if node.entries:
        raise WasiError(ENOTEMPTY, path)
    _remove_entry(d, name)


def rename_at(old_base: Directory, old_path: str, new_base: Directory, new_path: str) -> None:
    """renameat(2); with a trailing slash on either path the source must be
    a directory. Errors: EBUSY ("." or ".." either side), ENOENT (also: the
    new parent was removed), ENOTDIR, EISDIR, ENOTEMPTY (also: onto an
    ancestor of the source), EINVAL (a directory into itself), and those of
    `open_parent`; checked in the order of Linux's do_renameat2
    (spec/RATIONALE.md, "path_rename: the order of checks")."""
    slash = old_path.endswith("/") or new_path.endswith("/")
    od, oname = open_parent(old_base, strip_dir_suffix(old_path))
    nd, nname = open_parent(new_base, strip_dir_suffix(new_path))
    if oname == "." or nname == ".":
        raise WasiError(EBUSY, f"{old_path!r} -> {new_path!r}")
    node = od.entries.get(oname)
    if node is None:
        raise WasiError(ENOENT, old_path)
    _creating_in(nd, new_path)   # Linux looks the new name up in it: ENOENT
    target = nd.entries.get(nname)
    if slash and not isinstance(node, Directory):
        raise WasiError(ENOTDIR, old_path)
    if isinstance(node, Directory) and node.is_ancestor_of(nd):
        raise WasiError(EINVAL, f"cannot move {old_path!r} into itself")
    if isinstance(target, Directory) and target.is_ancestor_of(od):
        raise WasiError(ENOTEMPTY, f"{new_path!r} holds {old_path!r}")   # before EISDIR for a file
    if target is node:
        return  # the same inode under both names (or "d" onto "d"): nothing to do
    if not isinstance(node, Directory):
        if isinstance(target, Directory):
            raise WasiError(EISDIR, new_path)
    else:
        if target is not None and not isinstance(target, Directory):
            raise WasiError(ENOTDIR, new_path)
        if isinstance(target, Directory) and target.entries:
            raise WasiError(ENOTEMPTY, new_path)
    if target is not None:
        _remove_entry(nd, nname)
    _remove_entry(od, oname, release=False)   # moved, not gone
    if isinstance(node, Directory):
        node.nlink = 2 + sum(isinstance(c, Directory) for c in node.entries.values())
    _add_entry(nd, nname, node)


def link_at(old_base: Directory, old_path: str, new_base: Directory, new_path: str) -> None:
    """linkat(2) without following a symlink at the end of old_path.
    Errors: ENOENT (also: the new parent was removed, before EEXIST and
    EPERM, as Linux), EPERM (a directory), EEXIST, and those of `open_parent`."""
    od, oname = open_parent(old_base, old_path)
    nd, nname = open_parent(new_base, new_path)
    node = od if oname == "." else od.entries.get(oname)
    if node is None:
        raise WasiError(ENOENT, old_path)
    if nname == ".":
        raise WasiError(EEXIST, new_path)
    _creating_in(nd, new_path)
    if nname in nd.entries:
        raise WasiError(EEXIST, new_path)
    if isinstance(node, Directory):
        raise WasiError(EPERM, f"{old_path!r} is a directory")
    _add_entry(nd, nname, node)


def symlink_at(target: str, base: Directory, path: str) -> Symlink:
    """symlinkat(2). Errors: ENOENT (an empty target, before the path is
    resolved, as wasmtime), EINVAL (a NUL in the target, checked once the new
    path resolved, as wasmtime), EEXIST, and those of `open_parent`."""
    if not target:
        raise WasiError(ENOENT, "empty symlink target")
    d, name = open_parent(base, path)
    if "\0" in target:
        raise WasiError(EINVAL, "NUL in a symlink target")
    if name == "." or name in d.entries:
        raise WasiError(EEXIST, path)
    _creating_in(d, path)
    s = Symlink(base.fs, target)
    _add_entry(d, name, s)
    return s


def readlink_at(base: Directory, path: str) -> str:
    """readlinkat(2). Errors: ENOENT, EINVAL (not a symlink), and those of
    `open_parent`."""
    d, name = open_parent(base, path)
    if name == ".":
        raise WasiError(EINVAL, f"{path!r} is not a symlink")
    node = d.entries.get(name)
    if node is None:
        raise WasiError(ENOENT, path)
    if not isinstance(node, Symlink):
        raise WasiError(EINVAL, f"{path!r} is not a symlink")
    return node.target


def stat_at(base: Directory, path: str, follow: bool) -> Inode:
    """fstatat(2): the inode. Errors: ENOENT and those of `resolve`."""
    r = resolve(base, path, follow)
    if r.inode is None:
        raise WasiError(ENOENT, path)
    return r.inode


def lookup_at(base: Directory, path: str, follow: bool) -> Resolved:
    return resolve(base, path, follow)
