// Types of "wasi-polyfill" and "wasi-polyfill/trace" in Node (one entry
// there): the browser API, with host fd numbers for stdio, `trace`, and the
// host-directory helpers.
import type { MemFS, MemFSCore, StdinOption, StdoutOption, WASIOptionsBase } from "../index.js";
import { WASI as BaseWASI } from "../index.js";

export * from "../index.js";
export { traceImports } from "../trace.js";

/**
 * stdin: bytes, a string, a function, or a host fd number (default: the
 * process's stdin, fd 0, read when the guest reads). stdout/stderr: a function
 * or a host fd number (default: the process's fds 1 and 2).
 */
export interface WASIOptions<Async extends boolean = false> extends WASIOptionsBase<StdinOption | number, StdoutOption | number, Async> {
  /** Receives the syscall trace, a line per call and per return. */
  trace?: ((line: string) => void) | null;
}

/**
 * node:wasi's WASI class (Node: stdio defaults to the process's). Without
 * `fs`, `preopens` maps guest paths to host directories, which the guest
 * works on live, as under node:wasi and wasmtime (each a HostDirectory
 * mounted in a fresh MemFSCore); with `fs`, to paths in that MemFS.
 */
export declare class WASI<FS extends MemFSCore = MemFSCore, Async extends boolean = false> extends BaseWASI<FS, Async> {
  constructor(options: WASIOptions<Async> & { fs?: FS });
}

/**
 * A live host directory to mount in a MemFS (`fs.mountSync("/sandbox", new
 * HostDirectory("/real/dir"))`): the guest reads and writes the real files,
 * through the MemFS's path resolution and sandbox; host symlinks are never
 * followed by the host on the guest's behalf.
 */
export declare class HostDirectory {
  /** `dev`: the device number stat reports (default 1, as wasmtime). */
  constructor(hostPath: string, options?: { dev?: number | bigint });
  /** The real path of the directory. */
  readonly hostPath: string;
  /** Descriptors open on it. */
  readonly busy: number;
  /** Close every host file the guest left open (descriptors still held on them then fail with EBADF). */
  close(): void;
  createFile(...args: never[]): unknown;
}

/**
 * Copy a host directory into `memfs` at `memfsPath` (created if missing;
 * symlinks copied, not followed), depth-first with names in UTF-8 byte order.
 * `times: false` leaves the MemFS clock's times.
 */
export declare function loadHostDir(memfs: MemFS, hostDir: string, memfsPath: string, options?: { times?: boolean }): void;
/** Make `hostDir` match the MemFS directory `memfsPath` (never follows host symlinks). */
export declare function writeBackHostDir(memfs: MemFSCore, memfsPath: string, hostDir: string): void;
