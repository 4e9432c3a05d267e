"""The compact text matrix: a row per host, a cell per aspect, and what
the host runs the program in (so the browser engines sit side by side).

    host        stdout  stderr  exit  tree   status     time  engine
    wasmtime    ref     ref     ref   ref         0    0.41s  wasmtime (native)
    browser     ✓       ✓       ✓     ✓           0    2.83s  Chromium
    firefox     ✗       ✓       ✓     ✓           0    9.12s  Firefox
    webkit      skipped: Xvfb is not installed (apt-get install xvfb); WebKitGTK needs a display
"""

from __future__ import annotations

from ..hosts import HOST_ENGINES
from .diff import DIFFERS, ERROR, NA, REF, SAME, Comparison

GLYPHS = {REF: "ref", SAME: "✓", DIFFERS: "✗", NA: "n/a", ERROR: "✗"}
ASCII_GLYPHS = {REF: "ref", SAME: "ok", DIFFERS: "X", NA: "n/a", ERROR: "X"}
COLORS = {REF: "36", SAME: "32", DIFFERS: "31", NA: "90", ERROR: "31"}  # ANSI


def _status(run) -> str:
    if not run.ok:
        return "no result"
    return str(run.status)


def render(comparison: Comparison, *, color: bool = False, ascii_only: bool = False) -> str:
    glyphs = ASCII_GLYPHS if ascii_only else GLYPHS
    aspects = comparison.aspects
    host_w = max([len("host"), *(len(r.host) for r in comparison.runs)])
    widths = [max(len(a), 3) for a in aspects]
    header = f"{'host':<{host_w}}  " + "  ".join(f"{a:<{w}}" for a, w in zip(aspects, widths))
    header += f"  {'status':>9}  {'time':>7}  engine"
    lines = [header]
    for run in comparison.runs:
        cells = []
        for aspect, w in zip(aspects, widths):
            verdict = comparison.verdicts[run.host][aspect]
            text = f"{glyphs[verdict]:<{w}}"
            if color:
                text = f"\033[{COLORS[verdict]}m{text}\033[0m"
            cells.append(text)
        line = f"{run.host:<{host_w}}  " + "  ".join(cells)
        line += f"  {_status(run):>9}  {run.elapsed:6.2f}s  {engine_of(run.host)}"
        if run.error:
            line += f"  ({run.error})"
        lines.append(line)
    for host, why in comparison.skipped:
        lines.append(f"{host:<{host_w}}  skipped: {why}")
    return "\n".join(lines) + "\n"


def engine_of(host: str) -> str:
    """What `host` runs programs in ("-" for a host of a test's own)."""
    return HOST_ENGINES.get(host, "-")


def summary(comparison: Comparison) -> str:
    """One line: agree, or which (host, aspect) pairs diverge."""
    bad = [f"{host}:{aspect}" for host, row in comparison.verdicts.items()
           for aspect, verdict in row.items() if verdict in (DIFFERS, ERROR)]
    ran = sum(1 for r in comparison.runs if r.ok)
    if bad:
        return f"DIVERGED on {len(bad)} cell(s): {', '.join(bad)}"
    if ran < 2:
        return "nothing to compare: fewer than two hosts gave a result"
    return f"all {ran} hosts agree"
