"""Tree snapshots, the Python side: host directories as trees and back, the
JSON form, and the diff. The format is polyfill/src/run/tree.js's, one for
every host, page and worker:

    {"type": "dir",     "entries": {name: tree, ...}, "atim": ns, "mtim": ns}
    {"type": "file",    "data": bytes, "id": n,       "atim": ns, "mtim": ns}
    {"type": "symlink", "target": str,                "atim": ns, "mtim": ns}

and, in an index (`wasi-polyfill index DIR`: a tree served over HTTP, whose
bytes stay on the server), a file without `data`:

    {"type": "file", "size": n, "sha256": hex, "id": n, "atim": ns, "mtim": ns,
     "chunkSize": n, "chunkSha256": [hex, ...]}

(`chunkSize` and `chunkSha256` only on files larger than one chunk: the
SHA-256 of each chunk, so that a reader fetching ranges checks each one;
indexes written before them have none, and are still read.)

In memory here `data` is bytes and times are ints; on the wire (`to_json` /
`from_json`) `data` is base64 and times are decimal strings (a u64 does not
fit a JavaScript number). Times and `id` are optional: `id` marks the files
that are one inode (hard links); a tree without times is stamped by the
filesystem that loads it. Names are `str` (host names that are not UTF-8 are
kept with surrogate escapes).

- `read_host_tree(path)`: a host directory as a tree, never following a
  symlink (they are recorded as symlinks, whatever they point at); sockets,
  devices and fifos are skipped. `read_host_tree(path, data=False)`: its
  index (files by size and SHA-256, and per `chunk_size` bytes;
  docs/url-directory.md).
- `apply_tree(path, tree)` (`--write-back`): make the host directory match
  the tree: stage every new or changed file and symlink in a staging
  directory inside it (a failure there leaves the directory untouched), then
  remove what is gone and rename each staged entry over its place; never
  follow a host symlink (one in the way is replaced, not written through).
  Hard links in the tree become separate host files.
- `diff_trees(a, b)`: what differs, one line per difference.

The reference host loads and dumps the same format with its own code
(refhost/vfs/tree.py), so the two runtimes stay independent.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import os
import shutil
import stat
import tempfile
from typing import Any

Tree = dict[str, Any]


def name_key(name: str) -> bytes:
    """Names sort by the bytes of their UTF-8, as the JS side sorts them."""
    return name.encode("utf-8", "surrogateescape")


# --- host -> tree ----------------------------------------------------------------

# An index's chunk size: a file larger than this gets a SHA-256 per chunk (64 hex digits a MiB)
INDEX_CHUNK = 1 << 20


def read_host_tree(path: str, data: bool = True, chunk_size: int = INDEX_CHUNK) -> Tree:
    ids: dict[tuple[int, int], int] = {}

    def walk(p: str, st: os.stat_result) -> Tree:
        entries: dict[str, Tree] = {}
        with os.scandir(p) as it:
            for entry in sorted(it, key=lambda e: name_key(e.name)):
                est = entry.stat(follow_symlinks=False)
                child = os.path.join(p, entry.name)
                if stat.S_ISLNK(est.st_mode):
                    entries[entry.name] = {"type": "symlink", "target": os.readlink(child),
                                           "mtim": est.st_mtime_ns, "atim": est.st_atime_ns}
                elif stat.S_ISDIR(est.st_mode):
                    entries[entry.name] = walk(child, est)
                elif stat.S_ISREG(est.st_mode):
                    node: Tree = {"type": "file", **(_content(child) if data else _digest(child, chunk_size)),
                                  "mtim": est.st_mtime_ns, "atim": est.st_atime_ns}
                    if est.st_nlink > 1:
                        node["id"] = ids.setdefault((est.st_dev, est.st_ino), len(ids) + 1)
                    entries[entry.name] = node
        return {"type": "dir", "entries": entries, "mtim": st.st_mtime_ns, "atim": st.st_atime_ns}

    return walk(path, os.stat(path))


def _content(path: str) -> Tree:
    with open(path, "rb") as f:
        return {"data": f.read()}


def _digest(path: str, chunk_size: int) -> Tree:
    """An index's file: its size and SHA-256, and each chunk's above one
    chunk, read a chunk at a time (a file of GBs is never held whole)."""
    h = hashlib.sha256()
    size = 0
    chunks = []
    with open(path, "rb") as f:
        while chunk := f.read(chunk_size):
            h.update(chunk)
            chunks.append(hashlib.sha256(chunk).hexdigest())
            size += len(chunk)
    out: Tree = {"size": size, "sha256": h.hexdigest()}
    if size > chunk_size:
        out.update(chunkSize=chunk_size, chunkSha256=chunks)
    return out


# --- JSON ----------------------------------------------------------------------------

def to_json(tree: Tree) -> Tree:
    """`data` as base64 text and times as decimal strings, for JSON."""
    out = dict(tree)
    for k in ("atim", "mtim"):
        if k in out:
            out[k] = str(out[k])
    if tree["type"] == "dir":
        out["entries"] = {k: to_json(v) for k, v in tree["entries"].items()}
    elif tree["type"] == "file" and "data" in tree:
        out["data"] = base64.b64encode(tree["data"]).decode("ascii")
    return out


def from_json(tree: Tree) -> Tree:
    out = dict(tree)
    for k in ("atim", "mtim"):
        if k in out:
            out[k] = int(out[k])
    if tree["type"] == "dir":
        out["entries"] = {k: from_json(v) for k, v in tree["entries"].items()}
    elif tree["type"] == "file" and "data" in tree:
        out["data"] = base64.b64decode(tree["data"])
    return out


# --- diff ------------------------------------------------------------------------------

def diff_trees(a: Tree, b: Tree, times: bool = False) -> list[str]:
    """What differs between two trees, one line per difference in path order
    (as run/tree.js `diffTrees` words it); empty when they agree."""
    out: list[str] = []

    def groups(tree: Tree) -> dict[str, str]:
        ids: dict[int, list[str]] = {}

        def walk(t: Tree, path: str) -> None:
            for name, e in t["entries"].items():
                p = _join(path, name)
                if e["type"] == "dir":
                    walk(e, p)
                elif e["type"] == "file" and "id" in e:
                    ids.setdefault(e["id"], []).append(p)
        walk(tree, "/")
        return {p: ",".join(sorted(q for q in paths if q != p)) for paths in ids.values() for p in paths}

    la, lb = groups(a), groups(b)

    def cmp(x: Tree, y: Tree, path: str) -> None:
        if x["type"] != y["type"]:
            out.append(f"{path}: {x['type']} in a, {y['type']} in b")
            return
        if times and x.get("mtim") != y.get("mtim"):
            out.append(f"{path}: mtim {x.get('mtim')} vs {y.get('mtim')}")
        if x["type"] == "file":
            if x["data"] != y["data"]:
                out.append(f"{path}: contents differ ({len(x['data'])} bytes vs {len(y['data'])} bytes)")
            if la.get(path, "") != lb.get(path, ""):
                out.append(f"{path}: hard links differ")
        elif x["type"] == "symlink":
            if x["target"] != y["target"]:
                out.append(f'{path}: symlink target "{x["target"]}" vs "{y["target"]}"')
        else:
            for name in sorted(set(x["entries"]) | set(y["entries"]), key=name_key):
                p = _join(path, name)
                if name not in y["entries"]:
                    out.append(f"{p}: only in a")
                elif name not in x["entries"]:
                    out.append(f"{p}: only in b")
                else:
                    cmp(x["entries"][name], y["entries"][name], p)

    cmp(a, b, "/")
    return out


def _join(d: str, name: str) -> str:
    return f"/{name}" if d == "/" else f"{d}/{name}"


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
