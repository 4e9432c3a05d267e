"""Where a syscall-workload call's time goes, per engine (issue #17: Firefox's
syscall row is ~3× Chromium's). Not part of `make bench`'s rounds: run it
alone, it prints a table (ns per call, medians of 7 alternating rounds of
1M calls in one page per engine):

    .venv/bin/python -m harness.bench.syscall_iso [--calls N]

The rows are in syscall_iso/page.js; the module in syscall_iso/calls.wat.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from ..paths import POLYFILL, ROOT

HERE = Path(__file__).with_name("syscall_iso")
ROWS = [
    ("fd_pwrite, from the guest (the polyfill's import as shipped, MemFS file)", "pwrite"),
    ("fd_pread, from the guest (as shipped)", "pread"),
    ("fd_pwrite, from the guest, the i64 trampoline forced off", "pwrite_off"),
    ("fd_pread, the trampoline forced off", "pread_off"),
    ("fd_pwrite, from the guest, the i64 trampoline forced on", "pwrite_on"),
    ("fd_pread, the trampoline forced on", "pread_on"),
    ("fd_pwrite's import function called from JS (no wasm→JS call)", "js_pwrite"),
    ("fd_pread's import function called from JS", "js_pread"),
    ("the glue's u64 → Number conversion alone (BigUint64Array store, two loads)", "u64"),
    ("empty import, fd_pwrite's signature (i64 offset), from the guest", "noop"),
    ("empty import, the same with an i32 for the offset", "noop32"),
    ("the i64 signature in a wasm function that calls an empty JS import with the offset as two i32s", "split"),
]


def run(engine: str, calls: int) -> dict:
    from .. import browsers
    from ..hosts.chromium import Server

    why = browsers.available(engine)
    if why is not None:
        return {"engine": engine, "error": why}
    with Server({"/polyfill/": POLYFILL, "/iso/": HERE}) as server, browsers.launch(engine) as b:
        tab = b.open(server.url(f"/iso/page.html?calls={calls}"))
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            result = tab.evaluate("window.benchResult ?? null")
            if result is not None:
                return {"engine": f"{engine} {getattr(b, 'version', '')}".strip(), **result}
            time.sleep(0.5)
    return {"engine": engine, "error": "no result within 600 s"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=1_000_000)
    ap.add_argument("--engines", default="chromium,firefox")
    o = ap.parse_args()
    subprocess.run([sys.executable, "-m", "harness.toolchain", "--copy-to", str(HERE), str(HERE / "calls.wat")],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    results = [run(e, o.calls) for e in o.engines.split(",")]
    print("| ns per call | " + " | ".join(r["engine"] for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    for label, key in ROWS:
        print(f"| {label} | " + " | ".join(r.get("error", "—") if r.get(key) is None else f"{r[key]:.0f}"
                                          for r in results) + " |")
    print(json.dumps(results), file=sys.stderr)
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
