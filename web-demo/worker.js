// Runs one WASI program at a time with the package's job runner
// (polyfill/src/run/job.js: the same runner as the CLI's Node and browser
// hosts), off the page's thread, so it can block in fd_read on stdin (see
// stdin-channel.js) and a runaway loop can be stopped with worker.terminate().
//
// page -> worker  { type: "run", id, module, argv, env, preopens, tree, stdin, trace }
//                   tree: the page's files, a tree snapshot (polyfill/src/run/tree.js), mounted at "/"
//                   preopens: { guest path: path in the tree }
//                   stdin: { kind: "interactive", buffer: SharedArrayBuffer }
//                        | { kind: "bytes", data: Uint8Array }
// worker -> page  { type: "ready" }
//                 { type: "stdout" | "stderr", id, data: Uint8Array }   as written
//                 { type: "stdin-wait", id }                            blocked in fd_read
//                 { type: "trace", id, lines: string[] }                batched
//                 { type: "exit", id, code, trap, ms, waitedMs, tree }  the files after the run
//                 { type: "error", id, message }                        could not start

import { runJob, JobError, WASI } from "../polyfill/dist/browser/run.js";
import { StdinReader } from "./stdin-channel.js";

const TRACE_BATCH = 500;
const TRACE_INTERVAL_MS = 100;

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "run") run(msg);
};

async function run({ id, module, argv, env, preopens, tree, stdin, trace }) {
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
  // Output is posted as it is written: the page shows it while the program runs on.
  const output = (type) => ({
    isatty: false,
    write(src, offset, n) {
      flushTrace();
      const data = src.slice(offset, offset + n);
      self.postMessage({ type, id, data }, [data.buffer]);
    },
    flush() {},
  });

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

  const started = performance.now();
  let result;
  try {
    result = await runJob(
      { program: "the program", module, args: argv, env: Object.entries(env), mounts: [{ at: "/", tree }],
        preopens: Object.entries(preopens), trace, writeBack: true },
      { WASI, stdin: stdinSource, stdout: output("stdout"), stderr: output("stderr"), trace: onTrace },
    );
  } catch (err) {
    self.postMessage({ type: "error", id, message: err instanceof JobError ? err.message : `${err.name}: ${err.message}` });
    return;
  }
  const ms = performance.now() - started;
  flushTrace();
  self.postMessage({
    type: "exit", id, code: result.trap === null ? result.status : null,
    trap: result.trap === null ? null : `trap: ${result.trap}`, ms, waitedMs: reader ? reader.waitedMs : 0,
    tree: result.trees[0],
  });
}

self.postMessage({ type: "ready" });
