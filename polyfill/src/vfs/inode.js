// In-memory inodes: regular files, directories and symbolic links.
//
// An inode belongs to exactly one MemFS (its `fs`), which hands out inode
// numbers from its own counter (never a process-wide one) and supplies the
// clock for timestamps. Timestamps are kept as pairs of Numbers (whole
// seconds, nanoseconds) so that stamping a write on the hot path needs no
// BigInt arithmetic; the `atim`/`mtim`/`ctim` getters build the BigInt
// nanosecond values the spec's `filestat` carries.
//
// Invariant of RegularFile: bytes of `data` at and beyond `size` are zero, so
// growing a file (sparse write, ftruncate up) never has to clear memory.
import { errno, filetype } from "../generated/constants.js";
import { WasiError } from "../errors.js";

const NS_PER_S = 1000000000;
const NS_PER_S_BIG = 1000000000n;

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

  get atim() { return BigInt(this.atimS) * NS_PER_S_BIG + BigInt(this.atimN); }
  get mtim() { return BigInt(this.mtimS) * NS_PER_S_BIG + BigInt(this.mtimN); }
  get ctim() { return BigInt(this.ctimS) * NS_PER_S_BIG + BigInt(this.ctimN); }

  /** Size as `filestat.size` reports it. */
  get statSize() { return 0; }

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

export class RegularFile extends Inode {
  constructor(fs, capacity = 0) {
    super(fs, filetype.regular_file);
    /** Backing store; its length is the capacity, `size` the file size. */
    this.data = capacity > 0 ? new Uint8Array(capacity) : EMPTY;
    this.size = 0;
  }

  get statSize() { return this.size; }

  /**
   * Make room for `end` bytes. Capacity grows geometrically (doubling), so n
   * appends cost O(n) in total; bytes between the old size and `end` are
   * already zero (see the invariant above), which gives sparse extension.
   */
  reserve(end) {
    if (end <= this.data.length) return;
    const fs = this.fs;
    // Past the size limit: EFBIG; an end at or past 2^63 (off_t overflows): EINVAL, as Linux.
    if (end > fs.maxFileSize) throw new WasiError(end >= 2 ** 63 ? errno.inval : errno.fbig);
    let cap = this.data.length * 2;
    if (cap < end) cap = end;
    if (cap < 64) cap = 64;
    if (cap > fs.maxFileSize) cap = fs.maxFileSize;
    const grown = new Uint8Array(cap);
    grown.set(this.data.subarray(0, this.size));
    this.data = grown;
  }

  /** Change the size to `n` (ftruncate): zero-fills when growing. */
  resize(n) {
    const old = this.size;
    if (n === old) return;
    if (n > old) {
      const fs = this.fs;
      // Size limit (EFBIG, EINVAL from 2^63) before capacity (ENOSPC), both before allocating.
      if (n > fs.maxFileSize) throw new WasiError(n >= 2 ** 63 ? errno.inval : errno.fbig);
      fs._charge(n - old);
      this.reserve(n);
    } else {
      this.fs._charge(n - old);
      this.data.fill(0, n, old);
      // Give memory back when a large file is cut to a small fraction of it.
      if (this.data.length > 4096 && n < this.data.length >>> 2) {
        const shrunk = new Uint8Array(Math.max(64, n * 2));
        shrunk.set(this.data.subarray(0, n));
        this.data = shrunk;
      }
    }
    this.size = n;
  }

  /** Replace the whole content (MemFS writeFileSync, host loading). */
  replace(bytes) {
    this.fs._charge(bytes.length - this.size);
    this.data = bytes.length ? new Uint8Array(bytes) : EMPTY;
    this.size = bytes.length;
  }
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

const EMPTY = new Uint8Array(0);

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
