// tests/bench/async_bench.py's page: benchAsync in Chromium, on the browser bundle.
import { MemFS, WASI } from "/polyfill/dist/browser/index.js";
import { benchAsync } from "./async_bench.mjs";

const params = new URLSearchParams(location.search);
const bytes = await (await fetch("./async_calls.wasm")).arrayBuffer();
try {
  const result = await benchAsync(WASI, bytes, { calls: Number(params.get("calls")), suspends: Number(params.get("suspends")) }, MemFS);
  window.benchResult = { engine: navigator.userAgent.match(/Chrom(e|ium)\/[\d.]+/)?.[0] ?? "browser", ...result };
} catch (e) {
  window.benchResult = { error: String(e?.message ?? e) };
}
