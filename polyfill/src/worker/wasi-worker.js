// The Worker runner's worker (see worker/index.js for the page's side): runs
// one job with the package's job runner (run/job.js), so exit statuses,
// traps and error lines are what every other host gives.
//
// Messages in:  {job, mode, ring?}  then, in JSPI mode, {stdin: bytes} / {stdinEnd: true}
// Messages out: {out: 1|2, bytes}  {room: true} (shared-memory mode: stdin has room again)
//               {trace: lines} (job.trace: batched, and always before the output and the
//               stdin wait that follow them, so the page can interleave them in order)
//               {stdinWait: consumed} (the guest waits for stdin, having read `consumed` bytes)
//               {result: {status, trap, trees}} | {result: {usage: text}} | {result: {internal: text}}
//
// stdin by mode: "shared-memory" reads block in Atomics.wait on the ring the
// page fills (sync mode); "jspi" runs the job in async mode and its reads
// wait for the page's messages; "buffered" has only the bytes given up front.
import { runJob, JobError, firstLine, postedOutput } from "../run/job.js";
import { WASI } from "../trace.js";
import { RingReader } from "./stdin_ring.js";
import { HandleDirectory } from "../vfs/handledir.js";
import { UrlDirectory } from "../vfs/urldir.js";

const TRACE_BATCH = 500;
const TRACE_INTERVAL_MS = 100;

/** The trace's lines, posted in batches; flush() before anything else is posted. */
const trace = {
  lines: [],
  since: 0,
  add(line) {
    if (this.lines.length === 0) this.since = performance.now();
    this.lines.push(line);
    if (this.lines.length >= TRACE_BATCH || performance.now() - this.since > TRACE_INTERVAL_MS) this.flush();
  },
  flush() {
    if (this.lines.length > 0) postMessage({ trace: this.lines });
    this.lines = [];
  },
};

function output(fd) {
  const stream = postedOutput(fd);
  return { ...stream, write(src, offset, n) { trace.flush(); stream.write(src, offset, n); } };
}

/** Tell the page the guest waits for stdin, having read `consumed` bytes. */
function waiting(consumed) {
  trace.flush();
  postMessage({ stdinWait: consumed });
}

/** JSPI mode: stdin as an async function over the page's messages. */
function messageInput() {
  const chunks = [];
  let ended = false;
  let wake = null;
  let consumed = 0;
  self.onmessage = ({ data }) => {
    if (data.stdin) chunks.push(data.stdin);
    if (data.stdinEnd) ended = true;
    wake?.();
    wake = null;
  };
  return async function read(max) {
    if (chunks.length === 0 && !ended) waiting(consumed);
    while (chunks.length === 0 && !ended) await new Promise((resolve) => { wake = resolve; });
    if (chunks.length === 0) return null;
    const chunk = chunks[0];
    const out = chunk.length <= max ? chunks.shift() : chunk.subarray(0, max);
    if (out !== chunk) chunks[0] = chunk.subarray(max);
    consumed += out.length;
    return out;
  };
}

function stdinFor(mode, ring, upFront) {
  if (mode === "shared-memory") return new RingReader(ring, () => postMessage({ room: true }), waiting);
  if (mode === "jspi") return messageInput();
  return upFront ?? new Uint8Array(0);
}

/** options.opfs: an OPFS directory ("apps/home"), made if missing, or a directory handle, as a HandleDirectory. */
async function opfsStore(path) {
  if (typeof path !== "string") return new HandleDirectory(path); // a FileSystemDirectoryHandle (the picker's)
  let dir = await navigator.storage.getDirectory();
  for (const name of path.split("/")) dir = await dir.getDirectoryHandle(name, { create: true });
  return new HandleDirectory(dir);
}

/** Every entry under `at` in `memfs` ({path, type, size, target?}, paths relative to `at`), depth first. */
function listing(memfs, at) {
  const out = [];
  const walk = (dir, rel) => {
    for (const name of memfs.readdirSync(dir).sort()) {
      const path = `${dir}/${name}`;
      const st = memfs.lstatSync(path);
      const type = st.isDirectory() ? "dir" : st.isSymbolicLink() ? "symlink" : "file";
      const entry = { path: rel + name, type, size: type === "file" ? Number(st.size) : 0 };
      if (type === "symlink") entry.target = memfs.readlinkSync(path);
      out.push(entry);
      if (type === "dir") walk(path, `${rel}${name}/`);
    }
  };
  walk(at, "");
  return out;
}

/**
 * What the page hears of each `opfs` and `urls` mount after the run, by guest path:
 * {entries} (what the directory holds now), or {requests, bytes, files, size}
 * (a UrlDirectory: what it fetched, against the whole tree's files and bytes).
 */
function mountedInfo(memfs, backends) {
  const info = {};
  for (const { m, store } of backends) {
    const entries = listing(memfs, m.at);
    if (m.url === undefined) info[m.guest] = { entries };
    else {
      const files = entries.filter((e) => e.type === "file");
      info[m.guest] = { ...store.stats, files: files.length, size: files.reduce((sum, e) => sum + e.size, 0) };
    }
  }
  return info;
}

self.onmessage = async ({ data: { job, mode, ring, stdin, tty } }) => {
  let result;
  const stores = [];
  try {
    const io = { WASI, stdin: stdinFor(mode, ring, stdin), stdout: output(1), stderr: output(2), trace: (line) => trace.add(line) };
    const mounts = [];
    const backends = []; // the opfs and urls mounts: {m, store}
    for (const m of job.mounts) {
      if (m.opfs === undefined && m.url === undefined) {
        mounts.push(m);
        continue;
      }
      // (in "jspi" mode a UrlDirectory fetches as the guest reads, the guest waiting through JSPI; else by synchronous XHR)
      const store = m.url === undefined ? await opfsStore(m.opfs) : new UrlDirectory(m.url, { async: mode === "jspi" });
      if (m.url === undefined) stores.push(store);
      backends.push({ m, store });
      mounts.push({ at: m.at, backend: store });
    }
    const { status, trap, trees, memfs } = await runJob({ ...job, mounts, async: mode === "jspi", tty }, io);
    const mounted = backends.length ? mountedInfo(memfs, backends) : undefined;
    for (const s of stores.splice(0)) await s.close(); // saved before the page hears of the exit
    result = { status, trap, trees, mounted };
  } catch (e) {
    result = e instanceof JobError ? { usage: e.message } : { internal: firstLine(e?.stack ?? e) };
    if (e?.name === "WasiError" && /HandleDirectory/.test(e.message)) result = { usage: `options.opfs: ${e.message}` };
    if (e?.name === "WasiError" && /UrlDirectory/.test(e.message)) result = { usage: `options.urls: ${e.message}` };
  }
  for (const s of stores) await s.close().catch(() => {});
  trace.flush();
  postMessage({ result });
};
