// The page of the OPFS backends fuzzer (tests/fuzz/opfs.py): starts the
// dedicated Worker (opfs_worker.js) and hands it batches of programs.
// `fuzzStart(batch)` sends one and keeps its promise; `fuzzTake(ms)` awaits it
// (so the driver draws the next batch while the worker runs this one).
const worker = new Worker(new URL("./opfs_worker.js", import.meta.url), { type: "module" });
const waiting = new Map();
let nextId = 0;
let pending = null;

worker.onmessage = ({ data: { id, replies } }) => {
  waiting.get(id)(replies);
  waiting.delete(id);
};
worker.onerror = (e) => {
  for (const resolve of waiting.values()) resolve([{ error: `worker error: ${e.message}` }]);
  waiting.clear();
};

window.fuzzStart = (batch) => {
  const id = nextId++;
  pending = new Promise((resolve) => waiting.set(id, resolve));
  worker.postMessage({ id, batch });
};

/** The replies, or "timeout" after `ms` (a hang is reported, not waited on for ever). */
window.fuzzTake = (ms) => Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve("timeout"), ms))]);
window.fuzzReady = true;
