// The browser hosts' page: it asks the host's server (harness/hosts/browser.py,
// on 127.0.0.1) for jobs, runs each in a worker — polyfill-worker.js for the
// JS runtime, pyodide-worker.js for the reference host under Pyodide; a job
// with `storage: "opfs-main"` on this page's main thread, main-job.js — and
// moves bytes: the guest's stdout/stderr go back as the worker posts them,
// in order (one POST at a time, frames [fd u8][length u32 LE][bytes]), then
// the result. The worker pulls stdin itself (a synchronous XHR to the server,
// which answers when the host has bytes), so neither SharedArrayBuffer nor
// JSPI is needed. A heartbeat tells the server the page is alive.
//
// Nothing here is engine-specific: any browser that opens this page is a host.
//
// `runner.html?standby`: a page the browser daemon (harness/hosts/daemon.py)
// loads from its own server and keeps, its worker loaded, for one command
// line's run after another: the daemon calls attachHost(origin) when a run
// comes — the page then works for that host's server, at another origin (its
// API answers with CORS for this one) — and detachHost() when the run is
// over. A run then pays no page load, no worker start and no bundle compile;
// each job still gets a fresh runtime, as on a page that runs many jobs.
const HEARTBEAT_MS = 1000;
let api = ""; // the host's server: this page's own origin, the one attachHost gave, or null (detached)
let waiting = null; // the pending request for a job (its AbortController)
let wake = null; // resolves the loop's wait for a host
let busy = false; // a job is running
const workers = new Map(); // kind -> Worker, kept across jobs (Pyodide loads once)

function workerFor(kind) {
  let w = workers.get(kind);
  if (!w) {
    w = new Worker(kind === "polyfill" ? "polyfill-worker.js" : "pyodide-worker.js", { type: "module" });
    workers.set(kind, w);
  }
  return w;
}

function dropWorker(kind) {
  workers.get(kind)?.terminate();
  workers.delete(kind);
}

function frame(fd, bytes) {
  const out = new Uint8Array(5 + bytes.length);
  out[0] = fd;
  new DataView(out.buffer).setUint32(1, bytes.length, true);
  out.set(bytes, 5);
  return out;
}

function post(base, path, body) {
  return fetch(base + path, { method: "POST", body, cache: "no-store" });
}

/** An ordered channel of output frames to the server. */
class Output {
  constructor(base, id) {
    this.base = base;
    this.url = `/api/job/${id}/out`;
    this.queue = [];
    this.sending = null;
    this.idle = [];
  }

  push(fd, bytes) {
    this.queue.push(frame(fd, bytes));
    this.pump();
  }

  pump() {
    if (this.sending || this.queue.length === 0) {
      if (!this.sending) for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    const parts = this.queue.splice(0);
    const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { body.set(p, at); at += p.length; }
    this.sending = post(this.base, this.url, body).catch(() => {}).finally(() => { this.sending = null; this.pump(); });
  }

  /** Resolves once every frame pushed so far has been delivered. */
  drained() {
    if (!this.sending && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}

function runOne(base, job) {
  const out = new Output(base, job.id);
  if (job.storage === "opfs-main") return runHere(base, job, out);
  const worker = workerFor(job.kind);
  return new Promise((resolve) => {
    const finish = async (result) => {
      worker.onmessage = worker.onerror = null;
      if (job.kind === "pyodide-snapshot") dropWorker(job.kind); // a snapshot's interpreter is not for running
      await out.drained();
      await post(base, `/api/job/${job.id}/result`, JSON.stringify(result)).catch(() => {});
      resolve();
    };
    worker.onmessage = ({ data }) => {
      if (data.out) out.push(data.out, data.bytes);
      else if (data.result) finish(data.result);
    };
    worker.onerror = (e) => {
      e.preventDefault?.();
      dropWorker(job.kind); // its state is unknown now: the next job gets a new one
      finish({ internal: `the worker failed: ${e.message || "no message (out of memory?)"}` });
    };
    worker.postMessage({ job, api: base });
  });
}

/** A job on this page's main thread (main-job.js: HandleDirectory without sync access handles). */
async function runHere(base, job, out) {
  const { mainJob } = await import("./main-job.js");
  const result = await mainJob(job, out, base);
  await out.drained();
  await post(base, `/api/job/${job.id}/result`, JSON.stringify(result)).catch(() => {});
}

async function loop() {
  for (;;) {
    const base = api;
    if (base === null) {
      await new Promise((resolve) => { wake = resolve; });
      continue;
    }
    let r;
    try {
      waiting = new AbortController();
      r = await fetch(`${base}/api/next`, { cache: "no-store", signal: waiting.signal });
    } catch {
      if (api === base) await new Promise((resolve) => setTimeout(resolve, 200)); // the server restarts or went away
      continue;
    } finally {
      waiting = null;
    }
    if (r.status !== 200) continue;
    const job = await r.json();
    busy = true;
    try {
      await runOne(base, job);
    } finally {
      busy = false;
    }
  }
}

setInterval(() => {
  if (api !== null) post(api, "/api/alive", "").catch(() => {});
}, HEARTBEAT_MS);
workerFor("polyfill"); // started now: it loads the package while the first job is on its way
if (new URLSearchParams(location.search).has("standby")) {
  api = null;
  globalThis.attachHost = (origin) => {
    api = origin;
    post(api, "/api/alive", "").catch(() => {});
    wake?.();
  };
  /** The run is over: wait for the next host. True if the page is idle (no job left running). */
  globalThis.detachHost = () => {
    api = null;
    waiting?.abort();
    return !busy;
  };
} else {
  post(api, "/api/alive", "").catch(() => {});
}
loop();
