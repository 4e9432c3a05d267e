// The descriptor table (the twin of uvwasi's fd_table.c).
//
// Numbering follows wasmtime's preview1 adapter exactly, because programs
// and differential tests observe it (spec/RATIONALE.md, "Descriptor numbers"):
// stdio is 0-2, preopens follow from 3 in the order given; a new descriptor
// takes the *highest* previously freed number if there is one, else one more
// than the highest in use. fd_renumber needs both numbers open.
//
// Slots are a plain array (fds are small and dense: renumbering cannot
// create gaps), so the hot-path lookup is one bounds check and one load.
import { errno, fdflags, filetype } from "./generated/constants.js";
import { WasiError } from "./errors.js";
import { R, FILE_CAPS, DIR_CAPS, STDIN_CAPS, STDOUT_CAPS, PREOPEN_BASE, PREOPEN_INHERITING, OPENED_DIR_RIGHTS, FILE_RIGHTS } from "./rights.js";

export const KIND_STDIN = 1;
export const KIND_STDOUT = 2; // also stderr
export const KIND_FILE = 3;
export const KIND_DIR = 4;

// The rights sets fdstat reports as BigInts, made once each (a handful of
// distinct sets; wasi-libc asks for a directory's fdstat before every open).
const RIGHTS_BIG = new Map();

function rightsBig(rights) {
  let big = RIGHTS_BIG.get(rights);
  if (big === undefined) RIGHTS_BIG.set(rights, (big = BigInt(rights)));
  return big;
}

const encoder = new TextEncoder();

/**
 * `s` as UTF-8; ASCII without TextEncoder, whose call costs more than a short
 * copy (preopen names here, args and environment in the runtime).
 */
export function utf8(s) {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return encoder.encode(s);
    out[i] = c;
  }
  return out;
}

/** One open descriptor. A single shape for every kind keeps the hot path monomorphic. */
export class Descriptor {
  /**
   * @param {number} kind KIND_*
   * @param {number} caps what the descriptor allows (Number rights, see rights.js)
   * @param {object|null} inode the MemFS inode (files, directories)
   * @param {object|null} stream the stdio stream (stdin/stdout/stderr)
   */
  constructor(kind, caps, inode, stream) {
    this.kind = kind;
    this.caps = caps;
    this.inode = inode;
    this.stream = stream;
    /** File offset (a Number; files only). */
    this.position = 0;
    /** fdflags.append (files). */
    this.append = false;
    /** fdflags.nonblock (files): reported, otherwise ignored, as wasmtime does. */
    this.nonblock = false;
    /** The guest path this directory was preopened as, or null. */
    this.preopenPath = null;
    /** That path as UTF-8 bytes (fd_prestat_dir_name). */
    this.preopenBytes = null;
  }

  static file(inode, readable, writable) {
    return new Descriptor(KIND_FILE, FILE_CAPS | (readable ? R.fd_read : 0) | (writable ? R.fd_write : 0), inode, null);
  }

  static directory(inode) {
    return new Descriptor(KIND_DIR, DIR_CAPS, inode, null);
  }

  static preopen(inode, guestPath) {
    const d = new Descriptor(KIND_DIR, DIR_CAPS, inode, null);
    d.preopenPath = guestPath;
    d.preopenBytes = utf8(guestPath);
    return d;
  }

  static stdin(stream) { return new Descriptor(KIND_STDIN, STDIN_CAPS, null, stream); }
  static stdout(stream) { return new Descriptor(KIND_STDOUT, STDOUT_CAPS, null, stream); }

  /** The fdstat record wasmtime reports for this descriptor. */
  fdstat() {
    let type, base, inheriting, flags = 0;
    switch (this.kind) {
      case KIND_STDIN:
        type = this.stream.isatty ? filetype.character_device : filetype.unknown;
        base = inheriting = R.fd_read;
        break;
      case KIND_STDOUT:
        type = this.stream.isatty ? filetype.character_device : filetype.unknown;
        base = inheriting = R.fd_write;
        break;
      case KIND_DIR:
        type = filetype.directory;
        if (this.preopenPath !== null) { base = PREOPEN_BASE; inheriting = PREOPEN_INHERITING; }
        else base = inheriting = OPENED_DIR_RIGHTS;
        break;
      default:
        type = this.inode.type;
        base = FILE_RIGHTS;
        if (!(this.caps & R.fd_read)) base &= ~(R.fd_read | R.fd_readdir);
        if (!(this.caps & R.fd_write)) base &= ~R.fd_write;
        inheriting = base;
        if (this.append) flags |= fdflags.append;
        if (this.nonblock) flags |= fdflags.nonblock;
    }
    return { fs_filetype: type, fs_flags: flags, fs_rights_base: rightsBig(base), fs_rights_inheriting: rightsBig(inheriting) };
  }
}

export class FdTable {
  /** @param {number} [maxFds] more open descriptors than this: EMFILE */
  constructor(maxFds = 1 << 20) {
    /** @type {(Descriptor|null)[]} */
    this.slots = [];
    /** Freed numbers, ascending (the last is the next to reuse). */
    this.free = [];
    this.open = 0;
    this.maxFds = maxFds;
  }

  /**
   * The descriptor `fd`, which must allow every right in `needed` (Numbers,
   * see rights.js). EBADF if `fd` is not open or lacks a right: wasmtime does
   * not enforce preview1 rights and reports a descriptor that cannot do an
   * operation (a directory read as a file, a file opened read-only written)
   * as EBADF, like the OS would (spec/RATIONALE.md, "Rights").
   */
  get(fd, needed) {
    const d = fd < this.slots.length ? this.slots[fd] : null;
    if (d === null || (d.caps & needed) !== needed) throw new WasiError(errno.badf);
    return d;
  }

  /** The descriptor `fd` or null. */
  peek(fd) {
    return fd < this.slots.length ? this.slots[fd] : null;
  }

  /** EMFILE if no descriptor can be added (path_open checks before it creates anything). */
  checkRoom() {
    if (this.open >= this.maxFds) throw new WasiError(errno.mfile);
  }

  /** Add `d`; returns its number. EMFILE past maxFds. */
  insert(d) {
    this.checkRoom();
    if (d.inode !== null) d.inode.fs._opened(d.inode);
    let fd;
    if (this.free.length > 0) {
      fd = this.free.pop();
    } else {
      fd = this.slots.length;
      this.slots.push(null);
    }
    this.slots[fd] = d;
    this.open++;
    return fd;
  }

  /** Close `fd`. EBADF if it is not open. */
  remove(fd) {
    const d = this.peek(fd);
    if (d === null) throw new WasiError(errno.badf);
    this.slots[fd] = null;
    this.open--;
    this.release(fd);
    if (d.inode !== null) d.inode.fs._closed(d.inode);
    return d;
  }

  /** Move `from` onto `to` (closing what `to` was). Both must be open, as in wasmtime: EBADF. */
  renumber(from, to) {
    const d = this.peek(from);
    if (d === null || this.peek(to) === null) throw new WasiError(errno.badf);
    if (from === to) return;
    const old = this.slots[to];
    this.slots[from] = null;
    this.slots[to] = d;
    this.open--;
    this.release(from);
    if (old.inode !== null) old.inode.fs._closed(old.inode);
  }

  release(fd) {
    const free = this.free;
    // insertion in place (splice would allocate its result array on every close)
    let i = free.length;
    free.push(fd);
    while (i > 0 && free[i - 1] > fd) {
      free[i] = free[i - 1];
      i--;
    }
    free[i] = fd;
  }
}
