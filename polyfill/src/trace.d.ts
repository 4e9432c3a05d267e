// Types of "wasi-polyfill/trace" in browsers and bundlers: the whole API of
// "wasi-polyfill", whose WASI here also takes the `trace` option.
import type { Preview1Imports } from "./generated/preview1.js";
import type { MemFSCore, WASIOptionsBase } from "./index.js";
import { WASI as BaseWASI } from "./index.js";

export * from "./index.js";

export interface WASIOptions extends WASIOptionsBase {
  /** Receives the syscall trace, a line per call (`==> fd_write(fd=1,...)`) and per return (`<== (nwritten=6,errno=ESUCCESS)`). */
  trace?: ((line: string) => void) | null;
}

/** node:wasi's WASI class over an in-memory filesystem, with the syscall trace. */
export declare class WASI<FS extends MemFSCore = MemFSCore> extends BaseWASI<FS> {
  constructor(options: WASIOptions & { fs?: FS });
}

/**
 * Wraps an import object so that every call reports `==> name(params)` and
 * `<== (results,errno=...)` lines to `trace`; `mem` is the GuestMemory the
 * imports were made with (results are read back from it).
 */
export declare function traceImports(imports: Preview1Imports, mem: unknown, trace: (line: string) => void): Preview1Imports;
