// Types of wasi-polyfill/worker (hand-written): run a WASI command in a dedicated Worker.
import type { MemFS, TtyOption } from "./index.js";

export type WorkerMode = "shared-memory" | "jspi" | "buffered";

/**
 * The mode a WasiWorker started now would use: "shared-memory" (the page is
 * cross-origin isolated: the worker blocks in Atomics.wait), "jspi" (async mode
 * in the worker), or "buffered" (neither: stdin only up front), and why.
 */
export declare function workerMode(): { mode: WorkerMode; reason: string };

export interface WasiWorkerOptions {
  /** argv, argv[0] included (default ["program"]). */
  args?: string[];
  env?: Record<string, string>;
  /** The page's MemFS that `preopens` refer to; the worker runs on a snapshot of those directories. */
  fs?: MemFS;
  /** Guest path → path in `fs`. */
  preopens?: Record<string, string>;
  /** Guest path → tree snapshot (the run/tree.js format), when there is no `fs`. */
  trees?: Record<string, object>;
  /** Guest path → a directory of the origin-private file system ("home", "apps/home"), or a directory handle (a folder from showDirectoryPicker()), live and persistent (a HandleDirectory in the worker). */
  opfs?: Record<string, string | FileSystemDirectoryHandle>;
  /** Guest path → the base URL of a tree served with its index (docs/url-directory.md), mounted read-only in the worker as a UrlDirectory: files fetched as the guest reads them. */
  urls?: Record<string, string | URL>;
  /** When the guest ends (never after terminate()), make each preopened directory of `fs` match its final tree. */
  writeBack?: boolean;
  /** Bytes given up front, then end of input (the only stdin in "buffered" mode). */
  stdin?: Uint8Array | string;
  /** Each write to stdout, as it comes. */
  onStdout?: (bytes: Uint8Array) => void;
  onStderr?: (bytes: Uint8Array) => void;
  /** The syscall trace (as `new WASI({ trace })` gives it), a line at a time, in order with the output. */
  trace?: (line: string) => void;
  /** The guest waits for stdin: it has read all that write() gave, and end() was not called. */
  onStdinWait?: () => void;
  tty?: TtyOption;
  deterministic?: boolean;
  /** Where wasi-worker.js is served (default: next to this module). */
  workerUrl?: string | URL;
}

/** After the run, by guest path: what an `opfs` mount holds, or what a `urls` mount fetched of its tree. */
export type MountedInfo =
  | { entries: { path: string; type: "file" | "dir" | "symlink"; size: number; target?: string }[] }
  | { requests: number; bytes: number; files: number; size: number };

export declare class WasiWorker {
  constructor(program: BufferSource | WebAssembly.Module, options?: WasiWorkerOptions);
  readonly mode: WorkerMode;
  readonly reason: string;
  /** The exit status, the trap's message if the guest trapped (else null) and, with writeBack, the final trees; rejects (one readable Error) on a usage mistake or terminate(). */
  readonly exited: Promise<{ status: number; trap: string | null; trees: object[] | null; mounted?: Record<string, MountedInfo> }>;
  /** Feed stdin (bytes or UTF-8 text); throws in "buffered" mode, naming why. */
  write(data: Uint8Array | string): void;
  /** End of input. */
  end(): void;
  /** Stop the guest now; the page's MemFS is left as it was. */
  terminate(): void;
}
