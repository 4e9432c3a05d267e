// Runs one WASI program at a time with the polyfill, off the page's thread, so
// it can block in fd_read on stdin (see stdin-channel.js) and a runaway loop
// can be stopped with worker.terminate().
//
// page -> worker  { type: "run", id, module, argv, env, preopens, tree, stdin, trace }
//                   stdin: { kind: "interactive", buffer: SharedArrayBuffer }
//                        | { kind: "bytes", data: Uint8Array }
// worker -> page  { type: "ready" }
//                 { type: "stdout" | "stderr", id, data: Uint8Array }   as written
//                 { type: "stdin-wait", id }                            blocked in fd_read
//                 { type: "trace", id, lines: string[] }                batched
//                 { type: "exit", id, code, trap, ms, waitedMs, tree }  tree: see tree.js
//                 { type: "error", id, message }                        could not start

import { WASI, MemFS } from "../polyfill/dist/browser/trace.js"; // the trace panel needs it
import { StdinReader } from "./stdin-channel.js";
import { loadTree, serializeTree, transferables } from "./tree.js";

const TRACE_BATCH = 500;
const TRACE_INTERVAL_MS = 100;

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "run") run(msg);
};

function run({ id, module, argv, env, preopens, tree, stdin, trace }) {
  let traceLines = [];
  let traceFlushed = performance.now();
  const flushTrace = () => {
    if (traceLines.length) self.postMessage({ type: "trace", id, lines: traceLines });
    traceLines = [];
    traceFlushed = performance.now();
  };
  const onTrace = (line) => {
    traceLines.push(line);
    if (traceLines.length >= TRACE_BATCH || performance.now() - traceFlushed > TRACE_INTERVAL_MS) flushTrace();
  };
  // Output is posted as it is written: the page shows it while the program
  // runs on. Each chunk is the polyfill's own copy, so its buffer is
  // transferred when the chunk is the whole of it.
  const output = (type) => (chunk) => {
    flushTrace();
    const own = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
    const data = own ? chunk : chunk.slice();
    self.postMessage({ type, id, data }, [data.buffer]);
  };

  let reader = null;
  let stdinSource;
  if (stdin.kind === "interactive") {
    reader = new StdinReader(stdin.buffer, () => {
      flushTrace();
      self.postMessage({ type: "stdin-wait", id });
    });
    stdinSource = reader.read;
  } else {
    stdinSource = stdin.data;
  }

  let fs;
  let wasi;
  let instance;
  try {
    fs = new MemFS();
    loadTree(fs, tree);
    wasi = new WASI({
      version: "preview1",
      args: argv,
      env,
      preopens,
      fs,
      stdin: stdinSource,
      stdout: output("stdout"),
      stderr: output("stderr"),
      trace: trace ? onTrace : undefined,
    });
    instance = new WebAssembly.Instance(module, wasi.getImportObject());
  } catch (err) {
    self.postMessage({ type: "error", id, message: describe(err) });
    return;
  }

  const started = performance.now();
  let code = null;
  let trap = null;
  try {
    code = wasi.start(instance);
  } catch (err) {
    trap = describe(err);
  }
  const ms = performance.now() - started;
  flushTrace();

  const after = serializeTree(fs);
  self.postMessage(
    { type: "exit", id, code, trap, ms, waitedMs: reader ? reader.waitedMs : 0, tree: after },
    transferables(after),
  );
}

function describe(err) {
  if (err instanceof WebAssembly.RuntimeError) return `trap: ${err.message}`;
  if (err instanceof WebAssembly.LinkError) return `link error: ${err.message}`;
  return err && err.message ? `${err.name || "Error"}: ${err.message}` : String(err);
}

self.postMessage({ type: "ready" });
