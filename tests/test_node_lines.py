"""The Node lines: `--host node` runs the Node that WASI_POLYFILL_NODE names,
and each installed line (`make node-lines`, build/node-lines/N) is the line it
says. The corpus runs on them as hosts `node@N` (tests/test_corpus.py,
CORPUS_NODE_LINES in the Makefile); `make test-node-lines` runs tests/js/ under
each. Under CI=true a line the Makefile names must be installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.paths import ROOT, node_line

CI = os.environ.get("CI") == "true"
# the lines the Makefile installs and tests (NODE_LINES, passed on as CORPUS_NODE_LINES)
LINES = [v.strip().partition("/")[0] for v in os.environ.get("CORPUS_NODE_LINES", "22,24,26").split(",") if v.strip()]
TOOL = ROOT / "tests" / "js" / "probe" / "tool.wasm"  # `tool args` prints its argv


def run_node_host(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness", "run", "--host", "node", "--", str(TOOL), *args],
                          capture_output=True, env={**os.environ, **env}, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("line", LINES)
def test_each_line_is_the_line_it_says(line):
    binary = node_line(line)
    if not binary.exists():
        if CI:
            pytest.fail(f"Node {line} is not installed: {binary} (make node-lines)", pytrace=False)
        pytest.skip(f"Node {line} is not installed (make node-lines)")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith(f"v{line}."), version


def test_the_node_host_runs_the_node_WASI_POLYFILL_NODE_names(tmp_path):
    """A wrapper that leaves a mark and then runs the real node: the mark
    shows which binary the host started, the output that it still works."""
    if not TOOL.exists():
        pytest.skip("the probes are not built (make probes)")
    mark = tmp_path / "started"
    wrapper = tmp_path / "node"
    wrapper.write_text(f'#!/bin/sh\necho "$@" > {mark}\nexec node "$@"\n')
    wrapper.chmod(0o755)
    proc = run_node_host({"WASI_POLYFILL_NODE": str(wrapper)}, "args", "a b")
    assert proc.returncode == 0, proc.stderr
    assert mark.read_text().startswith(str(ROOT / "polyfill" / "src" / "node" / "cli.js") + " run ")
    assert proc.stdout.endswith(b"[args]\n[a b]\n")


@pytest.mark.parametrize("bad", ["/nonexistent/node", "/"])
def test_a_bad_WASI_POLYFILL_NODE_is_one_line(bad):
    proc = run_node_host({"WASI_POLYFILL_NODE": bad})
    assert proc.returncode == 2
    assert proc.stderr.decode() == f"wasi-polyfill: error: WASI_POLYFILL_NODE={bad} is not an executable file\n"
    assert proc.stdout == b""


def test_node_line_paths_are_under_build():
    assert node_line("24") == Path(ROOT / "build" / "node-lines" / "24" / "node_modules" / ".bin" / "node")


def test_the_corpus_runs_node_at_N_under_Node_N():
    sys.path.insert(0, str(ROOT / "tests"))
    import differential as d

    assert d.node_line("node@24") == node_line("24")
    assert d.host_env("node@24")["WASI_POLYFILL_NODE"] == str(node_line("24"))
    assert d.command("node@24", d.CASES[0], [])[3:6] == ["run", "--host", "node"]
    assert d.node_line("node") is None and d.host_env("node") is None
