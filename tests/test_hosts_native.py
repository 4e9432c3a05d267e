"""The two native reference hosts, wasmtime and node-wasi, through the CLI:
exit codes, traps, argv/env, stdin, --dir mapping, user errors; and the
wasmtime host in-process with in-memory streams."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import differential as d
from harness.hosts import RunSpec
from harness.toolchain import compile_one

CORPUS = d.CORPUS
HOSTS = ["wasmtime", pytest.param("node-wasi", marks=pytest.mark.skipif(
    shutil.which("node") is None, reason="node is not installed"))]


def wasm(name: str) -> str:
    return str(compile_one(CORPUS / name))


def run(host: str, program: str, *args: str, dirs=(), env=(), stdin: bytes = b"") -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "harness", "run", "--host", host]
    for host_dir, guest in dirs:
        cmd += ["--dir", f"{host_dir}::{guest}" if guest else str(host_dir)]
    for name, value in env:
        cmd += ["--env", f"{name}={value}"]
    return subprocess.run([*cmd, "--", program, *args], input=stdin, capture_output=True, timeout=60)


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("code", [0, 1, 42, 125])
def test_exit_code(host, code):
    p = run(host, wasm("wat/proc_exit.wat"), str(code))
    assert p.returncode == code
    assert p.stdout == f"exiting with {code}\n".encode()
    assert p.stderr == b""


@pytest.mark.parametrize("code", ["126", "255", "256"])
def test_wasmtime_refuses_exit_codes_from_126(code):
    # as `wasmtime run`: an error (status 1), not a trap
    p = run("wasmtime", wasm("wat/proc_exit.wat"), code)
    assert p.returncode == 1
    assert p.stderr == b"wasi-polyfill: error: exit with invalid exit status outside of [0..126)\n"


@pytest.mark.parametrize("host", HOSTS)
def test_return_from_start_is_status_0(host):
    p = run(host, wasm("wat/start_returns.wat"))
    assert (p.returncode, p.stdout, p.stderr) == (0, b"", b"")


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("program", ["wat/unreachable.wat", "wat/memory_oob.wat", "wat/stack_overflow.wat"])
def test_trap_is_one_line_and_134(host, program):
    p = run(host, wasm(program))
    assert p.returncode == 134
    lines = p.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wasi-polyfill: trap: ") and len(lines[0]) > 21, p.stderr
    assert "Traceback" not in p.stderr.decode()


@pytest.mark.parametrize("host", HOSTS)
def test_output_before_a_trap_is_kept(host):
    p = run(host, wasm("wat/unreachable.wat"))
    assert p.stdout == b"before the trap\nin deeper\n"


@pytest.mark.parametrize("host", HOSTS)
def test_argv_and_env(host):
    p = run(host, wasm("c/args_env.c"), "a b", "", "ü", env=[("K", "v=w"), ("EMPTY", "")])
    out = p.stdout.decode()
    assert p.returncode == 0
    assert 'argv[1]="a b"' in out and 'argv[2]=""' in out and 'argv[3]="ü"' in out
    assert 'environ[0]="K=v=w"' in out and 'environ[1]="EMPTY="' in out and "environ count=2" in out


@pytest.mark.parametrize("host", HOSTS)
def test_argv0_is_the_program_as_given(host):
    program = wasm("wat/args.wat")
    p = run(host, program)
    assert f"argv[0] at +0 len {len(program)}: {program}\n".encode() in p.stdout


@pytest.mark.parametrize("host", HOSTS)
def test_stdin(host):
    p = run(host, wasm("c/stdin_cat.c"), stdin=b"abc\ndef")
    assert p.stdout.startswith(b'data: "ABC\\nDEF"\nbytes=7 lines=1')


@pytest.mark.parametrize("host", HOSTS)
def test_dir_mapping(host, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    p = run(host, wasm("c/preopens.c"), dirs=[(tmp_path / "a", "/sandbox"), (tmp_path / "b", "/x/y")])
    out = p.stdout.decode()
    assert 'fd 3: tag=0 name_len=8 name="/sandbox"' in out
    assert 'fd 4: tag=0 name_len=4 name="/x/y"' in out
    assert "fd 5: fd_prestat_get BADF" in out
    # writes land in the host directories themselves
    assert (tmp_path / "a" / "made-by-preopens.txt").read_text() == "/sandbox"
    assert (tmp_path / "b" / "made-by-preopens.txt").read_text() == "/x/y"


@pytest.mark.parametrize("host", HOSTS)
def test_dir_without_guest_path_uses_the_host_path(host, tmp_path):
    p = run(host, wasm("c/preopens.c"), dirs=[(tmp_path, None)])
    assert f'name="{tmp_path}"'.encode() in p.stdout
    assert (tmp_path / "made-by-preopens.txt").read_text() == str(tmp_path)


@pytest.mark.parametrize("host", HOSTS)
def test_missing_program_is_a_user_error(host, tmp_path):
    p = run(host, str(tmp_path / "nope.wasm"))
    assert p.returncode == 2
    assert p.stderr.decode().startswith("wasi-polyfill: error: ") and p.stderr.count(b"\n") == 1


@pytest.mark.parametrize("host", HOSTS)
def test_not_a_module_is_a_user_error(host, tmp_path):
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"not wasm at all")
    p = run(host, str(bad))
    assert p.returncode == 2, p.stderr
    assert p.stderr.decode().startswith("wasi-polyfill: error: ") and p.stderr.count(b"\n") == 1


@pytest.mark.parametrize("host", HOSTS)
def test_missing_dir_is_a_user_error(host, tmp_path):
    p = run(host, wasm("wat/start_returns.wat"), dirs=[(tmp_path / "missing", "/x")])
    assert p.returncode == 2
    assert p.stderr.decode().startswith("wasi-polyfill: error: --dir")


@pytest.mark.parametrize("host", HOSTS)
def test_in_memory_streams(host):
    from harness.hosts import run as run_host

    out, err = io.BytesIO(), io.BytesIO()
    spec = RunSpec(program=wasm("c/stdin_cat.c"), stdin=io.BytesIO(b"xyz"), stdout=out, stderr=err)
    assert run_host(host, spec) == 0
    assert out.getvalue().startswith(b'data: "XYZ"\nbytes=3')
    out, err = io.BytesIO(), io.BytesIO()
    spec = RunSpec(program=wasm("wat/unreachable.wat"), stdin=io.BytesIO(b""), stdout=out, stderr=err)
    assert run_host(host, spec) == 134
    assert out.getvalue() == b"before the trap\nin deeper\n"
    assert err.getvalue().startswith(b"wasi-polyfill: trap: ")


def test_wasmtime_trap_message_names_the_cause():
    p = run("wasmtime", wasm("wat/invalid_args.wat"), "k")
    assert p.stderr == (b"wasi-polyfill: trap: In func wasi_snapshot_preview1::path_open at convert Oflags: "
                        b"Invalid flag value Oflags\n")
