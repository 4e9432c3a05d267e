"""`wasi-polyfill demo` (`make demo`): the examples, on every host, in one report.

Builds the C programs in `examples/` (through `harness.toolchain`,
cached by content), makes their input trees, runs `compare` on each over
every available host, prints each matrix, and writes `build/report.html`
(one section per example) and `build/report.json`.

Exit status 0 when every example agrees on every host that ran, 1 when any
diverged.
"""

from __future__ import annotations

from harness.paths import BUILD, EXAMPLES

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .compare import CompareSpec, Comparison, Progress, SharedBrowser, compare
from .compare.matrix import render, summary
from .compare.report import write_html, write_json

EXAMPLES_DIR = EXAMPLES
FIXTURES = EXAMPLES / "fixtures"
DEMO_BUILD = BUILD / "demo"
REPORT = BUILD / "report.html"
REPORT_JSON = BUILD / "report.json"


@dataclass(frozen=True)
class Example:
    source: str                        # file in examples/
    title: str
    dirs: tuple[tuple[str, str], ...] = ()   # (dir under examples/fixtures or build/demo, guest path)
    args: tuple[str, ...] = ()
    stdin: str | None = None           # file under examples/fixtures
    deterministic: bool = False
    env: tuple[tuple[str, str], ...] = field(default=())


# The walker's tree has symlinks, so it is made here rather than committed:
# path -> file contents, or ("symlink", target), or ("dir",).
WALK_TREE: dict[str, str | tuple[str, ...]] = {
    "a.txt": "alpha beta\n",
    "docs/readme.md": "# readme\n\nA directory with a nested one.\n",
    "docs/deep/nested.txt": "nested\n",
    "empty": ("dir",),
    "link-to-a": ("symlink", "a.txt"),
    "docs-link": ("symlink", "docs"),
    "dangling": ("symlink", "missing.txt"),
    "docs/up": ("symlink", "../a.txt"),
}

EXAMPLES: tuple[Example, ...] = (
    Example("wordcount.c", "wordcount.c: wc over every file in /data",
            dirs=(("fixtures/data", "/data"),)),
    Example("walk.c", "walk.c: a directory tree with symlinks",
            dirs=(("demo/tree", "/tree"),)),
    Example("upper.c", "upper.c: stdin upper-cased, counted on stderr",
            stdin="stdin.txt"),
    Example("clocks.c", "clocks.c: clocks, random bytes, inode numbers",
            dirs=(("demo/scratch", "/scratch"),), deterministic=True),
)


def _say(text: str = "") -> None:
    print(text, flush=True)


def _rel(path: Path) -> str:
    """`path` as short as it can be from the current directory."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("../../") else str(path)


def make_tree(root: Path, tree: dict[str, str | tuple[str, ...]]) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for rel, what in sorted(tree.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(what, str):
            path.write_text(what, encoding="utf-8")
        elif what[0] == "dir":
            path.mkdir(exist_ok=True)
        else:
            path.symlink_to(what[1])


def _fixture_dir(name: str) -> Path:
    return DEMO_BUILD / name.removeprefix("demo/") if name.startswith("demo/") else FIXTURES / name.removeprefix("fixtures/")


def build(examples: tuple[Example, ...] = EXAMPLES) -> dict[str, Path]:
    """Compile the examples; {source name: build/demo/NAME.wasm}."""
    from .toolchain import compile_many

    sources = [EXAMPLES_DIR / ex.source for ex in examples]
    wasm = compile_many(sources, progress=lambda line: print(f"  {line}", file=sys.stderr, flush=True))
    DEMO_BUILD.mkdir(parents=True, exist_ok=True)
    out = {}
    for src, built in wasm.items():
        dest = DEMO_BUILD / f"{src.stem}.wasm"
        shutil.copyfile(built, dest)  # a short, stable argv[0] instead of the cache's hashed name
        out[src.name] = dest
    return out


def demo() -> int:
    from .toolchain import CompileError

    _say("==> building the examples")
    try:
        programs = build()
    except CompileError as e:
        print(f"wasi-polyfill: error: {e}", file=sys.stderr)
        return 1
    make_tree(DEMO_BUILD / "tree", WALK_TREE)
    make_tree(DEMO_BUILD / "scratch", {})

    with SharedBrowser() as browser:  # one Chromium for all the examples' browser hosts
        comparisons = [_compare_example(ex, programs, browser) for ex in EXAMPLES]

    write_html(REPORT, comparisons, title="wasi-polyfill demo: the examples on every host")
    write_json(REPORT_JSON, comparisons)
    diverged = [c.title for c in comparisons if c.diverged]
    _say(f"\n==> report: {_rel(REPORT)} (and {_rel(REPORT_JSON)})")
    if diverged:
        _say(f"    diverged: {'; '.join(diverged)}")
        return 1
    _say("    every example agrees on every host that ran")
    return 0


def _compare_example(ex: Example, programs: dict[str, Path], browser: SharedBrowser) -> Comparison:
    spec = CompareSpec(
        program=_rel(programs[ex.source]),
        args=list(ex.args),
        env=list(ex.env),
        dirs=[(_rel(_fixture_dir(d)), guest) for d, guest in ex.dirs],
        stdin=_rel(FIXTURES / ex.stdin) if ex.stdin else None,
        deterministic=ex.deterministic,
    )
    _say(f"\n==> {ex.title}")
    _say(f"    {spec.command_line()}")
    comparison = compare(spec, None, title=ex.title, progress=Progress(), browser=browser)
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    _say(render(comparison, color=color).rstrip("\n"))
    _say(summary(comparison))
    return comparison
