"""The differential harness: run a corpus case on a host, compare with wasmtime.

`run_case(host, case, tmp_path)` makes the case's directory trees fresh under
`tmp_path`, runs

    python -m harness run --host HOST --write-back --dir D::GUEST ... \\
        --env K=V ... -- build/cache/wasm/PROG.wasm ARGS...

(from the repository root, stdin from the case through a pipe, 60 s timeout)
and returns an `Outcome`: stdout, stderr, status and the final trees (names,
types, file contents, symlink targets — no timestamps, modes or inode numbers).
A host registered in `IN_PROCESS` is called in this process instead, with the
same RunSpec the command would make (test_corpus.py does it for `browser`).

Native wasmtime is the reference: `reference(case, tmp_path)` runs it once per
case per session. `compare(expected, actual)` gives a readable diff or None.
Stderr is compared byte for byte except a final `wasi-polyfill: trap: ...`
line, which only has to be there (engines word traps differently).

As a script, for looking at cases by hand:

    python tests/differential.py [--host H]... [--show] [CASE_NAME_PREFIX...]

runs the cases on wasmtime and each host and prints PASS/DIFF (and the diff).
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
sys.path.insert(0, str(ROOT / "tests"))

from corpus.cases import CASES, Case  # noqa: E402

from harness.toolchain import CompileError, compile_many  # noqa: E402

REFERENCE_HOST = "wasmtime"
TIMEOUT = 60
TRAP_PREFIX = b"wasi-polyfill: trap: "
TRAPPED = TRAP_PREFIX + b"<trapped>\n"

# A node in a snapshot: ("dir",), ("file", contents), ("symlink", target); ("absent",) for a removed root
Node = tuple


@dataclass
class Outcome:
    stdout: bytes
    stderr: bytes
    status: int
    tree: dict[str, Node] = field(default_factory=dict)

    def normalized(self) -> Outcome:
        return Outcome(self.stdout, normalize_stderr(self.stderr), self.status, self.tree)


def normalize_stderr(stderr: bytes) -> bytes:
    """A final trap line becomes just "trapped"; the rest stays byte for byte."""
    i = stderr.rfind(TRAP_PREFIX)
    if i >= 0 and b"\n" not in stderr[i:].rstrip(b"\n"):
        return stderr[:i] + TRAPPED
    return stderr


# --- building ------------------------------------------------------------------

_built: dict[str, Path] = {}


def programs() -> list[str]:
    """Every program of the corpus (relative to tests/corpus), sorted."""
    found = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("c/*.c"))
    found += sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("wat/*.wat")
                    if p.name != "prelude.wat")
    return found


def build_all(progress=None) -> dict[str, Path]:
    """Compile every corpus program (cached); {relative source: wasm path}."""
    todo = [p for p in programs() if p not in _built]
    if todo:
        if progress is None:
            progress = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
        out = compile_many([CORPUS / p for p in todo], progress=progress)
        for p in todo:
            _built[p] = out[CORPUS / p]
    return dict(_built)


def wasm_for(case: Case) -> Path:
    if case.program not in _built:
        build_all()
    return _built[case.program]


# --- trees ---------------------------------------------------------------------

def make_tree(root: Path, tree: dict) -> None:
    """Create `tree` ({path: str | bytes | {} | {"symlink": target}}) under root."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, value in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, (str, bytes)):
            path.write_bytes(value.encode() if isinstance(value, str) else value)
        elif value == {}:
            path.mkdir(exist_ok=True)
        elif isinstance(value, dict) and set(value) == {"symlink"}:
            os.symlink(value["symlink"], path)
        else:
            raise ValueError(f"bad tree entry {rel!r}: {value!r}")


def snapshot(root: Path, prefix: str = "") -> dict[str, Node]:
    """Every entry under root: {prefix/relative path: node}, without
    timestamps — a flat view of the one tree snapshot (harness/tree.py)."""
    from harness.tree import read_host_tree

    if not os.path.lexists(root):  # a host removed the preopened dir itself
        return {prefix.rstrip("/") or "/": ("absent",)}
    out: dict[str, Node] = {}

    def walk(tree: dict, rel: str) -> None:
        for name in sorted(tree["entries"]):
            node = tree["entries"][name]
            path = f"{rel}/{name}" if rel else name
            key = f"{prefix.rstrip('/')}/{path}" if prefix else path
            if node["type"] == "symlink":
                out[key] = ("symlink", node["target"])
            elif node["type"] == "dir":
                out[key] = ("dir",)
                walk(node, path)
            else:
                out[key] = ("file", node["data"])

    walk(read_host_tree(str(root)), "")
    return out


# --- running -------------------------------------------------------------------

def command(host: str, case: Case, dirs: list[tuple[Path, str]]) -> list[str]:
    wasm = wasm_for(case)
    try:
        program = wasm.relative_to(ROOT).as_posix()
    except ValueError:
        program = str(wasm)
    cmd = [sys.executable, "-m", "harness", "run", "--host", host, "--write-back"]
    for host_dir, guest in dirs:
        cmd += ["--dir", f"{host_dir}::{guest}"]
    for name, value in case.env:
        cmd += ["--env", f"{name}={value}"]
    return [*cmd, "--", program, *case.args]


# Hosts run in this process rather than through the command line: {host:
# run(spec, timeout) -> status}, e.g. `--host browser` on one BrowserSession
# for the whole corpus (tests/test_corpus.py) instead of a Chromium per case,
# or a host's `run` called directly to save a Python start per case.
IN_PROCESS: dict[str, Callable[..., int]] = {}


def run_case(host: str, case: Case, tmp_path: Path, extra_flags: tuple[str, ...] = (),
             base: Path | None = None, in_process: bool = True) -> Outcome:
    """`base`: the case's host dirs `dir0`, `dir1`, ... are already made in
    this directory (tests/test_sandbox.py puts a canary tree around them).
    `in_process`: use the host's IN_PROCESS entry if it has one."""
    Path(tmp_path).mkdir(parents=True, exist_ok=True)
    made = base is not None
    if base is None:
        base = Path(tempfile.mkdtemp(dir=tmp_path, prefix=f"{host}-{case.name}-"))
    dirs: list[tuple[Path, str]] = []
    for i, (guest, tree) in enumerate(case.dirs.items()):
        host_dir = base / f"dir{i}"
        if not made:
            make_tree(host_dir, tree)
        dirs.append((host_dir, guest))
    cmd = command(host, case, dirs)
    if extra_flags:
        i = cmd.index("--write-back")
        cmd[i:i] = list(extra_flags)
    if in_process and host in IN_PROCESS and not extra_flags:
        outcome = _run_in_process(IN_PROCESS[host], case, dirs, cmd)
    else:
        try:
            proc = subprocess.run(cmd, input=case.stdin, capture_output=True, timeout=TIMEOUT, cwd=ROOT)
            outcome = Outcome(proc.stdout, proc.stderr, proc.returncode)
        except subprocess.TimeoutExpired as e:
            outcome = Outcome(e.stdout or b"", (e.stderr or b"") + f"<timeout after {TIMEOUT} s>".encode(), -1)
    for host_dir, guest in dirs:
        outcome.tree.update(snapshot(host_dir, guest))
    return outcome


def _run_in_process(run: Callable[..., int], case: Case, dirs: list[tuple[Path, str]],
                    cmd: list[str]) -> Outcome:
    """What `cmd` would give, from a host's `run` called here (from the
    repository root, as the command runs, so argv[0] is the same)."""
    import contextlib
    import io

    from harness.hosts import USAGE_STATUS, HostError, RunSpec

    program = cmd[cmd.index("--") + 1]
    out, err = io.BytesIO(), io.BytesIO()
    spec = RunSpec(program=program, args=list(case.args), env=list(case.env),
                   dirs=[(str(d), guest) for d, guest in dirs], write_back=True,
                   stdin=io.BytesIO(case.stdin), stdout=out, stderr=err)
    with contextlib.chdir(ROOT):
        try:
            status = run(spec, timeout=TIMEOUT)
        except HostError as e:  # as the command line prints it
            err.write(f"wasi-polyfill: error: {e}\n".encode())
            status = USAGE_STATUS
        except TimeoutError:
            err.write(f"<timeout after {TIMEOUT} s>".encode())
            status = -1
    return Outcome(out.getvalue(), err.getvalue(), status)


_reference: dict[str, Outcome] = {}


def reference(case: Case, tmp_path: Path) -> Outcome:
    """wasmtime's outcome for the case, computed once per session (always
    through the command line, even when the wasmtime host runs in-process)."""
    if case.name not in _reference:
        _reference[case.name] = run_case(REFERENCE_HOST, case, tmp_path, in_process=False)
    return _reference[case.name]


# --- comparing -----------------------------------------------------------------

def _text(data: bytes) -> list[str]:
    return data.decode("utf-8", "backslashreplace").splitlines(keepends=True) or ["(nothing)\n"]


def _diff(what: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(_text(expected), _text(actual), f"{what} (wasmtime)", f"{what} (host)", lineterm="")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n")
    if expected != actual and not out:  # same lines, different line ends
        out.append(f"{what}: wasmtime {expected!r}\n{what}: host     {actual!r}\n")
    return "".join(out)


def _show_node(node: Node | None) -> str:
    if node is None:
        return "(absent)"
    if node[0] == "file":
        data = node[1]
        return f"file {data[:80]!r}{'...' if len(data) > 80 else ''} ({len(data)} bytes)"
    if node[0] == "symlink":
        return f"symlink -> {node[1]!r}"
    return node[0]


def _show_path(path: str) -> str:
    """The path, with escapes after it when it is not plain ASCII (é vs e + U+0301)."""
    if path.isascii() and path.isprintable():
        return path
    return f"{path} ({path.encode('unicode_escape').decode('ascii')})"


def compare(expected: Outcome, actual: Outcome) -> str | None:
    """A readable report of every difference, or None when the outcomes agree."""
    expected, actual = expected.normalized(), actual.normalized()
    parts = []
    if expected.status != actual.status:
        parts.append(f"status: wasmtime {expected.status}, host {actual.status}\n")
    if expected.stdout != actual.stdout:
        parts.append(_diff("stdout", expected.stdout, actual.stdout))
    if expected.stderr != actual.stderr:
        parts.append(_diff("stderr", expected.stderr, actual.stderr))
    if expected.tree != actual.tree:
        lines = []
        for path in sorted(set(expected.tree) | set(actual.tree)):
            a, b = expected.tree.get(path), actual.tree.get(path)
            if a != b:
                lines.append(f"  {_show_path(path)}: wasmtime {_show_node(a)}; host {_show_node(b)}\n")
        parts.append("tree:\n" + "".join(lines))
    return "".join(parts) or None


def describe(case: Case) -> str:
    bits = [f"case {case.name}: {case.program}"]
    if case.args:
        bits.append(f"args {list(case.args)}")
    if case.env:
        bits.append(f"env {dict(case.env)}")
    if case.stdin:
        bits.append(f"stdin {case.stdin[:40]!r}")
    if case.dirs:
        bits.append(f"dirs {list(case.dirs)}")
    return ", ".join(bits)


# --- the script ----------------------------------------------------------------

def main(argv: list[str]) -> int:
    import argparse

    p = argparse.ArgumentParser(description="run corpus cases on hosts and compare with wasmtime")
    p.add_argument("--host", action="append", default=[], help="host to compare (default: none)")
    p.add_argument("--show", action="store_true", help="print wasmtime's outcome of each case")
    p.add_argument("names", nargs="*", help="case name prefixes (default: all)")
    ns = p.parse_args(argv)
    try:
        build_all()
    except CompileError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    cases = [c for c in CASES if not ns.names or any(c.name.startswith(n) for n in ns.names)]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        for case in cases:
            ref = reference(case, Path(tmp))
            if ns.show:
                print(f"=== {case.name} status={ref.status}")
                sys.stdout.write(ref.stdout.decode("utf-8", "backslashreplace"))
                if ref.stderr:
                    print("--- stderr")
                    sys.stdout.write(ref.stderr.decode("utf-8", "backslashreplace"))
                changed = {k: v for k, v in ref.tree.items()
                           if _initial(case).get(k) != v}
                gone = [k for k in _initial(case) if k not in ref.tree]
                if changed or gone:
                    print("--- tree changes")
                    for k, v in changed.items():
                        print(f"  {_show_path(k)}: {_show_node(v)}")
                    for k in gone:
                        print(f"  {_show_path(k)}: (removed)")
            for host in ns.host:
                diff = compare(ref, run_case(host, case, Path(tmp)))
                print(f"{'PASS' if diff is None else 'DIFF'} {host} {case.name}")
                if diff:
                    failures += 1
                    print("    " + diff.replace("\n", "\n    ").rstrip())
    return 1 if failures else 0


def _initial(case: Case) -> dict[str, Node]:
    out: dict[str, Node] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, (guest, tree) in enumerate(case.dirs.items()):
            make_tree(Path(tmp) / str(i), tree)
            out.update(snapshot(Path(tmp) / str(i), guest))
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
