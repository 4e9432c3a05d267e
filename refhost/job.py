"""One run as the CLI hosts describe it, the same natively and in Pyodide.

A `Job` is plain data (JSON-able, so a native host can hand it to Pyodide):
arguments, environment, the preopens — each a guest path and the index of
the tree it shows — the trees themselves (vfs/tree.py), and the modes.
`prepare` builds the `Wasi` for it: one MemFS holding every tree, each tree
a root of its own (loaded in order: RATIONALE "Inode numbers and devices"),
so a host directory given twice is one tree preopened twice. After the run,
`final_trees` gives the trees back for `--write-back`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .clocks import Clocks, DeterministicClocks
from .stdio import InputStream, OutputStream
from .vfs.tree import Tree, decode_tree, dump_tree, encode_tree, load_tree
from .vfs.inode import Directory
from .vfs.memfs import MemFS
from .wasi import Wasi


@dataclass
class Job:
    args: list[str]
    env: list[tuple[str, str]] = field(default_factory=list)
    preopens: list[tuple[str, int]] = field(default_factory=list)   # (guest path, tree index)
    trees: list[Tree] = field(default_factory=list)
    deterministic: bool = False
    trace: bool = False

    def to_json(self) -> dict:
        return {"args": list(self.args), "env": [list(kv) for kv in self.env],
                "preopens": [list(p) for p in self.preopens],
                "trees": [encode_tree(t) for t in self.trees],
                "deterministic": self.deterministic, "trace": self.trace}

    @classmethod
    def from_json(cls, data: dict) -> Job:
        return cls(args=list(data["args"]), env=[tuple(kv) for kv in data.get("env", [])],
                   preopens=[(g, int(i)) for g, i in data.get("preopens", [])],
                   trees=[decode_tree(t) for t in data.get("trees", [])],
                   deterministic=bool(data.get("deterministic")), trace=bool(data.get("trace")))


def prepare(job: Job, stdin: InputStream, stdout: OutputStream, stderr: OutputStream
            ) -> tuple[Wasi, list[Directory]]:
    clocks = DeterministicClocks() if job.deterministic else Clocks()
    fs = MemFS(clock=clocks.realtime_now, numbered_root=False)
    roots = []
    for tree in job.trees:
        root = fs.new_root()
        load_tree(fs, root, tree, keep_times=not job.deterministic)
        roots.append(root)
    wasi = Wasi(args=job.args, env=job.env, preopens=[(guest, roots[i]) for guest, i in job.preopens],
                fs=fs, stdin=stdin, stdout=stdout, stderr=stderr,
                deterministic=job.deterministic, clocks=clocks)
    return wasi, roots


def final_trees(roots: list[Directory]) -> list[Tree]:
    return [dump_tree(r) for r in roots]


def trace_to(stream: OutputStream) -> Callable[[str], None]:
    return lambda line: stream.write(line.encode("utf-8", "surrogateescape") + b"\n")
