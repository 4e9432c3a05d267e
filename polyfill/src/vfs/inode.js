// In-memory inodes: regular files, directories and symbolic links.
//
// An inode belongs to exactly one MemFS (its `fs`), which hands out inode
// numbers from its own counter (never a process-wide one) and supplies the
// clock for timestamps. Timestamps are kept as pairs of Numbers (whole
// seconds, nanoseconds) so that stamping a write on the hot path needs no
// BigInt arithmetic; the `atim`/`mtim`/`ctim` getters build the BigInt
// nanosecond values the spec's `filestat` carries.
//
// Invariant of RegularFile: bytes of its blocks at and beyond `size` are zero,
// so growing a file (sparse write, ftruncate up) never has to clear memory.
import { errno, filetype } from "../generated/constants.js";
import { WasiError } from "../errors.js";

const NS_PER_S = 1000000000;
const NS_PER_S_BIG = 1000000000n;

// The last timestamp made into a BigInt: a stat's three times are usually
// equal, and files made in the same millisecond share them, so most stats
// build no BigInt (five allocations each: BigInt(s), the product, BigInt(n),
// the sum).
let lastS = -1, lastN = -1, lastBig = 0n;

/** `s` seconds + `n` nanoseconds as a BigInt of nanoseconds. */
function nanoseconds(s, n) {
  if (s !== lastS || n !== lastN) {
    lastBig = BigInt(s) * NS_PER_S_BIG + BigInt(n);
    lastS = s;
    lastN = n;
  }
  return lastBig;
}

export class Inode {
  /** @param {import("./memfs.js").MemFS} fs @param {number} type a `filetype` value */
  constructor(fs, type) {
    this.fs = fs;
    this.type = type;
    this.ino = fs._allocIno(this);
    this.nlink = 0;
    /** Descriptors open on this inode: it lives until both these and its links are gone. */
    this.opens = 0;
    fs._now();
    this.atimS = fs._nowS; this.atimN = fs._nowN;
    this.mtimS = fs._nowS; this.mtimN = fs._nowN;
    this.ctimS = fs._nowS; this.ctimN = fs._nowN;
  }

  get atim() { return nanoseconds(this.atimS, this.atimN); }
  get mtim() { return nanoseconds(this.mtimS, this.mtimN); }
  get ctim() { return nanoseconds(this.ctimS, this.ctimN); }

  /** Size as `filestat.size` reports it. */
  get statSize() { return 0; }

  /** The device number stat reports (a mounted backend's inodes have their own). */
  get dev() { return this.fs.dev; }

  /** Data (and metadata, unless `data`) durable on the backend (fd_sync, fd_datasync): nothing to do in memory. */
  sync(data) {}

  /** Bring the metadata up to date before it is reported (a backend's inodes read the host's). */
  refresh() {}

  /** Is this the root of a filesystem (the MemFS root or a mounted backend's root)? */
  isMountRoot() { return false; }

  /** Content changed: mtim and ctim become now (POSIX write/truncate/dir entry change). */
  touchModified() {
    const fs = this.fs;
    fs._now();
    this.mtimS = this.ctimS = fs._nowS;
    this.mtimN = this.ctimN = fs._nowN;
  }

  /** Metadata changed (link count, times, rename): ctim becomes now. */
  touchChanged() {
    const fs = this.fs;
    fs._now();
    this.ctimS = fs._nowS;
    this.ctimN = fs._nowN;
  }

  /**
   * Set atim and/or mtim. Each of `atim`/`mtim` is a BigInt (ns), the string
   * "now", or null (leave unchanged). ctim always becomes now, as in POSIX.
   */
  setTimes(atim, mtim) {
    const fs = this.fs;
    fs._now();
    const nowS = fs._nowS, nowN = fs._nowN;
    if (atim === "now") { this.atimS = nowS; this.atimN = nowN; }
    else if (atim !== null) { this.atimS = Number(atim / NS_PER_S_BIG); this.atimN = Number(atim % NS_PER_S_BIG); }
    if (mtim === "now") { this.mtimS = nowS; this.mtimN = nowN; }
    else if (mtim !== null) { this.mtimS = Number(mtim / NS_PER_S_BIG); this.mtimN = Number(mtim % NS_PER_S_BIG); }
    this.ctimS = nowS; this.ctimN = nowN;
  }
}

/**
 * File content lives in blocks of BLOCK bytes (`blocks[k]` holds bytes
 * [k * BLOCK, (k + 1) * BLOCK)): a large file grows without ever copying what
 * it holds, and a block never written (a sparse hole) is `undefined` and reads
 * as zeros. Block 0 alone may be shorter than BLOCK: it grows by doubling
 * from FIRST_BLOCK bytes, so a small file costs little memory and n appends cost O(n).
 * Bytes of a block at and beyond `size` are zero (see the invariant above).
 */
const BLOCK_SHIFT = 20;
const BLOCK = 1 << BLOCK_SHIFT;
/** Block 0's first size: most files are small (V8 keeps a typed array this small on its heap). */
const FIRST_BLOCK = 16;
/** A block of zeros to read holes from (never written; made when a hole is first read). */
let ZEROS = null;
/**
 * The block list of a file that has none (shared: `block()` replaces it
 * before storing into it, never stores into it).
 */
const NO_BLOCKS = [];

/**
 * A tiny file (at most TINY bytes, no blocks) keeps its bytes in a slot of
 * its filesystem's slab (`fs._slab`, one Uint8Array that doubles as slots
 * are taken) instead of a block of its own: a typed array costs ~200 B of
 * objects besides its bytes and ~0.5 µs to make, more than the rest of a
 * small file's create (issue #17, metadata). Slot `t` is bytes
 * [t * TINY, (t + 1) * TINY); bytes of a slot at and beyond the file's size
 * are zero, as in a block, and a slot is zeroed when it is freed
 * (MemFSCore._tinyAlloc/_tinyFree).
 */
export const TINY = 16;
export const TINY_SHIFT = 4;

export class RegularFile extends Inode {
  constructor(fs) {
    super(fs, filetype.regular_file);
    /** @type {(Uint8Array|undefined)[]} */
    this.blocks = NO_BLOCKS;
    this.size = 0;
    /** The slot holding a tiny file's bytes (see TINY), or -1 (the bytes are in `blocks`). */
    this.tiny = -1;
  }

  get statSize() { return this.size; }

  /** A descriptor reading and/or writing is about to be made on this file (a backend opens its host file). */
  openFile(read, write) {}

  /** Read into iovec `i` of `iovs` at `pos`, at most `n` bytes; returns the count (fd_read, fd_pread). */
  readAt(pos, iovs, i, n) { return this.fs.constructor.readInto(this, pos, iovs, i, n); }

  /** Write `n` bytes of iovec `i` at `pos`; returns the count, maybe short (fd_write, fd_pwrite). */
  writeAt(pos, iovs, i, n) { return this.fs.constructor.writeFrom(this, pos, iovs, i, n); }

  /** Bytes of memory held (the blocks' lengths). */
  get capacity() {
    let n = this.tiny !== -1 ? TINY : 0;
    for (const b of this.blocks) if (b !== undefined) n += b.length;
    return n;
  }

  /** EFBIG past the size limit; EINVAL for an end at or past 2^63 (off_t overflows), as Linux. */
  checkEnd(end) {
    const max = this.fs.maxFileSize;
    if (end > max) throw new WasiError(end >= 2 ** 63 ? errno.inval : errno.fbig);
  }

  /** Block `k`, allocated (or grown, block 0) so that it holds `end` (≤ BLOCK) bytes. */
  block(k, end) {
    if (this.tiny !== -1) this._untiny();
    let b = this.blocks[k];
    if (b !== undefined && b.length >= end) return b;
    let cap = BLOCK;
    if (k === 0) {
      cap = b === undefined ? FIRST_BLOCK : b.length * 2;
      while (cap < end) cap *= 2;
      if (cap > BLOCK) cap = BLOCK;
    }
    const grown = new Uint8Array(cap);
    if (b !== undefined) grown.set(b);
    // A file's first block: a one-element array (storing into the empty `[]`
    // would give it room for 17, ~130 B more that a small file keeps).
    if (this.blocks.length === 0) {
      if (k === 0) this.blocks = [grown];
      else (this.blocks = [])[k] = grown; // (never into the shared NO_BLOCKS)
    } else {
      this.blocks[k] = grown;
    }
    return grown;
  }

  /** A tiny file's bytes move from their slot to a block 0 of their own. */
  _untiny() {
    const fs = this.fs, t = this.tiny;
    const off = t << TINY_SHIFT;
    const b = new Uint8Array(FIRST_BLOCK);
    b.set(fs._slab.subarray(off, off + this.size));
    this.tiny = -1;
    fs._tinyFree(t, this.size);
    this.blocks = [b];
  }

  /**
   * Copy `n` bytes from `pos` (`pos + n` ≤ size) to buffer `i` of `sink`
   * (an IoVecs, or a ByteSink), through `sink.write(i, offset, src,
   * srcOffset, n)`. Hot path: no allocation.
   */
  read(pos, n, sink, i) {
    const t = this.tiny;
    if (t !== -1) {
      sink.write(i, 0, this.fs._slab, (t << TINY_SHIFT) + pos, n);
      return;
    }
    const blocks = this.blocks;
    const k0 = Math.floor(pos / BLOCK);
    const off0 = pos - k0 * BLOCK;
    const b0 = blocks[k0];
    if (b0 !== undefined && off0 + n <= b0.length) { // one block (the hot path)
      sink.write(i, 0, b0, off0, n);
      return;
    }
    ZEROS ??= new Uint8Array(BLOCK);
    for (let done = 0; done < n;) {
      const k = Math.floor(pos / BLOCK);
      const off = pos - k * BLOCK;
      let m = BLOCK - off;
      if (m > n - done) m = n - done;
      const b = blocks[k];
      if (b === undefined || off >= b.length) {
        sink.write(i, done, ZEROS, 0, m);
      } else {
        const have = b.length - off < m ? b.length - off : m;
        sink.write(i, done, b, off, have);
        if (have < m) sink.write(i, done + have, ZEROS, 0, m - have);
      }
      done += m;
      pos += m;
    }
  }

  /**
   * Write `n` bytes from `source` (buffer `i` of an IoVecs, or a ByteSource)
   * at `pos`, growing the file. A trap (the source is not all in guest
   * memory) comes before anything changes. Errors: EFBIG, EINVAL, ENOSPC.
   */
  write(pos, n, source, i) {
    const end = pos + n;
    const grow = end - this.size;
    if (grow > 0) {
      this.checkEnd(end);
      this.fs._checkCharge(grow);
    }
    const k = Math.floor(pos / BLOCK);
    const off = pos - k * BLOCK;
    if (end <= TINY && this.size <= TINY && this.blocks.length === 0) {
      // A tiny file (see TINY): its slot, taken at its first write (a trap
      // in read() leaves the file as it was, holding a slot of zeros).
      const fs = this.fs;
      let t = this.tiny;
      if (t === -1) t = this.tiny = fs._tinyAlloc();
      source.read(i, 0, fs._slab, (t << TINY_SHIFT) + pos, n); // (after _tinyAlloc, which may grow the slab)
    } else if (off + n <= BLOCK) {
      // One block (the hot path): a trap in read() happens before any byte is copied.
      let b = this.blocks[k];
      if (b === undefined || b.length < off + n) b = this.block(k, off + n);
      source.read(i, 0, b, off, n);
    } else {
      source.check(i, n); // trap before the first block is written, not midway
      for (let done = 0, p = pos; done < n;) {
        const bk = Math.floor(p / BLOCK);
        const bo = p - bk * BLOCK;
        let m = BLOCK - bo;
        if (m > n - done) m = n - done;
        source.read(i, done, this.block(bk, bo + m), bo, m);
        done += m;
        p += m;
      }
    }
    if (grow > 0) {
      this.fs._charge(grow);
      this.size = end;
    }
  }

  /** Change the size to `n` (ftruncate): zero-fills when growing. Errors: EFBIG, EINVAL, ENOSPC. */
  resize(n) {
    const old = this.size;
    if (n === old) return;
    const t = this.tiny;
    if (n > old) {
      this.checkEnd(n);
      this.fs._charge(n - old);
      if (t !== -1 && n > TINY) this._untiny(); // (its slot's bytes past the size are zeros already)
    } else if (t !== -1) {
      this.fs._charge(n - old);
      const off = t << TINY_SHIFT;
      this.fs._slab.fill(0, off + n, off + old);
    } else {
      this.fs._charge(n - old);
      // Drop the blocks past the new end; zero the cut part of the last one.
      const keep = Math.ceil(n / BLOCK);
      if (this.blocks.length > keep) this.blocks.length = keep;
      const k = Math.floor(n / BLOCK);
      const b = this.blocks[k];
      const off = n - k * BLOCK;
      if (b !== undefined) {
        if (k === 0 && b.length > 4096 && off < b.length >>> 2) {
          // Give memory back when a large block 0 is cut to a small fraction of it.
          const shrunk = new Uint8Array(Math.max(FIRST_BLOCK, off * 2));
          shrunk.set(b.subarray(0, off));
          this.blocks[0] = shrunk;
        } else {
          b.fill(0, off);
        }
      }
    }
    this.size = n;
  }

  /** Replace the whole content (MemFS writeFileSync, host loading). */
  replace(bytes) {
    this.fs._charge(bytes.length - this.size);
    if (this.tiny !== -1) {
      this.fs._tinyFree(this.tiny, this.size);
      this.tiny = -1;
    }
    this.blocks = NO_BLOCKS;
    for (let p = 0; p < bytes.length; p += BLOCK) {
      const m = Math.min(BLOCK, bytes.length - p);
      this.block(p / BLOCK, m).set(bytes.subarray(p, p + m));
    }
    this.size = bytes.length;
  }

  /** The content as one new Uint8Array. */
  bytes() {
    const out = new Uint8Array(this.size);
    if (this.size > 0) this.read(0, this.size, new ByteSink(out), 0);
    return out;
  }
}

/** A Uint8Array as the `sink` of RegularFile.read (the same shape as IoVecs.write). */
export class ByteSink {
  constructor(u8, base = 0) { this.u8 = u8; this.base = base; }
  write(i, offset, src, srcOffset, n) { this.u8.set(src.subarray(srcOffset, srcOffset + n), this.base + offset); }
}

/** A Uint8Array as the `source` of RegularFile.write (the same shape as IoVecs.read). */
export class ByteSource {
  constructor(u8, base = 0) { this.u8 = u8; this.base = base; }
  check(i, n) {}
  read(i, offset, dst, dstOffset, n) { dst.set(this.u8.subarray(this.base + offset, this.base + offset + n), dstOffset); }
}

export class Directory extends Inode {
  /** @param {Directory|null} parent null for a root (which is its own parent) */
  constructor(fs, parent) {
    super(fs, filetype.directory);
    /** @type {Map<string, Inode>} entries other than "." and "..", in creation order */
    this.entries = new Map();
    /** The directory holding this one; a root is its own parent. */
    this.parent = parent ?? this;
    this.nlink = 2;
  }

  get statSize() { return 0; }

  isMountRoot() { return this === this.fs.root; }
}

export class Symlink extends Inode {
  /** @param {string} target the link's content, exactly as created */
  constructor(fs, target) {
    super(fs, filetype.symbolic_link);
    this.target = target;
    /** Length in bytes of the UTF-8 target (filestat.size of a symlink). */
    this.targetBytes = utf8Length(target);
  }

  get statSize() { return this.targetBytes; }
}


/** Byte length of `s` encoded as UTF-8, without encoding it. */
export function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/** Split a nanosecond BigInt into the [seconds, nanoseconds] Number pair inodes store. */
export function splitNs(ns) {
  return [Number(ns / NS_PER_S_BIG), Number(ns % NS_PER_S_BIG)];
}

export { NS_PER_S };
