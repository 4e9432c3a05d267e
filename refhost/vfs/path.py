"""Path resolution, sandboxed to the directory a path is relative to.

As wasmtime (cap-std) resolves a preview1 path relative to a directory
descriptor, that directory is the root of the walk:
- an absolute path, a `..` that would climb above it, or a symlink whose
  target is absolute or climbs above it: `EPERM` (cap-std's "escape");
- symlinks in the middle are always followed; the last component's only if
  `follow` (lookupflags.symlink_follow) or the path ends in `/`; more than
  `MAX_SYMLINKS` expansions in one walk: `ELOOP`;
- a component that is a file (in the middle, or last with a trailing `/`):
  `ENOTDIR`; a missing one in the middle: `ENOENT`; an empty path: `ENOENT`;
- a component longer than 255 bytes: `ENAMETOOLONG`; a NUL byte: `EINVAL`.
See RATIONALE "Reference host: path resolution".

`resolve` never creates anything; it says where the last component lives
(`parent`, `name`) and what it names now (`inode`, None if nothing).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ..errors import EINVAL, ENAMETOOLONG, ENOENT, ENOTDIR, ELOOP, EPERM, WasiError
from .inode import Directory, Inode, Symlink

MAX_SYMLINKS = 40    # Linux's MAXSYMLINKS, as cap-std
NAME_MAX = 255
PATH_MAX = 4096


@dataclass
class Resolved:
    parent: Directory        # the directory the last component is looked up in
    name: str                # the last component: a name, "." or ".."
    inode: Inode | None      # what it names (after following, if asked), or None
    trailing_slash: bool     # the path (or the last symlink followed) ended in "/"


def resolve(base: Directory, path: str, follow: bool) -> Resolved:
    if not path:
        raise WasiError(ENOENT, "empty path")
    if "\0" in path:
        raise WasiError(EINVAL, "NUL in a path")
    if len(path.encode("utf-8", "surrogateescape")) >= PATH_MAX:  # before EPERM, as wasmtime
        raise WasiError(ENAMETOOLONG, "path too long")
    if path.startswith("/"):
        raise WasiError(EPERM, f"absolute path {path!r}")
    trailing = path.endswith("/")
    pending = deque(c for c in path.split("/") if c)
    if not pending:  # cannot happen for a relative, non-empty path; keep the walk total
        pending.append(".")
    stack = [base]
    links = 0
    while pending:
        c = pending.popleft()
        last = not pending
        cur = stack[-1]
        if c == ".":
            if last:
                return Resolved(cur, ".", cur, trailing)
            continue
        if c == "..":
            if len(stack) == 1:
                raise WasiError(EPERM, f"{path!r} climbs out of its directory")
            stack.pop()
            if last:
                return Resolved(stack[-1], "..", stack[-1], trailing)
            continue
        if len(c.encode("utf-8", "surrogateescape")) > NAME_MAX:
            raise WasiError(ENAMETOOLONG, "name too long")
        node = cur.entries.get(c)
        if node is None:
            if last:
                return Resolved(cur, c, None, trailing)
            raise WasiError(ENOENT, f"{c!r} not found")
        if isinstance(node, Symlink) and (not last or follow or trailing):
            links += 1
            if links > MAX_SYMLINKS:
                raise WasiError(ELOOP, "too many symbolic links")
            target = node.target
            if target.startswith("/"):
                raise WasiError(EPERM, f"symlink {c!r} is absolute")
            if not target:
                raise WasiError(ENOENT, f"symlink {c!r} is empty")
            parts = [t for t in target.split("/") if t] or ["."]
            pending.extendleft(reversed(parts))
            if last and target.endswith("/"):
                trailing = True
            continue
        if last:
            if trailing and not isinstance(node, Directory):
                raise WasiError(ENOTDIR, f"{c!r} is not a directory")
            return Resolved(cur, c, node, trailing)
        if not isinstance(node, Directory):
            raise WasiError(ENOTDIR, f"{c!r} is not a directory")
        stack.append(node)
    raise AssertionError("unreachable")


# --- via the parent (cap-std's `open_parent`) ---------------------------------------

def requires_dir(path: str) -> bool:
    return path.endswith("/") or path.endswith("/.")


def strip_dir_suffix(path: str) -> str:
    """Trailing slashes off, unless that leaves nothing ("/" stays)."""
    stripped = path.rstrip("/")
    return stripped if stripped else path[:1]


def _components(path: str) -> list[str]:
    """The components of a path as Rust's `Path::components` gives them:
    empty and `.` components dropped, except a leading `.`."""
    out = []
    for i, c in enumerate(path.split("/")):
        if c == "" and i == 0 and path.startswith("/"):
            out.append("/")
        elif c == "." and i == 0:
            out.append(".")
        elif c not in ("", "."):
            out.append(c)
    return out


def split_parent(path: str) -> tuple[str, str]:
    """(directory part, last component) as cap-std splits a path for the
    calls that act on a name in a directory (mkdir, unlink, rmdir, rename,
    link, symlink, readlink): a path ending in `/`, `/.` or `..` becomes
    (the whole path, "."). ENOENT for an empty path."""
    if not path:
        raise WasiError(ENOENT, "empty path")
    if "\0" in path:
        raise WasiError(EINVAL, "NUL in a path")
    if not requires_dir(path):
        comps = _components(path)
        if comps and comps[-1] not in ("..", "/"):
            return "/".join(comps[:-1]).replace("//", "/"), comps[-1]
    return path, "."


def open_parent(base: Directory, path: str) -> tuple[Directory, str]:
    """The directory the last component of `path` is in (every symlink on
    the way followed), and that component (a name or ".")."""
    dirname, basename = split_parent(path)
    if not dirname:
        d = base
    else:
        r = resolve(base, dirname, follow=True)
        if r.inode is None:
            raise WasiError(ENOENT, f"{dirname!r} not found")
        if not isinstance(r.inode, Directory):
            raise WasiError(ENOTDIR, f"{dirname!r} is not a directory")
        d = r.inode
    if len(basename.encode("utf-8", "surrogateescape")) > NAME_MAX:
        raise WasiError(ENAMETOOLONG, "name too long")
    return d, basename
