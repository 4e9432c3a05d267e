"""Errno facts have one home, `spec/errnos.py`; the twins' comments agree with it.

Each syscall of the JS runtime (polyfill/src/syscalls/*.js, the `/** ... */`
before the method) and of the reference host (refhost/syscalls/*.py, the
method's docstring) says "Errors: ..." and names errnos as `EBADF`; a module
may name, in its header, errnos every function in it can also return
("Errors common to every function here: ..."). For every function:

- each runtime documents only errnos its list has (a runtime that says it
  can return an errno the list lacks fails here);
- between them the two runtimes document every listed errno, except those
  `glue_errnos` derives from the spec (reading the arguments).

What the runtimes really return is checked against the same lists where
errnos are observed: tests/test_corpus.py (the node host's --trace) and the
fuzzer (tests/fuzz/harness.py `compare`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import spec
from spec.errnos import ERRNOS, glue_errnos

ROOT = Path(__file__).resolve().parents[1]
NAMES = {f.name for f in spec.FUNCTIONS}
CODES = {"E" + c.name.upper(): c.name for c in spec.ERRNO.cases}
COMMON = "Errors common to every function here:"


def errnos_named(text: str) -> set[str] | None:
    """The errnos named after "Errors:" in a doc comment (spec case names),
    or None if it has no "Errors:"."""
    m = re.search(r"\bErrors:(.*)", text, re.S)
    if m is None:
        return None
    named = set(re.findall(r"\bE[A-Z0-9]{2,}\b", m.group(1)))
    unknown = named - set(CODES)
    assert not unknown, f"not errno codes: {sorted(unknown)} in {text!r}"
    return {CODES[c] for c in named}


def common_named(header: str) -> set[str]:
    """The errnos a module header names after COMMON, up to its paragraph's end."""
    if COMMON not in header:
        return set()
    paragraph = header.split(COMMON, 1)[1].split("\n\n", 1)[0]
    return errnos_named("Errors:" + paragraph) or set()


def js_docs() -> dict[str, set[str] | None]:
    out: dict[str, set[str] | None] = {}
    for path in sorted((ROOT / "polyfill/src/syscalls").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        header = []
        for line in text.splitlines():   # the leading // comment ("//" alone: a new paragraph)
            if not line.startswith("//"):
                break
            header.append(line[2:].strip())
        common = common_named("\n".join(header))
        for m in re.finditer(r"/\*\*((?:(?!\*/).)*)\*/\s*(?:async\s+)?(\w+)\s*\(", text, re.S):
            if m.group(2) in NAMES:
                named = errnos_named(m.group(1))
                out[m.group(2)] = None if named is None else named | common
    return out


def py_docs() -> dict[str, set[str] | None]:
    out: dict[str, set[str] | None] = {}
    for path in sorted((ROOT / "refhost/syscalls").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        common = common_named(ast.get_docstring(tree) or "")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in NAMES:
                named = errnos_named(ast.get_docstring(node) or "")
                out[node.name] = None if named is None else named | common
    return out


RUNTIMES = {"polyfill/src/syscalls": js_docs(), "refhost/syscalls": py_docs()}


def test_every_function_has_a_list_of_real_errno_names():
    assert set(ERRNOS) == NAMES
    for name, errnos in ERRNOS.items():
        assert set(errnos) <= set(CODES.values()), name
        assert "success" not in errnos, name
        assert len(set(errnos)) == len(errnos), f"{name}: listed twice"


@pytest.mark.parametrize("where", RUNTIMES)
def test_each_syscall_documents_its_errnos(where):
    docs = RUNTIMES[where]
    missing = sorted(NAMES - set(docs) - {"proc_exit"})
    assert not missing, f"{where}: no syscall method found for {missing}"
    undocumented = sorted(n for n, named in docs.items() if named is None and n != "proc_exit")
    assert not undocumented, f"{where}: no 'Errors:' in the doc comment of {undocumented}"


@pytest.mark.parametrize("where", RUNTIMES)
def test_runtimes_document_only_listed_errnos(where):
    wrong = {}
    for name, named in RUNTIMES[where].items():
        extra = (named or set()) - set(ERRNOS[name])
        if extra:
            wrong[name] = sorted("E" + e.upper() for e in extra)
    assert not wrong, f"{where} documents errnos spec/errnos.py does not list: {wrong}"


def test_every_listed_errno_is_documented_by_a_runtime():
    unexplained = {}
    for f in spec.FUNCTIONS:
        documented = set(glue_errnos(f))
        for docs in RUNTIMES.values():
            documented |= docs.get(f.name) or set()
        lacking = set(ERRNOS[f.name]) - documented
        if lacking:
            unexplained[f.name] = sorted("E" + e.upper() for e in lacking)
    assert not unexplained, f"listed in spec/errnos.py, documented by neither runtime: {unexplained}"


def test_docs_show_each_list():
    md = (ROOT / "docs/preview1.md").read_text(encoding="utf-8")
    for f in spec.FUNCTIONS:
        section = md.split(f"### `{f.name}`\n", 1)[1].split("\n### ", 1)[0]
        line = next(l for l in section.splitlines() if l.startswith("**Errors:**"))
        shown = set(re.findall(r"`(E[A-Z0-9]+)`", line.split(". Of these", 1)[0]))
        assert shown == {"E" + e.upper() for e in ERRNOS[f.name]}, f.name
