// The browser host's jobs on the page's main thread (runner.js):
// `storage: "opfs-main"` runs the job as opfs-job.js does, its dirs on
// HandleDirectory over the origin-private file system, but here, where there
// are no sync access handles: the store's main-thread path (pages over the
// async handle API), so the WASI is in async mode (JSPI). stdin is read by
// fetch (a synchronous XHR cannot take bytes on a page), stdout/stderr go to
// the page's ordered output channel.
import { JobError, firstLine, WASI } from "/polyfill/run.js";
import { opfsJob } from "./opfs-job.js";

/** One job; resolves to what a worker would post as its result. */
export async function mainJob(job, out, api = "") {
  try {
    const response = await fetch(`${api}/api/job/${job.id}/program`, { cache: "no-store" });
    if (!response.ok) throw new Error(`the program did not load: HTTP ${response.status}`);
    const module = new Uint8Array(await response.arrayBuffer());
    const output = (fd) => ({
      isatty: false,
      write(src, offset, n) { out.push(fd, src.slice(offset, offset + n)); },
      flush() {},
    });
    const io = { WASI, stdin: stdinFetcher(job.id, api), stdout: output(1), stderr: output(2) };
    const { status, trees } = await opfsJob({ ...job, module, async: true }, io);
    return { status, trees };
  } catch (e) {
    return e instanceof JobError ? { usage: e.message } : { internal: firstLine(e?.stack ?? e) };
  }
}

/** Async-mode stdin: `(max) => Promise<bytes | null>` (null: the end), from the host's server. */
function stdinFetcher(jobId, api) {
  let pending = new Uint8Array(0);
  let ended = false;
  return async (max) => {
    if (pending.length === 0 && !ended) {
      const r = await fetch(`${api}/api/job/${jobId}/stdin?max=65536`, { cache: "no-store" });
      if (r.status !== 200) throw new Error(`stdin: the host answered ${r.status}`);
      pending = new Uint8Array(await r.arrayBuffer());
      if (pending.length === 0) ended = true;
    }
    if (pending.length === 0) return null;
    const n = Math.min(max, pending.length);
    const chunk = pending.slice(0, n);
    pending = pending.subarray(n);
    return chunk;
  };
}
