// The async-mode test page (tests/test_async_browser.py drives it): runs a
// program either on this page's main thread in async mode (JSPI) or in the
// package's Worker runner, with stdin fed line by line from the test, and a
// 10 ms timer whose ticks show whether the main thread stayed responsive.
import { WASI, MemFS } from "/polyfill/dist/browser/index.js";
import { WasiWorker, workerMode } from "/polyfill/dist/browser/worker.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const state = (window.run = {
  out: "",
  err: "",
  status: null,
  error: null,
  mode: null,
  ticks: [],
  isolated: globalThis.crossOriginIsolated === true,
  workerMode: workerMode(),
});

// The responsiveness probe: when each tick fired.
setInterval(() => state.ticks.push(performance.now()), 10);

/** The largest gap between ticks (ms) and their count, between two times (ms). */
window.ticksBetween = (from, to) => {
  const ts = [from, ...state.ticks.filter((t) => t > from && t < to), to];
  let gap = 0;
  for (let i = 1; i < ts.length; i++) gap = Math.max(gap, ts[i] - ts[i - 1]);
  return { count: ts.length - 2, maxGap: gap };
};

/** When the output first contained `text` (ms), or null. */
const seen = {};
function record(chunk, which) {
  state[which] += decoder.decode(chunk);
  for (const key of Object.keys(seen)) if (seen[key] === null && state.out.includes(key)) seen[key] = performance.now();
}
window.watch = (text) => { seen[text] = state.out.includes(text) ? performance.now() : null; };
window.seenAt = (text) => seen[text];

let feed = null;
window.send = (text) => feed(text);
window.endInput = () => feed(null);

/** Run on the main thread in async mode; stdin is a ReadableStream fed by send(). */
window.startMain = async (url, args, options = {}) => {
  state.mode = "main-thread-jspi";
  const bytes = await (await fetch(url)).arrayBuffer();
  let controller;
  const stdin = new ReadableStream({ start(c) { controller = c; } });
  feed = (text) => (text === null ? controller.close() : controller.enqueue(encoder.encode(text)));
  try {
    const wasi = new WASI({
      version: "preview1", args, async: true, stdin, tty: options.tty,
      stdout: new WritableStream({ write: (c) => record(c, "out") }),
      stderr: (c) => record(c, "err"),
    });
    const { instance } = await WebAssembly.instantiate(bytes, wasi.getImportObject());
    state.status = await wasi.start(instance);
  } catch (e) {
    state.error = String(e?.message ?? e);
  }
};

/** Run in the Worker runner; stdin fed by send(). */
window.startWorker = async (url, args, options = {}) => {
  const bytes = await (await fetch(url)).arrayBuffer();
  try {
    const run = new WasiWorker(bytes, {
      args, tty: options.tty, fs: options.fs, preopens: options.preopens, writeBack: options.writeBack,
      onStdout: (c) => record(c, "out"),
      onStderr: (c) => record(c, "err"),
    });
    state.mode = run.mode;
    window.worker = run;
    feed = (text) => (text === null ? run.end() : run.write(text));
    state.status = (await run.exited).status;
  } catch (e) {
    state.error = String(e?.message ?? e);
  }
};

/** The Worker runner on a snapshot of this page's MemFS (/data preopened as /work), written back at exit. */
window.startWorkerFs = async (url, args) => {
  const fs = (window.pageFs = new MemFS());
  fs.mkdirSync("/data");
  fs.writeFileSync("/data/keep.txt", "kept\n");
  await window.startWorker(url, args, { fs, preopens: { "/work": "/data" }, writeBack: true });
};

/** The page's /data as {name: text}. */
window.listFs = () => Object.fromEntries(window.pageFs.readdirSync("/data").map((n) => [n, window.pageFs.readFileSync(`/data/${n}`, "utf8")]));

/**
 * The Worker runner as on an engine without JSPI (WebAssembly.Suspending hidden
 * while it starts) on this page: "buffered" mode, stdin only up front.
 */
window.startWorkerBuffered = async (url, args, stdin) => {
  const bytes = await (await fetch(url)).arrayBuffer();
  const saved = WebAssembly.Suspending;
  delete WebAssembly.Suspending;
  let run;
  try {
    run = new WasiWorker(bytes, { args, stdin, onStdout: (c) => record(c, "out"), onStderr: (c) => record(c, "err") });
  } finally {
    WebAssembly.Suspending = saved;
  }
  state.mode = run.mode;
  state.reason = run.reason;
  try {
    run.write("more\n");
  } catch (e) {
    state.writeError = String(e.message);
  }
  state.status = (await run.exited).status;
};
