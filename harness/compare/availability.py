"""Which hosts can run here: their module imports and their prerequisites exist.

A host module may define `available() -> str | None` (None: available, else
the reason it is not); otherwise the table below is checked. Either way the
module must import: a host being written, or one whose Python dependencies are
missing, is skipped with the import error as the reason.
"""

from __future__ import annotations

from harness.paths import ROOT

import importlib
import shutil
from pathlib import Path

from ..hosts import HOSTS

CHROMIUM = Path("/usr/bin/chromium")

# The hosts `compare` runs when none are named, reference first. pyodide-node
# is left out unless asked for: it checks the same Python code as `pyodide`;
# firefox and webkit too: each starts a browser per run, which doubles the
# time of a compare (docs/engines.md, "`compare`: the engines side by side").
DEFAULT_HOSTS: tuple[str, ...] = ("wasmtime", "node-wasi", "node", "browser", "refhost", "pyodide")


def _node() -> str | None:
    return None if shutil.which("node") else "no `node` on PATH"


def _file(path: Path, what: str) -> str | None:
    return None if path.exists() else f"{what} missing ({path.relative_to(ROOT) if path.is_relative_to(ROOT) else path})"


def _chromium() -> str | None:
    return None if CHROMIUM.exists() else f"no {CHROMIUM} (apt-get install chromium)"


def _pyodide() -> str | None:
    return _file(ROOT / "node_modules" / "pyodide" / "pyodide.mjs", "node_modules/pyodide (npm ci)")


# host -> checks of what it needs beyond its module
PREREQUISITES = {
    "node": (_node, lambda: _file(ROOT / "polyfill" / "src" / "node" / "cli.js", "the node CLI")),
    "node-wasi": (_node,),
    "wasmtime": (),
    "refhost": (),
    "pyodide-node": (_node, _pyodide),
    "pyodide": (_chromium, _pyodide),
    "browser": (_chromium,),
}


def unavailable(name: str) -> str | None:
    """None if host `name` can run here, else why not (one line)."""
    if name not in HOSTS:
        return f"unknown host (hosts: {', '.join(HOSTS)})"
    module_name = HOSTS[name].split(":")[0]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name == module_name:
            return f"not written yet ({module_name.replace('.', '/')}.py)"
        return f"cannot import {module_name}: {e}"
    except Exception as e:  # a host module may raise HostError when its deps are missing
        return f"cannot import {module_name}: {e}"
    check = getattr(module, "available", None)
    if callable(check):
        return check()
    for prerequisite in PREREQUISITES.get(name, ()):
        reason = prerequisite()
        if reason is not None:
            return reason
    return None
