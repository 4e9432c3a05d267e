// Types of "wasi-polyfill" in browsers, bundlers and other non-Node
// runtimes (hand-written; the spec types come from the generated
// ./generated/preview1.d.ts). Node's entry (./node/index.d.ts) and the
// tracing entry (./trace.d.ts) extend these: what only they accept (host fd
// numbers, `trace`, the host-directory helpers) does not type-check here,
// as the browser build rejects it at run time.
import type { Preview1Imports, errno, filetype } from "./generated/preview1.js";

export * from "./generated/preview1.js";

/** POSIX spelling of each errno, by value: `errnoCode[errno.badf] === "EBADF"`. */
export declare const errnoCode: readonly string[];
/** Spec name of each enum case, by value: `enumNames.filetype[4] === "regular_file"`. */
export declare const enumNames: {
  readonly [E in "clockid" | "errno" | "whence" | "filetype" | "advice" | "eventtype" | "signal" | "preopentype"]: readonly string[];
};
/** Every defined bit of each flags type (a value with another bit is EINVAL). */
export declare const allFlags: { readonly rights: bigint } & {
  readonly [F in "fdflags" | "fstflags" | "lookupflags" | "oflags" | "eventrwflags" | "subclockflags" | "riflags" | "roflags" | "sdflags"]: number;
};

/** A WASI error: `errno` as the guest sees it, `code` as Node's fs errors spell it ("ENOENT"). */
export declare class WasiError extends Error {
  constructor(errno: errno, message?: string);
  readonly errno: errno;
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

/**
 * Called when the guest reads stdin, with the most bytes it wants: return
 * bytes or a string (UTF-8), or null/undefined/empty for end of input. It must
 * answer synchronously: an `async` function is a TypeError.
 */
export type StdinFunction = (maxBytes: number) => Uint8Array | string | null | undefined;
/** Guest stdin: bytes, a string (UTF-8) or a function. Default: empty input. */
export type StdinOption = ArrayBufferView | ArrayBuffer | string | StdinFunction;
/** Receives each write of the guest to stdout or stderr (a copy it may keep). */
export type OutputFunction = (chunk: Uint8Array) => void;
/** Guest stdout/stderr. Default: console.log / console.error, a line per call. */
export type StdoutOption = OutputFunction;

/**
 * Async mode's stdin, beyond the sync kinds: a ReadableStream, an async
 * iterable of chunks, or a function that may return a Promise (null or empty:
 * end of input); read only when the guest reads.
 */
export type AsyncStdinKinds = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>
  | ((maxBytes: number) => Uint8Array | string | null | undefined | Promise<Uint8Array | string | null | undefined>);
/** Async mode's stdout/stderr, beyond the sync kinds: a WritableStream (its backpressure holds the guest back; not closed at exit). */
export type AsyncStdoutKinds = WritableStream<Uint8Array>;
/** Which stdio streams the guest sees as terminals (character devices, as wasmtime reports a tty): all with `true`. */
export type TtyOption = boolean | { stdin?: boolean; stdout?: boolean; stderr?: boolean };

/**
 * The options every entry accepts. `StdinT` and `StdoutT` are what the entry
 * takes for stdio (Node adds host fd numbers); each entry's `WASIOptions`
 * is this with its own stdio types, plus what only that entry has. `Async`:
 * whether `async: true` is given (then stdio may also be streams).
 */
export interface WASIOptionsBase<StdinT = StdinOption, StdoutT = StdoutOption, Async extends boolean = false> {
  /** Must be "preview1". */
  version: "preview1";
  /** argv; argv[0] is the program name. */
  args?: readonly string[];
  /** The environment; entries whose value is undefined are left out (so `process.env` fits). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Guest path → absolute path inside `fs`; preopened as fds 3, 4, ... in this order. */
  preopens?: Readonly<Record<string, string>>;
  /**
   * The filesystem the preopens refer to. Default: a new empty MemFSCore
   * (the same tree without the Node-style methods).
   */
  fs?: MemFSCore;
  stdin?: Async extends true ? StdinT | AsyncStdinKinds : StdinT;
  stdout?: Async extends true ? StdoutT | AsyncStdoutKinds : StdoutT;
  stderr?: Async extends true ? StdoutT | AsyncStdoutKinds : StdoutT;
  /**
   * Async mode (JSPI: WebAssembly.Suspending and WebAssembly.promising;
   * Chromium 137+, Firefox 153+, Node 26+): stdio can wait, poll_oneoff and
   * sched_yield let the event loop run, and start()/initialize() return
   * Promises. Without JSPI the constructor throws ERR_WASI_JSPI_UNAVAILABLE
   * (use "wasi-polyfill/worker" instead). Default false.
   */
  async?: Async;
  /** Report these stdio streams as terminals, so libc line-buffers stdout and REPLs prompt. */
  tty?: TtyOption;
  /** true (default): start() returns proc_exit's code. false: Node exits the process; a browser throws WasiExit. */
  returnOnExit?: boolean;
  /**
   * Clocks as counters stepping 1 ms per read, SplitMix64 random bytes, file
   * times from the realtime counter (the filesystem's clock is replaced), poll_oneoff
   * that never sleeps ("Deterministic mode" in the package's RATIONALE).
   */
  deterministic?: boolean;
  /** Open descriptors allowed, stdio and preopens included (EMFILE beyond); default 2^20. */
  maxFds?: number;
}

/**
 * Options of this entry's WASI. No `trace` here: the default browser entry
 * leaves the trace code out (import from "wasi-polyfill/trace" for it).
 */
export interface WASIOptions<Async extends boolean = false> extends WASIOptionsBase<StdinOption, StdoutOption, Async> {}

/** Anything with the exports of an instance (`_start` or `_initialize`, and `memory`). */
export type InstanceLike = WebAssembly.Instance | { exports: WebAssembly.Exports };

/**
 * node:wasi's WASI class over an in-memory filesystem. `FS` is the type of
 * `fs` as given (MemFSCore when none is).
 */
export declare class WASI<FS extends MemFSCore = MemFSCore, Async extends boolean = false> {
  constructor(options: WASIOptions<Async> & { fs?: FS });
  /** The `wasi_snapshot_preview1` import functions. */
  readonly wasiImport: Preview1Imports;
  /** The filesystem the preopens live in (`options.fs`, or the one made for this WASI). */
  readonly fs: FS;
  /** `{ wasi_snapshot_preview1: wasiImport }`: the `imports` of `WebAssembly.instantiate`. */
  getImportObject(): { wasi_snapshot_preview1: Preview1Imports };
  /** Runs `_start`; returns the exit code (0 if `_start` returns); in async mode a Promise of it. */
  start(instance: InstanceLike): Async extends true ? Promise<number> : number;
  /** Runs `_initialize` if exported (a reactor). */
  initialize(instance: InstanceLike): Async extends true ? Promise<void> : void;
}

export interface MemFSOptions {
  /**
   * Bytes regular files may hold together, holes included (a write that
   * partly fits is short; ENOSPC when nothing fits); default unlimited.
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
  /** Inode number of the first inode made after the root (default 2; deterministic runs use 1). */
  nextIno?: number;
}

/**
 * The in-memory POSIX tree the guest sees, without the Node-style methods:
 * what a WASI made without `fs` has. Use MemFS to read and write files
 * from JavaScript.
 */
export declare class MemFSCore {
  constructor(options?: MemFSOptions);
  readonly dev: bigint;
  /** Bytes held by regular files and the inodes in use. */
  readonly usage: { bytes: number; inodes: number };
  /** Use `clock` (ns) for timestamps from now on; null: the host's clock. */
  setClock(clock: (() => bigint) | null): void;
  /**
   * Mount `backend` over the existing directory `path` (absolute): the guest
   * sees its tree there; rename and link across are EXDEV. A MemFS is a
   * backend too, and so is a UrlDirectory (a read-only tree over HTTP); in Node,
   * so is a HostDirectory (a live host folder).
   */
  mount(path: string, backend: FilesystemBackend): Promise<void>;
  /** mount() at once, for a synchronous backend. */
  mountSync(path: string, backend: FilesystemBackend): void;
  /** Is a backend that may wait (`async: true`: HandleDirectory on the main thread) mounted? A WASI over it needs async mode. */
  hasAsyncMount(): boolean;
  /** Take away the backend mounted at `path` (EBUSY while descriptors are open on it) and return it. */
  unmount(path: string): FilesystemBackend;
}

/** What a UrlDirectory's synchronous transport answers (options.get). */
export interface UrlResponse { status: number; contentRange: string | null; body: Uint8Array }

/**
 * A read-only tree served over HTTP, to mount in a MemFS (`await
 * fs.mount("/lib", new UrlDirectory("https://example.org/tree/"))`): its
 * index (`wasi-polyfill index DIR > DIR/index.json`) is fetched at mount,
 * each file's bytes when the guest first reads it, at most once per mount
 * (ranges above `rangeThreshold`); a failed request is EIO for the guest,
 * every change fails as on a read-only mount under wasmtime (EIO; docs/url-directory.md).
 */
export declare class UrlDirectory {
  constructor(baseUrl: string | URL, options?: {
    fetch?: typeof fetch;
    index?: string;
    get?: (url: string, range: [number, number] | null, timeoutMs: number) => UrlResponse;
    rangeThreshold?: number;
    chunkSize?: number;
    timeout?: number;
    dev?: number | bigint;
    /** For a WASI in async mode (JSPI): bytes by fetch, the read waiting for them (a sync WASI refuses it). */
    async?: boolean;
  });
  /** options.async: an asynchronous backend. */
  readonly async: boolean;
  /** The tree's URL (ends with "/"). */
  readonly baseUrl: string;
  /** Descriptors open on it. */
  readonly busy: number;
  /** Requests made (the index's included) and body bytes received so far. */
  readonly stats: { requests: number; bytes: number };
  /** Fetch the index (fs.mount does it). */
  open(): Promise<void>;
  createFile(...args: never[]): unknown;
}

export interface HandleDirectoryOptions {
  /** Data files made in advance for new files (default 32): past them a new file stays in memory until the run ends. */
  spares?: number;
  /** The device number stat reports (default 1, as wasmtime). */
  dev?: number | bigint;
  /** Largest file (EFBIG beyond); default 2^31-1. */
  maxFileSize?: number;
  /** The Web Lock held while mounted (default: one per store). */
  lock?: string;
  /** Milliseconds one call of the browser's handle API may take before it fails with EIO (default 20000): never a hang. */
  timeout?: number;
}

/**
 * A FileSystemDirectoryHandle (the origin-private file system, or a folder
 * from showDirectoryPicker()) as a persistent filesystem, in a dedicated
 * Worker, or on a page's main thread for a WASI in async mode (JSPI):
 * `await fs.mount("/home", new HandleDirectory(await
 * navigator.storage.getDirectory()))`. The directory holds a store of ours
 * (metadata files and one data file per file), not the guest's names.
 */
export declare class HandleDirectory extends MemFSCore {
  constructor(handle: FileSystemDirectoryHandle, options?: HandleDirectoryOptions);
  readonly handle: FileSystemDirectoryHandle;
  /** Read the store and take its lock (fs.mount awaits it). EBUSY: mounted by another tab or worker. */
  open(): Promise<void>;
  /** Save the metadata now if it changed (fd_sync, fd_close and the end of a run do it too); on the main thread a Promise (file bytes written back first). */
  flush(): void | Promise<void>;
  /** Main thread: load every file's bytes (for a synchronous reader of the whole tree); nothing to do in a Worker. */
  preload(): Promise<void>;
  /** flush(), then spare data files made again. */
  flushAsync(): Promise<void>;
  /** Save, close every handle and release the lock. */
  close(): Promise<void>;
}

/** What can be mounted in a MemFS: a MemFS, or a backend such as Node's HostDirectory (vfs/memfs.js, "mounts"). */
export type FilesystemBackend = MemFSCore | { readonly async?: boolean; createFile(...args: never[]): unknown };

export type Encoding = "utf8" | "utf-8" | "latin1" | "binary";
export type TimeLike = number | string | Date | bigint;

export declare class Stats {
  private constructor();
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
  private constructor();
  name: string; parentPath: string; path: string;
  isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean;
  isBlockDevice(): boolean; isCharacterDevice(): boolean; isFIFO(): boolean; isSocket(): boolean;
}

/**
 * An in-memory POSIX filesystem with a Node fs-like synchronous API on
 * absolute paths from its root; errors are WasiError with Node's `code`,
 * `syscall` and `path`. Pass it as `fs` to WASI.
 */
export declare class MemFS extends MemFSCore {
  constructor(options?: MemFSOptions);
  readFileSync(path: string): Uint8Array;
  readFileSync(path: string, options: Encoding | { encoding: Encoding }): string;
  readFileSync(path: string, options?: { encoding?: null | "buffer" } | null): Uint8Array;
  writeFileSync(path: string, data: string | ArrayBufferView | ArrayBuffer, options?: Encoding | { encoding?: Encoding }): void;
  appendFileSync(path: string, data: string | ArrayBufferView | ArrayBuffer, options?: Encoding | { encoding?: Encoding }): void;
  /** With `recursive`, returns the first directory created (as Node). */
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
  readlinkSync(path: string, options: "buffer" | { encoding: "buffer" }): Uint8Array;
  linkSync(existingPath: string, newPath: string): void;
  renameSync(oldPath: string, newPath: string): void;
  unlinkSync(path: string): void;
  rmdirSync(path: string, options?: { recursive?: boolean }): void;
  rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  utimesSync(path: string, atime: TimeLike, mtime: TimeLike): void;
  lutimesSync(path: string, atime: TimeLike, mtime: TimeLike): void;
  truncateSync(path: string, len?: number): void;
}

/**
 * A tree snapshot: a directory tree as JSON-able data, the form in which trees
 * move between pages, workers and servers. File bytes are base64 (or a
 * Uint8Array when loading); times are nanoseconds since the epoch as decimal
 * strings; files with the same `id` are one inode (hard links).
 */
export type TreeSnapshot =
  | { type: "dir"; entries: { [name: string]: TreeSnapshot }; atim?: string; mtim?: string }
  | { type: "file"; data: string | Uint8Array; id?: number; atim?: string; mtim?: string }
  | { type: "symlink"; target: string; atim?: string; mtim?: string };
/** A directory's snapshot (what loadTree takes and dumpTree returns). */
export type TreeDir = Extract<TreeSnapshot, { type: "dir" }>;

/**
 * Load `tree` (a dir) into `memfs` at the absolute path `at` (created with its
 * parents if missing; what is there already stays). `times: false`: the
 * MemFS clock stamps everything instead of the tree's times.
 */
export declare function loadTree(memfs: MemFS, at: string, tree: TreeDir, options?: { times?: boolean }): void;
/** The MemFS directory `at` as a tree snapshot (data as base64). */
export declare function dumpTree(memfs: MemFS, at: string): TreeDir;
/**
 * What differs between two trees, one line per difference in path order
 * ("PATH: only in a", "PATH: contents differ (N bytes vs M bytes)", ...);
 * empty when they agree. Times are compared only with `times: true`.
 */
export declare function diffTrees(a: TreeDir, b: TreeDir, options?: { times?: boolean }): string[];
