// tests/bench/opfs_bench.py's page: starts the worker (opfs_bench_worker.js);
// `benchRun(kind, workload, params, argv)` runs one measurement in it.
const worker = new Worker(new URL("./opfs_bench_worker.js", import.meta.url), { type: "module" });
const waiting = new Map();
let nextId = 0;
worker.onmessage = ({ data }) => {
  waiting.get(data.id)(data);
  waiting.delete(data.id);
};

window.benchRun = async (kind, workload, params, argv) => {
  const id = nextId++;
  const wasm = kind === "guest" ? await (await fetch(`/wasm/${workload}.wasm`)).arrayBuffer() : undefined;
  const done = new Promise((resolve) => waiting.set(id, resolve));
  worker.postMessage({ id, kind, workload, params, argv, wasm });
  return done;
};
window.benchReady = true;
