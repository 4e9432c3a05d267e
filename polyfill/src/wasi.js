// The WASI class: node:wasi's API (constructor options, wasiImport,
// getImportObject, start, initialize) over the in-memory runtime.
//
// Differences from node:wasi, all additive: `fs` (the MemFS the preopens
// refer to), `maxFds` (EMFILE beyond), `trace`, `deterministic` (spec/RATIONALE.md, "Deterministic
// mode"), and stdio that can be bytes, strings or functions (host fd numbers
// only in Node). proc_exit with a status ≥ 126 fails the run as in
// wasmtime (InvalidExitStatus) rather than returning the status.
import { createImports } from "./generated/imports.js";
import { GuestMemory } from "./memory.js";
import { MemFSCore } from "./vfs/memfs.js";
import { Preview1Runtime } from "./runtime.js";
import { DeterministicClocks } from "./clocks.js";
import { SplitMix64 } from "./random.js";
import { WasiExit } from "./syscalls/proc.js";
import { makeInput, makeOutput, ConsoleOutput, BytesInput } from "./stdio.js";
import {
  alreadyStarted, asyncStdin, invalidArgType, isAsyncFunction, invalidArgValue, invalidMemory, traceNotIncluded,
  validateFunction, validateObject, validateUndefined,
} from "./api_errors.js";

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

/** options.stdout or options.stderr as an output stream (the platform's default if absent). */
function outputStream(options, which, platform) {
  const value = options[which];
  if (value === undefined) return platform.defaultOutput(which);
  const stream = makeOutput(value, platform.output && ((v) => platform.output(v, which)));
  if (!stream) throw invalidArgType(`options.${which}`, platform.describeOutput, value);
  return stream;
}

export class WASI {
  #runtime;
  #mem;
  #started = false;
  #returnOnExit;
  #platform;

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
      if (!Array.isArray(options.args)) throw invalidArgType("options.args", "an instance of Array", options.args);
      for (const a of options.args) args.push(`${a}`); // (a loop, not map: one array shape for V8)
    }
    let env = [];
    if (options.env !== undefined) {
      validateObject(options.env, "options.env");
      env = Object.entries(options.env).filter(([, v]) => v !== undefined).map(([k, v]) => [k, `${v}`]);
    }
    let preopens = [];
    if (options.preopens !== undefined) {
      validateObject(options.preopens, "options.preopens");
      preopens = Object.entries(options.preopens).map(([k, v]) => [k, `${v}`]);
    }
    let returnOnExit = true;
    if (options.returnOnExit !== undefined) {
      if (typeof options.returnOnExit !== "boolean") throw invalidArgType("options.returnOnExit", "of type boolean", options.returnOnExit);
      returnOnExit = options.returnOnExit;
    }
    let fs = options.fs;
    if (fs !== undefined && !(fs instanceof MemFSCore)) throw invalidArgType("options.fs", "an instance of MemFS", fs);
    let deterministic = false;
    if (options.deterministic !== undefined) {
      if (typeof options.deterministic !== "boolean") throw invalidArgType("options.deterministic", "of type boolean", options.deterministic);
      deterministic = options.deterministic;
    }
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

    if (isAsyncFunction(options.stdin)) throw asyncStdin("options.stdin", "is an async function");
    const stdin = options.stdin === undefined ? platform.defaultInput() : makeInput(options.stdin, platform.input);
    if (!stdin) throw invalidArgType("options.stdin", platform.describeInput, options.stdin);
    const stdout = outputStream(options, "stdout", platform);
    const stderr = outputStream(options, "stderr", platform);

    this.#platform = platform;
    this.#returnOnExit = returnOnExit;
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
      fs, args, env, preopens, stdin, stdout, stderr, clocks, random, maxFds,
      crypto: platform.crypto,
      exit: (code) => {
        if (this.#returnOnExit) throw new WasiExit(code);
        this.#runtime.flush();
        platform.exitProcess(code);
      },
    });
    this.#mem = new GuestMemory();
    /** The `wasi_snapshot_preview1` functions, as node:wasi's `wasiImport`. */
    const imports = createImports(this.#runtime, this.#mem);
    this.wasiImport = trace ? platform.traceImports(imports, this.#mem, trace) : imports;
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
   */
  start(instance) {
    const exports = this.#bind(instance);
    validateFunction(exports._start, "instance.exports._start");
    validateUndefined(exports._initialize, "instance.exports._initialize");
    try {
      exports._start();
      return 0;
    } catch (e) {
      if (e instanceof WasiExit && this.#returnOnExit) return e.code;
      throw e;
    } finally {
      this.#runtime.flush();
    }
  }

  /**
   * Initialize a reactor: calls `_initialize` if exported. Returns undefined.
   */
  initialize(instance) {
    const exports = this.#bind(instance);
    validateUndefined(exports._start, "instance.exports._start");
    if (exports._initialize !== undefined) {
      validateFunction(exports._initialize, "instance.exports._initialize");
      try {
        exports._initialize();
      } finally {
        this.#runtime.flush();
      }
    }
  }

  #bind(instance) {
    if (this.#started) throw alreadyStarted();
    this.#started = true;
    validateObject(instance, "instance");
    validateObject(instance.exports, "instance.exports");
    const memory = instance.exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw invalidMemory("instance.exports.memory");
    this.#mem.bind(memory);
    return instance.exports;
  }
}
