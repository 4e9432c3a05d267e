"""`--write-back` is safe (issue #8 part 5), on every in-memory host's CLI
and in the harness's `apply_tree` (harness/tree.py: the browser and reference hosts):

- a host symlink pointing out of the dir is loaded as a symlink and, when
  the guest replaces it, replaced — never written through;
- a guest that traps after writing leaves the host dir fully updated (what
  it did before the trap stays done, as on wasmtime: spec/RATIONALE.md "CLI");
- a failure while staging leaves the host dir untouched, and a finished
  write-back leaves no staging or temporary files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import differential as d
from test_corpus import host_unavailable

from harness import tree as host_trees
from harness.toolchain import compile_many

HOSTS = ["wasmtime", "node", "refhost"]

# Writes through the names of host symlinks that point out (after unlinking
# them), writes a second file, then traps: both files must be on the host.
PROGRAM = r"""
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func $path_create_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
;;@include prelude.wat
  (func $put (param $p i32) (param $l i32)
    ;; creat|trunc, follow symlinks: through an outward symlink this is EPERM
    (call $errno $"create through" (call $path_open (i32.const 3) (i32.const 1) (local.get $p) (local.get $l)
      (i32.const 9) (i64.const 0x3fffffff) (i64.const 0x3fffffff) (i32.const 0) (i32.const 0x2000)))
    (drop (call $path_unlink_file (i32.const 3) (local.get $p) (local.get $l)))
    (call $errno $"create" (call $path_open (i32.const 3) (i32.const 1) (local.get $p) (local.get $l)
      (i32.const 9) (i64.const 0x3fffffff) (i64.const 0x3fffffff) (i32.const 0) (i32.const 0x2000)))
    (i32.store (i32.const 0x2200) $"replaced")
    (i32.store (i32.const 0x2204) (i32.const 8))
    (drop (call $__fd_write (i32.load (i32.const 0x2000)) (i32.const 0x2200) (i32.const 1) (i32.const 0x2208)))
    (drop (call $fd_close (i32.load (i32.const 0x2000)))))
  (func (export "_start")
    (call $put $$"evil")
    (call $put $$"evil-abs")
    (call $put $$"dangling")
    (drop (call $path_unlink_file (i32.const 3) $$"evil-dir"))
    (drop (call $path_create_directory (i32.const 3) $$"evil-dir"))
    (call $put $$"evil-dir/key")
    (call $put $$"second.txt")
    unreachable)
)
"""


@pytest.fixture(scope="module")
def program(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("wat") / "writeback_trap.wat"
    src.write_text(PROGRAM.replace(";;@include prelude.wat",
                                   (d.CORPUS / "wat" / "prelude.wat").read_text()))
    return compile_many([src])[src]


def fenced(top: Path) -> Path:
    """A host dir with symlinks out to a canary beside it; returns the dir."""
    host = top / "dir"
    d.make_tree(top, {"canary.txt": "canary", "canary-dir/key": "canary key"})
    d.make_tree(host, {"evil": {"symlink": "../canary.txt"}, "evil-abs": {"symlink": str(top / "canary.txt")},
                       "dangling": {"symlink": "../created-outside"}, "evil-dir": {"symlink": "../canary-dir"},
                       "kept.txt": "kept"})
    return host


def state(top: Path) -> dict:
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = os.lstat(p)
            out[str(p.relative_to(top))] = (st.st_mode, st.st_mtime_ns, st.st_ctime_ns,
                                            os.readlink(p) if p.is_symlink() else
                                            p.read_bytes() if p.is_file() else None)
    return out


@pytest.mark.parametrize("host", HOSTS)
def test_trap_after_writing_leaves_the_dir_fully_updated_and_the_canary_untouched(host, program, tmp_path):
    reason = host_unavailable(host)
    if reason:
        pytest.skip(reason)
    top = tmp_path / "top"
    host_dir = fenced(top)
    outside = {k: v for k, v in state(top).items() if not k.startswith("dir")}
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "harness", "run", "--host", host, "--write-back",
                           "--dir", f"{host_dir}::/sandbox", str(program)], capture_output=True, cwd=d.ROOT, timeout=120)
    assert proc.returncode == 134, proc.stderr
    assert proc.stdout.decode().splitlines() == ["create through errno=63", "create errno=0"] * 3 + \
        ["create through errno=0", "create errno=0"] * 2, proc.stdout
    assert {k: v for k, v in state(top).items() if not k.startswith("dir")} == outside
    tree = d.snapshot(host_dir)
    assert tree == {"evil": ("file", b"replaced"), "evil-abs": ("file", b"replaced"), "dangling": ("file", b"replaced"),
                    "evil-dir": ("dir",), "evil-dir/key": ("file", b"replaced"), "second.txt": ("file", b"replaced"),
                    "kept.txt": ("file", b"kept")}


def test_apply_tree_never_writes_through_a_symlink(tmp_path):
    top = tmp_path / "top"
    host_dir = fenced(top)
    outside = {k: v for k, v in state(top).items() if not k.startswith("dir")}
    tree = host_trees.read_host_tree(str(host_dir))
    assert {k: v for k, v in tree["entries"]["evil"].items() if k not in ("atim", "mtim")} == {"type": "symlink", "target": "../canary.txt"}
    for name in ("evil", "evil-abs", "dangling"):
        tree["entries"][name] = {"type": "file", "data": b"replaced", "id": 99}
    tree["entries"]["evil-dir"] = {"type": "dir", "entries": {"key": {"type": "file", "data": b"new", "id": 98}}}
    host_trees.apply_tree(str(host_dir), tree)
    assert {k: v for k, v in state(top).items() if not k.startswith("dir")} == outside
    assert d.snapshot(host_dir) == {"evil": ("file", b"replaced"), "evil-abs": ("file", b"replaced"),
                                    "dangling": ("file", b"replaced"), "evil-dir": ("dir",),
                                    "evil-dir/key": ("file", b"new"), "kept.txt": ("file", b"kept")}


def test_apply_tree_failure_while_staging_leaves_the_dir_untouched(tmp_path, monkeypatch):
    host_dir = tmp_path / "h"
    d.make_tree(host_dir, {"old": "old", "gone": "gone", "d/x": "x", "l": {"symlink": "old"}})
    tree = host_trees.read_host_tree(str(host_dir))
    tree["entries"]["old"] = {"type": "file", "data": b"changed", "id": 1}
    del tree["entries"]["gone"]
    tree["entries"]["d"]["entries"]["new1"] = {"type": "file", "data": b"new1", "id": 2}
    tree["entries"]["new2"] = {"type": "file", "data": b"new2", "id": 3}
    tree["entries"]["l"] = {"type": "symlink", "target": "new2"}
    before = state(host_dir)
    real, calls = host_trees._write_new, []

    def failing(at, data):
        calls.append(at)
        if len(calls) == 2:
            raise OSError(28, "No space left on device (simulated)")
        real(at, data)
    monkeypatch.setattr(host_trees, "_write_new", failing)
    with pytest.raises(OSError, match="simulated"):
        host_trees.apply_tree(str(host_dir), tree)
    assert len(calls) == 2
    assert state(host_dir) == before
    monkeypatch.setattr(host_trees, "_write_new", real)
    host_trees.apply_tree(str(host_dir), tree)
    assert d.snapshot(host_dir) == {"old": ("file", b"changed"), "d": ("dir",), "d/x": ("file", b"x"),
                                    "d/new1": ("file", b"new1"), "new2": ("file", b"new2"),
                                    "l": ("symlink", "new2")}
