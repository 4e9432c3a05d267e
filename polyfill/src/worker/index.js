// wasi-polyfill/worker: run a WASI command in a dedicated Worker, so a page
// gets blocking stdin and sleeping without freezing its own thread.
//
//   const run = new WasiWorker(bytes, { args, env, fs, preopens, onStdout, onStderr });
//   run.write("2+2\n"); run.end();
//   const { status } = await run.exited;
//
// How the worker's guest waits for stdin (run.mode, and workerMode() before
// starting one):
// - "shared-memory": the page is cross-origin isolated, so the worker reads
//   stdin from a SharedArrayBuffer and blocks in Atomics.wait (sync mode;
//   poll_oneoff sleeps in Atomics.wait too);
// - "jspi": no isolation, but the engine has JSPI: the worker runs the guest
//   in async mode and its reads wait for the page's messages;
// - "buffered": neither; stdin is only what `options.stdin` gives up front,
//   and write() throws, naming why (run.reason).
// The worker runs on a copy of the page's MemFS directories (a tree
// snapshot, run/tree.js); with `writeBack: true` the final trees replace
// them when the guest ends, and never after terminate(), so the page's MemFS
// is whole whatever happens to the worker.
import { dumpTree, loadTree } from "../run/tree.js";
import { MemFS } from "../vfs/node_fs.js";
import { RingWriter, makeRing } from "./stdin_ring.js";

const encoder = new TextEncoder();

/**
 * The mode a WasiWorker started now would use, and why.
 * @returns {{mode: "shared-memory" | "jspi" | "buffered", reason: string}}
 */
export function workerMode() {
  const isolated = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
  if (isolated) return { mode: "shared-memory", reason: "the page is cross-origin isolated: stdin and sleeps block the worker in Atomics.wait" };
  const jspi = typeof WebAssembly.Suspending === "function" && typeof WebAssembly.promising === "function";
  const why = "the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)";
  if (jspi) return { mode: "jspi", reason: `${why}; the worker uses JSPI (async mode) instead` };
  return {
    mode: "buffered",
    reason: `${why}, and this engine lacks JSPI (WebAssembly.Suspending): interactive stdin is impossible; give stdin up front (options.stdin)`,
  };
}

export class WasiWorker {
  #worker;
  #ring = null;
  #queue = [];
  #ending = false;
  #done = false;
  #written = 0; // stdin bytes given by write()
  #resolve;
  #reject;

  /**
   * @param {BufferSource | WebAssembly.Module} program the module or its bytes
   * @param {object} [options]
   * @param {string[]} [options.args] argv (argv[0] included; default ["program"])
   * @param {Record<string, string>} [options.env]
   * @param {MemFS} [options.fs] the page's MemFS that `preopens` refer to
   * @param {Record<string, string>} [options.preopens] guest path -> path in `fs`
   * @param {Record<string, object>} [options.trees] guest path -> tree snapshot (run/tree.js), without `fs`
   * @param {Record<string, string | FileSystemDirectoryHandle>} [options.opfs] guest path -> a directory of the origin-private file
   *   system ("home", "apps/home"; made if missing), mounted live in the worker as a HandleDirectory
   *   (vfs/handledir.js): what the guest writes there persists
   *   — or a FileSystemDirectoryHandle (a folder from showDirectoryPicker()), mounted the same way
   * @param {Record<string, string | URL>} [options.urls] guest path -> the base URL of a tree served with its
   *   index (docs/url-directory.md), mounted read-only in the worker as a UrlDirectory (vfs/urldir.js)
   * @param {boolean} [options.writeBack] copy the final trees back into `fs` when the guest ends
   * @param {Uint8Array | string} [options.stdin] bytes given up front (then end of input)
   * @param {(bytes: Uint8Array) => void} [options.onStdout] each write, as it comes
   * @param {(bytes: Uint8Array) => void} [options.onStderr]
   * @param {(line: string) => void} [options.trace] the syscall trace, a line at a time (in order with the output)
   * @param {() => void} [options.onStdinWait] the guest waits for stdin: it has read everything written, and end() was not called
   * @param {boolean | object} [options.tty] the WASI `tty` option
   * @param {boolean} [options.deterministic]
   * @param {string | URL} [options.workerUrl] where wasi-worker.js is (default: next to this module)
   */
  constructor(program, options = {}) {
    const { mode, reason } = workerMode();
    /** "shared-memory", "jspi" or "buffered" (see workerMode). */
    this.mode = mode;
    /** Why this mode (and, for "buffered", why stdin cannot be interactive). */
    this.reason = reason;
    const { mounts, preopens, fsPaths } = mountsOf(options);
    this.fs = options.fs ?? null;
    /**
     * The exit: {status, trap, trees, mounted} (trap: the trap's message, or null; mounted, with `opfs`
     * or `urls`: by guest path, what each such directory holds now ({entries}) or what a UrlDirectory
     * fetched of its tree ({requests, bytes, files, size})); rejects with one readable Error for a usage
     * mistake or after terminate().
     */
    this.exited = new Promise((resolve, reject) => { this.#resolve = resolve; this.#reject = reject; });
    const url = options.workerUrl ?? new URL("./wasi-worker.js", import.meta.url);
    this.#worker = new Worker(url, { type: "module", name: "wasi-polyfill" });
    this.#worker.onmessage = ({ data }) => this.#message(data, options, fsPaths);
    this.#worker.onerror = (e) => this.#finish(null, new Error(`wasi-polyfill worker: ${e.message ?? "failed to start"}`));
    let stdin;
    if (options.stdin !== undefined) stdin = typeof options.stdin === "string" ? encoder.encode(options.stdin) : options.stdin;
    if (mode === "shared-memory") this.#ring = new RingWriter(makeRing());
    const job = {
      program: "program",
      module: program,
      args: options.args ?? ["program"],
      env: Object.entries(options.env ?? {}),
      mounts,
      preopens,
      deterministic: !!options.deterministic,
      writeBack: !!options.writeBack,
      trace: typeof options.trace === "function",
    };
    this.#worker.postMessage({ job, mode, ring: this.#ring && this.#ring.ctl.buffer, stdin: mode === "buffered" ? stdin : undefined, tty: options.tty });
    if (mode !== "buffered" && stdin !== undefined) {
      this.write(stdin);
      this.end();
    }
  }

  /** Feed the guest's stdin (bytes or UTF-8 text); it reads them when it wants. */
  write(data) {
    if (this.mode === "buffered") throw new Error(`wasi-polyfill worker: cannot feed stdin: ${this.reason}`);
    if (this.#ending) throw new Error("wasi-polyfill worker: write() after end()");
    const bytes = typeof data === "string" ? encoder.encode(data) : new Uint8Array(data);
    if (bytes.length === 0 || this.#done) return;
    this.#written += bytes.length;
    if (this.mode === "jspi") this.#worker.postMessage({ stdin: bytes }, [bytes.buffer]);
    else { this.#queue.push(bytes); this.#pump(); }
  }

  /** End of input: the guest's next read past what was written gets EOF. */
  end() {
    if (this.#ending || this.mode === "buffered") return;
    this.#ending = true;
    if (this.mode === "jspi") this.#worker.postMessage({ stdinEnd: true });
    else this.#pump();
  }

  /** Stop the guest now; `exited` rejects and the page's MemFS is left as it was. */
  terminate() {
    if (this.#done) return;
    this.#worker.terminate();
    this.#finish(null, new Error("wasi-polyfill worker: terminated"));
  }

  #pump() {
    while (this.#queue.length > 0) {
      const head = this.#queue[0];
      const n = this.#ring.push(head);
      if (n === head.length) this.#queue.shift();
      else { this.#queue[0] = head.subarray(n); return; }
    }
    if (this.#ending) this.#ring.end();
  }

  #message(data, options, fsPaths) {
    if (data.out === 1) options.onStdout?.(data.bytes);
    else if (data.out === 2) options.onStderr?.(data.bytes);
    else if (data.trace) data.trace.forEach((line) => options.trace?.(line));
    else if (data.stdinWait !== undefined) {
      // a wait that what the page wrote since has already answered is no wait
      if (data.stdinWait >= this.#written && !this.#ending) options.onStdinWait?.();
    } else if (data.room) this.#pump();
    else if (data.result) {
      const r = data.result;
      if (r.usage !== undefined) return this.#finish(null, new Error(`wasi-polyfill: ${r.usage}`));
      if (r.internal !== undefined) return this.#finish(null, new Error(`wasi-polyfill: internal error: ${r.internal}`));
      if (r.trees && this.fs) fsPaths.forEach((at, k) => replaceTree(this.fs, at, r.trees[k]));
      this.#finish({ status: r.status, trap: r.trap, trees: r.trees, ...(r.mounted ? { mounted: r.mounted } : {}) });
    }
  }

  #finish(value, error) {
    if (this.#done) return;
    this.#done = true;
    this.#worker.terminate();
    if (error) this.#reject(error);
    else this.#resolve(value);
  }
}

/** The page's directories as tree snapshots for the worker's own MemFS. */
function mountsOf(options) {
  const mounts = [], preopens = [], fsPaths = [];
  if (options.fs !== undefined) {
    // duck-typed: the standalone bundles (dist/browser/*.js) each have their own MemFS class
    if (!(options.fs instanceof MemFS) && typeof options.fs?.readdirSync !== "function") {
      throw new TypeError('The "options.fs" property must be an instance of MemFS');
    }
    const at = new Map(); // path in the page's fs -> mount point in the worker's
    for (const [guest, path] of Object.entries(options.preopens ?? {})) {
      if (!at.has(path)) {
        at.set(path, `/${at.size}`);
        mounts.push({ at: at.get(path), tree: dumpTree(options.fs, path) });
        fsPaths.push(path);
      }
      preopens.push([guest, at.get(path)]);
    }
  }
  for (const [guest, tree] of Object.entries(options.trees ?? {})) {
    const at = `/${mounts.length}`;
    mounts.push({ at, tree });
    preopens.push([guest, at]);
  }
  for (const [guest, dir] of Object.entries(options.opfs ?? {})) {
    const handle = dir?.kind === "directory" && typeof dir.getDirectoryHandle === "function"; // showDirectoryPicker()'s
    if (!handle && (typeof dir !== "string" || dir.split("/").some((part) => part === "" || part === "." || part === ".."))) {
      throw new TypeError(`options.opfs[${JSON.stringify(guest)}] must be a relative path of names ("home", "apps/home") ` +
        `or a FileSystemDirectoryHandle; got ${JSON.stringify(dir)}`);
    }
    const at = `/${mounts.length}`;
    mounts.push({ at, guest, opfs: dir }); // a handle is posted to the worker as it is (structured clone)
    preopens.push([guest, at]);
  }
  for (const [guest, url] of Object.entries(options.urls ?? {})) {
    let href;
    try {
      href = new URL(url, globalThis.location?.href).href; // the worker's base is its script, not the page
    } catch {
      throw new TypeError(`options.urls[${JSON.stringify(guest)}] must be a URL; got ${JSON.stringify(url)}`);
    }
    const at = `/${mounts.length}`;
    mounts.push({ at, guest, url: href });
    preopens.push([guest, at]);
  }
  return { mounts, preopens, fsPaths };
}

/** Make `at` in `fs` hold exactly `tree`. */
function replaceTree(fs, at, tree) {
  for (const name of fs.readdirSync(at)) fs.rmSync(`${at.replace(/\/+$/, "")}/${name}`, { recursive: true, force: true });
  loadTree(fs, at, tree);
}
