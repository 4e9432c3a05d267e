// The guest's stdin, stdout and stderr as streams (browser-safe; the Node
// host-fd streams are in node/stdio.js).
//
// - stdin: a Uint8Array, a string (UTF-8), or a function `(maxBytes) =>
//   Uint8Array | string | null` called when the guest reads (null or empty:
//   end of input). Bytes a function returns beyond `maxBytes` are kept for
//   the next read.
// - stdout/stderr: a function receiving each write as a Uint8Array (a copy the
//   caller may keep), delivered at once, without line buffering.
// None of these is a terminal: fd_fdstat_get reports `filetype.unknown`, as
// wasmtime does for a pipe, so libc buffers output fully (spec/RATIONALE.md,
// "Stdio").
import { errno } from "./generated/constants.js";
import { WasiError } from "./errors.js";
import { asyncStdin } from "./api_errors.js";

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/** Input from a fixed byte sequence. */
export class BytesInput {
  constructor(bytes) {
    this.bytes = bytes;
    this.offset = 0;
    this.isatty = false;
  }

  /** Up to `max` bytes (a view valid until the next call); empty at end of input. */
  read(max) {
    const start = this.offset;
    const end = Math.min(this.bytes.length, start + max);
    this.offset = end;
    return this.bytes.subarray(start, end);
  }
}

/** Input pulled from a function. */
export class FunctionInput {
  constructor(fn) {
    this.fn = fn;
    this.pending = EMPTY;
    this.isatty = false;
  }

  read(max) {
    if (this.pending.length === 0) {
      let chunk = this.fn(max);
      if (chunk === null || chunk === undefined) return EMPTY;
      if (typeof chunk.then === "function") throw asyncStdin("options.stdin", "is a function that returned a Promise");
      if (typeof chunk === "string") chunk = encoder.encode(chunk);
      else if (!(chunk instanceof Uint8Array)) {
        if (!ArrayBuffer.isView(chunk)) throw new WasiError(errno.io, "stdin function must return a Uint8Array, a string or null");
        chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
      this.pending = chunk;
    }
    const n = Math.min(max, this.pending.length);
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return out;
  }
}

/** Output delivered to a function, one copy per write. */
export class FunctionOutput {
  constructor(fn) {
    this.fn = fn;
    this.isatty = false;
  }

  /** Write `n` bytes of `src` from `offset`. */
  write(src, offset, n) {
    this.fn(src.slice(offset, offset + n));
  }

  /**
   * fd_write: `n` bytes of buffer `i` of `iovs` (an IoVecs) from `offset`,
   * copied once, straight from guest memory into the chunk the function gets
   * (rather than through the runtime's scratch buffer and a second copy).
   */
  writeFrom(iovs, i, offset, n) {
    const chunk = new Uint8Array(n);
    iovs.read(i, offset, chunk, 0, n);
    this.fn(chunk);
  }

  flush() {}
}

/**
 * Output to the console, a line per call (the browser default, where there is
 * no stdout). Text is decoded as UTF-8; a partial last line is printed by flush().
 */
export class ConsoleOutput {
  constructor(print) {
    this.print = print;
    this.decoder = new TextDecoder();
    this.line = "";
    this.isatty = false;
  }

  write(src, offset, n) {
    this.line += this.decoder.decode(src.subarray(offset, offset + n), { stream: true });
    let nl;
    while ((nl = this.line.indexOf("\n")) !== -1) {
      this.print(this.line.slice(0, nl));
      this.line = this.line.slice(nl + 1);
    }
  }

  flush() {
    this.line += this.decoder.decode();
    if (this.line) this.print(this.line);
    this.line = "";
  }
}

/** Output that goes nowhere. */
export class NullOutput {
  constructor() { this.isatty = false; }
  write() {}
  flush() {}
}

/**
 * The stdin stream for a WASI `stdin` option (browser-safe kinds).
 * @param {unknown} value
 * @param {(value: unknown) => object | undefined} [host] extra kinds (Node: host fd numbers)
 */
export function makeInput(value, host) {
  if (value === undefined) return new BytesInput(EMPTY);
  if (typeof value === "string") return new BytesInput(encoder.encode(value));
  if (value instanceof Uint8Array) return new BytesInput(value);
  if (ArrayBuffer.isView(value)) return new BytesInput(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  if (value instanceof ArrayBuffer) return new BytesInput(new Uint8Array(value));
  if (typeof value === "function") return new FunctionInput(value);
  const s = host?.(value);
  if (s) return s;
  if (value !== null && typeof value === "object" && typeof value.read === "function") return value; // a stream object
  return null;
}

/**
 * The stream for a WASI `stdout`/`stderr` option; null if `value` is not one.
 * @param {(value: unknown, which: string) => object | undefined} [host] extra kinds (Node: host fd numbers)
 * @param {string} [which] "stdout" or "stderr"
 */
export function makeOutput(value, host, which) {
  if (typeof value === "function") return new FunctionOutput(value);
  const s = host?.(value, which);
  if (s) return s;
  if (value !== null && typeof value === "object" && typeof value.write === "function") return value;
  return null;
}
