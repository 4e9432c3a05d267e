// A synchronous HTTP GET for Node, for UrlDirectory's reads (preview1 reads
// are synchronous; Node has no synchronous XMLHttpRequest). One worker thread
// per process runs `fetch`; the caller posts it a request and sleeps in
// Atomics.wait until the worker has put the answer on a MessagePort, which
// it then takes with receiveMessageOnPort. The worker is this same module
// (so a bundle that contains it works too) and is unref'd: it never keeps
// the process alive.
import { Worker, MessageChannel, receiveMessageOnPort, isMainThread, workerData } from "node:worker_threads";

const ROLE = "wasi-polyfill:urlfetch";

/** The answer when the worker said nothing in time (its fetch has its own timeout; this is the backstop). */
const GRACE_MS = 2000;

let shared = null;

function start() {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: ROLE, flag, port: port2 }, transferList: [port2] });
  worker.unref();
  port1.unref();
  return { worker, port: port1, flag, next: 1 };
}

/** Start the worker now (a UrlDirectory does at construction: it boots while the index is fetched). */
export function startNodeGet() {
  shared ??= start();
}

/**
 * GET `url` (bytes [range[0], range[1]) when `range`), waiting for the whole
 * body; returns {status, contentRange, body}. Throws an Error on a network
 * failure, a dropped connection or a timeout.
 */
export function nodeGet(url, range, timeoutMs) {
  shared ??= start();
  const s = shared;
  const id = s.next++;
  Atomics.store(s.flag, 0, 0);
  s.port.postMessage({ id, url, range, timeoutMs });
  const deadline = Date.now() + timeoutMs + GRACE_MS;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no answer in ${timeoutMs} ms`);
    Atomics.wait(s.flag, 0, 0, left);
    Atomics.store(s.flag, 0, 0);
    for (let m; (m = receiveMessageOnPort(s.port)) !== undefined;) {
      const r = m.message;
      if (r.id !== id) continue; // the late answer to a request that timed out
      if (r.error !== undefined) throw new Error(r.error);
      return { status: r.status, contentRange: r.contentRange, body: new Uint8Array(r.body) };
    }
  }
}

/** The worker: fetch each request, answer on the port, wake the caller. */
function serve({ flag, port }) {
  // Node loads its fetch (undici) on the first call, ~0.1 s: do it now, while the caller fetches the index.
  fetch("data:,").then((r) => r.arrayBuffer(), () => {});
  port.on("message", async ({ id, url, range, timeoutMs }) => {
    let answer, transfer = [];
    try {
      const headers = range === null ? {} : { Range: `bytes=${range[0]}-${range[1] - 1}` };
      const r = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      const body = await r.arrayBuffer(); // a dropped connection rejects here
      answer = { id, status: r.status, contentRange: r.headers.get("content-range"), body };
      transfer = [body];
    } catch (e) {
      const cause = e?.cause?.code ?? e?.cause?.message;
      answer = { id, error: `${e?.name === "TimeoutError" ? `no answer in ${timeoutMs} ms` : e?.message ?? e}${cause ? ` (${cause})` : ""}` };
    }
    port.postMessage(answer, transfer);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
}

if (!isMainThread && workerData?.role === ROLE) serve(workerData);
