// Stdio that can wait, for async mode (`new WASI({ async: true })`; spec/RATIONALE.md,
// "Async mode"). The runtime asks these streams for bytes or room without
// blocking; when they have neither they hand it a Promise, the runtime
// returns that Promise from fd_read/fd_write before touching guest memory,
// and the generated glue runs the call again once it settles.
//
// - stdin: a ReadableStream<Uint8Array>, an AsyncIterable<Uint8Array | string>,
//   or a function `(maxBytes) => Uint8Array | string | null` that may also
//   return a Promise of one (null or empty: end of input).
// - stdout/stderr: a WritableStream<Uint8Array>. A write waits while the
//   stream's queue is full (its backpressure); a stream that fails makes
//   later writes EPIPE. The stream is not closed at exit; its lock is released.
import { errno } from "./generated/constants.js";
import { WasiError } from "./errors.js";

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

function isThenable(v) {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof v.then === "function";
}

/** A chunk as bytes; null for end of input. */
function asBytes(chunk) {
  if (chunk === null || chunk === undefined) return null;
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new WasiError(errno.io, "stdin must give Uint8Array or string chunks");
}

/**
 * Input pulled from a source that may answer later. `pull(max)` returns a
 * chunk, null (end of input), or a Promise of either; `emptyEnds`: whether an
 * empty chunk means end of input (functions) or just nothing yet (streams).
 */
export class AsyncInput {
  constructor(pull, emptyEnds, release = () => {}) {
    this.pull = pull;
    this.emptyEnds = emptyEnds;
    this.releaseSource = release;
    this.pending = EMPTY;
    this.ended = false;
    /** @type {Promise<void> | null} the pull in flight */
    this.waiting = null;
    this.failure = null;
    this.isatty = false;
  }

  /**
   * Up to `max` bytes (empty at end of input), or null when none are here
   * yet: then `wait()` settles once there are some (or the end).
   */
  read(max) {
    while (this.pending.length === 0) {
      if (this.failure !== null) throw this.failure;
      if (this.ended) return EMPTY;
      if (this.waiting !== null) return null;
      this.fill(max);
    }
    const n = Math.min(max, this.pending.length);
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return out;
  }

  /** One pull: its chunk is kept, or its Promise becomes `waiting`. */
  fill(max) {
    const got = this.pull(max);
    if (!isThenable(got)) {
      this.accept(got);
      return;
    }
    this.waiting = Promise.resolve(got).then(
      (chunk) => { this.waiting = null; this.accept(chunk); },
      (e) => { this.waiting = null; this.failure = e instanceof WasiError ? e : new WasiError(errno.io, `stdin: ${e?.message ?? e}`); },
    );
  }

  accept(chunk) {
    const bytes = asBytes(chunk);
    if (bytes === null || (bytes.length === 0 && this.emptyEnds)) this.ended = true;
    else this.pending = bytes;
  }

  /** Settles when read() has something to give (bytes, the end or an error). */
  wait() {
    return this.waiting ?? Promise.resolve();
  }

  /** Whether a read would not wait (poll_oneoff). */
  get readable() {
    return this.pending.length > 0 || this.ended || this.failure !== null;
  }

  /** Starts a pull if none is in flight; settles when readable (poll_oneoff). */
  whenReadable() {
    if (!this.readable && this.waiting === null) this.fill(65536);
    return this.wait();
  }

  /** The run is over: let go of the source (a ReadableStream's reader lock). */
  release() {
    this.releaseSource();
  }
}

/** stdin from a ReadableStream<Uint8Array>. */
export function streamInput(stream) {
  let reader = null;
  return new AsyncInput(
    () => (reader ??= stream.getReader()).read().then(({ done, value }) => (done ? null : value)),
    false,
    () => { try { reader?.releaseLock(); } catch { /* a read still pending: the lock stays */ } },
  );
}

/** stdin from an AsyncIterable<Uint8Array | string> (or a sync Iterable). */
export function iterableInput(iterable) {
  let it = null;
  return new AsyncInput(() => {
    it ??= (iterable[Symbol.asyncIterator] ?? iterable[Symbol.iterator]).call(iterable);
    return Promise.resolve(it.next()).then(({ done, value }) => (done ? null : value));
  }, false);
}

/** stdin from `(maxBytes) => chunk | null | Promise<chunk | null>`. */
export function functionInput(fn) {
  return new AsyncInput((max) => fn(max), true);
}

/** stdout/stderr into a WritableStream<Uint8Array>, its backpressure respected. */
export class StreamOutput {
  constructor(stream) {
    this.stream = stream;
    this.writer = null;
    this.failed = false;
    /** @type {Promise<void> | null} the last write, awaited at exit */
    this.last = null;
    this.isatty = false;
  }

  get w() {
    return (this.writer ??= this.stream.getWriter());
  }

  /**
   * null when a write may go ahead; a Promise while the stream's queue is
   * full (it settles when there is room, or rejects EPIPE if the stream failed).
   */
  waitWritable() {
    if (this.failed) throw new WasiError(errno.pipe);
    const size = this.w.desiredSize;
    if (size === null) { this.failed = true; throw new WasiError(errno.pipe); } // errored or closing
    if (size > 0) return null;
    return this.w.ready.then(() => {}, () => { this.failed = true; throw new WasiError(errno.pipe); });
  }

  write(src, offset, n) {
    if (this.failed) throw new WasiError(errno.pipe);
    const p = this.w.write(src.slice(offset, offset + n));
    p.catch(() => { this.failed = true; });
    this.last = p;
  }

  flush() {}

  /** Waits for the writes made so far, then releases the stream's lock. */
  async settle() {
    if (this.writer === null) return;
    try { await this.last; } catch { /* reported to the guest as EPIPE */ }
    this.writer.releaseLock();
    this.writer = null;
  }
}

export function isReadableStream(v) {
  return typeof ReadableStream !== "undefined" && v instanceof ReadableStream;
}

export function isWritableStream(v) {
  return typeof WritableStream !== "undefined" && v instanceof WritableStream;
}

export function isAsyncSource(v) {
  return v !== null && typeof v === "object" && (typeof v[Symbol.asyncIterator] === "function" || isReadableStream(v));
}
