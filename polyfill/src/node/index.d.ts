// Types of "wasi-polyfill" and "wasi-polyfill/trace" in Node (one entry
// there): the browser API, with host fd numbers for stdio, `trace`, and the
// host-directory helpers.
import type { MemFS, MemFSCore, StdinOption, StdoutOption, WASIOptionsBase } from "../index.js";
import { WASI as BaseWASI } from "../index.js";

export * from "../index.js";
export { traceImports } from "../trace.js";

export interface WASIOptions extends WASIOptionsBase<StdinOption | number, StdoutOption | number> {
  /**
   * stdin: bytes, a string, a function, or a host fd number.
   * Default: the process's stdin (fd 0), read when the guest reads.
   */
  stdin?: StdinOption | number;
  /** stdout: a function or a host fd number. Default: the process's stdout (fd 1). */
  stdout?: StdoutOption | number;
  /** stderr: a function or a host fd number. Default: the process's stderr (fd 2). */
  stderr?: StdoutOption | number;
  /** Receives the syscall trace, a line per call and per return. */
  trace?: ((line: string) => void) | null;
}

/** node:wasi's WASI class over an in-memory filesystem (Node: stdio defaults to the process's). */
export declare class WASI<FS extends MemFSCore = MemFSCore> extends BaseWASI<FS> {
  constructor(options: WASIOptions & { fs?: FS });
}

/**
 * Copy a host directory into `memfs` at `memfsPath` (created if missing;
 * symlinks copied, not followed), depth-first with names in UTF-8 byte order.
 * `times: false` leaves the MemFS clock's times.
 */
export declare function loadHostDir(memfs: MemFS, hostDir: string, memfsPath: string, options?: { times?: boolean }): void;
/** Make `hostDir` match the MemFS directory `memfsPath` (never follows host symlinks). */
export declare function writeBackHostDir(memfs: MemFSCore, memfsPath: string, hostDir: string): void;
