"""Write comparisons out: JSON for machines, one self-contained HTML page for people.

The HTML has its CSS inline and loads nothing (no scripts, fonts or images),
so it can be mailed or attached to a CI run as it is. Every text that comes
from a run is escaped by Jinja's autoescaping; the template is
`templates/report.html.j2`.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from .. import __version__
from .diff import DIFFERS, ERROR, NA, REF, SAME, Comparison, printable, hexdump, is_binary
from .matrix import GLYPHS, engine_of, summary
from .tree import listing, times_listing

TEMPLATES = Path(__file__).with_name("templates")
OUTPUT_PREVIEW_LINES = 200
STDERR_PREVIEW_LINES = 12  # per host, in "How each host ran"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


# --- JSON ---------------------------------------------------------------------------

def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="backslashreplace")


def _shown(data: bytes) -> str:
    return hexdump(data) if is_binary(data) else printable(data)


def comparison_json(c: Comparison) -> dict[str, object]:
    spec = c.spec
    return {
        "title": c.title,
        "command": spec.command_line(),
        "program": spec.program,
        "args": spec.args,
        "env": [list(pair) for pair in spec.env],
        "dirs": [list(pair) for pair in spec.dirs],
        "stdin": spec.stdin,
        "deterministic": spec.deterministic,
        "aspects": list(c.aspects),
        "references": c.references,
        "diverged": c.diverged,
        "summary": summary(c),
        "hosts": [{
            "host": run.host,
            "engine": engine_of(run.host),
            "status": run.status,
            "error": run.error,
            "elapsed": round(run.elapsed, 3),
            "command": run.command,
            "shared_browser": run.shared_browser,
            "verdicts": c.verdicts[run.host],
            "stdout": _text(run.stdout),
            "stderr": _text(run.stderr),
            "tree": {path: entry.to_json() for path, entry in run.tree.items()},
        } for run in c.runs],
        "skipped": [{"host": host, "reason": why} for host, why in c.skipped],
        "divergences": [{"host": d.host, "aspect": d.aspect, "reference": d.reference, "diff": d.diff}
                        for d in c.divergences],
    }


def write_json(path: str | Path, comparisons: list[Comparison]) -> None:
    """One comparison: its object; several: {"comparisons": [...], "diverged": ...}."""
    if len(comparisons) == 1:
        doc: object = comparison_json(comparisons[0])
    else:
        doc = {"generator": f"wasi-polyfill {__version__}",
               "diverged": any(c.diverged for c in comparisons),
               "comparisons": [comparison_json(c) for c in comparisons]}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --- HTML ---------------------------------------------------------------------------

_LINE_CLASSES = (("+++", "hdr"), ("---", "hdr"), ("@@", "hunk"), ("+", "add"), ("-", "del"), ("\\", "meta"))


def _diff_lines(diff: str) -> list[dict[str, str]]:
    out = []
    for line in diff.rstrip("\n").split("\n"):
        cls = next((c for prefix, c in _LINE_CLASSES if line.startswith(prefix)), "ctx")
        out.append({"cls": cls, "text": line})
    return out


def _preview(data: bytes, limit: int = OUTPUT_PREVIEW_LINES) -> str:
    lines = _shown(data).rstrip("\n").split("\n") if data else []
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more lines)"]
    return "\n".join(lines)


def _anchor(title: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "program"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _section(c: Comparison, anchor: str) -> dict[str, object]:
    rows = []
    for run in c.runs:
        rows.append({
            "host": run.host,
            "engine": engine_of(run.host),
            "cells": [{"verdict": c.verdicts[run.host][a], "glyph": GLYPHS[c.verdicts[run.host][a]],
                       "cls": {REF: "ref", SAME: "same", DIFFERS: "differs", NA: "na", ERROR: "error"}[
                           c.verdicts[run.host][a]]}
                      for a in c.aspects],
            "status": "—" if run.status is None else str(run.status),
            "elapsed": f"{run.elapsed:.2f}s",
            "error": run.error or "",
            "command": " ".join(run.command) if run.command else (
                "in-process, shared Chromium" if run.shared_browser else "in-process"),
            "stderr": _preview(run.stderr, STDERR_PREVIEW_LINES),
        })
    ref_host = c.references.get("stdout") or c.references.get("exit")
    reference = None
    if ref_host is not None:
        run = c.run(ref_host)
        reference = {
            "host": ref_host,
            "stdout": _preview(run.stdout),
            "stderr": _preview(run.stderr),
            "tree": "\n".join(listing(run.tree)),
            "times": "\n".join(times_listing(run.tree)) if c.spec.deterministic and c.references.get("times") else "",
        }
    ran = sum(1 for r in c.runs if r.ok)
    return {
        "anchor": anchor,
        "title": c.title,
        "command": c.spec.command_line(),
        "deterministic": c.spec.deterministic,
        "diverged": c.diverged,
        "lonely": ran < 2,
        "summary": summary(c),
        "aspects": list(c.aspects),
        "references": c.references,
        "rows": rows,
        "skipped": c.skipped,
        "divergences": [{"host": d.host, "aspect": d.aspect, "reference": d.reference,
                         "lines": _diff_lines(d.diff)} for d in c.divergences],
        "reference": reference,
    }


def render_html(comparisons: list[Comparison], title: str = "wasi-polyfill: host comparison") -> str:
    taken: set[str] = set()
    sections = [_section(c, _anchor(c.title, taken)) for c in comparisons]
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        version=__version__,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        sections=sections,
        diverged=sum(1 for s in sections if s["diverged"]),
    )


def write_html(path: str | Path, comparisons: list[Comparison], title: str | None = None) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    html = render_html(comparisons, title) if title else render_html(comparisons)
    Path(path).write_text(html, encoding="utf-8")
