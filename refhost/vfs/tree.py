"""Tree snapshots in and out of a `MemFS`: the reference host's own reading
of the one tree format (polyfill/src/run/tree.js; harness/tree.py reads and
writes host directories in it). Plain data, JSON-able, so it crosses into
Pyodide:

    {"type": "dir", "mtim": ns, "atim": ns, "entries": {name: tree, ...}}
    {"type": "file", "data": bytes, "id": n, "mtim": ns, "atim": ns}
    {"type": "symlink", "target": str, "mtim": ns, "atim": ns}

Files with the same `id` are one inode (hard links); times are optional.
`encode_tree` / `decode_tree` give the wire form (base64 data, times as
decimal strings).

- `load_tree(fs, dir, tree)` / `dump_tree(dir)`: a tree into / out of a MemFS
  directory.
"""

from __future__ import annotations

import base64
from typing import Any

from .inode import Directory, File, Inode, Symlink
from .memfs import MemFS, _add_entry

Tree = dict[str, Any]


# --- tree <-> MemFS --------------------------------------------------------------

def load_tree(fs: MemFS, d: Directory, tree: Tree, keep_times: bool = True) -> None:
    """Fill directory `d` of `fs` from `tree`: depth first, pre-order, names
    in bytewise UTF-8 order, so inode numbers and the entry order are a
    function of the tree. With `keep_times`, the tree's atim/mtim are kept
    (else every inode has the filesystem clock's time)."""

    linked: dict[int, File] = {}

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
                if "id" in t and t["id"] in linked:  # another name of a file already made
                    _add_entry(d, name, linked[t["id"]])
                    continue
                node = File(fs, t["data"])
                _add_entry(d, name, node)
                if "id" in t:
                    linked[t["id"]] = node
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
        for name in sorted(d.entries, key=_name_key):
            node = d.entries[name]
            if isinstance(node, Directory):
                entries[name] = walk(node)
            elif isinstance(node, File):
                entries[name] = {"type": "file", "data": node.read(0, node.size),
                                 "mtim": node.mtim, "atim": node.atim}
                if node.nlink > 1:  # names of one inode share an id, numbered in walking order
                    entries[name]["id"] = ids.setdefault(id(node), len(ids) + 1)
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
