"""`wasi-polyfill compare`: run one program on several hosts and show where they differ.

One file per job:
- `availability.py` — which hosts can run here, and why not;
- `runner.py`       — fresh copies of the dirs, one run per host (subprocesses,
                      or a shared Chromium for browser hosts), progress lines;
- `tree.py`         — snapshots of the dirs a run leaves behind;
- `diff.py`         — aspect-by-aspect verdicts against a reference, unified diffs;
- `matrix.py`       — the compact text matrix;
- `report.py`       — JSON and the self-contained HTML report
                      (`templates/report.html.j2`).

`compare(spec)` ties them together; the CLI and `wasi-polyfill demo` use it.
"""

from __future__ import annotations

from pathlib import Path

from ..hosts import HOSTS, HostError
from .availability import DEFAULT_HOSTS, unavailable
from .diff import ASPECTS, TIMES, Comparison, Divergence, compare_runs
from .runner import CompareSpec, HostFn, HostRun, Progress, SharedBrowser, SubprocessHost, run_hosts

__all__ = [
    "ASPECTS", "TIMES", "Comparison", "CompareSpec", "Divergence", "HostFn", "HostRun", "Progress",
    "SharedBrowser", "SubprocessHost", "compare", "compare_runs", "resolve_hosts", "run_hosts",
]


def resolve_hosts(names: list[str] | None) -> tuple[list[str], list[tuple[str, str]]]:
    """(hosts to run, [(skipped host, why)]).

    No names: every default host. A host that cannot start here (no browser,
    no node, ...) is skipped with its reason, named or not: the matrix gives
    it one line. An unknown host, or one named twice, is a user error.
    """
    if names is None:
        names = list(DEFAULT_HOSTS)
    for name in names:
        if name not in HOSTS:
            raise HostError(f"unknown host {name!r} (hosts: {', '.join(HOSTS)})")
    if len(set(names)) != len(names):
        raise HostError(f"--hosts {','.join(names)}: a host is named twice")
    run, skipped = [], []
    for name in names:
        why = unavailable(name)
        if why is None:
            run.append(name)
        else:
            skipped.append((name, why))
    return run, skipped


def compare(spec: CompareSpec, hosts: list[str] | dict[str, HostFn | None] | None = None, *,
            title: str = "", jobs: int = 2, progress: Progress | None = None,
            workdir: Path | None = None, browser: SharedBrowser | None = None) -> Comparison:
    """Run `spec` on `hosts` and compare the runs.

    `hosts`: None for every available default host; a list of host names
    (those that cannot start here are skipped with the reason); or
    {name: callable or None} to run some hosts through callables of one's own
    (tests use this to plant a divergence). Hosts without a callable must be
    available here; callables are not checked. `browser`: a Chromium to share with
    other calls (see runner.SharedBrowser); by default one per call.
    """
    skipped: list[tuple[str, str]] = []
    if hosts is None or isinstance(hosts, list):
        names, skipped = resolve_hosts(hosts)
        host_fns: dict[str, HostFn | None] = {name: None for name in names}
    else:
        host_fns = dict(hosts)
        for name, why in resolve_hosts([n for n, fn in host_fns.items() if fn is None])[1]:
            raise HostError(f"host {name!r} is not available here: {why}")
    if progress is not None:
        label = ", ".join(host_fns) or "no host"
        if skipped:
            label += f" (skipping {', '.join(name for name, _ in skipped)}: see the matrix)"
        progress.note(f"{title or spec.program}: running on {label}")
    runs = run_hosts(spec, host_fns, jobs=jobs, progress=progress, workdir=workdir, browser=browser)
    return compare_runs(spec, runs, skipped, title)
