// wasi-polyfill for Node: the browser-safe API, with Node's defaults (stdio
// on the process's fds 0-2, host fd numbers accepted, returnOnExit: false
// exits the process) and the host-directory helpers.
import { webcrypto } from "node:crypto";
import { WASI as BaseWASI, browserPlatform } from "../wasi.js";
import { Clocks } from "../clocks.js";
import { invalidArgType } from "../api_errors.js";
import { FdInput, FdOutput } from "./stdio.js";
import { traceImports } from "../generated/trace.js";
import { MemFSCore } from "../vfs/memfs.js";
import { HostDirectory } from "./hostdir.js";
import { UrlDirectory as BaseUrlDirectory } from "../vfs/urldir.js";
import { nodeGet, startNodeGet } from "./urlfetch.js";

export * from "../index.js";
export { loadHostDir, writeBackHostDir } from "./hostfs.js";
export { HostDirectory } from "./hostdir.js";
export { traceImports };

/** UrlDirectory in Node: file bytes by a worker thread's fetch (Node has no synchronous XMLHttpRequest). */
export class UrlDirectory extends BaseUrlDirectory {
  constructor(baseUrl, options = {}) {
    super(baseUrl, options !== null && typeof options === "object" ? { ...options, get: options.get ?? nodeGet } : options);
    if (this._get === nodeGet && !this.async) startNodeGet(); // the worker boots while the index is fetched
  }
}

function hostFd(value, name) {
  if (typeof value !== "number") return undefined;
  if (!Number.isInteger(value)) throw invalidArgType(`options.${name}`, "an integer", value);
  if (value < 0 || value > 2147483647) {
    const e = new RangeError(`The value of "options.${name}" is out of range. It must be >= 0 && <= 2147483647. Received ${value}`);
    e.code = "ERR_OUT_OF_RANGE";
    throw e;
  }
  return value;
}

export const nodePlatform = {
  ...browserPlatform,
  name: "node",
  input: (value) => { const fd = hostFd(value, "stdin"); return fd === undefined ? undefined : new FdInput(fd); },
  output: (value, which) => { const fd = hostFd(value, which); return fd === undefined ? undefined : new FdOutput(fd); },
  defaultInput: () => new FdInput(0),
  defaultOutput: (which) => new FdOutput(which === "stderr" ? 2 : 1),
  exitProcess: (code) => process.exit(code),
  clocks: new Clocks({ monotonic: () => process.hrtime.bigint() }),
  crypto: webcrypto,
  describeInput: "a Uint8Array, a string, a function or a host fd number",
  describeOutput: "a function or a host fd number",
  traceImports, // size does not matter here: "wasi-polyfill" and "wasi-polyfill/trace" are one entry in Node
};

/**
 * Without `fs`, node:wasi's preopens: `{ guest: hostPath }` preopens the live
 * host directory (a HostDirectory mounted in a fresh MemFSCore), as node:wasi
 * and wasmtime do; a host directory named twice is mounted once.
 */
function hostPreopens(options) {
  if (options === null || typeof options !== "object" || options.fs !== undefined) return options;
  const { preopens } = options;
  if (preopens === null || typeof preopens !== "object") return options;
  const entries = Object.entries(preopens);
  if (entries.length === 0) return options;
  const fs = new MemFSCore();
  const byReal = new Map(); // real host path -> mount path
  const mapped = {};
  for (const [guest, hostPath] of entries) {
    let backend;
    try {
      backend = new HostDirectory(`${hostPath}`);
    } catch (e) {
      if (e.code) e.message = `${e.code}: preopen ${JSON.stringify(guest)}: ${JSON.stringify(`${hostPath}`)}: ${e.message.replace(/^[A-Z]+: HostDirectory "[^"]*": /, "")}`;
      throw e;
    }
    let at = byReal.get(backend.hostPath);
    if (at === undefined) {
      at = `/${byReal.size}`;
      byReal.set(backend.hostPath, at);
      fs.mkdirAt(fs.root, at, false);
      fs.mountSync(at, backend);
    }
    mapped[guest] = at;
  }
  return { ...options, fs, preopens: mapped };
}

export class WASI extends BaseWASI {
  constructor(options = {}) {
    super(hostPreopens(options), nodePlatform);
  }
}
