"""The reference host's in-memory filesystem (the JS runtime's `vfs/` twin).

- `inode`: files, directories, symlinks; link counts and timestamps;
- `path`: sandboxed path resolution;
- `memfs`: the filesystem and its `*at` operations;
- `tree`: tree snapshots in and out of a MemFS (the host directories themselves are harness/tree.py's).
"""

from .inode import Directory, File, Inode, Symlink
from .memfs import MemFS

__all__ = ["Directory", "File", "Inode", "MemFS", "Symlink"]
