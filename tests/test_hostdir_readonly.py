"""HostDirectory (polyfill/src/node/hostdir.js) on a read-only host
filesystem and in a folder without write permission, differential against
native wasmtime: tool.wasm's changes (write, mkdir, rm, rmdir, mv, ln) on a
tmpfs remounted read-only, a rename from it to another filesystem, and the
same changes and renames in a folder of mode 555, give byte-identical output and exit
status under `--host wasmtime` and `--host node` (the live folder). The
mounts are made in a private mount namespace (`unshare -m`, as root), the
runs without the capabilities that override permissions (`setpriv`):
tests/readonly_mount.py. Without them the test skips, and fails under
CI=true."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def namespace_problem() -> str | None:
    for tool in ("unshare", "setpriv"):
        if shutil.which(tool) is None:
            return f"{tool} (util-linux) is not installed"
    probe = subprocess.run(["unshare", "-m", "mount", "-t", "tmpfs", "tmpfs", "/mnt"], capture_output=True)
    if probe.returncode != 0:
        return f"cannot mount in a private namespace (root needed): {probe.stderr.decode().strip()}"
    return None


def test_read_only_host_folder_errnos_are_wasmtimes(tmp_path):
    why = namespace_problem()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    proc = subprocess.run(["unshare", "-m", "setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                           sys.executable, str(ROOT / "tests" / "readonly_mount.py"), str(tmp_path / "ro")],
                          capture_output=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    results = json.loads(proc.stdout)
    diffs = [f"{' '.join(args)}: wasmtime {w}, node {n}" for args, w, n in results if w != n]
    assert not diffs, "\n".join(diffs)
    by_args = {" ".join(args): w for args, w, _ in results}
    # the case is what it means to be: the read-only refusals are there, and wasmtime's EIO
    assert by_args["rm /lib/missing"] == [1, "", "rm /lib/missing: I/O error\n"]
    assert by_args["rmdir /lib/dir"] == [1, "", "rmdir /lib/dir: I/O error\n"]
    assert by_args["mv /lib/hello.txt /rw/x"] == [1, "", "mv /lib/hello.txt: I/O error\n"]
    assert by_args["cat /lib/hello.txt"] == [0, "hello, world\n", ""]
    assert by_args["rm /np/dir"] == [1, "", "rm /np/dir: Permission denied\n"]
    assert by_args["rmdir /np/dir"] == [1, "", "rmdir /np/dir: Permission denied\n"]
    assert by_args["rm /np/missing"] == [1, "", "rm /np/missing: No such file or directory\n"]
    assert by_args["mv /np/empty /np/dir"] == [1, "", "mv /np/empty: Permission denied\n"]  # not ENOTEMPTY
    assert by_args["mv /np/hello.txt /np/hello.txt"][0] == 0
