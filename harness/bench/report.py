"""The benchmark's numbers: medians, per-round ratios, targets, markdown.

`summarize(data)` adds to the run data (runner.py):
- `results[workload][host]`: `median_ms`, `median_value` (in the workload's
  unit), `rounds_ok`, and `ratio` — for each peer (`node-wasi`, `shim`,
  `runno`, `polyfill-node` for the browser hosts, `polyfill-chromium` for
  Firefox), the median over rounds of this host's time divided by the peer's
  time in the same round (below 1: faster), with `ratio_range` its min and max;
- `targets`: issue #17's targets (and issue #7's that still apply), each
  with its value, the per-round min and max where it is a ratio, its limit
  and `met` (None when the runs it needs are missing or failed);
- `scaling`: for metadata and throughput, time per unit at 10× the size over
  time per unit at the size (1.0: linear), from the medians.
The markdown has the results table, the targets, scaling, MemFS memory, the
bundle size and where the time went.
"""

from __future__ import annotations

import json
import statistics
from typing import Any

from .workloads import WORKLOADS

PEERS = ("node-wasi", "shim", "runno")
JS_SHIMS = ("shim", "runno")  # the JS peers; startup's target is the fastest of them, round by round
NODE = "polyfill-node"
CHROMIUM = "polyfill-chromium"
FIREFOX = "polyfill-firefox"
BROWSERS = (CHROMIUM, FIREFOX)
BUNDLE_LIMIT = 12 * 1024      # issue #17: "≤ 12 KB min+gz" for the minimal app, KB taken as 1024 B
GROWTH_LIMIT = 1.5            # 10× the work may cost at most 15× the time (1.0 = linear)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _ok_runs(data: dict[str, Any], workload: str, host: str, scale: int = 1) -> dict[int, dict[str, Any]]:
    return {r["round"]: r for r in data["runs"]
            if r["workload"] == workload and r["host"] == host and r["scale"] == scale and r["ok"]}


def _any_run(data: dict[str, Any], workload: str, host: str) -> bool:
    return any(r["workload"] == workload and r["host"] == host for r in data["runs"])


def summarize(data: dict[str, Any]) -> dict[str, Any]:
    results: dict[str, dict[str, Any]] = {}
    for workload in data["workloads"]:
        results[workload] = {}
        for host in data["hosts"]:
            mine = _ok_runs(data, workload, host)
            entry: dict[str, Any] = {
                "median_ms": _median([r["ms"] for r in mine.values()]),
                "median_cold_ms": _median([r["cold_ms"] for r in mine.values() if r.get("cold_ms") is not None]),
                "median_value": _median([r["value"] for r in mine.values()]),
                "unit": WORKLOADS[workload].unit,
                "rounds_ok": len(mine),
                "ratio": {},
                "ratio_range": {},
            }
            peers = [p for p in PEERS if p != host and p in data["hosts"]]
            if host in BROWSERS and NODE in data["hosts"]:
                peers.append(NODE)
            if host == FIREFOX and CHROMIUM in data["hosts"]:
                peers.append(CHROMIUM)
            for peer in peers:
                theirs = _ok_runs(data, workload, peer)
                per_round = [mine[k]["ms"] / theirs[k]["ms"] for k in sorted(mine) if k in theirs]
                entry["ratio"][peer] = _median(per_round)
                entry["ratio_range"][peer] = [min(per_round), max(per_round)] if per_round else None
            if workload == "startup":  # how much of startup is WebAssembly.instantiate itself
                entry["instantiate_ms_per_instance"] = _median(
                    [r["instantiate_ms"] for r in mine.values() if r.get("instantiate_ms") is not None])
            results[workload][host] = entry
    summary = {"results": results}
    summary["scaling"] = _scaling(data)
    summary["targets"] = _targets(data, results, summary["scaling"])
    return summary


def _scaling(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for workload in data["workloads"]:
        scaled = [r for r in data["runs"] if r["workload"] == workload and r["scale"] != 1]
        if not scaled:
            continue
        host, scale = scaled[0]["host"], scaled[0]["scale"]
        base = _ok_runs(data, workload, host)
        big = _ok_runs(data, workload, host, scale)
        unit_base = _median([r["ms"] / r["units"] for r in base.values()])
        unit_big = _median([r["ms"] / r["units"] for r in big.values()])
        rows.append({
            "workload": workload, "host": host, "scale": scale,
            "params": scaled[0]["params"],
            "ms_per_unit": unit_base, "ms_per_unit_scaled": unit_big,
            "median_ms_scaled": _median([r["ms"] for r in big.values()]),
            "growth": unit_big / unit_base if unit_base and unit_big else None,
        })
    return rows


def _target(what: str, value: float | None, op: str, limit: float, unit: str = "",
            spread: list[float] | None = None) -> dict[str, Any]:
    met = None if value is None else (value <= limit if op == "≤" else value >= limit)
    return {"what": what, "value": value, "op": op, "limit": limit, "unit": unit, "met": met,
            "min": spread[0] if spread else None, "max": spread[-1] if spread else None}


def _per_round_ratios(data: dict[str, Any], workload: str, host: str, peers: tuple[str, ...],
                      invert: bool = False) -> list[float]:
    """This host's time over the fastest of `peers` in the same round (`invert`: theirs over mine)."""
    mine = _ok_runs(data, workload, host)
    theirs = [_ok_runs(data, workload, p) for p in peers if p in data["hosts"]]
    out = []
    for k in sorted(mine):
        times = [t[k]["ms"] for t in theirs if k in t]
        if times:
            out.append(min(times) / mine[k]["ms"] if invert else mine[k]["ms"] / min(times))
    return sorted(out)


def _ratio_target(data: dict[str, Any], what: str, workload: str, host: str, peers: tuple[str, ...],
                  op: str, limit: float, invert: bool = False) -> dict[str, Any]:
    rounds = _per_round_ratios(data, workload, host, peers, invert) if workload in data["workloads"] else []
    return _target(what, _median(rounds), op, limit, "×", rounds or None)


def _targets(data: dict[str, Any], results: dict[str, Any], scaling: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    hosts = data["hosts"]
    if "syscall" in results and NODE in hosts:
        rounds = sorted(r["value"] for r in _ok_runs(data, "syscall", NODE).values())
        out.append(_target("syscall: polyfill-node time per call", _median(rounds), "≤", 0.25, "µs", rounds or None))
    if "startup" in results and NODE in hosts and any(p in hosts for p in JS_SHIMS):
        out.append(_ratio_target(data, "startup: polyfill-node per instance over the fastest JS shim's "
                                 "(shim, runno)", "startup", NODE, JS_SHIMS, "≤", 1.0))
    if "stdout-libc" in results and {NODE, "node-wasi"} <= set(hosts):
        out.append(_ratio_target(data, "stdout-libc: polyfill-node time over node-wasi's", "stdout-libc", NODE,
                                 ("node-wasi",), "≤", 1.0))
    if "throughput" in results and {NODE, "node-wasi"} <= set(hosts):
        out.append(_ratio_target(data, "throughput: polyfill-node speed over node-wasi's", "throughput", NODE,
                                 ("node-wasi",), "≥", 1.0, invert=True))
    if "metadata" in results and {NODE, "shim"} <= set(hosts):
        out.append(_ratio_target(data, "metadata: polyfill-node time over shim's", "metadata", NODE, ("shim",),
                                 "≤", 0.5))
    bundle = data.get("bundle") or {}
    out.append(_target("bundle: minimal app (WASI, default MemFS), min+gz", bundle.get("gz_bytes"), "≤",
                       BUNDLE_LIMIT, "B"))
    if FIREFOX in hosts and CHROMIUM in hosts:
        for workload in results:
            out.append(_ratio_target(data, f"{workload}: polyfill-firefox time over polyfill-chromium's", workload,
                                     FIREFOX, (CHROMIUM,), "≤", 1.5))
    xcheck = data.get("xcheck")
    if xcheck:
        if not xcheck["by_idle_s"]:  # failed before any round: still a row, FAILED
            out.append(_target("web demo cross-check, first visit (fresh browser): click to verdict",
                               None, "≤", xcheck["limit_ms"], "ms"))
        for idle, row in xcheck["by_idle_s"].items():
            when = "at once when the page is ready" if float(idle) == 0 else f"{idle} s after the page is ready"
            out.append(_target(f"web demo cross-check, first visit (fresh browser), clicked {when}: click to verdict",
                               row["median_ms"] if xcheck["ok"] else None, "≤", xcheck["limit_ms"], "ms",
                               row["times_ms"] or None))
    # issue #7's, still kept
    for browser in BROWSERS:
        if browser in hosts and NODE in hosts:
            for workload in results:
                out.append(_ratio_target(data, f"{workload}: {browser} time over polyfill-node's (issue #7)",
                                         workload, browser, (NODE,), "≤", 1.5))
    for row in scaling:
        out.append(_target(f"{row['workload']} at {row['scale']}×: growth of time per unit (1 = linear; issue #7)",
                           row["growth"], "≤", GROWTH_LIMIT, "×"))
    return out


# --- output -------------------------------------------------------------------

def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _num(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "—"
    if value == 0 or abs(value) >= 10 ** digits:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def _ratio(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}×" if value >= 0.1 else f"{value:.2g}×"


def markdown(data: dict[str, Any]) -> str:
    lines = [f"# wasi-polyfill benchmark ({data['size']} size, {data['rounds']} round"
             f"{'s' if data['rounds'] != 1 else ''}, medians)", ""]
    m = data.get("machine") or {}
    la = data.get("load_average") or {}
    if la.get("start"):
        lines += [f"Load average (1, 5, 15 min) at the start {', '.join(map(str, la['start']))}, at the end "
                  f"{', '.join(map(str, la.get('end') or []))}.", ""]
    lines += [f"Node {m.get('node')}, {m.get('cpus')} CPUs, {m.get('platform')}. Ratios are time over the "
              "peer's time in the same round (below 1: faster), median over rounds.", ""]
    warmup = data.get("warmup", 0)
    if warmup:
        lines += [f"Each job's process (page, in Chromium) first runs the same work {warmup} time"
                  f"{'s' if warmup != 1 else ''} on fresh hosts, untimed: \"median ms\" and the ratios are "
                  "the run after that; \"cold ms\" is the process's first run (V8 still compiling and "
                  "tiering up the guest's and the host's code).", ""]
    if data.get("profile_dir"):
        lines += [f"**Profiled** (V8 CPU profiles in `{data['profile_dir']}`): the Node timings are perturbed.", ""]
    peers = [p for p in PEERS if p in data["hosts"]] + [p for p in (NODE, CHROMIUM) if p in data["hosts"]]
    lines += ["| workload | host | median ms | per unit | " + " | ".join(f"×{p}" for p in peers)
              + " | cold ms | rounds ok |",
              "|---|---|---:|---:|" + "---:|" * len(peers) + "---:|---:|"]
    for workload in data["workloads"]:
        for host in data["hosts"]:
            e = data["results"][workload][host]
            cells = [_ratio(e["ratio"].get(p)) for p in peers]
            lines.append(f"| {workload} | {host} | {_num(e['median_ms'], 4)} | {_num(e['median_value'])} {e['unit']} | "
                         + " | ".join(cells) + f" | {_num(e.get('median_cold_ms'), 4)} | "
                         f"{e['rounds_ok']}/{data['rounds']} |")
    if "startup" in data["workloads"]:
        parts = [f"{host} {_num(data['results']['startup'][host].get('instantiate_ms_per_instance'))} ms"
                 for host in data["hosts"]]
        lines += ["", "Startup is the median of its timed instances (after its untimed ones, in the same process); "
                  "of that instance's time, `new WebAssembly.Instance` alone: " + ", ".join(parts) + "."]
    lines += ["", "## Side by side (issue #17's table: medians)", "",
              "| workload | " + " | ".join(data["hosts"]) + " |", "|---|" + "---:|" * len(data["hosts"])]
    for workload in data["workloads"]:
        unit = WORKLOADS[workload].unit
        cells = []
        for host in data["hosts"]:
            e = data["results"][workload][host]
            if e["median_ms"] is None:
                cells.append("fails" if e["rounds_ok"] == 0 and _any_run(data, workload, host) else "—")
            elif workload == "startup":
                cells.append(f"{_num(e['median_ms'])} ms")
            else:
                cells.append(f"{_num(e['median_ms'], 4)} ms ({_num(e['median_value'])} {unit})")
        lines.append(f"| {workload} | " + " | ".join(cells) + " |")
    b = data.get("bundle") or {}
    if b.get("gz_bytes") is not None:
        lines.append(f"| bundle, min+gz | {b['gz_bytes']:,} B (minimal app) | " + " | ".join(
            "" for _ in data["hosts"][1:]) + " |")
    lines += ["", "## Targets (issue #17; ratios: median over rounds, [min–max])", "",
              "| target | value | limit | |", "|---|---:|---:|---|"]
    for t in data["targets"]:
        mark = {True: "met", False: "**missed**", None: "no data"}[t["met"]]
        spread = f" [{_num(t['min'])}–{_num(t['max'])}]" if t.get("min") is not None else ""
        lines.append(f"| {t['what']} | {_num(t['value'])} {t['unit']}{spread} | {t['op']} {_num(t['limit'], 5)} "
                     f"{t['unit']} | {mark} |")
    met = sum(1 for t in data["targets"] if t["met"])
    lines += ["", f"{met} of {len(data['targets'])} targets met."]
    if data["scaling"]:
        lines += ["", "## Scaling (polyfill-node)", "",
                  "| workload | at 10× | median ms at 10× | ms per unit | ms per unit at 10× | growth |",
                  "|---|---|---:|---:|---:|---:|"]
        for s in data["scaling"]:
            sizes = ", ".join(f"{k}={v}" for k, v in s["params"].items())
            lines.append(f"| {s['workload']} | {sizes} | {_num(s['median_ms_scaled'], 4)} | {_num(s['ms_per_unit'])} | "
                         f"{_num(s['ms_per_unit_scaled'])} | {_ratio(s['growth'])} |")
    mem = data.get("memory")
    if mem:
        lines += ["", "## MemFS memory (polyfill-node, V8 heap + array buffers after GC)", ""]
        if mem.get("ok"):
            lines += [f"- per empty file: {mem['bytes_per_file']:.0f} B ({mem['files']} files in directories of 100)",
                      f"- per byte of file data: {mem['bytes_per_byte']:.3f} B (one file of {mem['bytes'] >> 20} MiB "
                      "grown by 64 KiB appends)"]
        else:
            lines.append(f"- failed: {mem.get('error')}")
    url = data.get("urldir")
    if url:
        lines += ["", f"## UrlDirectory (polyfill-node): {url['read']} of {url['files']:,} files over HTTP from 127.0.0.1", ""]
        if url["ok"]:
            lines += [f"- time to first byte: {_num(url['first_byte_ms'])} ms (mount {_num(url['mount_ms'])} ms: the index, "
                      f"{url['index_bytes']:,} B), all {url['read']} files read in {_num(url['total_ms'])} ms "
                      f"(medians of {url['rounds']} runs, each a fresh process and mount)",
                      f"- fetched: {url['requests']} requests, {url['bytes']:,} B (the index and {url['read']} files of "
                      f"{url['file_bytes']:,} B) of a tree of {url['tree_bytes']:,} B"]
        else:
            lines.append(f"- failed: {'; '.join(url['problems'])}")
    xcheck = data.get("xcheck")
    if xcheck:
        lines += ["", "## The web demo's cross-check, first visits (a fresh Chromium each)", ""]
        for r in xcheck["runs"]:
            lines.append(f"- round {r['round']}{'' if r.get('snapshot', True) else ', without the snapshot (as before)'}, "
                         f"clicked {r['idle_s']:g} s after ready ({_num(r['ready_ms'])} ms after "
                         f"navigation): {_num(r['click_to_verdict_ms'])} ms to the verdict; shown meanwhile: "
                         f"{' → '.join(r['progress']) or 'nothing'}; the page's line: {r['summary']}")
        if not xcheck["ok"]:
            lines.append(f"- failed: {'; '.join(xcheck['problems'][:3])}")
    b = data.get("bundle") or {}
    if b.get("gz_bytes") is not None:
        mods = ", ".join(f"{m} {n:,}" for m, n in (b.get("modules") or {}).items())
        lines += ["", f"Bundle: `{b['entry']}` (esbuild, minified, metafile) {b['min_bytes']:,} B minified, "
                  f"{b['gz_bytes']:,} B min+gz; minified bytes by module: {mods}."]
    d = data.get("dist_bundle") or {}
    if d:
        lines += ["", f"The standalone bundle `{d['file']}` (every export): {d['min_bytes']:,} B minified, "
                  f"{d['gz_bytes']:,} B min+gz."]
    unsupported = {(r["workload"], r["host"]): r["unsupported"] for r in data["runs"] if r.get("unsupported")}
    if unsupported:
        lines += ["", "Not run (the host cannot do it): " + "; ".join(
            f"{w} on {h}: {why}" for (w, h), why in unsupported.items()) + "."]
    failed = [r for r in data["runs"] if not r["ok"] and not r.get("unsupported")]
    if failed:
        lines += ["", "## Failed runs", ""]
        for r in failed:
            scale = "" if r["scale"] == 1 else f", {r['scale']}× size"
            lines.append(f"- {r['workload']} on {r['host']}, round {r['round']}{scale}: {'; '.join(r['problems'])}")
    lines += ["", "## Time spent (s, all rounds, wall clock including process start)", "",
              "| workload | " + " | ".join(data["hosts"]) + " |", "|---|" + "---:|" * len(data["hosts"])]
    spent = data["elapsed_s"]
    for workload in data["workloads"]:
        cells = [f"{spent.get(f'{workload} on {host}', 0):.0f}" for host in data["hosts"]]
        lines.append(f"| {workload} | " + " | ".join(cells) + " |")
    rest = [f"{k} {v:.0f} s" for k, v in spent.items()
            if not any(k == f"{w} on {h}" for w in data["workloads"] for h in data["hosts"])]
    lines += ["", "Also: " + ", ".join(rest) + ".", ""]
    return "\n".join(lines)
