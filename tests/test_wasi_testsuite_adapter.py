"""The wasi-testsuite adapter (tests/wasi_testsuite/adapter.py), driven as the
suite's runner drives it: loaded from its path as a module, asked for its
name, versions and the command line of a (fake) test case, which is then run.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import __version__
from harness.compare.availability import unavailable

CI = os.environ.get("CI") == "true"
ADAPTER = Path(__file__).resolve().parent / "wasi_testsuite" / "adapter.py"


def load_adapter(monkeypatch, **env: str):
    for name in ("WASI_POLYFILL_HOST", "WASI_POLYFILL_WRITE_BACK", "WASI_POLYFILL_PYTHON"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(ADAPTER.name, ADAPTER)  # as the runner does
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_run_as_a_script_it_prints_nothing():
    # The runner's test for "a module, not a legacy adapter script".
    out = subprocess.run([sys.executable, str(ADAPTER), "--version"], capture_output=True, text=True)
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")


def test_metadata(monkeypatch):
    adapter = load_adapter(monkeypatch)
    assert adapter.get_name() == "wasi-polyfill-node"
    assert adapter.get_version() == __version__
    assert adapter.get_wasi_versions() == ["wasm32-wasip1"]
    assert adapter.get_wasi_worlds() == ["wasi:cli/command"]
    assert adapter.get_timeout_seconds() > 0
    assert load_adapter(monkeypatch, WASI_POLYFILL_HOST="refhost").get_name() == "wasi-polyfill-refhost"


def test_compute_argv_for_a_fake_case(monkeypatch):
    adapter = load_adapter(monkeypatch)
    argv = adapter.compute_argv("tests/c/fd_readdir.wasm", (["a", "b c"], {"K": "V", "E": "x=y"}, "/suite/fs-tests.dir"),
                                [], "wasi:cli/command", "wasm32-wasip1")
    assert argv == [sys.executable, "-m", "harness", "run", "--host", "node",
                    "--env", "K=V", "--env", "E=x=y", "--dir", "/suite/fs-tests.dir::/",
                    "--", "tests/c/fd_readdir.wasm", "a", "b c"]
    assert "--dir" not in adapter.compute_argv("t.wasm", ([], {}, None), [], "wasi:cli/command", "wasm32-wasip1")


def test_write_back_only_for_in_memory_hosts(monkeypatch):
    case = ("t.wasm", ([], {}, "/root"), [], "wasi:cli/command", "wasm32-wasip1")
    assert "--write-back" in load_adapter(monkeypatch, WASI_POLYFILL_WRITE_BACK="1").compute_argv(*case)
    native = load_adapter(monkeypatch, WASI_POLYFILL_WRITE_BACK="1", WASI_POLYFILL_HOST="wasmtime")
    assert "--write-back" not in native.compute_argv(*case)
    assert "--write-back" not in load_adapter(monkeypatch).compute_argv(*case)


# A fake test: prints /fixture.txt from its root and exits with argc * 10 + envc.
CASE_WAT = r"""
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "fixture.txt")
  (func (export "_start")
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 11)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 40)))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 256))
    (drop (call $fd_read (i32.load (i32.const 40)) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $environ_sizes_get (i32.const 24) (i32.const 28)))
    (call $proc_exit (i32.add (i32.mul (i32.load (i32.const 16)) (i32.const 10)) (i32.load (i32.const 24))))))
"""


@pytest.mark.parametrize("host", ["wasmtime", "node", "refhost", "firefox", "webkit"])
def test_the_computed_command_runs_the_case(host, monkeypatch, tmp_path):
    if unavailable(host):
        if CI:
            pytest.fail(f"under CI every host runs: {host}: {unavailable(host)}", pytrace=False)
        pytest.skip(f"{host}: {unavailable(host)}")
    import wasmtime

    test_path = tmp_path / "case.wasm"
    test_path.write_bytes(wasmtime.wat2wasm(CASE_WAT))
    root = tmp_path / "fs-tests.dir"
    root.mkdir()
    (root / "fixture.txt").write_text("fixture contents\n")
    adapter = load_adapter(monkeypatch, WASI_POLYFILL_HOST=host)
    argv = adapter.compute_argv(str(test_path), (["x", "y"], {"A": "1"}, str(root)), [],
                                "wasi:cli/command", "wasm32-wasip1")
    out = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=adapter.get_timeout_seconds())
    assert (out.returncode, out.stdout, out.stderr) == (31, "fixture contents\n", "")
