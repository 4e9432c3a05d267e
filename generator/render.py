"""Which files are generated from which template and context, and
`generate()`, which writes them (or, with check=True, reports stale ones)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .constants import constants_context
from .docs import docs_context
from .env import make_env
from .glue import glue_context
from .layouts import compound_contexts
from .trampoline import trampoline_context
from . import pyhost

# Names layouts.js exports besides the per-type ones.
_LAYOUT_HELPERS = ("writeU64", "writeS64", "readU64Number", "readS64Number")


@dataclass(frozen=True)
class SpecView:
    """The part of the spec the generator reads: named types and functions,
    in spec order. Tests build small ones from `spec.model` objects."""

    types: tuple
    functions: tuple

    @classmethod
    def preview1(cls) -> "SpecView":
        import spec

        return cls(tuple(spec.TYPES), tuple(spec.FUNCTIONS))


def _layout_exports(compounds: list[dict]) -> list[str]:
    names = list(_LAYOUT_HELPERS)
    for c in compounds:
        names += [c["size_const"], c["align_const"], c["reader"], c["writer"]]
        if c["validator"]:
            names.append(c["validator"])
    return names


def _used(names: list[str], text: str) -> list[str]:
    """The names of `names` that occur as words in `text`, sorted."""
    return sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", text))


def _imports_context(view: SpecView) -> dict:
    ctx = glue_context(view.functions) | trampoline_context(view.functions)
    compounds = compound_contexts(view.types)
    body = "\n".join(
        line
        for f in ctx["functions"]
        for line in (*f["prologue"], *f["epilogue"])
    ) + "\n".join(f"{l['size_const']} {l['align_const']}" for l in ctx["loaders"])
    ctx["layout_imports"] = _used(_layout_exports(compounds), body)
    return ctx


def _trace_context(view: SpecView) -> dict:
    ctx = glue_context(view.functions)
    compounds = compound_contexts(view.types)
    ctx["compounds"] = compounds
    body = "\n".join(f["trace_results"] for f in ctx["functions"])
    readers = [c["reader"] for c in compounds] + ["readU64Number", "readS64Number"]
    ctx["layout_imports"] = _used(readers, body)
    return ctx


def _layouts_context(view: SpecView) -> dict:
    return {"compounds": compound_contexts(view.types)}


def _py_layouts_context(view: SpecView) -> dict:
    return pyhost.layouts_context(view.types)


def _py_imports_context(view: SpecView) -> dict:
    ctx = pyhost.imports_context(view.functions)
    layouts = pyhost.layouts_context(view.types)
    names = [n for n, _ in layouts["scalars"]]
    for c in layouts["compounds"]:
        u = c["name"].upper()
        names += [f"{u}_SIZE", f"{u}_ALIGN", f"read_{c['name']}", f"write_{c['name']}"]
        names += [n for n, _ in c["structs"]]
    body = "\n".join(line for f in ctx["functions"]
                     for line in (*f["setup"], *f["before"], *f["decode"], f["call"], *f["after"]))
    ctx["layout_imports"] = _used(names, body + " U32")   # U32: write_c_strings
    return ctx


def _py_trace_context(view: SpecView) -> dict:
    return pyhost.trace_context(view.types, view.functions)


@dataclass(frozen=True)
class Output:
    path: str                                   # relative to the repository root
    template: str
    context: Callable[[SpecView], dict]


OUTPUTS = (
    Output("polyfill/src/generated/constants.js", "constants.js.j2", lambda v: constants_context(v.types)),
    Output("polyfill/src/generated/layouts.js", "layouts.js.j2", _layouts_context),
    Output("polyfill/src/generated/imports.js", "imports.js.j2", _imports_context),
    Output("polyfill/src/generated/trace.js", "trace.js.j2", _trace_context),
    Output("polyfill/src/generated/preview1.d.ts", "preview1.d.ts.j2", docs_context),
    Output("docs/preview1.md", "preview1.md.j2", docs_context),
    Output("refhost/generated/layouts.py", "refhost_layouts.py.j2", _py_layouts_context),
    Output("refhost/generated/imports.py", "refhost_imports.py.j2", _py_imports_context),
    Output("refhost/generated/trace.py", "refhost_trace.py.j2", _py_trace_context),
)


def render_one(template: str, context: dict) -> str:
    return make_env().get_template(template).render(**context)


def render_all(view: SpecView | None = None) -> dict[str, str]:
    """Every output's path (relative to the repository root) and text."""
    view = view or SpecView.preview1()
    env = make_env()
    return {o.path: env.get_template(o.template).render(**o.context(view)) for o in OUTPUTS}


def generate(root: Path, check: bool = False) -> int:
    """Render every output under `root` (the repository's root). With check=True write nothing and
    return 1, listing the stale files on stderr, if any output differs from
    what is on disk; 0 otherwise."""
    root = Path(root)
    stale = []
    for rel, text in render_all().items():
        path = root / rel
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(rel)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if check and stale:
        print("generated files are stale (run `python -m harness generate`):", file=sys.stderr)
        for rel in stale:
            print(f"  {rel}", file=sys.stderr)
        return 1
    if not check:
        for rel in stale:
            print(f"wrote {rel}", file=sys.stderr)
    return 0
