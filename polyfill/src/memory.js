// GuestMemory and IoVecs: the one hand-written helper that touches
// `memory.buffer` (see polyfill/README.md, "The glue contract").
//
// Only the generated glue (generated/imports.js) calls into this module with
// guest pointers; hand-written behaviour never sees one. Struct layouts live in
// generated/layouts.js, not here: this file knows bytes, ranges and alignment,
// nothing about preview1 types.
//
// Traps: an out-of-bounds or misaligned guest pointer throws
// `WebAssembly.RuntimeError`, as the witx docs require ("the function shall
// trap"), and as wasmtime does. `check`/`checkAligned` do not check a range of
// length 0 (nothing is dereferenced: wasmtime accepts `random_get(ptr, 0)` and
// an empty iovec array anywhere); a string is always checked, even an empty
// one, as wasmtime does.

import { WasiError, errno } from "./errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * wasmtime's "hostcall fuel": what one call may copy out of guest memory
 * (strings, iovec arrays and the buffer they lead to, poll's arrays); beyond
 * it the call fails with ENOMEM (spec/RATIONALE.md, "Hostcall fuel and the
 * order of reads"). The glue sets `mem.fuel` to this at the start of a call.
 */
export const HOSTCALL_FUEL = 128 * 1024 * 1024;

/**
 * A string argument that cannot be read: `error` (a trap or ENOMEM) is what
 * reading it gives. The glue hands it to behaviour, which throws it where
 * wasmtime reads the string — after the descriptors are looked up.
 */
export class UnreadableString {
  constructor(error) {
    this.error = error;
  }
}

// Copies at or below this many bytes use a plain loop: `subarray()` would
// allocate a view per call on the fd_read/fd_write hot path.
const SMALL_COPY = 64;

// Strings up to this many bytes are decoded here when they are ASCII.
const SHORT_STRING = 64;

// Stands in for the memory until bind(): the first guest call then fails with
// a clear message instead of a TypeError deep in the glue.
const UNBOUND = Object.freeze({
  get buffer() {
    throw new Error("GuestMemory: no memory bound yet (call bind(instance.exports.memory) before running the guest)");
  },
});

const EMPTY = new Uint8Array(0);
const EMPTY_DV = new DataView(EMPTY.buffer); // the view of an unbound memory, shared (views nothing)

function trap(message) {
  return new WebAssembly.RuntimeError(message);
}

function describe(what) {
  return what ? `${what}: ` : "";
}

/**
 * The guest's linear memory, with cached views.
 *
 * `u8` and `dv` are re-derived by `refresh()` only when the memory's buffer
 * changed (the guest grew its memory). The glue calls `refresh()` once at the
 * start of every import call, so within a call `u8`/`dv` are always current.
 */
export class GuestMemory {
  /** @param {WebAssembly.Memory} [memory] */
  constructor(memory) {
    /** @type {WebAssembly.Memory | {readonly buffer: ArrayBufferLike}} */
    this.memory = UNBOUND;
    /** @type {ArrayBufferLike | null} the buffer `u8`/`dv` view */
    this.buffer = null;
    /** @type {Uint8Array} */
    this.u8 = EMPTY;
    /** @type {DataView} */
    this.dv = EMPTY_DV;
    /** Whether the memory is a shared (SharedArrayBuffer-backed) memory. */
    this.shared = false;
    /** Bytes the current call may still copy out of memory (HOSTCALL_FUEL per call). */
    this.fuel = 0;
    if (memory !== undefined) this.bind(memory);
  }

  /**
   * Attach the instance's exported memory (before the guest runs). `lazy`:
   * the views are made by the first refresh() (the glue's, at the start of
   * a call), not now: a run that makes no call does not pay for them
   * (startup, issue #17).
   */
  bind(memory, lazy = false) {
    this.memory = memory;
    this.buffer = null;
    this.u8 = EMPTY; // (so that refresh() syncs)
    if (!lazy) this.sync();
    return this;
  }

  /**
   * Re-derive the views if the memory grew since the last call.
   *
   * Reading `memory.buffer` costs tens of ns in V8, as much as the rest of a
   * glue call, so it is read only when needed: growing a non-shared memory
   * detaches the old buffer, which leaves `u8` with length 0; a shared memory
   * never detaches, so for it the buffer is compared on every call. (`length`,
   * not `byteLength`: in V8 the latter is a slow path for wasm memory views.)
   */
  refresh() {
    if (this.u8.length === 0 || this.shared) this.sync();
  }

  /** Re-derive the views if `memory.buffer` is not the buffer they view. */
  sync() {
    const buffer = this.memory.buffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    this.shared = typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
    this.u8 = new Uint8Array(buffer);
    this.dv = new DataView(buffer);
  }

  /** Trap unless [ptr, ptr + len) is inside memory. `what` names it in the message. */
  check(ptr, len, what) {
    if (ptr + len > this.u8.length && len !== 0) {
      throw trap(`${describe(what)}out of bounds memory access (ptr=${ptr}, len=${len}, memory=${this.u8.length})`);
    }
  }

  /** Trap unless [ptr, ptr + len) is inside memory and ptr is a multiple of `align`. */
  checkAligned(ptr, len, align, what) {
    if (len === 0) return;
    if ((ptr & (align - 1)) !== 0) {
      throw trap(`${describe(what)}misaligned pointer (ptr=${ptr}, alignment=${align})`);
    }
    if (ptr + len > this.u8.length) {
      throw trap(`${describe(what)}out of bounds memory access (ptr=${ptr}, len=${len}, memory=${this.u8.length})`);
    }
  }

  /**
   * The UTF-8 string at [ptr, ptr + len), or null if it is not valid UTF-8.
   * Traps if the range is outside memory (even when empty). A BOM is kept, as
   * Rust's `str::from_utf8` keeps it.
   */
  decodeString(ptr, len, what) {
    if (ptr + len > this.u8.length) {
      throw trap(`${describe(what)}out of bounds memory access (ptr=${ptr}, len=${len}, memory=${this.u8.length})`);
    }
    if (len === 0) return "";
    if (len <= SHORT_STRING) {
      // Paths are mostly short and ASCII: building the string here costs
      // about half of a TextDecoder call (a call into the host) in V8.
      const u8 = this.u8;
      let s = "";
      for (let i = ptr; i < ptr + len; i++) {
        const c = u8[i];
        if (c >= 0x80) { s = null; break; }
        s += String.fromCharCode(c);
      }
      if (s !== null) return s;
    }
    // TextDecoder refuses views of a SharedArrayBuffer in browsers: copy first.
    const bytes = this.shared ? this.u8.slice(ptr, ptr + len) : this.u8.subarray(ptr, ptr + len);
    try {
      return utf8.decode(bytes);
    } catch {
      return null;
    }
  }

  /**
   * A string argument as wasmtime reads it: its length is charged to the
   * call's fuel (unless `fuel` is false), then it is bounds-checked, then
   * decoded. Returns the string, null if it is not valid UTF-8, or an
   * UnreadableString carrying the ENOMEM or trap that reading it gives.
   */
  takeString(ptr, len, what, fuel = true) {
    if (fuel) {
      if (len > this.fuel) return new UnreadableString(new WasiError(errno.nomem));
      this.fuel -= len;
    }
    if (ptr + len > this.u8.length) {
      return new UnreadableString(trap(`${describe(what)}out of bounds memory access (ptr=${ptr}, len=${len}, memory=${this.u8.length})`));
    }
    return this.decodeString(ptr, len, what);
  }

  /** A copy of the bytes at [ptr, ptr + len). Traps if outside memory. */
  bytes(ptr, len, what) {
    this.check(ptr, len, what);
    return this.u8.slice(ptr, ptr + len);
  }

  /** Copy `src` (a Uint8Array) to guest memory at `ptr`. Traps if it does not fit. */
  copyIn(ptr, src, what) {
    this.check(ptr, src.length, what);
    this.u8.set(src, ptr);
  }
}

/**
 * The scatter/gather buffers of one `fd_read`/`fd_write`/`fd_pread`/
 * `fd_pwrite`/`sock_recv`/`sock_send` call, as the runtime sees them.
 *
 * One IoVecs object per `createImports()` is reused for every call: the glue
 * points it at the guest's iovec array (`reset`) without reading anything,
 * and the runtime reads it where wasmtime does — `firstNonEmpty()` first,
 * before the descriptor is looked up (spec/RATIONALE.md, "Hostcall fuel and
 * the order of reads"): it charges the array and the first non-empty buffer
 * to the call's fuel (ENOMEM past it) and bounds- and alignment-checks each
 * entry it reads (trap). Nothing is allocated per entry, so a count of 2^28
 * costs nothing until it is read. It is valid only during that call.
 *
 * A buffer is bounds-checked when it is used: `read`/`write` trap
 * (WebAssembly.RuntimeError) if the bytes they touch are outside guest
 * memory, as wasmtime checks only the buffers it reads or fills. So copy
 * first and update state (a file's position, a pipe's queue) after: a trap
 * midway leaves done what was done.
 *
 * Indexes and offsets are checked too: going past a buffer is a bug in the
 * runtime and throws a RangeError (it would otherwise silently corrupt the
 * guest's memory).
 */
export class IoVecs {
  /** @param {GuestMemory} mem */
  constructor(mem) {
    this.mem = mem;
    /** Number of entries in the guest's array. */
    this.count = 0;
    this.ptr = 0;
    this.size = 8;
    this.align = 4;
    this.what = "";
    this.bufAt = 0;
    this.lenAt = 4;
    // The entry last read: index, guest address and length of its buffer.
    this.index = -1;
    this.bufPtr = 0;
    this.bufLen = 0;
  }

  /**
   * Glue only: the array of `count` entries (`size` bytes, aligned to
   * `align`, the u32 buffer address at `bufAt` and its u32 length at
   * `lenAt`) at `ptr`; nothing is read yet.
   */
  reset(ptr, count, size, align, what, bufAt = 0, lenAt = 4) {
    this.ptr = ptr;
    this.count = count;
    this.size = size;
    this.align = align;
    this.what = what;
    this.bufAt = bufAt;
    this.lenAt = lenAt;
    this.index = -1;
  }

  /**
   * Index of the first buffer with a non-zero length, or -1, reading the
   * entries in order as wasmtime does: the array and that buffer are charged
   * to the call's hostcall fuel (ENOMEM past it), each entry read traps if
   * out of bounds or misaligned.
   */
  firstNonEmpty() {
    const mem = this.mem;
    const n = this.count * this.size;
    if (n > mem.fuel) throw new WasiError(errno.nomem);
    mem.fuel -= n;
    for (let i = 0; i < this.count; i++) {
      this.load(i);
      if (this.bufLen !== 0) {
        if (this.bufLen > mem.fuel) throw new WasiError(errno.nomem);
        mem.fuel -= this.bufLen;
        return i;
      }
    }
    return -1;
  }

  /** Length in bytes of buffer `i`. */
  length(i) {
    if (i !== this.index) this.load(i);
    return this.bufLen;
  }

  /** Copy `n` bytes of buffer `i`, from `offset`, to `dst[dstOffset...]` (guest → dst). */
  read(i, offset, dst, dstOffset, n) {
    this.checkRange(i, offset, n);
    const from = this.bufPtr + offset;
    if (dstOffset + n > dst.length) throw new RangeError("IoVecs.read: destination too small");
    const u8 = this.mem.u8;
    if (from + n > u8.length && n !== 0) throw this.outOfBounds(i, from, n);
    if (n <= SMALL_COPY) {
      for (let k = 0; k < n; k++) dst[dstOffset + k] = u8[from + k];
    } else {
      dst.set(u8.subarray(from, from + n), dstOffset);
    }
  }

  /** Copy `n` bytes of `src`, from `srcOffset`, into buffer `i` at `offset` (src → guest). */
  write(i, offset, src, srcOffset, n) {
    this.checkRange(i, offset, n);
    const to = this.bufPtr + offset;
    if (srcOffset + n > src.length) throw new RangeError("IoVecs.write: source too small");
    const u8 = this.mem.u8;
    if (to + n > u8.length && n !== 0) throw this.outOfBounds(i, to, n);
    if (n <= SMALL_COPY) {
      for (let k = 0; k < n; k++) u8[to + k] = src[srcOffset + k];
    } else {
      u8.set(src.subarray(srcOffset, srcOffset + n), to);
    }
  }

  /** Trap unless the first `n` bytes of buffer `i` are inside guest memory. */
  check(i, n) {
    this.checkRange(i, 0, n);
    if (this.bufPtr + n > this.mem.u8.length && n !== 0) throw this.outOfBounds(i, this.bufPtr, n);
  }

  /** Trap unless all of buffer `i` is inside memory. */
  checkWhole(i) {
    if (i !== this.index) this.load(i);
    const u8 = this.mem.u8;
    if (this.bufPtr + this.bufLen > u8.length) throw this.outOfBounds(i, this.bufPtr, this.bufLen);
  }

  /** Read entry `i` (buffer address, then length: two u32s). Traps if out of bounds or misaligned. */
  load(i) {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`IoVecs: no buffer ${i} (count=${this.count})`);
    const p = this.ptr + i * this.size;
    this.mem.checkAligned(p, this.size, this.align, this.what);
    const dv = this.mem.dv;
    this.bufPtr = dv.getUint32(p + this.bufAt, true);
    this.bufLen = dv.getUint32(p + this.lenAt, true);
    this.index = i;
  }

  outOfBounds(i, ptr, n) {
    return trap(`iovec ${i}: out of bounds memory access (ptr=${ptr}, len=${n}, memory=${this.mem.u8.length})`);
  }

  /** Loads entry `i` if needed; RangeError unless [offset, offset + n) is inside its buffer. */
  checkRange(i, offset, n) {
    if (i !== this.index) this.load(i);
    if (!(offset >= 0 && n >= 0 && offset + n <= this.bufLen)) {
      throw new RangeError(`IoVecs: [${offset}, ${offset + n}) is outside buffer ${i} (length ${this.bufLen})`);
    }
  }
}
