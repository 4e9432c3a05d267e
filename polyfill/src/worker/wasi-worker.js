// The Worker runner's worker (see worker/index.js for the page's side): runs
// one job with the package's job runner (run/job.js), so exit statuses,
// traps and error lines are what every other host gives.
//
// Messages in:  {job, mode, ring?}  then, in JSPI mode, {stdin: bytes} / {stdinEnd: true}
// Messages out: {out: 1|2, bytes}  {room: true} (shared-memory mode: stdin has room again)
//               {result: {status, trees}} | {result: {usage: text}} | {result: {internal: text}}
//
// stdin by mode: "shared-memory" reads block in Atomics.wait on the ring the
// page fills (sync mode); "jspi" runs the job in async mode and its reads
// wait for the page's messages; "buffered" has only the bytes given up front.
import { runJob, JobError, firstLine, postedOutput as output } from "../run/job.js";
import { WASI } from "../trace.js";
import { RingReader } from "./stdin_ring.js";

/** JSPI mode: stdin as an async function over the page's messages. */
function messageInput() {
  const chunks = [];
  let ended = false;
  let wake = null;
  self.onmessage = ({ data }) => {
    if (data.stdin) chunks.push(data.stdin);
    if (data.stdinEnd) ended = true;
    wake?.();
    wake = null;
  };
  return async function read(max) {
    while (chunks.length === 0 && !ended) await new Promise((resolve) => { wake = resolve; });
    if (chunks.length === 0) return null;
    const chunk = chunks[0];
    if (chunk.length <= max) return chunks.shift();
    chunks[0] = chunk.subarray(max);
    return chunk.subarray(0, max);
  };
}

function stdinFor(mode, ring, upFront) {
  if (mode === "shared-memory") return new RingReader(ring, () => postMessage({ room: true }));
  if (mode === "jspi") return messageInput();
  return upFront ?? new Uint8Array(0);
}

self.onmessage = async ({ data: { job, mode, ring, stdin, tty } }) => {
  let result;
  try {
    const io = { WASI, stdin: stdinFor(mode, ring, stdin), stdout: output(1), stderr: output(2) };
    const { status, trees } = await runJob({ ...job, async: mode === "jspi", tty }, io);
    result = { status, trees };
  } catch (e) {
    result = e instanceof JobError ? { usage: e.message } : { internal: firstLine(e?.stack ?? e) };
  }
  postMessage({ result });
};
