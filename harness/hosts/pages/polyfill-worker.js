// A browser host's worker for the JS runtime: one job at a time through the
// package's job runner (polyfill/src/run/job.js), as the Node CLI runs it.
// `job.storage`: the dirs live in the origin-private file system instead (opfs-job.js).
import { runJob, JobError, firstLine, postedOutput as output, WASI, UrlDirectory } from "/polyfill/run.js";
import { stdinReader } from "./stdin.js";
import { opfsJob, keptJob } from "./opfs-job.js";

// `api`: the host's server when it is not this page's origin (runner.js, standby).
self.onmessage = async ({ data: { job, api = "" } }) => {
  let result;
  try {
    const response = await fetch(`${api}/api/job/${job.id}/program`, { cache: "no-store" });
    if (!response.ok) throw new Error(`the program did not load: HTTP ${response.status}`);
    const module = new Uint8Array(await response.arrayBuffer());
    const stdin = { isatty: false, read: stdinReader(job.id, api) };
    // A --dir that is a URL: a UrlDirectory, whose files this worker fetches as the guest reads them, by
    // synchronous XHR (in async mode by fetch, the guest waiting through JSPI).
    const mounts = job.mounts.map((m) => (m.url === undefined ? m : { at: m.at, backend: new UrlDirectory(m.url, { async: job.async === true }) }));
    const io = { WASI, stdin, stdout: output(1), stderr: output(2) };
    const run = job.storage === "opfs" ? opfsJob : job.storage?.startsWith("opfs-keep:") ? keptJob : runJob;
    let ran;
    try {
      ran = await run({ ...job, module, mounts }, io);
    } catch (e) {
      if (e?.name === "WasiError" && /^E[A-Z]+: UrlDirectory /.test(e.message)) throw new JobError(`--dir: ${e.message}`); // its index
      throw e;
    }
    const { status, trees } = ran;
    result = { status, trees };
  } catch (e) {
    result = e instanceof JobError ? { usage: e.message } : { internal: firstLine(e?.stack ?? e) };
  }
  postMessage({ result });
};
