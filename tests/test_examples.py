"""The demo's examples build, run and agree: each compared on the native hosts
(wasmtime, node-wasi) as `make demo` compares them on every host, and
wasmtime's output checked where it does not depend on the machine."""

from __future__ import annotations

import subprocess
import sys

import pytest

from harness import demo
from harness.compare import CompareSpec, compare
from harness.compare.availability import unavailable

NATIVE = [h for h in ("wasmtime", "node-wasi") if unavailable(h) is None]


@pytest.fixture(scope="module")
def programs():
    if "wasmtime" not in NATIVE:
        pytest.skip(f"wasmtime host: {unavailable('wasmtime')}")
    built = demo.build()
    demo.make_tree(demo.DEMO_BUILD / "tree", demo.WALK_TREE)
    demo.make_tree(demo.DEMO_BUILD / "scratch", {})
    return built


def run_example(name: str, programs) -> object:
    ex = next(e for e in demo.EXAMPLES if e.source == name)
    spec = CompareSpec(program=str(programs[ex.source]), args=list(ex.args),
                       dirs=[(str(demo._fixture_dir(d)), guest) for d, guest in ex.dirs],
                       stdin=str(demo.FIXTURES / ex.stdin) if ex.stdin else None,
                       deterministic=ex.deterministic)
    c = compare(spec, NATIVE, title=ex.title)
    assert not c.diverged, [d.diff for d in c.divergences]
    return c


def test_every_example_is_in_a_demo():
    from harness.web_demo import PROGRAMS

    shown = [e.source for e in demo.EXAMPLES] + [f"{name}.c" for name in PROGRAMS]
    assert sorted(shown) == sorted(p.name for p in demo.EXAMPLES_DIR.glob("*.c"))


def test_wordcount(programs):
    c = run_example("wordcount.c", programs)
    out = c.run("wasmtime").stdout.decode().splitlines()
    assert out[0].split()[-1] == "/data/README.txt"
    assert [line.split()[-1] for line in out[:-1]] == sorted(line.split()[-1] for line in out[:-1])
    assert out[-1].endswith("total (7 files)")
    assert c.run("wasmtime").tree["/data/wc-total.txt"].data.endswith(b"in 7 files\n")


def test_walk(programs):
    out = run_example("walk.c", programs).run("wasmtime").stdout.decode()
    assert "|-- dangling -> missing.txt [No such file or directory]" in out
    assert "|-- docs-link -> docs (a directory)" in out
    assert "up -> ../a.txt (a file)" in out
    assert out.endswith("\n3 directories, 3 files, 4 symlinks\n")


def test_upper(programs):
    run = run_example("upper.c", programs).run("wasmtime")
    assert run.stdout.startswith(b"HELLO, WORLD\nEVERY HOST READS THIS FILE AS ITS STDIN.\n")
    assert run.stderr == b"upper: 4 lines, 163 bytes (no final newline)\n"
    assert run.status == 3


def test_clocks_under_deterministic(programs):
    c = run_example("clocks.c", programs)
    assert c.verdicts["wasmtime"]["stdout"] == "n/a"
    assert c.run("wasmtime").tree["/scratch/stamp.txt"].data == b"stamped\n"


# What examples/clocks.c prints under --deterministic, by spec/RATIONALE.md
# "Deterministic mode": realtime from 1_700_000_000 s and monotonic from 1 s,
# 1 ms per read; resolution 1 ms; the cputime clocks EBADF as wasmtime has them;
# SplitMix64(0) bytes; /scratch is inode 1, the file it creates inode 2,
# stamped with the realtime clock after two reads.
CLOCKS_DETERMINISTIC = """\
clock_time_get(realtime          ) 1700000000000000000, then +1000000 ns
clock_res_get(realtime           ) 1000000 ns
clock_time_get(monotonic         ) 1000000000, then +1000000 ns
clock_res_get(monotonic          ) 1000000 ns
clock_time_get(process_cputime_id) errno 8
clock_time_get(thread_cputime_id ) errno 8
random_get(16)             af cd 1d 7b 39 a8 20 e2 f4 65 b9 a1 6a 9e 78 6e
random_get( 5)             4f 45 09 80 18
/scratch           ino 1 dev 1
/scratch/stamp.txt ino 2 dev 1 mtime 1700000000.002000000
"""


@pytest.mark.parametrize("host", ["node", "browser", "refhost", "pyodide-node", "pyodide"])
def test_clocks_output_under_deterministic_is_the_specified_one(host, programs, tmp_path):
    if unavailable(host):
        pytest.skip(f"{host}: {unavailable(host)}")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    out = subprocess.run(
        [sys.executable, "-m", "harness", "run", "--host", host, "--deterministic", "--write-back",
         "--dir", f"{scratch}::/scratch", "--", str(programs["clocks.c"])],
        capture_output=True, text=True, timeout=120)
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout == CLOCKS_DETERMINISTIC
    st = (scratch / "stamp.txt").stat()  # carried by --write-back, to the microsecond at least
    assert abs(st.st_mtime_ns - 1_700_000_000_002_000_000) < 1000
    assert abs(st.st_atime_ns - 1_700_000_000_002_000_000) < 1000
