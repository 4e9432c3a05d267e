// Types of the "wasi-polyfill/trace" entry: the whole API of "wasi-polyfill",
// whose WASI class here accepts the `trace` option in browsers too.
import type { Preview1Imports } from "./generated/preview1";

export * from "./index";

/**
 * Wraps an import object so that every call reports `==> name(params)` and
 * `<== (results,errno=...)` lines to `trace`; `mem` is the GuestMemory the
 * imports were made with (results are read back from it).
 */
export declare function traceImports(imports: Preview1Imports, mem: unknown, trace: (line: string) => void): Preview1Imports;
