// wasi-polyfill/run: the job runner (run/job.js) and tree snapshots
// (run/tree.js), with the tracing WASI, for hosts that run whole programs —
// the browser hosts' worker and the web demo.
export { runJob, compileProgram, postedOutput, JobError, isTrap, firstLine, emit, TRAP_STATUS, USAGE_STATUS, INVALID_EXIT_STATUS, INTERNAL_STATUS } from "./job.js";
export { loadTree, dumpTree, diffTrees, countEntries, toBase64, fromBase64, byUtf8 } from "./tree.js";
export { WASI, MemFS } from "../trace.js";
export { UrlDirectory } from "../vfs/urldir.js";
export { HandleDirectory } from "../vfs/handledir.js";
