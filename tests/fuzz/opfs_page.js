// The page of the OPFS backends fuzzer (tests/fuzz/opfs.py): starts the
// dedicated Workers (opfs_worker.js; `?workers=N`, default 1) and hands them
// batches of programs, each batch split among them (an OPFS call mostly waits
// on the browser's storage thread, so workers overlap their waits).
// `fuzzStart(batch, group)` sends one (each worker runs its share in groups
// of `group` programs sharing stores: opfs_worker.js runGroup) and keeps its promise; `fuzzTake(ms)` awaits it
// (so the driver draws the next batch while the workers run this one).
const count = Number(new URLSearchParams(location.search).get("workers") ?? 1);
const waiting = new Map();
let nextId = 0;
let pending = null;

const workers = Array.from({ length: count }, (_, w) => {
  const worker = new Worker(new URL("./opfs_worker.js", import.meta.url), { type: "module", name: `fuzz-${w}` });
  worker.onmessage = ({ data: { id, replies } }) => {
    const resolve = waiting.get(`${w}:${id}`);
    waiting.delete(`${w}:${id}`);
    resolve?.(replies);
  };
  worker.onerror = (e) => {
    for (const [key, resolve] of waiting) {
      if (key.startsWith(`${w}:`)) resolve([{ error: `worker error: ${e.message}` }]);
    }
  };
  return worker;
});

window.fuzzStart = (batch, group = 1) => {
  const id = nextId++;
  // program k to worker k % count; the replies put back in the batch's order
  const parts = workers.map((_, w) => batch.filter((_, k) => k % count === w));
  const answers = parts.map((part, w) => (part.length === 0 ? Promise.resolve([]) : new Promise((resolve) => {
    waiting.set(`${w}:${id}`, resolve);
    workers[w].postMessage({ id, batch: part, group });
  })));
  pending = Promise.all(answers).then((lists) => batch.map((_, k) => lists[k % count][Math.floor(k / count)]
    ?? { error: `worker ${k % count} answered no reply for this program` }));
};

/** The replies, or "timeout" after `ms` (a hang is reported, not waited on for ever). */
window.fuzzTake = (ms) => Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve("timeout"), ms))]);
window.fuzzReady = true;
