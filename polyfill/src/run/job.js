// The job runner: one WASI command run, the same way on every host that runs
// the JS runtime — the Node CLI (node/cli.js), the browser hosts' worker
// (run/worker.js) and the web demo's worker. A host only moves bytes: it
// gives a job and stdio streams, and gets back the exit status and, with
// `writeBack`, the final trees.
//
// The rules every host follows (as `wasmtime run` does):
// - the status is the guest's exit code (`proc_exit(code)`; 0 when `_start`
//   returns);
// - a trap prints one line `wasi-polyfill: trap: <message>` on stderr and the
//   status is TRAP_STATUS (134, as wasmtime's abort);
// - proc_exit with a status ≥ 126 is refused as wasmtime refuses it: one line
//   `wasi-polyfill: error: <message>`, status 1;
// - a mistake of the user's (not a module, cannot instantiate, no `_start`)
//   throws a JobError, which the host prints as one line
//   `wasi-polyfill: error: <message>` with USAGE_STATUS (2).
// Trees are in the snapshot format of run/tree.js.
import { MemFS } from "../vfs/node_fs.js";
import { WasiExit, InvalidExitStatus } from "../syscalls/proc.js";
import { DETERMINISTIC_REALTIME_START } from "../clocks.js";
import { loadTree, dumpTree } from "./tree.js";

export const TRAP_STATUS = 134;
export const USAGE_STATUS = 2;
export const INVALID_EXIT_STATUS = 1;
/** An error of ours (a bug), reported in one line: EX_SOFTWARE. */
export const INTERNAL_STATUS = 70;

/** A mistake of the user's: one line, no stack. */
export class JobError extends Error {
  constructor(message) {
    super(message);
    this.name = "JobError";
  }
}

const encoder = new TextEncoder();

export function firstLine(s) {
  return String(s).split("\n")[0];
}

/** True if `e` is a trap of the guest's (not an error of ours). */
export function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError || (e instanceof RangeError && /call stack/i.test(e.message));
}

/** Text to an output stream ({write(src, offset, n)}). */
export function emit(stream, text) {
  const bytes = encoder.encode(text);
  if (bytes.length) stream.write(bytes, 0, bytes.length);
}

/**
 * The program's bytes compiled; JobError if they are not a WebAssembly module.
 * @param {BufferSource} bytes
 * @param {string} program its name, for messages
 */
export async function compileProgram(bytes, program) {
  const u8 = bytes instanceof Uint8Array ? bytes : ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  if (u8.length < 8 || u8[0] !== 0 || u8[1] !== 0x61 || u8[2] !== 0x73 || u8[3] !== 0x6d) {
    throw new JobError(`${program}: not a WebAssembly module`);
  }
  try {
    return await WebAssembly.compile(u8);
  } catch (e) {
    throw new JobError(`${program}: invalid WebAssembly module: ${firstLine(e.message)}`);
  }
}

/**
 * With `trapUnknownImports`, every function the module imports that the
 * import object lacks becomes one that traps when called (wasmtime's
 * `--trap-unknown-imports`); other unknown imports still fail to instantiate.
 */
export function withUnknownImportsTrapping(module, imports) {
  const out = { ...imports };
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== "function") continue;
    const ns = out[imp.module];
    if (ns && imp.name in ns) continue;
    if (!ns || ns === imports[imp.module]) out[imp.module] = { ...ns };
    const what = `${imp.module}::${imp.name}`;
    out[imp.module][imp.name] = () => {
      throw new WebAssembly.RuntimeError(`unknown import: \`${what}\` has not been defined`);
    };
  }
  return out;
}

/**
 * Run one job.
 * @param {object} job
 * @param {string} job.program the program's name (messages)
 * @param {WebAssembly.Module | BufferSource} job.module compiled, or its bytes
 * @param {string[]} job.args argv, argv[0] included
 * @param {[string, string][]} [job.env]
 * @param {{at: string, tree: object}[]} [job.mounts] trees loaded into the MemFS, each at an absolute path
 * @param {[string, string][]} [job.preopens] [guest path, MemFS path], in fd order
 * @param {boolean} [job.deterministic] spec/RATIONALE.md, "Deterministic mode"
 * @param {boolean} [job.trace] the syscall trace on stderr
 * @param {boolean} [job.writeBack] return each mount's final tree
 * @param {boolean} [job.trapUnknownImports]
 * @param {object} io
 * @param {Function} io.WASI the WASI class (its entry point decides what stdio kinds and tracing it has)
 * @param {object} io.stdin a stream ({read(max)}) or any WASI stdin option
 * @param {object} io.stdout an output stream ({write(src, offset, n), flush()})
 * @param {object} io.stderr an output stream
 * @param {MemFS} [io.memfs] run on this MemFS (mounts are loaded into it) rather than a fresh one
 * @param {(line: string) => void} [io.trace] where `job.trace` lines go (default: stderr)
 * @returns {Promise<{status: number, trap: string | null, trees: object[] | null, memfs: MemFS}>}
 *   `trap`: the trap's message when the guest trapped (the line on stderr says it too)
 */
export async function runJob(job, io) {
  const module = job.module instanceof WebAssembly.Module ? job.module : await compileProgram(job.module, job.program);
  const deterministic = !!job.deterministic;
  // Deterministic mode numbers inodes from 1 in loading order; the MemFS root
  // holds the mounts only, the guest cannot reach it, and it takes no number.
  const memfs = io.memfs ?? new MemFS(deterministic ? { clock: () => DETERMINISTIC_REALTIME_START, nextIno: 1 } : {});
  for (const m of job.mounts ?? []) loadTree(memfs, m.at, m.tree, { times: !deterministic });
  const preopens = {};
  for (const [guest, at] of job.preopens ?? []) {
    if (guest in preopens) throw new JobError(`--dir: guest directory ${JSON.stringify(guest)} given twice`);
    preopens[guest] = at;
  }
  const stderr = io.stderr;
  const wasi = new io.WASI({
    version: "preview1",
    args: job.args,
    env: Object.fromEntries(job.env ?? []),
    preopens,
    fs: memfs,
    stdin: io.stdin,
    stdout: io.stdout,
    stderr,
    returnOnExit: true,
    deterministic,
    trace: job.trace ? (io.trace ?? ((line) => emit(stderr, line + "\n"))) : undefined,
  });
  const trees = () => (job.writeBack ? (job.mounts ?? []).map((m) => dumpTree(memfs, m.at)) : null);
  let imports = wasi.getImportObject();
  if (job.trapUnknownImports) imports = withUnknownImportsTrapping(module, imports);
  let instance;
  try {
    instance = await WebAssembly.instantiate(module, imports);
  } catch (e) {
    // A start function that traps: nothing of the guest's is written back (as before it ran).
    if (isTrap(e)) return { status: trap(stderr, e), trap: firstLine(e.message), trees: null, memfs };
    throw new JobError(`${job.program}: cannot instantiate: ${firstLine(e.message)}`);
  }
  if (typeof instance.exports._start !== "function") throw new JobError(`${job.program}: no _start function exported (not a WASI command)`);
  if (!(instance.exports.memory instanceof WebAssembly.Memory)) {
    throw new JobError(`${job.program}: no memory exported as "memory" (a WASI command exports its memory)`);
  }
  let status;
  let trapped = null;
  try {
    status = wasi.start(instance);
  } catch (e) {
    if (e instanceof InvalidExitStatus) {
      emit(stderr, `wasi-polyfill: error: ${e.message}\n`);
      status = INVALID_EXIT_STATUS;
    } else if (e instanceof WasiExit) {
      status = e.code;
    } else {
      // A trap, or an uncaught exception leaving the guest (wasmtime aborts on both).
      trapped = firstLine(e?.message ?? e);
      status = trap(stderr, e);
    }
  }
  stderr.flush?.();
  io.stdout.flush?.();
  return { status, trap: trapped, trees: trees(), memfs };
}

function trap(stderr, e) {
  emit(stderr, `wasi-polyfill: trap: ${firstLine(e?.message ?? e)}\n`);
  return TRAP_STATUS;
}
