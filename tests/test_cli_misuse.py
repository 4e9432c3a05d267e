"""Misuse gives one clear line (issue #8 part 4): every mistake of the user's
on the command line — bad flags, a missing or unreadable program or dir, a
module that is not a WASI command — is exactly one line `wasi-polyfill:
error: ...` on stderr and status 2 (`USAGE_STATUS`), never a traceback, on
every host. Unreadable things are simulated in ways root cannot get around
(tests run as root): a dir path that is a file or a FIFO, a program that is
a directory or a FIFO.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

import differential as d
from test_corpus import host_unavailable

from harness.hosts import USAGE_STATUS

HOSTS = [h.strip() for h in os.environ.get("MISUSE_HOSTS", "node,refhost,wasmtime,node-wasi").split(",") if h.strip()]

OK_WAT = '(module (memory (export "memory") 1) (func (export "_start")))'
MODULES = {
    "no_start.wasm": '(module (memory (export "memory") 1) (func (export "main")))',
    "no_memory.wasm": '(module (func (export "_start")))',
    "bad_import.wasm": '(module (import "wasi_snapshot_preview1" "no_such_call" (func)) '
                       '(memory (export "memory") 1) (func (export "_start")))',
    "ok.wasm": OK_WAT,
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    t = tmp_path_factory.mktemp("misuse")
    for name, text in MODULES.items():
        (t / name).write_bytes(wasmtime.wat2wasm(text))
    (t / "text.wasm").write_text("this is not wasm\n")
    (t / "garbage.wasm").write_bytes(b"\0asm\x01\0\0\0\xff\xff\xff")
    (t / "empty.wasm").write_bytes(b"")
    (t / "a-dir.wasm").mkdir()
    (t / "a-file").write_text("x")
    (t / "dir").mkdir()
    os.mkfifo(t / "fifo")
    return t


# (id, argv after `run --host H`, the message must contain)
CASES = [
    ("no-program", [], "PROGRAM.wasm"),
    ("dir-without-value", ["--dir"], "--dir"),
    ("dir-empty-host", ["--dir", "::/x", "{t}/ok.wasm"], "empty host directory"),
    ("dir-missing", ["--dir", "{t}/missing", "{t}/ok.wasm"], "missing"),
    ("dir-is-a-file", ["--dir", "{t}/a-file", "{t}/ok.wasm"], "a-file"),
    ("dir-is-a-fifo", ["--dir", "{t}/fifo", "{t}/ok.wasm"], "fifo"),
    ("env-without-name", ["--env", "=x", "{t}/ok.wasm"], "--env"),
    ("env-not-set", ["--env", "WASI_POLYFILL_SURELY_UNSET", "{t}/ok.wasm"], "WASI_POLYFILL_SURELY_UNSET"),
    ("unknown-flag", ["--frobnicate", "{t}/ok.wasm"], "--frobnicate"),
    ("program-missing", ["{t}/missing.wasm"], "missing.wasm"),
    ("program-is-a-dir", ["{t}/a-dir.wasm"], "a-dir.wasm"),
    ("program-is-a-fifo", ["{t}/fifo"], "fifo"),
    ("program-is-text", ["{t}/text.wasm"], "text.wasm"),
    ("program-is-empty", ["{t}/empty.wasm"], "empty.wasm"),
    ("program-is-garbage", ["{t}/garbage.wasm"], "garbage.wasm"),
    ("module-without-_start", ["{t}/no_start.wasm"], "_start"),
    ("module-without-memory", ["{t}/no_memory.wasm"], "memory"),
    ("module-with-unknown-import", ["{t}/bad_import.wasm"], "no_such_call"),
]


def run_cli(host: str, argv: list[str], t: Path) -> subprocess.CompletedProcess:
    args = [a.replace("{t}", str(t)) for a in argv]
    env = {k: v for k, v in os.environ.items() if k != "WASI_POLYFILL_SURELY_UNSET"}
    return subprocess.run([sys.executable, "-m", "harness", "run", "--host", host, *args],
                          capture_output=True, cwd=d.ROOT, timeout=120, env=env, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("name,argv,needle", CASES, ids=[c[0] for c in CASES])
def test_misuse_is_one_line(name, argv, needle, host, files):
    reason = host_unavailable(host)
    if reason:
        pytest.skip(reason)
    proc = run_cli(host, argv, files)
    err = proc.stderr.decode(errors="replace")
    assert "Traceback" not in err and "    at " not in err, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wasi-polyfill: error: "), err
    assert needle in lines[0], err
    assert proc.returncode == USAGE_STATUS, err
    assert proc.stdout == b""


def test_a_good_module_runs(files):
    """The fixtures are right: the same command with a good module succeeds."""
    proc = run_cli("node", [f"{files}/ok.wasm"], files)
    assert (proc.returncode, proc.stderr) == (0, b"")


def test_unknown_host(files):
    proc = run_cli("nosuchhost", [f"{files}/ok.wasm"], files)
    assert proc.returncode == USAGE_STATUS
    assert proc.stderr.decode().count("\n") == 1 and "nosuchhost" in proc.stderr.decode()
