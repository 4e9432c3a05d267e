"""What each browser engine offers the browser hosts, measured in the engine.

    python -m harness.browsers.features [ENGINE ...]    # the table for docs/engines.md

A page (probe/features.html, features.js, features_worker.js) served from
127.0.0.1 with the cross-origin isolation headers `wasi-polyfill serve` sends
looks at what the hosts' stdin and storage modes depend on; tests/test_browsers.py
measures every engine and fails when docs/engines.md's table says otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from harness.hosts.chromium import Server

from . import ENGINES, Browser, BrowserError, available, launch

PROBE = Path(__file__).with_name("probe")
# the headers that make a page cross-origin isolated where the engine can be
ISOLATION = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}

# key in window.features -> the table's column
COLUMNS: dict[str, str] = {
    "crossOriginIsolated": "crossOriginIsolated",
    "SharedArrayBuffer": "SharedArrayBuffer",
    "JSPI": "JSPI",
    "wasmExceptions": "wasm exceptions",
    "moduleWorker": "module worker",
    "workerSyncXhr": "worker sync XHR (arraybuffer)",
    "workerAtomicsWait": "worker Atomics.wait",
    "opfs": "OPFS",
    "workerOpfsSyncAccess": "worker OPFS sync access",
}


def measure(browser: Browser) -> dict[str, Any]:
    """`window.features` of the probe page in a new tab of `browser`."""
    with Server({"/probe/": PROBE}, headers=ISOLATION) as server:
        server.add_bytes("/probe/bytes.bin", bytes(range(256)), "application/octet-stream")
        tab = browser.open(server.url("/probe/features.html"))
        try:
            features = tab.evaluate("window.features")
        finally:
            tab.close()
    if not isinstance(features, dict) or set(features) != set(COLUMNS):
        raise BrowserError(f"the probe page answered {features!r}")
    return features


def cell(value: Any) -> str:
    """A measured value as the table writes it: yes, no, or no (why)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return f"no ({value})"


def header() -> list[str]:
    return ["| engine | " + " | ".join(COLUMNS.values()) + " |",
            "| --- " * (len(COLUMNS) + 1) + "|"]


def row(engine: str, features: dict[str, Any]) -> str:
    return f"| {engine} | " + " | ".join(cell(features[key]) for key in COLUMNS) + " |"


def main(argv: list[str]) -> int:
    engines = argv or list(ENGINES)
    lines = header()
    versions = []
    for engine in engines:
        why = available(engine)
        if why:
            print(f"{engine}: not measured: {why}", file=sys.stderr)
            continue
        with launch(engine) as browser:
            lines.append(row(engine, measure(browser)))
            versions.append(f"{engine}: {browser.version}")
    print("\n".join(lines))
    print("\nMeasured on " + "; ".join(versions) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
