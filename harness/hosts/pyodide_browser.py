"""`--host pyodide`: the reference host under Pyodide, in headless Chromium.

It runs on the browser hosts' page (hosts/browser.py): the job goes to
pages/pyodide-worker.js, which loads Pyodide (node_modules/pyodide) and the
reference host's bundle (hosts/pyodide_bundle.py) once per page — from a
memory snapshot made on first use and cached under build/pyodide/ — and runs
it through `refhost.engines.pyodide.run_job`, as `--host pyodide-node` does
in Node. Stdin is read when the guest reads it, output streams as it is
written; exit statuses and error lines are the native refhost host's.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import RunSpec
from .browser import BrowserSession as _Session, shared_browser, sink, stdin_reader
from .pyodide_bundle import BUILD, bundle, pyodide_version
from .pyodide_node import finish, pyodide_job


class BrowserSession(_Session):
    """The browser hosts' page, running the reference host: `run(spec)` is `--host pyodide`."""

    standby = False

    def run(self, spec: RunSpec, timeout: float | None = None, kind: str = "pyodide") -> int:
        return super().run(spec, timeout, kind)


def snapshot_path(bundle_path: Path) -> Path:
    """Where Chromium's Pyodide snapshot for this bundle is kept."""
    return BUILD / f"browser-snapshot-{pyodide_version()}-{bundle_path.stem.split('-')[-1]}.bin"


def ensure_snapshot() -> Path | None:
    """Chromium's Pyodide snapshot for the current bundle (the web demo's
    cross-check starts from it too: harness/web_demo.py), made on the browser
    daemon's Chromium if missing; None if it cannot be made here."""
    bundle_path = bundle()
    path = snapshot_path(bundle_path)
    if path.exists():
        return path
    with BrowserSession(browser=shared_browser()) as session:
        return _snapshot(session, bundle_path)


def _snapshot(session: _Session, bundle_path: Path) -> Path | None:
    """Chromium's Pyodide snapshot for this bundle, made (in a worker of its
    own) if missing; None if it cannot be made here."""
    path = snapshot_path(bundle_path)
    failed = path.with_suffix(".failed")
    if path.exists():
        return path
    if failed.exists():
        return None
    session.server.accept_upload("/upload/snapshot", path)
    result = session.submit({"kind": "pyodide-snapshot",
                             "pyodide": {"bundle": f"/bundle/{bundle_path.name}", "upload": "/upload/snapshot"}},
                            os.devnull, lambda n: b"", {}, timeout=600)
    if "internal" in result or not path.exists():
        failed.write_text(json.dumps(result))
        return None
    return path


def run_in(session: _Session, spec: RunSpec, timeout: float | None = None) -> int:
    data, hosts = pyodide_job(spec)
    bundle_path = bundle()
    if getattr(session, "_pyodide_snapshot", None) is None:
        session._pyodide_snapshot = _snapshot(session, bundle_path) or False
    snap = session._pyodide_snapshot
    page_job = {"kind": "pyodide", "refhost_job": json.dumps(data),
                "pyodide": {"bundle": f"/bundle/{bundle_path.name}",
                            "snapshot": f"/bundle/{snap.name}" if snap else None}}
    result = session.submit(page_job, spec.program, stdin_reader(spec),
                            {1: sink(spec.stdout, 1), 2: sink(spec.stderr, 2)}, timeout)
    if "internal" in result:
        sink(spec.stderr, 2)(f"wasi-polyfill: error: internal error: {result['internal']}\n".encode())
        return 70
    if not session.startup_ms:
        session.startup_ms = float(result.get("startup_ms", 0.0))
    return finish(spec, hosts, result["refhost"])


def run(spec: RunSpec, session: BrowserSession | None = None, browser: Any = None,
        timeout: float | None = None) -> int:
    """`--host pyodide`: on `session` if given, else on a session of its own
    (on `browser` if given, else on a Chromium of its own)."""
    if session is not None:
        return run_in(session, spec, timeout)
    pyodide_job(spec)  # a missing program or a bad --dir is reported before a browser starts
    with BrowserSession(browser=browser or shared_browser()) as own:
        return run_in(own, spec, timeout)
