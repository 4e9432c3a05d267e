// What this engine offers the browser hosts, measured here, not claimed:
// harness/browsers/features.py reads `window.features` (a promise of a plain
// object; every value true, false or a short string saying why not).

const WORKER_TIMEOUT_MS = 10000;

function fromWorker(url, options) {
  return new Promise((resolve) => {
    let worker;
    const timer = setTimeout(() => {
      worker?.terminate();
      resolve({ started: "no answer" });
    }, WORKER_TIMEOUT_MS);
    try {
      worker = new Worker(url, options);
    } catch (e) {
      clearTimeout(timer);
      resolve({ started: `new Worker threw ${e.name}` });
      return;
    }
    worker.onmessage = (event) => {
      clearTimeout(timer);
      worker.terminate();
      resolve({ started: true, ...event.data });
    };
    worker.onerror = (event) => {
      clearTimeout(timer);
      worker.terminate();
      resolve({ started: `worker error: ${event.message || "no message"}` });
    };
  });
}

async function measure() {
  const inWorker = await fromWorker(new URL("features_worker.js", import.meta.url), { type: "module" });
  return {
    crossOriginIsolated: self.crossOriginIsolated === true,
    SharedArrayBuffer: typeof SharedArrayBuffer === "function",
    JSPI: typeof WebAssembly.Suspending === "function" && typeof WebAssembly.promising === "function",
    wasmExceptions: typeof WebAssembly.Tag === "function",
    moduleWorker: inWorker.started,
    workerSyncXhr: inWorker.syncXhr ?? "no worker",
    workerAtomicsWait: inWorker.atomicsWait ?? "no worker",
    opfs: typeof navigator.storage?.getDirectory === "function",
    workerOpfsSyncAccess: inWorker.opfsSyncAccess ?? "no worker",
  };
}

window.features = measure();
