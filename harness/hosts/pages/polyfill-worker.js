// A browser host's worker for the JS runtime: one job at a time through the
// package's job runner (polyfill/src/run/job.js), as the Node CLI runs it.
import { runJob, JobError, firstLine, WASI } from "/polyfill/run.js";
import { stdinReader } from "./stdin.js";

function output(fd) {
  return {
    isatty: false,
    write(src, offset, n) {
      const bytes = src.slice(offset, offset + n);
      postMessage({ out: fd, bytes }, [bytes.buffer]);
    },
    flush() {},
  };
}

self.onmessage = async ({ data: { job } }) => {
  let result;
  try {
    const response = await fetch(`/api/job/${job.id}/program`, { cache: "no-store" });
    if (!response.ok) throw new Error(`the program did not load: HTTP ${response.status}`);
    const module = new Uint8Array(await response.arrayBuffer());
    const stdin = { isatty: false, read: stdinReader(job.id) };
    const { status, trees } = await runJob({ ...job, module }, { WASI, stdin, stdout: output(1), stderr: output(2) });
    result = { status, trees };
  } catch (e) {
    result = e instanceof JobError ? { usage: e.message } : { internal: firstLine(e?.stack ?? e) };
  }
  postMessage({ result });
};
