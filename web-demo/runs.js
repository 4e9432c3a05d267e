// How the demo runs a program, chosen from what this engine has (measured
// here, not assumed from headers):
//
//   "worker"   SharedArrayBuffer on a cross-origin isolated page: the package's
//              Worker runner (wasi-polyfill/worker, "shared-memory" mode); the
//              guest blocks in Atomics.wait until you type, Stop terminates it.
//   "jspi"     no SharedArrayBuffer, but JSPI (WebAssembly.Suspending): the
//              package's job runner in async mode on the page's main thread;
//              a read of stdin or a sleep suspends the guest and the page runs on.
//   "upfront"  neither: the Worker runner with stdin given up front (the text box).
//
// Each run has the same face for app.js: write(bytes), end(), stop() and
// `done`, a Promise of {status, trap, tree, mounted} (tree: the files after the run,
// or null when they were written back into the page's MemFS in place;
// mounted: the Worker runner's report on the storage mounts, storage.js).
// The bundles come from app.js (which reports them missing): `lib` holds
// WasiWorker (polyfill/dist/browser/worker.js), runJob, WASI and dumpTree
// (polyfill/dist/browser/run.js).

/** The demo's mode on this engine: {mode, label, reason}. */
export function demoMode() {
  const isolated = globalThis.crossOriginIsolated === true;
  const sab = typeof SharedArrayBuffer === "function";
  const jspi = typeof WebAssembly.Suspending === "function" && typeof WebAssembly.promising === "function";
  if (isolated && sab) {
    return { mode: "worker", label: "Worker (shared memory) · interactive stdin",
      reason: "Cross-origin isolated, with SharedArrayBuffer: the program runs in a Worker and blocks in fd_read until you type a line." };
  }
  const why = isolated
    ? "This page is cross-origin isolated, yet this engine has no SharedArrayBuffer"
    : location.protocol === "file:"
      ? "This page was opened from a file, so it is not cross-origin isolated and has no SharedArrayBuffer"
      : "This page is not cross-origin isolated (the server did not send the Cross-Origin-Opener-Policy and " +
        "Cross-Origin-Embedder-Policy headers), so it has no SharedArrayBuffer";
  if (jspi) {
    return { mode: "jspi", label: "JSPI · main thread · interactive stdin",
      reason: `${why}; this engine has JSPI (WebAssembly.Suspending), so the program runs on the page's main thread ` +
        "in async mode: it waits for your input, or sleeps, without blocking the page." };
  }
  return { mode: "upfront", label: `${isolated ? "No SharedArrayBuffer" : "Not isolated"}, no JSPI · stdin up front`,
    reason: `${why}, and no JSPI (WebAssembly.Suspending): a program cannot wait while you type. ` +
      // the headers help only where they are missing (WebKitGTK is isolated and still has no SharedArrayBuffer)
      `Its stdin is this text instead.${isolated ? "" : " (`wasi-polyfill serve` sends the headers.)"}` };
}

/**
 * Start a run.
 * @param {"worker" | "jspi" | "upfront"} mode
 * @param {object} job
 * @param {WebAssembly.Module} job.module
 * @param {string[]} job.argv
 * @param {Record<string, string>} job.env
 * @param {Record<string, string>} job.preopens guest path -> path in `fs`
 * @param {object} job.fs the page's MemFS (left as it was until the run ends)
 * @param {Uint8Array} [job.stdin] "upfront" mode: all of stdin
 * @param {object} job.opfs, job.urls the Worker runner's `opfs` and `urls` (storage.js; empty in "jspi" mode)
 * @param {object} on callbacks: stdout(bytes), stderr(bytes), trace(line) or null, wait() (the guest waits for stdin)
 * @param {object} lib the bundles' exports (above)
 */
export function startRun(mode, job, on, lib) {
  return mode === "jspi" ? mainThreadRun(job, on, lib) : workerRun(job, on, lib);
}

/** How long a run waits for an OPFS directory that a stopped run's worker still holds (its lock goes shortly after). */
const BUSY_RETRIES = 25;
const BUSY_RETRY_MS = 200;

function workerRun(job, on, { WasiWorker }) {
  let run = null;
  let stopped = false;
  const fed = []; // stdin so far, for a retried start
  let ended = false;
  const start = () => {
    run = new WasiWorker(job.module, {
      args: job.argv, env: job.env, fs: job.fs, preopens: job.preopens, opfs: job.opfs, urls: job.urls, writeBack: true,
      stdin: job.stdin, onStdout: on.stdout, onStderr: on.stderr, trace: on.trace ?? undefined, onStdinWait: on.wait,
    });
    for (const bytes of fed) run.write(bytes);
    if (ended) run.end();
    return run.exited;
  };
  // The mount fails before the guest starts (EBUSY) while the worker of a run
  // just stopped still holds the directory: try again for a few seconds.
  const attempt = async (tries) => {
    try {
      return await start();
    } catch (err) {
      if (stopped || tries === 0 || Object.keys(job.opfs ?? {}).length === 0 || !/\bEBUSY\b/.test(err.message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
      if (stopped) throw err;
      return attempt(tries - 1);
    }
  };
  const done = attempt(BUSY_RETRIES);
  return {
    write: (bytes) => { fed.push(bytes); run.write(bytes); },
    end: () => { ended = true; run.end(); },
    stop: () => { stopped = true; run.terminate(); },
    done: done.then(({ status, trap, mounted }) => ({ status, trap, tree: null, mounted })),
  };
}

/**
 * On the page's thread, in async mode: stdin is an async function over what
 * the page writes. Stop cannot kill a thread here; it makes the guest's next
 * stdin read or output write throw (so a guest waiting for input or sleeping
 * ends there), and the run's files and output are dropped.
 */
function mainThreadRun(job, on, { runJob, WASI, dumpTree }) {
  const queue = [];
  let ended = false;
  let stopped = false;
  let wake = null;
  const stop = () => { stopped = true; wake?.(); };
  const check = () => { if (stopped) throw new Error("stopped by the page"); };
  const stdin = async (max) => {
    check();
    if (queue.length === 0 && !ended) on.wait();
    while (queue.length === 0 && !ended && !stopped) await new Promise((resolve) => { wake = resolve; });
    check();
    if (queue.length === 0) return null;
    const chunk = queue[0];
    if (chunk.length <= max) return queue.shift();
    queue[0] = chunk.subarray(max);
    return chunk.subarray(0, max);
  };
  const output = (deliver) => ({
    isatty: false,
    write(src, offset, n) { check(); deliver(src.slice(offset, offset + n)); },
    flush() {},
  });
  const done = runJob(
    { program: "the program", module: job.module, args: job.argv, env: Object.entries(job.env),
      mounts: [{ at: "/", tree: dumpTree(job.fs, "/") }], preopens: Object.entries(job.preopens),
      trace: !!on.trace, writeBack: true, async: true },
    { WASI, stdin, stdout: output(on.stdout), stderr: output(on.stderr), trace: on.trace ?? undefined },
  ).then(({ status, trap, trees }) => ({ status, trap, tree: trees[0] }));
  return {
    write(bytes) { queue.push(bytes); wake?.(); },
    end() { ended = true; wake?.(); },
    stop,
    done,
  };
}
