"""The differential fuzzer across backends, in the browser: the JS runtime
on MemFS against the same runtime with its tree on HandleDirectory over the
origin-private file system (issue #15), in Chromium, in a dedicated Worker.

    python -m fuzz.opfs [--calls N] [--seed S] [--max-calls K]   (with tests/ on sys.path)

The programs are `make fuzz`'s (strategies.generate, same seeds, drawn here
against the reference host's state). Each runs in the worker
(tests/fuzz/opfs_worker.js) on both backends in lockstep — ten at a time
sharing their stores, each in its own dirs (--group; opening a store is most
of a short program's cost), a finding replayed alone with --group 1 — laid out alike
(a backend mounted at /s, the dirs at /s/0 and /s/1), so that everything
compares exactly, inode numbers and times included: after every call its
result (errno, trap, exit) and the whole guest memory; at the end stdout
and stderr, the final trees (names, kinds, bytes, symlink targets, link
counts, inode numbers, sizes, times, readdir order), and the tree a third
HandleDirectory reads back from what the run saved. One known difference is
counted, not reported (opfs_worker.js `known`: fd_sync on a file kept in
memory past the spare data files is ENOSPC, spec/RATIONALE.md
"HandleDirectory"). A batch not answered in --hang seconds is reported
with its seeds and the run goes on in a new page; a batch whose renderer
crashed is reported with its seeds and run again in a new page
("re-run after renderer crash"); a batch in which a call of the handle API
timed out (20 s, under CPU pressure) is reported with its seeds and re-run at
the end, counted from that run; --page-calls N starts a fresh page every
~N calls. Both sides have a 16 MiB file-size limit (setup). Exit status 1
on any divergence, hang or renderer crash.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path

from .backends import MAX_FILE_SIZE
from .coverage import Coverage
from .harness import _tree_diff, calls_of, format_call, format_program
from .strategies import LIMITS, RandomDraw, base_setup, generate

HERE = Path(__file__).resolve().parent
#: Programs run in a group sharing their stores (opfs_worker.js runGroup: 3 stores opened a
#: group, not 3 a program); 1 runs each alone, which any finding replays with.
GROUP = 10
#: A worker error of a HandleDirectory call not answered in its timeout (handledir.js hostAsync).
TIMED_OUT = "the browser's file system did not answer"
ROOT = HERE.parents[1]


def spares_for(seed: int) -> int:
    """Spare data files of the program's stores: few one time in four (new
    files then take the store's in-memory path), else enough for most."""
    return 2 if seed % 4 == 0 else 6


def setup() -> dict:
    """The descriptor limit of `make fuzz`, and the backends fuzzer's 16 MiB
    file-size limit, given to both stores (EFBIG past it on both sides): at
    MemFS's 2^31 - 1 a program cut a file to 2 GiB, which Chromium's sync
    access handle does not do past ~1.5 GiB (HandleDirectory then says
    ENOSPC: tests/js/handledir.test.mjs, tests/test_handledir.py), so every
    such program was a difference of the browser's capacity, not of
    behaviour."""
    return base_setup({"maxFds": LIMITS["maxFds"], "maxFileSize": MAX_FILE_SIZE})


def request(seed: int, ops: list, st: dict) -> dict:
    from .harness import _js_op

    return {"seed": seed, "setup": st, "calls": [_js_op(op) for op in ops], "spares": spares_for(seed)}


def compare(ops: list, reply: dict) -> list[str]:
    """The differences between the MemFS side and the OPFS side ([] if none)."""
    if "error" in reply:
        return [f"worker error: {reply['error']}"]
    calls = calls_of(ops)
    diffs = []
    d = reply["diverged"]
    if d is not None:
        line = f"call {d['call']} {format_call(calls[d['call']])}: memfs={d['memfs']} opfs={d['opfs']}"
        return [line] + (d["memory"] or [])
    for r in reply["results"]:
        if isinstance(r, str) and r.startswith("crash"):
            diffs.append(f"crash: {r}")
    mem, opfs = reply["memfs"], reply["opfs"]
    for k in ("stdout", "stderr"):
        if mem[k] != opfs[k]:
            diffs.append(f"{k}: memfs={mem[k][:200]} opfs={opfs[k][:200]}")
    for what, left, right, lefts, rights in (("", mem["tree"], opfs["tree"], "memfs", "opfs"),
                                             ("saved ", opfs["tree"], reply["saved"], "live", "saved")):
        for i, (a, b) in enumerate(zip(left, right)):
            found: list[str] = []
            _tree_diff(a, b, f"{what}preopen{i}", found)  # its sides are named py= and js=
            diffs += [x.replace(" py=", f" {lefts}=").replace(" js=", f" {rights}=") for x in found]
    return diffs


class OpfsDriver:
    """A Chromium page (harness.hosts.chromium) whose worker runs batches of programs."""

    def __init__(self, browser=None, workers: int = 1, group: int = GROUP) -> None:
        from harness.hosts.chromium import Server

        self.group, self.workers = group, workers
        self.page = None
        self._stack = contextlib.ExitStack()
        try:
            if browser is None:
                from harness.hosts.chromium import browser as launch

                browser = self._stack.enter_context(launch())
            self.browser = browser
            self.server = self._stack.enter_context(Server({"/polyfill/": ROOT / "polyfill", "/fuzz/": HERE}))
            self._stack.callback(lambda: self.page is not None and self.page.close())
            self.restart()
        except BaseException:
            self._stack.close()
            raise

    def restart(self) -> None:
        """A new page and workers (after a hang or a crash, or every --page-calls calls: the old page goes,
        and its workers with it)."""
        if self.page is not None:
            with contextlib.suppress(Exception):  # (a crashed page may not close cleanly)
                self.page.close()
        self.page = self.browser.new_page()
        self.page.goto(self.server.url(f"/fuzz/opfs.html?workers={self.workers}"))
        self.page.wait_for_function("window.fuzzReady === true")

    def start(self, batch: list[dict]) -> None:
        # as JSON text: Playwright walks an object argument or result value by value, which took
        # as long as the worker's run
        self.page.evaluate("([b, g]) => fuzzStart(JSON.parse(b), g)", [json.dumps(batch), self.group])

    def take(self, timeout_s: float = 300) -> list[dict]:
        """The batch's replies; TimeoutError if the worker has not answered in `timeout_s`."""
        replies = self.page.evaluate("(ms) => fuzzTake(ms).then((r) => JSON.stringify(r))", timeout_s * 1000)
        if replies == '"timeout"':
            raise TimeoutError(f"the worker did not answer within {timeout_s:.0f} s")
        return json.loads(replies)

    def run(self, batch: list[dict]) -> list[dict]:
        self.start(batch)
        return self.take()

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> "OpfsDriver":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def draw(seed: int, max_calls: int) -> tuple[list, dict]:
    st = setup()
    ops, _ = generate(RandomDraw(seed), st, 1, max_calls)
    return ops, request(seed, ops, st)


def fuzz(driver: OpfsDriver, first_seed: int, calls_wanted: int, max_calls: int = 40, batch_size: int = 50,
         programs_wanted: int | None = None, report=print, max_reports: int = 5, hang_s: float = 300,
         page_calls: int | None = None) -> dict:
    """Run programs from `first_seed` until `calls_wanted` calls (or
    `programs_wanted` programs); the next batch is drawn while the worker
    runs the current one. A batch not answered in `hang_s` is a hang: its
    seeds are reported (in `hangs`, apart from the divergences) and the run
    goes on in a new page. With `page_calls`, a new page after every batch
    that brings the page's calls to it. A batch whose renderer crashed is reported (in
    `crashes`, with its seeds) and run again in a new page (its results
    counted from that run). A batch in which a call of the handle API was
    not answered in HandleDirectory's 20 s (EIO: seen a few times a million
    calls on the shared 2-core machine under CPU pressure; a group's store
    then fails to open) is reported (in `timeouts`, with its seeds) and run
    again at the end, its programs counted from that run only. Returns
    counts, the coverage, the divergences, the hangs, the crashes and the
    timeouts."""
    cov = Coverage()
    calls = programs = known = on_page = 0
    divergences: list[str] = []
    hangs: list[str] = []
    crashes: list[str] = []
    timeouts: list[str] = []
    later: list[list[tuple[int, list, dict]]] = []
    seed = first_seed
    start = last = time.monotonic()

    def next_batch() -> list[tuple[int, list, dict]]:
        nonlocal seed
        out = []
        for _ in range(batch_size):
            ops, req = draw(seed, max_calls)
            out.append((seed, ops, req))
            seed += 1
        return out

    def count(batch: list[tuple[int, list, dict]], replies: list[dict]) -> None:
        nonlocal calls, programs, known
        for (s, ops, _), reply in zip(batch, replies):
            diffs = compare(ops, reply)
            results = reply.get("results", [])
            calls += len(results)
            programs += 1
            known += reply.get("known", 0)
            cov.add(ops, results)
            if diffs:
                text = (f"divergence (program seed {s}, in a group of {driver.group} sharing a store: replay it alone "
                        f"with --seed {s} --programs 1 --group 1):\n{format_program(ops)}\n" + "\n".join(diffs))
                divergences.append(text)
                if len(divergences) <= max_reports:
                    report(text)

    current = next_batch()
    driver.start([req for _, _, req in current])
    while True:
        owed = [x for b in later for x in b]  # (to be run at the end: counted as if run)
        done = calls + sum(len(calls_of(ops)) for _, ops, _ in current + owed) >= calls_wanted or \
            (programs_wanted is not None and programs + len(current + owed) >= programs_wanted)
        upcoming = None if done else next_batch()
        try:
            replies = driver.take(hang_s)
        except TimeoutError as e:  # a hang: reported with the batch's seeds, and the run goes on in a new page
            hangs.append(f"hang: {e} (a batch of programs, seeds {current[0][0]}..{current[-1][0]})")
            report(hangs[-1])
            driver.restart()
            replies = None
        except Exception as e:  # Playwright's Error: the renderer crashed; the batch is run again in a new page
            if "crash" not in str(e).lower():
                raise
            crashes.append(f"renderer crash: {str(e).strip()} (a batch of programs, seeds {current[0][0]}.."
                           f"{current[-1][0]}): re-run after renderer crash in a new page")
            report(crashes[-1])
            driver.restart()
            replies = driver.run([req for _, _, req in current])  # a second crash ends the run
        on_page += sum(len(calls_of(ops)) for _, ops, _ in current)
        if page_calls is not None and on_page >= page_calls and upcoming is not None and replies is not None:
            driver.restart()  # a fresh page (and workers) every `page_calls` calls
            on_page = 0
        if upcoming is not None:
            driver.start([req for _, _, req in upcoming])
        if replies is None:
            current = upcoming
            if current is None:
                break
            continue
        timed_out = next((r["error"] for r in replies if TIMED_OUT in r.get("error", "")), None)
        if timed_out is not None:  # counted from the re-run at the end, not from this one
            timeouts.append(f"handle-API timeout: {timed_out.splitlines()[0]} (a batch of programs, seeds "
                            f"{current[0][0]}..{current[-1][0]}): re-run at the end of the run")
            report(timeouts[-1])
            later.append(current)
        else:
            count(current, replies)
        now = time.monotonic()
        if now - last >= 5:
            last = now
            report(f"fuzz.opfs: {calls:,} calls, {programs:,} programs (seeds {first_seed}..{seed - 1}), "
                   f"{calls / (now - start):,.0f} calls/s, {len(divergences)} divergences, {len(hangs)} hangs, "
                   f"{len(crashes)} renderer crashes, {len(timeouts)} handle-API timeouts")
        if upcoming is None:
            break
        current = upcoming
    for batch in later:  # batches with a handle-API timeout, run again now, counted from this run
        replies = driver.run([req for _, _, req in batch])
        before = len(divergences)
        count(batch, replies)
        report(f"re-run after a handle-API timeout: seeds {batch[0][0]}..{batch[-1][0]}, "
               f"{len(divergences) - before} divergences")
    return {"calls": calls, "programs": programs, "seeds": (first_seed, seed - 1), "known": known,
            "divergences": divergences, "hangs": hangs, "crashes": crashes, "timeouts": timeouts, "coverage": cov, "seconds": time.monotonic() - start}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="fuzz.opfs", description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=100_000, help="stop after this many calls")
    ap.add_argument("--programs", type=int, default=None, help="stop after this many programs")
    ap.add_argument("--seed", type=int, default=0, help="seed of the first program")
    ap.add_argument("--max-calls", type=int, default=40, help="calls per program at most")
    ap.add_argument("--batch", type=int, default=50, help="programs sent to the worker at once")
    ap.add_argument("--group", type=int, default=GROUP, help="programs sharing their stores (1: each alone)")
    ap.add_argument("--workers", type=int, default=1, help="workers the batch is split among")
    ap.add_argument("--page-calls", type=int, default=None,
                    help="a fresh page (and workers) after about this many calls (default: one page for the run)")
    ap.add_argument("--hang", type=float, default=300, help="seconds a batch may take before it counts as a hang")
    ap.add_argument("--max-reports", type=int, default=5, help="divergences printed in full")
    ns = ap.parse_args(argv)
    with OpfsDriver(workers=ns.workers, group=ns.group) as driver:
        r = fuzz(driver, ns.seed, ns.calls, ns.max_calls, ns.batch, ns.programs, max_reports=ns.max_reports,
                 report=lambda line: print(line, flush=True), hang_s=ns.hang, page_calls=ns.page_calls)
    cov = r["coverage"]
    print(cov.table())
    print(f"fuzz.opfs: done: {r['calls']:,} calls in {r['programs']:,} programs (seeds {r['seeds'][0]}..{r['seeds'][1]}), "
          f"{r['seconds']:.0f} s, {r['calls'] / max(r['seconds'], 1e-9):,.0f} calls/s, {100 * cov.share():.1f} % succeeded, "
          f"{r['known']} known (fd_sync in memory), {len(r['divergences'])} divergences, {len(r['hangs'])} hangs, "
          f"{len(r['crashes'])} renderer crashes (their batches re-run), {len(r['timeouts'])} handle-API timeouts "
          f"(their batches re-run at the end)")
    return 1 if r["divergences"] or r["hangs"] or r["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
