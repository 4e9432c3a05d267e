"""What `compare` diffs of the directory trees a run leaves behind: a flat
listing, path -> Entry, made from the one tree snapshot (harness/tree.py's
`read_host_tree`, the format of every host and page).

A host dir is snapshotted after the run (for in-memory hosts, after
`--write-back` has made it match the final in-memory tree). What is listed:

- names, types (`file`, `dir`, `symlink`), file contents (a SHA-256
  and, for small files, the bytes, so a diff can show them), symlink targets;
- hard-link structure: for a file with more than one name, the other names it
  shares its inode with. Raw inode numbers are never recorded: a written-back
  tree's inode numbers are the host filesystem's, not the ones the guest saw,
  so they mean nothing across runs;
- `atime`/`mtime` in nanoseconds. They are compared only under
  `--deterministic`, only between our own runtimes (see diff.py), and to the
  millisecond (`TIME_RESOLUTION_NS`); `ctime` cannot be set by write-back and
  is never recorded.

Each entry is `lstat`ed before it is read, so reading does not disturb the
atime that is recorded (on `relatime` mounts a read can bump it).
Sockets, fifos and devices are not in a tree snapshot, so not listed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from harness.tree import read_host_tree

KEEP_BYTES = 256 * 1024  # files up to this size keep their bytes for diffs


@dataclass(frozen=True)
class Entry:
    kind: str                       # "file" | "dir" | "symlink" | "other"
    size: int = 0                   # files: byte count
    sha256: str = ""                # files: hex digest of the contents
    data: bytes | None = field(default=None, compare=False, repr=False)  # small files only
    target: str | None = None       # symlinks: the link text
    links: tuple[str, ...] = ()     # files: other names of the same inode, sorted
    mtime_ns: int = field(default=0, compare=False)
    atime_ns: int = field(default=0, compare=False)

    def describe(self) -> str:
        """One line of the tree listing: everything the `tree` aspect compares."""
        if self.kind == "file":
            text = f"file {self.size} B sha256:{self.sha256[:16]}"
            if self.links:
                text += " links=" + ",".join(self.links)
            return text
        if self.kind == "symlink":
            return f"symlink -> {self.target}"
        return self.kind

    def times(self) -> str:
        """One line of the times listing: what the `times` aspect compares, to the millisecond."""
        return f"mtime={format_ms(self.mtime_ns)} atime={format_ms(self.atime_ns)}"

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind}
        if self.kind == "file":
            out.update(size=self.size, sha256=self.sha256)
            if self.links:
                out["links"] = list(self.links)
        if self.kind == "symlink":
            out["target"] = self.target
        out.update(mtime_ns=self.mtime_ns, atime_ns=self.atime_ns)
        return out


# guest path of an entry ("/data/sub/a.txt"; a preopen's root ends in "/") -> Entry
Tree = dict[str, Entry]


# Timestamps are compared to the millisecond (deterministic clocks step 1 ms):
# Node's fs.utimes takes seconds as a double, so a time the JS runtime writes
# back can land a microsecond off (1700000000.001 s becomes ...000.000999).
TIME_RESOLUTION_NS = 1_000_000


def rounded_ms(ns: int) -> int:
    return (ns + TIME_RESOLUTION_NS // 2) // TIME_RESOLUTION_NS


def format_ms(ns: int) -> str:
    sec, frac = divmod(rounded_ms(ns), 1000)
    return f"{sec}.{frac:03d}"


def _entry(node: dict) -> Entry:
    times = {"mtime_ns": node.get("mtim", 0), "atime_ns": node.get("atim", 0)}
    if node["type"] == "symlink":
        return Entry("symlink", target=node["target"], **times)
    if node["type"] == "dir":
        return Entry("dir", **times)
    data = node["data"]
    return Entry("file", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                 data=data if len(data) <= KEEP_BYTES else None, **times)


def _join(guest: str, rel: str) -> str:
    base = guest.rstrip("/") or ""
    return f"{base}/{rel}" if rel else f"{base}/"


def snapshot(dirs: list[tuple[str | Path, str]]) -> Tree:
    """The trees under each (host dir, guest path), keyed by guest path."""
    tree: Tree = {}
    groups: dict[tuple[int, int], list[str]] = {}  # (dir, id) -> paths: one inode
    for k, (host_dir, guest) in enumerate(dirs):
        pending: list[tuple[str, dict]] = [("", read_host_tree(os.fspath(host_dir)))]
        while pending:
            rel, node = pending.pop()
            key = _join(guest, rel)
            if key in tree:  # the same guest path twice: keep both apart
                key += f" ({host_dir})"
            tree[key] = _entry(node)
            if "id" in node:
                groups.setdefault((k, node["id"]), []).append(key)
            if node["type"] == "dir":
                for name in sorted(node["entries"], reverse=True):
                    pending.append((f"{rel}/{name}" if rel else name, node["entries"][name]))
    for names in groups.values():
        if len(names) > 1:
            for name in names:
                others = tuple(sorted(n for n in names if n != name))
                e = tree[name]
                tree[name] = Entry(e.kind, e.size, e.sha256, e.data, e.target, others,
                                   e.mtime_ns, e.atime_ns)
    return dict(sorted(tree.items()))


def listing(tree: Tree) -> list[str]:
    """The tree as lines `PATH  DESCRIPTION`, sorted: what `tree` diffs show."""
    width = max((len(p) for p in tree), default=0)
    return [f"{path:<{width}}  {entry.describe()}" for path, entry in tree.items()]


def times_listing(tree: Tree) -> list[str]:
    width = max((len(p) for p in tree), default=0)
    return [f"{path:<{width}}  {entry.times()}" for path, entry in tree.items()]


def same_shape(a: Tree, b: Tree) -> bool:
    """Equal on everything but times (Entry's equality leaves out times and bytes)."""
    return a == b


def same_times(a: Tree, b: Tree) -> bool:
    return a.keys() == b.keys() and all(a[p].times() == b[p].times() for p in a)
