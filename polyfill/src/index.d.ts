// Types of wasi-polyfill's public API (hand-written; the spec types come
// from the generated ./generated/preview1.d.ts).
import type { Preview1Imports, filetype } from "./generated/preview1";

export * from "./generated/preview1";

/** POSIX spelling of each errno, by value: `errnoCode[errno.badf] === "EBADF"`. */
export declare const errnoCode: readonly string[];
/** Spec name of each enum case, by value: `enumNames.filetype[4] === "regular_file"`. */
export declare const enumNames: Readonly<Record<string, readonly string[]>>;

/** A WASI error: `errno` as the guest sees it, `code` as Node's fs errors spell it ("ENOENT"). */
export declare class WasiError extends Error {
  constructor(errno: number, message?: string);
  readonly errno: number;
  readonly code: string;
  /** Set by MemFS's Node-style methods. */
  syscall?: string;
  path?: string;
  dest?: string;
}

/** Thrown out of `start()` by proc_exit when it does not return the code (returnOnExit: false in a browser). */
export declare class WasiExit extends Error {
  readonly code: number;
}

/** proc_exit with a status ≥ 126: the run fails, as in wasmtime. */
export declare class InvalidExitStatus extends Error {
  readonly code: number;
}

/** Guest stdin: bytes, a string, or a function called with the most bytes wanted (null or empty: end of input). */
export type StdinOption = Uint8Array | ArrayBufferView | ArrayBuffer | string | ((maxBytes: number) => Uint8Array | string | null | undefined) | number;
/** Guest stdout/stderr: a function receiving each write (a copy it may keep); in Node also a host fd number. */
export type StdoutOption = ((chunk: Uint8Array) => void) | number;

/**
 * Async mode's stdin (`async: true`): also a ReadableStream, an async
 * iterable of chunks, or a function that may return a Promise; read only when
 * the guest reads.
 */
export type AsyncStdinOption = StdinOption | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>
  | ((maxBytes: number) => Promise<Uint8Array | string | null | undefined> | Uint8Array | string | null | undefined);
/** Async mode's stdout/stderr: also a WritableStream (its backpressure holds the guest back; not closed at exit). */
export type AsyncStdoutOption = StdoutOption | WritableStream<Uint8Array>;

/** Which stdio streams the guest sees as terminals (character devices): all with `true`. */
export type TtyOption = boolean | { stdin?: boolean; stdout?: boolean; stderr?: boolean };

export interface WASIOptions {
  /** Must be "preview1". */
  version: "preview1";
  /** argv; argv[0] is the program name. */
  args?: readonly unknown[];
  env?: Record<string, unknown>;
  /** Guest path → path inside `fs`; preopened as fds 3, 4, ... in this order. */
  preopens?: Record<string, string>;
  /** The filesystem the preopens refer to (default: a new empty MemFS). */
  fs?: MemFS;
  /** Default: the process's stdin in Node, empty input in a browser. */
  stdin?: StdinOption;
  /** Default: the process's stdout in Node, console.log lines in a browser. */
  stdout?: StdoutOption;
  /** Default: the process's stderr in Node, console.error lines in a browser. */
  stderr?: StdoutOption;
  /** true (default): start() returns proc_exit's code. false: Node exits the process; a browser throws WasiExit. */
  returnOnExit?: boolean;
  /**
   * Receives the syscall trace, a line per call and per return. In browsers
   * it needs the "wasi-polyfill/trace" entry (the default one leaves the trace
   * code out and throws ERR_WASI_TRACE_NOT_INCLUDED); in Node both entries have it.
   */
  trace?: ((line: string) => void) | null;
  /**
   * Clocks as counters stepping 1 ms per read, SplitMix64 random bytes, file
   * times from the realtime counter (the MemFS's clock is replaced), poll_oneoff
   * that never sleeps: spec/RATIONALE.md, "Deterministic mode".
   */
  deterministic?: boolean;
  /** Open descriptors allowed, stdio and preopens included (EMFILE beyond); default 2^20. */
  maxFds?: number;
  /**
   * Report these stdio streams as terminals (filetype character_device, as
   * wasmtime reports a tty), so libc line-buffers stdout and REPLs prompt.
   */
  tty?: TtyOption;
  /** Sync mode (the default). */
  async?: false;
}

/**
 * Async mode (JSPI: WebAssembly.Suspending and WebAssembly.promising; Chromium
 * 137+, Firefox 153+, Node 26+): stdin, stdout and stderr can wait, and
 * poll_oneoff and sched_yield let the event loop run; start() and
 * initialize() return Promises. Without JSPI the constructor throws
 * ERR_WASI_JSPI_UNAVAILABLE (use "wasi-polyfill/worker" instead).
 */
export interface AsyncWASIOptions extends Omit<WASIOptions, "async" | "stdin" | "stdout" | "stderr"> {
  async: true;
  stdin?: AsyncStdinOption;
  stdout?: AsyncStdoutOption;
  stderr?: AsyncStdoutOption;
}

/** node:wasi's WASI class over an in-memory filesystem (async mode: see AsyncWASIOptions). */
export declare class WASI {
  constructor(options: WASIOptions | AsyncWASIOptions);
  /** The `wasi_snapshot_preview1` import functions. */
  readonly wasiImport: Preview1Imports;
  /** The MemFS the preopens live in. */
  readonly fs: MemFS;
  getImportObject(): { wasi_snapshot_preview1: Preview1Imports };
  /** Runs `_start`; returns the exit code (0 if `_start` returns); async mode: a Promise of it. */
  start(instance: WebAssembly.Instance | { exports: WebAssembly.Exports }): number | Promise<number>;
  /** Runs `_initialize` if exported (a reactor); async mode: returns a Promise. */
  initialize(instance: WebAssembly.Instance | { exports: WebAssembly.Exports }): void | Promise<void>;
}

export interface MemFSOptions {
  /**
   * Bytes regular files may hold together, holes included (a write that
   * partly fits is short; ENOSPC when nothing fits); default unlimited.
   * spec/RATIONALE.md, "MemFS capacity".
   */
  maxBytes?: number;
  /** Inodes alive at once, the root included (ENOSPC beyond); default unlimited. */
  maxInodes?: number;
  /** Largest file size (EFBIG beyond); default 2^31 - 1. */
  maxFileSize?: number;
  /** Realtime clock for timestamps, in ns; default: the host's. */
  clock?: () => bigint;
  /** Device number reported by stat; default 1 (as wasmtime). */
  dev?: number | bigint;
}

export type Encoding = "utf8" | "utf-8" | "latin1" | "binary";
export type TimeLike = number | string | Date | bigint;

export declare class Stats {
  dev: number; ino: number; mode: number; nlink: number; uid: number; gid: number; rdev: number;
  size: number; blksize: number; blocks: number;
  atimeMs: number; mtimeMs: number; ctimeMs: number; birthtimeMs: number;
  /** Exact times in nanoseconds. */
  atimeNs: bigint; mtimeNs: bigint; ctimeNs: bigint; birthtimeNs: bigint;
  readonly atime: Date; readonly mtime: Date; readonly ctime: Date; readonly birthtime: Date;
  /** The WASI filetype. */
  filetype: filetype;
  isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean;
  isBlockDevice(): boolean; isCharacterDevice(): boolean; isFIFO(): boolean; isSocket(): boolean;
}

export declare class Dirent {
  name: string; parentPath: string; path: string;
  isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean;
  isBlockDevice(): boolean; isCharacterDevice(): boolean; isFIFO(): boolean; isSocket(): boolean;
}

/** An in-memory POSIX filesystem with a Node fs-like synchronous API; errors are WasiError with Node's `code`. */
export declare class MemFS {
  constructor(options?: MemFSOptions);
  readonly dev: bigint;
  readonly usage: { bytes: number; inodes: number };
  readFileSync(path: string): Uint8Array;
  readFileSync(path: string, options: Encoding | { encoding: Encoding }): string;
  readFileSync(path: string, options?: { encoding?: null | "buffer" } | null): Uint8Array;
  writeFileSync(path: string, data: string | ArrayBufferView | ArrayBuffer, options?: Encoding | { encoding?: Encoding }): void;
  appendFileSync(path: string, data: string | ArrayBufferView | ArrayBuffer, options?: Encoding | { encoding?: Encoding }): void;
  mkdirSync(path: string, options?: { recursive?: boolean }): string | undefined;
  readdirSync(path: string): string[];
  readdirSync(path: string, options: { withFileTypes: true }): Dirent[];
  readdirSync(path: string, options?: { withFileTypes?: false }): string[];
  statSync(path: string): Stats;
  statSync(path: string, options: { throwIfNoEntry: false }): Stats | undefined;
  lstatSync(path: string): Stats;
  lstatSync(path: string, options: { throwIfNoEntry: false }): Stats | undefined;
  existsSync(path: string): boolean;
  symlinkSync(target: string, path: string): void;
  readlinkSync(path: string): string;
  linkSync(existingPath: string, newPath: string): void;
  renameSync(oldPath: string, newPath: string): void;
  unlinkSync(path: string): void;
  rmdirSync(path: string, options?: { recursive?: boolean }): void;
  rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  utimesSync(path: string, atime: TimeLike, mtime: TimeLike): void;
  lutimesSync(path: string, atime: TimeLike, mtime: TimeLike): void;
  truncateSync(path: string, len?: number): void;
  /** Use `clock` (ns) for timestamps from now on; null: the host's clock. */
  setClock(clock: (() => bigint) | null): void;
}

/**
 * Node only: copy a host directory into `memfs` at `memfsPath` (symlinks copied, not followed),
 * depth-first with names in UTF-8 byte order. `times: false` leaves the MemFS clock's times.
 */
export declare function loadHostDir(memfs: MemFS, hostDir: string, memfsPath: string, options?: { times?: boolean }): void;
/** Node only: make `hostDir` match the MemFS directory `memfsPath` (never follows host symlinks). */
export declare function writeBackHostDir(memfs: MemFS, memfsPath: string, hostDir: string): void;

