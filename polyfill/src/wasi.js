// The WASI class: node:wasi's API (constructor options, wasiImport,
// getImportObject, start, initialize) over the in-memory runtime.
//
// Differences from node:wasi, all additive: `fs` (the MemFS the preopens
// refer to), `maxFds` (EMFILE beyond), `trace`, `deterministic` (spec/RATIONALE.md, "Deterministic
// mode"), `tty` (stdio reported as a terminal), `async` (JSPI: stdio and
// poll_oneoff that wait without blocking; spec/RATIONALE.md, "Async mode"),
// and stdio that can be bytes, strings, functions or, in async mode, Web
// Streams and async iterables (host fd numbers only in Node). proc_exit with a status ≥ 126 fails the run as in
// wasmtime (InvalidExitStatus) rather than returning the status.
import { createImports, wantSplitI64 } from "./generated/imports.js";
import { GuestMemory } from "./memory.js";
import { MemFSCore } from "./vfs/memfs.js";
import { Preview1Runtime } from "./runtime.js";
import { DeterministicClocks } from "./clocks.js";
import { SplitMix64 } from "./random.js";
import { WasiExit } from "./syscalls/proc.js";
import { makeInput, makeOutput, ConsoleOutput, BytesInput } from "./stdio.js";
import {
  AsyncInput, StreamOutput, functionInput, isAsyncSource, isReadableStream, isWritableStream, iterableInput, streamInput,
} from "./stdio_async.js";
import {
  alreadyStarted, asyncStdin, invalidArgType, isAsyncFunction, invalidArgValue, invalidMemory, jspiMissing, traceNotIncluded,
  validateFunction, validateObject, validateUndefined,
} from "./api_errors.js";

// One import object made and dropped at load: V8 specialises a closure's
// optimised code to its context while it is the only closure made from its
// function, so each WASI's import functions (closures over its runtime)
// would otherwise be optimised again for the second WASI of a process
// (docs/performance.md, "Issue #17, round 5: metadata on Node").
createImports(null, null);

/** What async mode needs of the engine: JavaScript Promise Integration. */
export function hasJspi() {
  return typeof WebAssembly.Suspending === "function" && typeof WebAssembly.promising === "function";
}

/** Async mode: stdin as a stream that can wait (null: not an async kind; the sync kinds are tried next). */
function asyncInput(value) {
  if (isReadableStream(value)) return streamInput(value);
  if (typeof value === "function") return functionInput(value);
  if (isAsyncSource(value)) return iterableInput(value);
  return null;
}

/** options[name]: a boolean, or `fallback` if undefined. */
function optionalBoolean(options, name, fallback) {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw invalidArgType(`options.${name}`, "of type boolean", value);
  return value;
}

/** Which stdio streams a `tty` option makes terminals. */
function ttyStreams(tty) {
  if (tty === undefined || tty === false) return [];
  if (tty === true) return ["stdin", "stdout", "stderr"];
  if (tty !== null && typeof tty === "object") return ["stdin", "stdout", "stderr"].filter((k) => tty[k] === true);
  throw invalidArgType("options.tty", "a boolean or an object of booleans (stdin, stdout, stderr)", tty);
}

/**
 * What differs between platforms (the browser defaults are here; Node's are
 * in node/index.js).
 */
export const browserPlatform = {
  name: "browser",
  /** stdin/stdout/stderr kinds beyond the portable ones, or undefined. */
  input: undefined,
  output: undefined,
  defaultInput: () => new BytesInput(new Uint8Array(0)),
  defaultOutput: (which) => new ConsoleOutput(which === "stderr" ? (line) => console.error(line) : (line) => console.log(line)),
  /** proc_exit with returnOnExit: false. There is no process to end: unwind out of start(). */
  exitProcess: (code) => { throw new WasiExit(code); },
  clocks: undefined,
  crypto: undefined,
  describeInput: "a Uint8Array, a string or a function",
  describeOutput: "a function",
  /**
   * Wraps the imports to report each call (generated/trace.js), or undefined:
   * the default browser entry leaves tracing out (it is the "wasi-polyfill/trace" entry).
   */
  traceImports: undefined,
};

/** options.stdin as an input stream (the platform's default if absent). */
function inputStream(value, platform, async) {
  if (value === undefined) return platform.defaultInput();
  if (async) {
    const stream = asyncInput(value);
    if (stream !== null) return stream;
  } else if (isAsyncFunction(value)) {
    throw asyncStdin("options.stdin", "is an async function");
  }
  // (a ReadableStream is an async source too)
  if (isAsyncSource(value)) throw invalidArgValue("options.stdin", "a stream", "can be a ReadableStream or an async iterable only with async: true");
  const stream = makeInput(value, platform.input);
  if (!stream) throw invalidArgType("options.stdin", platform.describeInput, value);
  return stream;
}

/** options.stdout or options.stderr as an output stream (the platform's default if absent). */
function outputStream(value, which, platform, async) {
  if (value === undefined) return platform.defaultOutput(which);
  const stream = makeOutput(value, platform.output, which); // (a WritableStream is none of its kinds)
  if (stream) return stream;
  if (!isWritableStream(value)) throw invalidArgType(`options.${which}`, platform.describeOutput, value);
  if (!async) throw invalidArgValue(`options.${which}`, "a WritableStream", "can be a WritableStream only with async: true");
  return new StreamOutput(value);
}

export class WASI {
  #runtime;
  #mem;
  #started = false;
  #returnOnExit;
  #async;

  /**
   * @param {object} options as node:wasi, plus `fs` and `trace`
   * @param {object} [platform] internal: the Node entry passes its platform
   */
  constructor(options = {}, platform = browserPlatform) {
    validateObject(options, "options");
    const { version } = options;
    if (typeof version !== "string") throw invalidArgType("options.version", "of type string", version);
    if (version !== "preview1") throw invalidArgValue("options.version", version, "unsupported WASI version");

    let args = [];
    if (options.args !== undefined) {
      const given = options.args;
      if (!Array.isArray(given)) throw invalidArgType("options.args", "an instance of Array", given);
      for (let i = 0; i < given.length; i++) args.push(`${given[i]}`); // (by index, as node:wasi; not map: one array shape for V8)
    }
    // (indexed loops, not destructuring callbacks: an instance's first
    // hundreds of runs are interpreted, where `([k, v]) =>` runs the
    // iterator protocol per entry)
    const env = [];
    if (options.env !== undefined) {
      validateObject(options.env, "options.env");
      const entries = Object.entries(options.env);
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        if (e[1] !== undefined) env.push([e[0], `${e[1]}`]);
      }
    }
    const preopens = [];
    if (options.preopens !== undefined) {
      validateObject(options.preopens, "options.preopens");
      const entries = Object.entries(options.preopens);
      for (let i = 0; i < entries.length; i++) preopens.push([entries[i][0], `${entries[i][1]}`]);
    }
    const returnOnExit = optionalBoolean(options, "returnOnExit", true);
    let fs = options.fs;
    if (fs !== undefined && !(fs instanceof MemFSCore)) throw invalidArgType("options.fs", "an instance of MemFS", fs);
    const deterministic = optionalBoolean(options, "deterministic", false);
    let maxFds;
    if (options.maxFds !== undefined) {
      if (!Number.isSafeInteger(options.maxFds) || options.maxFds < 0) throw invalidArgType("options.maxFds", "a non-negative integer", options.maxFds);
      maxFds = options.maxFds;
    }
    let trace = null;
    if (options.trace !== undefined && options.trace !== null) {
      if (typeof options.trace !== "function") throw invalidArgType("options.trace", "of type function", options.trace);
      if (!platform.traceImports) throw traceNotIncluded();
      trace = options.trace;
    }

    const async = optionalBoolean(options, "async", false);
    if (async && !hasJspi()) throw jspiMissing();
    // An async backend mounted (HandleDirectory on the main thread) needs async mode (imports that wait, below).
    const asyncFs = fs !== undefined && fs.hasAsyncMount();
    if (asyncFs && !async) throw invalidArgValue("options.fs", "a MemFS", "has an asynchronous backend mounted (HandleDirectory on the main thread, UrlDirectory with async: true), which needs async: true");
    const tty = ttyStreams(options.tty);

    const stdin = inputStream(options.stdin, platform, async);
    const stdout = outputStream(options.stdout, "stdout", platform, async);
    const stderr = outputStream(options.stderr, "stderr", platform, async);
    const streams = { stdin, stdout, stderr };
    for (const which of tty) Object.defineProperty(streams[which], "isatty", { value: true, configurable: true });

    this.#returnOnExit = returnOnExit;
    this.#async = async;
    let clocks = platform.clocks, random;
    // Without preopens the guest cannot reach a filesystem: an empty MemFS is
    // made only if `wasi.fs` is asked for (an instance should cost little to start).
    if (fs === undefined && (preopens.length > 0 || deterministic)) fs = new MemFSCore();
    if (deterministic) {
      clocks = new DeterministicClocks();
      random = new SplitMix64(0n);
      fs.setClock(() => clocks.peekRealtime()); // file times: the realtime counter, not advanced
    }
    this.#runtime = new Preview1Runtime({
      fs, args, env, preopens, stdin, stdout, stderr, clocks, random, maxFds, async,
      crypto: platform.crypto,
      exit: (code) => {
        if (this.#returnOnExit) throw new WasiExit(code);
        this.#runtime.flush();
        platform.exitProcess(code);
      },
    });
    this.#mem = new GuestMemory();
    /** The `wasi_snapshot_preview1` functions, as node:wasi's `wasiImport`. */
    // Async mode: the imports that can wait get their async variant, wrapped
    // in WebAssembly.Suspending; fd_read and fd_write only when a stdio
    // stream can wait (a Suspending import costs a suspension on every call
    // in V8, even when it returns a plain value). Every other import stays plain.
    // An async backend mounted (HandleDirectory on the main thread: pages to
    // load, changes to write back) makes the file imports that reach it wait.
    let waiting = null;
    if (async) {
      waiting = ["poll_oneoff", "sched_yield"];
      if (stdin instanceof AsyncInput || asyncFs) waiting.push("fd_read");
      if (stdout instanceof StreamOutput || stderr instanceof StreamOutput || asyncFs) waiting.push("fd_write");
      if (asyncFs) waiting.push("fd_pread", "fd_pwrite", "fd_sync", "fd_datasync", "fd_close");
    }
    // SpiderMonkey: the imports with an i64 param through the i64 trampoline
    // (spec/RATIONALE.md, "i64 params through a wasm trampoline in SpiderMonkey").
    let imports = createImports(this.#runtime, this.#mem, waiting, waiting === null && !trace && wantSplitI64());
    if (trace) imports = platform.traceImports(imports, this.#mem, trace);
    if (waiting !== null) for (const name of waiting) imports[name] = new WebAssembly.Suspending(imports[name]);
    this.wasiImport = imports;
  }

  /** The MemFS the guest's preopens live in. */
  get fs() {
    return this.#runtime.fs;
  }

  /** `{ wasi_snapshot_preview1: wasiImport }`, for WebAssembly.instantiate. */
  getImportObject() {
    return { wasi_snapshot_preview1: this.wasiImport };
  }

  /**
   * Run a command: calls `_start` and returns its exit code (0 when `_start`
   * returns). Throws what node:wasi throws for a misused instance, and
   * rethrows traps (WebAssembly.RuntimeError) and other errors.
   * Async mode: returns a Promise of the exit code (rejected instead of throwing).
   */
  start(instance) {
    if (this.#async) return this.#startAsync(instance);
    const run = this.#command(instance);
    try {
      run();
      return 0;
    } catch (e) {
      return this.#exitCode(e);
    } finally {
      this.#runtime.flush();
    }
  }

  async #startAsync(instance) {
    const run = this.#command(instance);
    try {
      await WebAssembly.promising(run)();
      return 0;
    } catch (e) {
      return this.#exitCode(e);
    } finally {
      this.#runtime.flush();
      await this.#runtime.settle();
    }
  }

  /**
   * Initialize a reactor: calls `_initialize` if exported. Returns undefined
   * (async mode: a Promise of undefined). In async mode, call the reactor's
   * other exports through `WebAssembly.promising` if they may reach an import that waits.
   */
  initialize(instance) {
    if (this.#async) return this.#initializeAsync(instance);
    const init = this.#reactor(instance);
    if (init === undefined) return;
    try {
      init();
    } finally {
      this.#runtime.flush();
    }
  }

  async #initializeAsync(instance) {
    const init = this.#reactor(instance);
    if (init === undefined) return;
    try {
      await WebAssembly.promising(init)();
    } finally {
      this.#runtime.flush();
    }
  }

  /** A command's `_start`, its instance bound (what node:wasi checks, in its order). */
  #command(instance) {
    const exports = this.#bind(instance);
    validateFunction(exports._start, "instance.exports._start");
    validateUndefined(exports._initialize, "instance.exports._initialize");
    return exports._start;
  }

  /** A reactor's `_initialize` (or undefined), its instance bound. */
  #reactor(instance) {
    const exports = this.#bind(instance);
    validateUndefined(exports._start, "instance.exports._start");
    if (exports._initialize !== undefined) validateFunction(exports._initialize, "instance.exports._initialize");
    return exports._initialize;
  }

  /** What ends start(): proc_exit's code (with returnOnExit), else the error again. */
  #exitCode(e) {
    if (e instanceof WasiExit && this.#returnOnExit) return e.code;
    throw e;
  }

  #bind(instance) {
    if (this.#started) throw alreadyStarted();
    this.#started = true;
    validateObject(instance, "instance");
    validateObject(instance.exports, "instance.exports");
    const memory = instance.exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw invalidMemory("instance.exports.memory");
    this.#mem.bind(memory, true);
    return instance.exports;
  }
}
