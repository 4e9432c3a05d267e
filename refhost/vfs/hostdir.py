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
  the tree: remove what is gone, write each changed file to a temporary
  file in its directory and rename it over the old one, recreate changed
  symlinks, and never follow a host symlink (one in the way is replaced,
  not written through).
- `load_host_dir` / `write_back`: the two composed, for native hosts.
"""

from __future__ import annotations

import base64
import os
import stat
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
    """`data` as base64 text, for JSON."""
    out = dict(tree)
    if tree["type"] == "dir":
        out["entries"] = {k: encode_tree(v) for k, v in tree["entries"].items()}
    elif tree["type"] == "file":
        out["data"] = base64.b64encode(tree["data"]).decode("ascii")
    return out


def decode_tree(tree: Tree) -> Tree:
    out = dict(tree)
    if tree["type"] == "dir":
        out["entries"] = {k: decode_tree(v) for k, v in tree["entries"].items()}
    elif tree["type"] == "file":
        out["data"] = base64.b64decode(tree["data"])
    return out


# --- tree -> host -------------------------------------------------------------------

def apply_tree(path: str, tree: Tree) -> None:
    """Make host directory `path` match `tree` (see the module docs)."""

    def sync_dir(p: str, t: Tree) -> None:
        wanted = t["entries"]
        for name in os.listdir(p):
            if name not in wanted:
                _remove(os.path.join(p, name))
        for name, e in wanted.items():
            child = os.path.join(p, name)
            try:
                st = os.lstat(child)
            except FileNotFoundError:
                st = None
            kind = e["type"]
            if kind == "dir":
                if st is not None and not stat.S_ISDIR(st.st_mode):
                    _remove(child)
                    st = None
                if st is None:
                    os.mkdir(child)
                sync_dir(child, e)
            elif kind == "file":
                _sync_file(p, name, child, st, e)
            elif kind == "symlink":
                if not (st is not None and stat.S_ISLNK(st.st_mode) and os.readlink(child) == e["target"]):
                    tmp = _temp_name(p, name)
                    os.symlink(e["target"], tmp)
                    if st is not None and stat.S_ISDIR(st.st_mode):
                        _remove(child)
                    os.replace(tmp, child)
                if "mtim" in e:
                    os.utime(child, ns=(e.get("atim", e["mtim"]), e["mtim"]), follow_symlinks=False)
        if "mtim" in t:
            os.utime(p, ns=(t.get("atim", t["mtim"]), t["mtim"]), follow_symlinks=False)

    sync_dir(path, tree)


def _sync_file(parent: str, name: str, child: str, st, e: Tree) -> None:
    """Write one file (temporary file + rename) unless the host already has
    these bytes under this name."""
    same = False
    if st is not None and stat.S_ISREG(st.st_mode) and st.st_size == len(e["data"]):
        with open(child, "rb") as f:
            same = f.read() == e["data"]
    if not same:
        tmp = _temp_name(parent, name)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(e["data"])
        if st is not None and stat.S_ISDIR(st.st_mode):
            _remove(child)
        os.replace(tmp, child)
    if "mtim" in e:
        os.utime(child, ns=(e.get("atim", e["mtim"]), e["mtim"]), follow_symlinks=False)


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
