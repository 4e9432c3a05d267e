"""`make mutate`: mutation testing of the JS runtime's core against the fast tests.

    python tests/mutate.py [--max N] [--seed S] [FILE...]

A small mutator of our own (no dependency): for each site where one of
OPERATORS applies in a file (comments and strings skipped), the file is
changed at that one site, and the fast tests run against it — the JS unit
tests (KILLERS, a failure kills the mutant), then, if it survived them, the
differential corpus on the `node` host (every case against wasmtime's
outcome, computed once per run; the first difference kills). A mutant no test notices *survives*: a behaviour
no test pins, or an equivalent change. The file is restored after each
mutant (and on any exit). Prints the mutation score and every survivor
(file:line, operator, the line before and after), and writes them to
build/mutate.json. `--max` samples that many sites (seeded), since each
mutant costs seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]
FILES = ["polyfill/src/fd_table.js", "polyfill/src/vfs/path.js", "polyfill/src/syscalls/fd.js"]
KILLERS = ["tests/js/syscalls.test.mjs", "tests/js/wasi_api.test.mjs", "tests/js/sandbox.test.mjs",
           "tests/js/deterministic.test.mjs", "tests/js/memfs.test.mjs", "tests/js/e2e.test.mjs",
           "tests/js/hostfs.test.mjs"]
TIMEOUT = 300

# (name, pattern, replacement): applied at one match at a time.
OPERATORS = [
    ("=== to !==", r"===", "!=="),
    ("!== to ===", r"!==", "==="),
    ("< to <=", r"(?<![<=])<(?![<=])", "<="),
    ("<= to <", r"<=", "<"),
    ("> to >=", r"(?<![>=\-])>(?![>=])", ">="),
    (">= to >", r">=", ">"),
    ("&& to ||", r"&&", "||"),
    ("|| to &&", r"\|\|", "&&"),
    ("+ to -", r"(?<![+\s=(,])\s\+\s(?![+=])", " - "),
    ("- to +", r"(?<![-\s=(,])\s-\s(?![-=])", " + "),
    ("true to false", r"\btrue\b", "false"),
    ("false to true", r"\bfalse\b", "true"),
    ("0 to 1", r"(?<![\w.])0(?![\w.])", "1"),
    ("1 to 0", r"(?<![\w.])1(?![\w.])", "0"),
    ("drop !", r"!(?=[(\w])", ""),
    ("drop throw", r"\bthrow new WasiError\([^;]*\);", ";"),
]


def code_spans(line: str) -> list[tuple[int, int]]:
    """Parts of a line outside comments and string literals."""
    spans, start, i, quote = [], 0, 0, None
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = None
                start = i + 1
        elif c in "\"'`":
            spans.append((start, i))
            quote = c
        elif line.startswith("//", i):
            spans.append((start, i))
            return spans
        i += 1
    if not quote:
        spans.append((start, len(line)))
    return spans


def sites(path: str) -> list[tuple[str, int, int, int, str]]:
    """(file, line number, start, end, operator) for every mutable place."""
    out = []
    in_block = False
    for n, line in enumerate((ROOT / path).read_text().splitlines(), 1):
        stripped = line.strip()
        if in_block or stripped.startswith(("/*", "*", "import ", "export {")):
            in_block = (in_block or stripped.startswith("/*")) and "*/" not in stripped
            continue
        for lo, hi in code_spans(line):
            for name, pattern, _ in OPERATORS:
                for m in re.finditer(pattern, line[lo:hi]):
                    out.append((path, n, lo + m.start(), lo + m.end(), name))
    return out


def mutated(text: str, site) -> tuple[str, str, str]:
    _, n, start, end, name = site
    lines = text.split("\n")
    before = lines[n - 1]
    repl = next(r for o, _, r in OPERATORS if o == name)
    after = before[:start] + repl + before[end:]
    lines[n - 1] = after
    return "\n".join(lines), before.strip(), after.strip()


def killed_by_unit_tests() -> bool:
    try:
        p = subprocess.run(["node", "--test", *KILLERS], cwd=ROOT, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return True
    return p.returncode != 0


def killed_by_corpus() -> bool:
    """Any corpus case on the node host differing from wasmtime (whose
    outcomes are computed once per run, in this process)."""
    import tempfile

    import differential as d

    d.build_all(progress=lambda line: None)
    for case in d.CASES:
        with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
            expected = d.reference(case, Path(tmp) / "ref")
            try:
                actual = d.run_case("node", case, Path(tmp) / "node")
            except Exception:  # noqa: BLE001 - a host that falls over has noticed
                return True
            if d.compare(expected, actual):
                return True
    return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="mutate", description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", default=FILES)
    ap.add_argument("--max", type=int, default=None, help="mutants at most (a seeded sample of the sites)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-corpus", action="store_true", help="the JS unit tests only")
    ns = ap.parse_args(argv)
    dirty = (ROOT / ".git").exists() and \
        subprocess.run(["git", "diff", "--quiet", "--", *ns.files], cwd=ROOT).returncode
    if dirty:
        print("mutate: error: the files to mutate have uncommitted changes", file=sys.stderr)
        return 2
    if killed_by_unit_tests() or (not ns.no_corpus and killed_by_corpus()):
        print("mutate: error: the fast tests fail without any mutant", file=sys.stderr)
        return 2
    all_sites = [s for f in ns.files for s in sites(f)]
    chosen = all_sites if ns.max is None or ns.max >= len(all_sites) else \
        sorted(random.Random(ns.seed).sample(all_sites, ns.max))
    print(f"mutate: {len(chosen)} mutants of {len(all_sites)} sites in {', '.join(ns.files)}", flush=True)
    originals = {f: (ROOT / f).read_text() for f in ns.files}
    survivors, killed, start = [], 0, time.monotonic()
    try:
        for k, site in enumerate(chosen, 1):
            path = site[0]
            text, before, after = mutated(originals[path], site)
            (ROOT / path).write_text(text)
            try:
                dead = killed_by_unit_tests() or (not ns.no_corpus and killed_by_corpus())
            finally:
                (ROOT / path).write_text(originals[path])
            if dead:
                killed += 1
            else:
                survivors.append({"file": path, "line": site[1], "operator": site[4],
                                  "before": before, "after": after})
                print(f"  survived: {path}:{site[1]} {site[4]}: {after}", flush=True)
            if k % 10 == 0:
                print(f"mutate: {k}/{len(chosen)}, {killed} killed, {len(survivors)} survived, "
                      f"{time.monotonic() - start:.0f} s", flush=True)
    finally:
        for f, text in originals.items():
            (ROOT / f).write_text(text)
    total = killed + len(survivors)
    score = killed / max(total, 1)
    print(f"mutate: score {100 * score:.1f} % ({killed} of {total} mutants killed), "
          f"{time.monotonic() - start:.0f} s")
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "mutate.json").write_text(json.dumps(
        {"files": ns.files, "mutants": total, "killed": killed, "score": score, "survivors": survivors}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
