"""Compare host runs aspect by aspect against a reference run.

Aspects: `stdout`, `stderr`, `exit` (the status), `tree` (names, types,
contents, symlink targets, hard-link structure of every dir after the run)
and, under `--deterministic` only, `times` (atime/mtime of every entry).

Which hosts are comparable on an aspect:
- normally every host on stdout, stderr, exit and tree; times never (clocks
  differ between engines, so timestamps differ);
- a final `wasi-polyfill: trap: ...` line on stderr is compared by its
  presence only: engines word traps differently;
- under `--deterministic`, stdout, stderr and times only between our own
  runtimes (`DETERMINISTIC_HOSTS`): wasmtime and node-wasi print real times
  and random bytes, so they are compared on exit and tree only and their other
  cells read "n/a".

The reference for an aspect is `wasmtime` when it is comparable on it and gave
a result, else the first comparable host that did. Every other comparable
host is "same" or "differs" (with a unified diff); a host that gave no result
(timeout, crash) is "error" on all its comparable aspects.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..hosts import DETERMINISTIC_HOSTS
from .runner import CompareSpec, HostRun
from .tree import Tree, listing, same_shape, same_times, times_listing

ASPECTS: tuple[str, ...] = ("stdout", "stderr", "exit", "tree")
TIMES = "times"
REFERENCE_HOST = "wasmtime"
MAX_DIFF_LINES = 400
TRAP_PREFIX = b"wasi-polyfill: trap: "

# verdicts
REF, SAME, DIFFERS, NA, ERROR = "ref", "same", "differs", "n/a", "error"


@dataclass
class Divergence:
    host: str
    aspect: str
    reference: str
    diff: str          # unified diff, reference first; text, not yet escaped


@dataclass
class Comparison:
    title: str
    spec: CompareSpec
    runs: list[HostRun]
    skipped: list[tuple[str, str]]            # (host, why)
    aspects: tuple[str, ...]
    references: dict[str, str | None]         # aspect -> reference host
    verdicts: dict[str, dict[str, str]]       # host -> aspect -> verdict
    divergences: list[Divergence] = field(default_factory=list)

    @property
    def diverged(self) -> bool:
        return any(v in (DIFFERS, ERROR) for row in self.verdicts.values() for v in row.values())

    def run(self, host: str) -> HostRun:
        return next(r for r in self.runs if r.host == host)


def aspects_for(deterministic: bool) -> tuple[str, ...]:
    return (*ASPECTS, TIMES) if deterministic else ASPECTS


def comparable(host: str, aspect: str, deterministic: bool) -> bool:
    if aspect in ("exit", "tree"):
        return True
    if aspect == TIMES:
        return deterministic and host in DETERMINISTIC_HOSTS
    return not deterministic or host in DETERMINISTIC_HOSTS  # stdout, stderr


# --- text diffs -------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    lines = [line + "\n" for line in text.split("\n")]  # only \n ends a line, not \f or U+2028
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    elif lines:  # one element, so "b" and "b\n" differ
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


# C0 controls but \t and \n, and DEL, shown as escapes so a diff stays one line per line
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x09), *range(0x0B, 0x20), 0x7F)}


def printable(data: bytes) -> str:
    """Output as text: UTF-8, with bad bytes and control characters as escapes."""
    return data.decode("utf-8", errors="backslashreplace").translate(_CONTROLS)


def is_binary(data: bytes) -> bool:
    if b"\0" in data:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def hexdump(data: bytes) -> str:
    """16 bytes a line, `offset  hex  |ascii|`, so binary diffs line up."""
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset:offset + 16]
        text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        lines.append(f"{offset:08x}  {chunk.hex(' '):<47}  |{text}|\n")
    return "".join(lines)


def bytes_diff(a: bytes, b: bytes, a_label: str, b_label: str) -> str:
    """A unified diff of two outputs or files: as text, or as hex dumps if either is binary."""
    if is_binary(a) or is_binary(b):
        return unified(hexdump(a), hexdump(b), f"{a_label} (hex)", f"{b_label} (hex)")
    return unified(printable(a), printable(b), a_label, b_label)


def unified(a: str, b: str, a_label: str, b_label: str) -> str:
    out = list(difflib.unified_diff(_lines(a), _lines(b), a_label, b_label, n=3))
    if len(out) > MAX_DIFF_LINES:
        out = out[:MAX_DIFF_LINES] + [f"... ({len(out) - MAX_DIFF_LINES} more diff lines)\n"]
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def _tree_diff(ref: Tree, other: Tree, ref_host: str, host: str) -> str:
    text = unified("\n".join(listing(ref)) + "\n", "\n".join(listing(other)) + "\n",
                   f"{ref_host}/tree", f"{host}/tree")
    for path in ref.keys() & other.keys():
        a, b = ref[path], other[path]
        if a.kind == b.kind == "file" and a.sha256 != b.sha256 and a.data is not None and b.data is not None:
            text += bytes_diff(a.data, b.data, f"{ref_host}{path}", f"{host}{path}")
    return text


def normalize_stderr(data: bytes) -> bytes:
    """Stderr with its final trap line, if any, reduced to the prefix.

    Every host reports a trap as one last line `wasi-polyfill: trap: <message>`,
    but each engine words the message its own way (wasmtime: "wasm trap: out
    of bounds memory access", V8: "memory access out of bounds"), so only the
    line's presence is compared, as in tests/differential.py.
    """
    head, sep, last = data.rstrip(b"\n").rpartition(b"\n")
    if last.startswith(TRAP_PREFIX):
        return head + sep + TRAP_PREFIX + b"<trap>\n"
    return data


def _aspect_equal(aspect: str, a: HostRun, b: HostRun) -> bool:
    if aspect == "stdout":
        return a.stdout == b.stdout
    if aspect == "stderr":
        return normalize_stderr(a.stderr) == normalize_stderr(b.stderr)
    if aspect == "exit":
        return a.status == b.status
    if aspect == "tree":
        return same_shape(a.tree, b.tree)
    return same_times(a.tree, b.tree)


def _aspect_diff(aspect: str, ref: HostRun, run: HostRun) -> str:
    r, h = ref.host, run.host
    if aspect in ("stdout", "stderr"):
        return bytes_diff(getattr(ref, aspect), getattr(run, aspect), f"{r}/{aspect}", f"{h}/{aspect}")
    if aspect == "exit":
        return unified(f"{ref.status}\n", f"{run.status}\n", f"{r}/exit", f"{h}/exit")
    if aspect == "tree":
        return _tree_diff(ref.tree, run.tree, r, h)
    return unified("\n".join(times_listing(ref.tree)) + "\n", "\n".join(times_listing(run.tree)) + "\n",
                   f"{r}/times", f"{h}/times")


# --- the comparison ------------------------------------------------------------------

def compare_runs(spec: CompareSpec, runs: list[HostRun], skipped: list[tuple[str, str]] | None = None,
                 title: str = "") -> Comparison:
    aspects = aspects_for(spec.deterministic)
    references: dict[str, str | None] = {}
    verdicts: dict[str, dict[str, str]] = {run.host: {} for run in runs}
    divergences: list[Divergence] = []
    for aspect in aspects:
        candidates = [r for r in runs if r.ok and comparable(r.host, aspect, spec.deterministic)]
        ref = next((r for r in candidates if r.host == REFERENCE_HOST), candidates[0] if candidates else None)
        references[aspect] = ref.host if ref else None
        for run in runs:
            if not comparable(run.host, aspect, spec.deterministic):
                verdict = NA
            elif not run.ok:
                verdict = ERROR
            elif run is ref:
                verdict = REF
            elif ref is not None and _aspect_equal(aspect, ref, run):
                verdict = SAME
            else:
                assert ref is not None
                verdict = DIFFERS
                divergences.append(Divergence(run.host, aspect, ref.host, _aspect_diff(aspect, ref, run)))
            verdicts[run.host][aspect] = verdict
    return Comparison(title=title or spec.program, spec=spec, runs=runs, skipped=list(skipped or []),
                      aspects=aspects, references=references, verdicts=verdicts, divergences=divergences)
