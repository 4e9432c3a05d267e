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

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

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
    this.dv = new DataView(EMPTY.buffer);
    /** Whether the memory is a shared (SharedArrayBuffer-backed) memory. */
    this.shared = false;
    if (memory !== undefined) this.bind(memory);
  }

  /** Attach the instance's exported memory (before the guest runs). */
  bind(memory) {
    this.memory = memory;
    this.buffer = null;
    this.u8 = EMPTY;
    this.sync();
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
 * refills it from the guest's iovec array (bounds-checking the array), then
 * passes it to the runtime. It is valid only during that call — do not keep
 * it, or anything read from it lazily, past the return.
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
    /** Number of buffers. */
    this.count = 0;
    /** Sum of the buffers' lengths (a Number; may exceed 2^32 if they overlap). */
    this.totalLength = 0;
    // Guest address and length of buffer i; grown (never shrunk) as needed.
    this.ptrs = new Uint32Array(16);
    this.lens = new Uint32Array(16);
  }

  /** Length in bytes of buffer `i`. */
  length(i) {
    if (!(i < this.count)) throw new RangeError(`IoVecs: no buffer ${i} (count=${this.count})`);
    return this.lens[i];
  }

  /** Copy `n` bytes of buffer `i`, from `offset`, to `dst[dstOffset...]` (guest → dst). */
  read(i, offset, dst, dstOffset, n) {
    const from = this.ptrs[this.checkRange(i, offset, n)] + offset;
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
    const to = this.ptrs[this.checkRange(i, offset, n)] + offset;
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
    const from = this.ptrs[this.checkRange(i, 0, n)];
    if (from + n > this.mem.u8.length && n !== 0) throw this.outOfBounds(i, from, n);
  }

  /** Glue only: start refilling with `count` buffers. */
  reset(count) {
    if (count > this.ptrs.length) {
      let size = this.ptrs.length;
      while (size < count) size *= 2;
      this.ptrs = new Uint32Array(size);
      this.lens = new Uint32Array(size);
    }
    this.count = count;
    this.totalLength = 0;
  }

  /** Glue only: buffer `i` is [ptr, ptr + len) (checked when used). */
  set(i, ptr, len) {
    this.ptrs[i] = ptr;
    this.lens[i] = len;
    this.totalLength += len;
  }

  outOfBounds(i, ptr, n) {
    return trap(`iovec ${i}: out of bounds memory access (ptr=${ptr}, len=${n}, memory=${this.mem.u8.length})`);
  }

  checkRange(i, offset, n) {
    if (!(i < this.count)) throw new RangeError(`IoVecs: no buffer ${i} (count=${this.count})`);
    if (!(offset >= 0 && n >= 0 && offset + n <= this.lens[i])) {
      throw new RangeError(`IoVecs: [${offset}, ${offset + n}) is outside buffer ${i} (length ${this.lens[i]})`);
    }
    return i;
  }
}
