"""Run tool.wasm commands on a read-only host filesystem, and in a folder
without write permission, under native wasmtime and under our node host (a
HostDirectory on the live folder), for tests/test_hostdir_readonly.py. Run
it in a private mount namespace, as root without the capabilities that
override file permissions: `unshare -m setpriv --bounding-set
-dac_override,-dac_read_search python tests/readonly_mount.py DIR` mounts a
tmpfs at DIR (gone with the namespace), fills it, remounts it read-only,
mounts a second writable tmpfs at DIR-other, makes DIR-np a folder of mode
555 (its owner, root, may not write there without those capabilities), runs
every command of COMMANDS on both hosts, and prints one JSON line:
[[args, wasmtime, node], ...], each result [exit status, stdout, stderr]."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from harness.hosts import RunSpec, run  # noqa: E402

TOOL = ROOT / "tests" / "js" / "probe" / "tool.wasm"

# /lib: the read-only tmpfs (hello.txt, dir/inner.txt, empty/); /rw: a writable tmpfs, another filesystem
COMMANDS = [
    ["cat", "/lib/hello.txt"], ["stat", "/lib/hello.txt"],
    ["write", "/lib/hello.txt", "x"], ["write", "/lib/new", "x"], ["append", "/lib/hello.txt", "x"],
    ["mkdir", "/lib/dir"], ["mkdir", "/lib/new"],
    ["rm", "/lib/hello.txt"], ["rm", "/lib/missing"], ["rm", "/lib/dir"], ["rm", "/lib/."],
    ["rmdir", "/lib/dir"], ["rmdir", "/lib/empty"], ["rmdir", "/lib/missing"], ["rmdir", "/lib/."],
    ["mv", "/lib/hello.txt", "/lib/x"], ["mv", "/lib/missing", "/lib/x"], ["mv", "/lib/.", "/lib/x"],
    ["mv", "/lib/hello.txt", "/rw/x"], ["mv", "/rw/f", "/lib/f"],
    ["ln", "-s", "hello.txt", "/lib/link"], ["ln", "-s", "hello.txt", "/lib/hello.txt"], ["ln", "-s", "/abs", "/lib/new"],
    ["mv", "/rw/f", "/rw/g", "+", "mv", "/rw/g", "/rw/f"],  # the writable one works
    # /np: no write permission (Linux looks the entry up, then may_delete says EACCES before EISDIR/ENOTEMPTY)
    ["write", "/np/hello.txt", "x"], ["write", "/np/new", "x"], ["mkdir", "/np/dir"], ["mkdir", "/np/new"],
    ["rm", "/np/hello.txt"], ["rm", "/np/missing"], ["rm", "/np/dir"],
    ["rmdir", "/np/dir"], ["rmdir", "/np/empty"], ["rmdir", "/np/missing"],
    ["mv", "/np/hello.txt", "/np/x"], ["mv", "/np/missing", "/np/x"], ["ln", "-s", "hello.txt", "/np/link"],
    ["cat", "/np/hello.txt"],
    # rename there: the lookups, the same-inode and ancestor checks, then may_delete's EACCES before the target's
    # EISDIR, ENOTDIR and ENOTEMPTY
    ["mv", "/np/hello.txt", "/np/dir"], ["mv", "/np/dir", "/np/hello.txt"], ["mv", "/np/empty", "/np/dir"],
    ["mv", "/np/hello.txt", "/np/hello.txt"], ["mv", "/np/dir", "/np/dir/sub"], ["mv", "/np/missing", "/np/dir"],
    ["mv", "/np/dir", "/np/empty"], ["mv", "/np/hello.txt", "/rw/x"], ["mv", "/rw/f", "/np/f"],
    ["mv", "/np/hello.txt", "/np/missing/x"], ["mv", "/np/hello.txt", "/np/hello.txt/x"],
]


def read(f) -> str:
    f.seek(0)
    return f.read().decode(errors="replace")


def sh(*args: str) -> None:
    subprocess.run(args, check=True)


def main(base: Path) -> None:
    other = Path(f"{base}-other")
    base.mkdir(parents=True, exist_ok=True)
    other.mkdir(parents=True, exist_ok=True)
    sh("mount", "-t", "tmpfs", "tmpfs", str(base))
    sh("mount", "-t", "tmpfs", "tmpfs", str(other))
    (base / "hello.txt").write_text("hello, world\n")
    (base / "dir").mkdir()
    (base / "dir" / "inner.txt").write_text("inner\n")
    (base / "empty").mkdir()
    sh("mount", "-o", "remount,ro", str(base))
    noperm = Path(f"{base}-np")
    noperm.mkdir()
    (noperm / "hello.txt").write_text("hello, world\n")
    (noperm / "dir").mkdir()
    (noperm / "dir" / "inner.txt").write_text("inner\n")
    (noperm / "empty").mkdir()
    for p in (noperm / "hello.txt", noperm / "dir" / "inner.txt"):
        p.chmod(0o444)
    for p in (noperm / "dir", noperm / "empty", noperm):
        p.chmod(0o555)
    out = []
    for args in COMMANDS:
        results = []
        for host in ("wasmtime", "node"):
            (other / "f").write_text("f\n")
            # files, not BytesIO: the node host hands them to its process
            with open(os.devnull, "rb") as stdin, tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
                spec = RunSpec(program=str(TOOL), args=args, dirs=[(str(base), "/lib"), (str(other), "/rw"), (str(noperm), "/np")],
                               stdin=stdin, stdout=stdout, stderr=stderr)
                status = run(host, spec)  # in this process (wasmtime), or one Node process per run
                results.append([status, *(read(f) for f in (stdout, stderr))])
            for leftover in other.iterdir():
                leftover.unlink()
        out.append([args, *results])
    print(json.dumps(out))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
