"""Host directories in and out of a `MemFS`, through a neutral tree.

A *tree* is plain data (JSON-able, so it can cross into Pyodide):

    {"type": "dir", "mtim": ns, "atim": ns, "entries": {name: tree, ...}}
    {"type": "file", "data": bytes, "id": n, "mtim": ns, "atim": ns}
    {"type": "symlink", "target": str}

`id` says which entries were one inode on the host (informational: a host
file with two names is loaded as two inodes, and a guest's hard link is
written back as two files — RATIONALE "CLI", "Inode numbers and devices").
`encode_tree` / `decode_tree` turn `data` into base64 for JSON.

- `read_host_tree(path)`: a host directory as a tree, never following a
  symlink (they are recorded as symlinks, whatever they point at); sockets,
  devices and fifos are skipped.
- `load_tree(fs, dir, tree)` / `dump_tree(dir)`: a tree into / out of a MemFS
  directory.
- `apply_tree(path, tree)` (`--write-back`): make the host directory match
  the tree: stage every new or changed file and symlink in a staging
  directory inside it (a failure there leaves the directory untouched), then
  remove what is gone and rename each staged entry over its place; never
  follow a host symlink (one in the way is replaced, not written through).
- `load_host_dir` / `write_back`: the two composed, for native hosts.
"""

from __future__ import annotations

import base64
import errno
import os
import shutil
import stat
import tempfile
from typing import Any

from .inode import Directory, File, Inode, Symlink
from .memfs import MemFS, _add_entry

Tree = dict[str, Any]


# --- host -> tree ----------------------------------------------------------------

def read_host_tree(path: str) -> Tree:
    ids: dict[tuple[int, int], int] = {}

    def walk(p: str, st: os.stat_result) -> Tree:
        entries: dict[str, Tree] = {}
        with os.scandir(p) as it:
            for entry in it:
                est = entry.stat(follow_symlinks=False)
                child = os.path.join(p, entry.name)
                if stat.S_ISLNK(est.st_mode):
                    entries[entry.name] = {"type": "symlink", "target": os.readlink(child)}
                elif stat.S_ISDIR(est.st_mode):
                    entries[entry.name] = walk(child, est)
                elif stat.S_ISREG(est.st_mode):
                    key = (est.st_dev, est.st_ino)
                    file_id = ids.setdefault(key, len(ids) + 1)
                    with open(child, "rb") as f:
                        data = f.read()
                    entries[entry.name] = {"type": "file", "data": data, "id": file_id,
                                           "mtim": est.st_mtime_ns, "atim": est.st_atime_ns}
        return {"type": "dir", "entries": entries, "mtim": st.st_mtime_ns, "atim": st.st_atime_ns}

    return walk(path, os.stat(path))


# --- tree <-> MemFS --------------------------------------------------------------

def load_tree(fs: MemFS, d: Directory, tree: Tree, keep_times: bool = True) -> None:
    """Fill directory `d` of `fs` from `tree`: depth first, pre-order, names
    in bytewise UTF-8 order, so inode numbers and the entry order are a
    function of the tree. With `keep_times`, the tree's atim/mtim are kept
    (else every inode has the filesystem clock's time)."""

    def fill(d: Directory, tree: Tree) -> None:
        for name in sorted(tree["entries"], key=_name_key):
            t = tree["entries"][name]
            kind = t["type"]
            node: Inode
            if kind == "dir":
                node = Directory(fs, d)
                _add_entry(d, name, node)
                fill(node, t)
            elif kind == "file":
                node = File(fs, t["data"])
                _add_entry(d, name, node)
            elif kind == "symlink":
                node = Symlink(fs, t["target"])
                _add_entry(d, name, node)
            else:
                continue
            if keep_times:
                _set_times(node, t)
        if keep_times:
            _set_times(d, tree)

    fill(d, tree)


def _name_key(name: str) -> bytes:
    return name.encode("utf-8", "surrogateescape")


def _set_times(node: Inode, t: Tree) -> None:
    if "mtim" in t:
        node.mtim = t["mtim"]
    if "atim" in t:
        node.atim = t["atim"]
    node.ctim = node.mtim


def dump_tree(d: Directory) -> Tree:
    ids: dict[int, int] = {}

    def walk(d: Directory) -> Tree:
        entries: dict[str, Tree] = {}
        for name, node in d.entries.items():
            if isinstance(node, Directory):
                entries[name] = walk(node)
            elif isinstance(node, File):
                file_id = ids.setdefault(id(node), len(ids) + 1)
                entries[name] = {"type": "file", "id": file_id, "data": node.read(0, node.size),
                                 "mtim": node.mtim, "atim": node.atim}
            elif isinstance(node, Symlink):
                entries[name] = {"type": "symlink", "target": node.target,
                                 "mtim": node.mtim, "atim": node.atim}
        return {"type": "dir", "entries": entries, "mtim": d.mtim, "atim": d.atim}

    return walk(d)


# --- JSON ---------------------------------------------------------------------------

def encode_tree(tree: Tree) -> Tree:
    """`data` as base64 text and times as decimal strings, for JSON (the
    tree format of polyfill/src/run/tree.js: a u64 does not fit a JS number)."""
    out = dict(tree)
    for k in ("atim", "mtim"):
        if k in out:
            out[k] = str(out[k])
    if tree["type"] == "dir":
        out["entries"] = {k: encode_tree(v) for k, v in tree["entries"].items()}
    elif tree["type"] == "file":
        out["data"] = base64.b64encode(tree["data"]).decode("ascii")
    return out


def decode_tree(tree: Tree) -> Tree:
    out = dict(tree)
    for k in ("atim", "mtim"):
        if k in out:
            out[k] = int(out[k])
    if tree["type"] == "dir":
        out["entries"] = {k: decode_tree(v) for k, v in tree["entries"].items()}
    elif tree["type"] == "file":
        out["data"] = base64.b64decode(tree["data"])
    return out


# --- tree -> host -------------------------------------------------------------------

STAGE_PREFIX = ".wasi-polyfill-stage-"


def apply_tree(path: str, tree: Tree) -> None:
    """Make host directory `path` match `tree` (see the module docs), in two
    phases (RATIONALE "CLI"): first every new or changed file and symlink is
    written into a staging directory inside `path` (nothing visible changes;
    a failure here removes it and leaves `path` as it was), then what is gone
    is removed, new directories made and each staged entry renamed over its
    place, atomically per entry."""
    os.makedirs(path, exist_ok=True)
    stage = tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=path)
    ops: list = []
    staged = iter(range(1 << 62))

    def stage_entry(make) -> str:
        at = os.path.join(stage, str(next(staged)))
        make(at)
        return at

    def plan_dir(p: str, t: Tree, on_host: bool) -> None:
        wanted = t["entries"]
        if on_host:
            for name in os.listdir(p):
                if name not in wanted and os.path.join(p, name) != stage:
                    ops.append(lambda c=os.path.join(p, name): _remove(c))
        for name, e in wanted.items():
            child = os.path.join(p, name)
            st = None
            if on_host:
                try:
                    st = os.lstat(child)
                except FileNotFoundError:
                    pass
            kind = e["type"]
            is_dir = st is not None and stat.S_ISDIR(st.st_mode)
            if kind == "dir":
                if st is not None and not is_dir:
                    ops.append(lambda c=child: _remove(c))
                if not is_dir:
                    ops.append(lambda c=child: os.mkdir(c))
                plan_dir(child, e, is_dir)
            elif kind in ("file", "symlink"):
                if kind == "file":
                    same = st is not None and stat.S_ISREG(st.st_mode) and _same_bytes(child, st, e["data"])
                    make = lambda at, data=e["data"]: _write_new(at, data)  # noqa: E731
                else:
                    same = st is not None and stat.S_ISLNK(st.st_mode) and os.readlink(child) == e["target"]
                    make = lambda at, target=e["target"]: os.symlink(target, at)  # noqa: E731
                if not same:
                    at = stage_entry(make)
                    if is_dir:
                        ops.append(lambda c=child: _remove(c))
                    ops.append(lambda at=at, c=child, make=make: _move_into(at, c, make))
            else:
                continue
            if "mtim" in e:
                ops.append(lambda c=child, e=e: os.utime(c, ns=(e.get("atim", e["mtim"]), e["mtim"]),
                                                         follow_symlinks=False))
        ops.append(lambda: _set_dir_times(p, t))

    try:
        try:
            plan_dir(path, tree, True)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        for op in ops:
            op()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    _set_dir_times(path, tree)  # again: removing the staging directory stamped it


def _set_dir_times(p: str, t: Tree) -> None:
    if "mtim" in t:
        os.utime(p, ns=(t.get("atim", t["mtim"]), t["mtim"]), follow_symlinks=False)


def _same_bytes(child: str, st, data: bytes) -> bool:
    if st.st_size != len(data):
        return False
    fd = os.open(child, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        return f.read() == data


def _write_new(at: str, data: bytes) -> None:
    fd = os.open(at, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _move_into(staged: str, child: str, make) -> None:
    """Rename a staged entry over `child`; across file systems (a mount
    inside the host directory), make it again beside its place first."""
    try:
        os.replace(staged, child)
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
        tmp = _temp_name(os.path.dirname(child), os.path.basename(child))
        try:
            make(tmp)
            os.replace(tmp, child)
        except BaseException:
            if os.path.lexists(tmp):
                os.unlink(tmp)
            raise


def _temp_name(parent: str, name: str) -> str:
    n = 0
    while True:
        tmp = os.path.join(parent, f".wasi-polyfill-{os.getpid()}-{n}.tmp")
        if not os.path.lexists(tmp):
            return tmp
        n += 1


def _remove(p: str) -> None:
    """Remove a host entry without following symlinks."""
    st = os.lstat(p)
    if stat.S_ISDIR(st.st_mode):
        for name in os.listdir(p):
            _remove(os.path.join(p, name))
        os.rmdir(p)
    else:
        os.unlink(p)


# --- composed, for native hosts ----------------------------------------------------------

def load_host_dir(fs: MemFS, host_path: str, fs_path: str | None = None) -> Directory:
    """Load host directory `host_path` into `fs` at `fs_path` (created), or
    as a root of its own (`fs.new_root()`) when fs_path is None."""
    d = fs.mkdir_p(fs_path) if fs_path is not None else fs.new_root()
    load_tree(fs, d, read_host_tree(host_path))
    return d


def write_back(d: Directory, host_path: str) -> None:
    apply_tree(host_path, dump_tree(d))
