"""The differential fuzzer across backends: the JS runtime on MemFS against
the same runtime on live host directories (HostDirectory, issue #15).

    python -m fuzz.backends [--calls N] [--seed S] [--max-calls K]   (with tests/ on sys.path)

The programs are `make fuzz`'s (strategies.program, same seeds). Each runs
twice in the node driver (tests/fuzz/js_driver.mjs): on a MemFS, and with
each preopened directory a HostDirectory over a temporary copy of its tree.
Without MemFS's capacity limits (a host directory has the host's): only the
descriptor limit stays.

Inode numbers, times, directory sizes and readdir order are the host's
(spec/RATIONALE.md, "HostDirectory"), and a program copies them on: into a
file (seed 539 wrote a dirent's d_ino into one), a name, its output (seed
8630). So they are masked in one place, where they enter guest memory: the
driver (js_driver.mjs, maskBackendSpecific) zeroes them on both sides after
each successful fd_filestat_get, path_filestat_get and fd_readdir, and
reports what it took out. Then everything else compares exactly: every
call's errno (or trap/exit), the whole final memory, stdout and stderr byte
for byte, the final trees (names, kinds, bytes, symlink targets, link
counts); and what was masked is checked apart (compare_masked): the same
entries listed, inode numbers in one-to-one correspondence. Exit status 1
on any divergence.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from .coverage import Coverage
from .harness import JsDriver, calls_of, format_call, format_program, memory_diff
from .run import shrink, steps_of
from .strategies import LIMITS, RandomDraw, base_setup, program


def _norm(node: dict) -> dict:
    out = {"type": node["type"], "nlink": node["nlink"]}
    if node["type"] == "dir":
        out["entries"] = {name: _norm(child) for name, child in sorted(node["entries"])}
    elif node["type"] == "symlink":
        out["target"] = node["target"]
    else:
        out["data"] = node["data"]
    return out


def _inos(node: dict, out: set) -> set:
    out.add(str(node["ino"]))
    for _, child in node.get("entries", []):
        _inos(child, out)
    return out


def compare_masked(calls: list, mem: dict, host: dict) -> list[str]:
    """What js_driver.mjs's maskBackendSpecific took out of memory on each
    side, checked apart: each fd_readdir listed the same entries (the same
    names with the same types, the same cookies; all of them, and as many
    bytes, when it listed from the start, else those both listed), and the
    inode numbers correspond one to one: within a call (a listing's entries),
    and over the run — a MemFS inode always shows as the same host inode, and
    a host inode number shows for a second MemFS inode only once the first
    is gone (a host filesystem reuses freed numbers; MemFS does not)."""
    diffs: list[str] = []
    pairs: list[tuple[int, str, str]] = []   # (call, memfs ino, host ino) in the order seen
    if [r[:2] for r in mem["masked"]] != [r[:2] for r in host["masked"]]:
        return [f"masked records: memfs={mem['masked']} host={host['masked']}"]
    for m, h in zip(mem["masked"], host["masked"]):
        i, kind = m[0], m[1]
        where = f"call {i} {format_call(calls[i])}"
        if kind == "stat":
            pairs.append((i, m[2], h[2]))
            continue
        _, _, cookie, whole, m_entries, used = m
        _, _, h_cookie, h_whole, h_entries, h_used = h
        m_next, h_next = [e[3] for e in m_entries], [e[3] for e in h_entries]
        if not (whole and h_whole):  # the buffer cut a listing: as many whole entries as their names' lengths allow
            m_next, h_next = m_next[:len(h_next)], h_next[:len(m_next)]
        # from cookie 0 the same entries fill the buffer alike; from another, the rest of each order
        if cookie != h_cookie or (cookie == "0" and (whole, used) != (h_whole, h_used)) or m_next != h_next:
            diffs.append(f"{where}: listings memfs={m_entries} host={h_entries}")
            continue
        m_by, h_by = {e[0]: e for e in m_entries}, {e[0]: e for e in h_entries}
        if cookie == "0" and whole and sorted(e[:2] for e in m_entries) != sorted(e[:2] for e in h_entries):
            diffs.append(f"{where}: listed memfs={sorted(m_by)} host={sorted(h_by)}")
        here = {}
        for name in m_by.keys() & h_by.keys():
            if m_by[name][1] != h_by[name][1]:
                diffs.append(f"{where}: {bytes.fromhex(name)!r} d_type memfs={m_by[name][1]} host={h_by[name][1]}")
            here[m_by[name][2]] = h_by[name][2]
            pairs.append((i, m_by[name][2], h_by[name][2]))
        if len(set(here.values())) != len(here):
            diffs.append(f"{where}: distinct inodes listed with one host inode number: {here}")
    alive = _inos_of(mem)
    host_of: dict[str, str] = {}
    mem_of: dict[str, str] = {}
    for i, m_ino, h_ino in pairs:
        if host_of.setdefault(m_ino, h_ino) != h_ino:
            diffs.append(f"call {i} {format_call(calls[i])}: memfs inode {m_ino} showed as host inode "
                         f"{host_of[m_ino]}, now as {h_ino}")
        before = mem_of.setdefault(h_ino, m_ino)
        if before != m_ino:
            if before in alive:
                diffs.append(f"call {i} {format_call(calls[i])}: host inode {h_ino} shows for memfs inode {m_ino}, "
                             f"and for memfs inode {before}, which is still there")
            mem_of[h_ino] = m_ino
    return diffs


def _inos_of(reply: dict) -> set:
    out: set = set()
    for root in reply["tree"]:
        _inos(root, out)
    return out


def compare(ops: list, mem: dict, host: dict) -> list[str]:
    """The differences between the MemFS run and the host run ([] if none)."""
    calls = calls_of(ops)
    for i, (call, a, b) in enumerate(zip(calls, mem["results"], host["results"])):
        for side, r in (("memfs", a), ("host", b)):
            if isinstance(r, str) and r.startswith("crash"):
                return [f"call {i} {call[0]}: {side} crashed: {r}"]
        if a != b:
            return [f"call {i} {format_call(call)}: memfs={a} host={b}"]
    if len(mem["results"]) != len(host["results"]):
        return [f"result counts memfs={len(mem['results'])} host={len(host['results'])}"]
    diffs = compare_masked(calls, mem, host)
    for k in ("stdout", "stderr", "mem"):
        if mem[k] != host[k]:
            diffs.append(f"{k}: memfs={mem[k][:200]} host={host[k][:200]}")
    for i, (a, b) in enumerate(zip(mem["tree"], host["tree"])):
        if _norm(a) != _norm(b):
            diffs.append(f"preopen {i}: memfs={_norm(a)}\n  host={_norm(b)}")
    return diffs


MAX_FILE_SIZE = 16 << 20


def host_tmp() -> str | None:
    """Where the host side's directories are made: a tmpfs if there is one
    (/dev/shm: removing a directory tree on a disk file system took 40 % of
    the run), else the OS's temporary directory. FUZZ_HOST_TMP chooses."""
    if "FUZZ_HOST_TMP" in os.environ:
        return os.environ["FUZZ_HOST_TMP"] or None
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def setups() -> tuple[dict, dict]:
    """The MemFS side's setup and the host side's: the same tree, preopens
    and descriptor limit (not MemFS's capacity limits: a host directory has
    the host's), each side's backend-specific values masked. The file-size
    limit, which the driver gives the host side too, is 16 MiB: at MemFS's
    2 GiB a program made a sparse file whose dump no string could hold (a run
    died at seed ~7260)."""
    mem = {**base_setup({"maxFds": LIMITS["maxFds"], "maxFileSize": MAX_FILE_SIZE}), "mask": True}
    host = {**mem, "backend": "host"}
    if (where := host_tmp()) is not None:
        host["hostTmp"] = where
    return mem, host


def diverges(js: JsDriver, ops: list) -> list[str]:
    mem_setup, host_setup = setups()
    return compare(ops, js.run(mem_setup, ops), js.run(host_setup, ops))


def report(js: JsDriver, ops: list, seed: int) -> str:
    """A divergence shrunk, with the memory ranges that differ."""
    small = shrink(ops, lambda trial: diverges(js, trial))
    mem_setup, host_setup = setups()
    mem, host = js.run(mem_setup, small, dump=True), js.run(host_setup, small, dump=True)
    lines = [f"divergence (program seed {seed}), shrunk to {len(steps_of(small))} calls:",
             format_program(small), *compare(small, mem, host)]
    if mem["mem"] != host["mem"]:
        lines += [x.replace(" py=", " memfs=").replace(" js=", " host=") for x in memory_diff(mem["memory"], host["memory"])]
    lines.append(f"  results: {mem['results']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="fuzz.backends", description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=100_000, help="stop after this many calls")
    ap.add_argument("--programs", type=int, default=None, help="stop after this many programs")
    ap.add_argument("--seed", type=int, default=0, help="seed of the first program")
    ap.add_argument("--max-calls", type=int, default=40, help="calls per program at most")
    ap.add_argument("--max-reports", type=int, default=5, help="divergences printed in full")
    ns = ap.parse_args(argv)
    mem_setup, host_setup = setups()
    js = JsDriver()
    cov = Coverage()
    calls = programs = divergences = 0
    start = last = time.monotonic()
    seed = ns.seed

    def more() -> bool:
        return calls < ns.calls and (ns.programs is None or programs < ns.programs)

    try:
        ops = program(RandomDraw(seed), 1, ns.max_calls)
        while True:
            js.send(mem_setup, ops)
            js.send(host_setup, ops)
            following = program(RandomDraw(seed + 1), 1, ns.max_calls)  # while node runs this one
            mem, host = js.receive(), js.receive()
            calls += len(mem["results"])
            cov.add(ops, mem["results"])
            diffs = compare(ops, mem, host)
            if diffs:
                divergences += 1
                if divergences <= ns.max_reports:
                    print(report(js, ops, seed), flush=True)
            programs += 1
            seed += 1
            now = time.monotonic()
            if now - last >= 5:
                last = now
                print(f"fuzz.backends: {calls:,} calls, {programs:,} programs (seeds {ns.seed}..{seed - 1}), "
                      f"{calls / (now - start):,.0f} calls/s, {divergences} divergences", flush=True)
            if not more():
                break
            ops = following
    finally:
        js.close()
    took = time.monotonic() - start
    print(cov.table())
    print(f"fuzz.backends: done: {calls:,} calls in {programs:,} programs (seeds {ns.seed}..{seed - 1}), "
          f"{took:.0f} s, {calls / max(took, 1e-9):,.0f} calls/s, {100 * cov.share():.1f} % succeeded, "
          f"{divergences} divergences")
    return 1 if divergences else 0

if __name__ == "__main__":
    sys.exit(main())
