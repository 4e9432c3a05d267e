"""A runtime adapter for the official WebAssembly wasi-testsuite runner.

The suite's runner (`test-runner/wasi_test_runner.py -r ADAPTER`) loads this
file as a module and asks it for the command line of each test:
`get_name()`, `get_version()`, `get_wasi_versions()`, `get_wasi_worlds()`,
`get_timeout_seconds()` and `compute_argv(...)`, as the suite's own adapters
(e.g. its `adapters/wasmtime.py`) define them. Run as a script it prints
nothing, which is how the runner tells a module adapter from a legacy one.

Environment:
- `WASI_POLYFILL_HOST`: the host to test (default `node`; any of
  `wasi-polyfill run --host`);
- `WASI_POLYFILL_WRITE_BACK=1`: pass `--write-back`, so an in-memory host's
  final tree lands in the test's directory as a native runtime's would (off by
  default: the fixtures then stay untouched, and nothing is left to clean up);
- `WASI_POLYFILL_PYTHON`: the interpreter that has `wasi_polyfill` installed
  (default: this one if it has it, else the repository's `.venv`).

See README.md, "Running the official wasi-testsuite".
"""

import importlib.util
import os
import re
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[2]
HOST = os.environ.get("WASI_POLYFILL_HOST", "node")
WRITE_BACK = os.environ.get("WASI_POLYFILL_WRITE_BACK", "") not in ("", "0")

# Hosts whose filesystem is in memory: only they have anything to write back.
IN_MEMORY_HOSTS = ("node", "browser", "firefox", "webkit", "refhost", "pyodide-node", "pyodide")
# Hosts that start a browser or Pyodide for every test.
SLOW_HOSTS = ("browser", "firefox", "webkit", "pyodide", "pyodide-node")


def _python() -> str:
    explicit = os.environ.get("WASI_POLYFILL_PYTHON")
    if explicit:
        return explicit
    if importlib.util.find_spec("harness") is not None:
        return sys.executable
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def get_name() -> str:
    return f"wasi-polyfill-{HOST}"


def get_version() -> str:
    init = (ROOT / "harness" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', init, re.M)
    return match.group(1) if match else "0.0.0"


def get_wasi_versions() -> List[str]:
    return ["wasm32-wasip1"]


def get_wasi_worlds() -> List[str]:
    return ["wasi:cli/command"]


def get_timeout_seconds() -> float:
    return 60.0 if HOST in SLOW_HOSTS else 20.0


def compute_argv(test_path: str,
                 args_env_root: Tuple[List[str], Dict[str, str], Optional[str]],
                 proposals: List[str],
                 wasi_world: str,
                 wasi_version: str) -> List[str]:
    del proposals, wasi_world, wasi_version  # preview1 commands only; nothing to choose
    args, env, root = args_env_root
    argv = [_python(), "-m", "harness", "run", "--host", HOST]
    if WRITE_BACK and HOST in IN_MEMORY_HOSTS:
        argv.append("--write-back")
    for name, value in env.items():
        argv += ["--env", f"{name}={value}"]
    if root:
        argv += ["--dir", f"{root}::/"]
    argv += ["--", test_path, *args]
    return argv
