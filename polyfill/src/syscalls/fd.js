// fd_* syscalls: operations on an open descriptor.
//
// Every function is a method of the runtime (runtime.js) and follows the glue
// contract: typed values in, typed values out, WasiError(errno) on failure.
// The errnos listed for each are the ones it can return, chosen to match
// wasmtime's preview1 on Linux (spec/RATIONALE.md, "JS runtime").
//
// Reads and writes use only the first non-empty iovec per call, as wasmtime
// does (a short read/write that libc handles by looping).
//
// Hot path (fd_read/fd_write/fd_pread/fd_pwrite/fd_seek on a MemFS file): one
// array load for the descriptor, no allocation, no BigInt arithmetic.
import { errno, fdflags, fstflags, whence, filetype } from "../generated/constants.js";
import { DIRENT_SIZE, writeDirent } from "../generated/layouts.js";
import { WasiError } from "../errors.js";
import { KIND_STDIN, KIND_STDOUT, KIND_FILE, KIND_DIR } from "../fd_table.js";
import { R } from "../rights.js";
import { utf8Length } from "../vfs/inode.js";
import { FunctionOutput } from "../stdio.js";


/**
 * Offsets from 2^63 on are negative as off_t: EINVAL, as Linux. A u64 arrives
 * as a Number, so 2^63 - 1 arrives as 2^63 too: fd_pread/fd_pwrite refuse it
 * (as they refuse 2^63), fd_filestat_set_size takes it for 2^63 - 1 (EFBIG,
 * as Linux gives) and refuses only what lies above.
 */
const OFFSET_LIMIT = 2 ** 63;
/** The last byte a read or write may reach (Linux rw_verify_area: EINVAL beyond). */
const RW_LIMIT = 2n ** 63n - 1n;
/** Positions are u64. */
const OFFSET_END = 2 ** 64;
/**
 * fd_seek past 2^53: the glue hands a filedelta beyond the safe integers over
 * as a BigInt, and the position becomes one. Positions are u64 as in wasmtime
 * (2^63 - 1 plus 2^63 - 1 is 2^64 - 2, reported as -2 through the s64 lens);
 * reads there find end of file and writes are EFBIG. Never on the hot path.
 */
function seekExact(d, offset, whence_) {
  const base = whence_ === SET ? 0n : BigInt(whence_ === CUR ? d.position : d.inode.size);
  const pos = base + BigInt(offset);
  if (pos < 0n || pos >= 2n ** 64n) throw new WasiError(errno.inval);
  d.position = pos <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(pos) : pos;
  return d.position;
}

const SYNC_FLAGS = fdflags.dsync | fdflags.rsync | fdflags.sync;
const STDIO_CHUNK = 65536;


/**
 * The `timestamp`-or-now-or-unchanged pair of a *_set_times call.
 * EINVAL if both a value and "now" are asked for one timestamp (wasmtime).
 */
export function timesFromFlags(atim, mtim, fst_flags) {
  if ((fst_flags & fstflags.atim) && (fst_flags & fstflags.atim_now)) throw new WasiError(errno.inval);
  if ((fst_flags & fstflags.mtim) && (fst_flags & fstflags.mtim_now)) throw new WasiError(errno.inval);
  const a = fst_flags & fstflags.atim ? atim : fst_flags & fstflags.atim_now ? "now" : null;
  const m = fst_flags & fstflags.mtim ? mtim : fst_flags & fstflags.mtim_now ? "now" : null;
  return [a, m];
}

/**
 * Write the first `n` of the `length` UTF-8 bytes of `name` to `out` at
 * `pos`; returns `n`. ASCII names are written as they are read (TextEncoder
 * costs more than the rest of an entry).
 */
function putName(out, pos, name, length, n, encoder) {
  if (length === name.length) {
    for (let i = 0; i < n; i++) out[pos + i] = name.charCodeAt(i);
  } else {
    out.set(encoder.encode(name).subarray(0, n), pos);
  }
  return n;
}

/** The filestat record of a MemFS inode. */
export function filestatOf(fs, inode) {
  inode.refresh();
  return {
    dev: inode.dev,
    ino: inode.ino,
    filetype: inode.type,
    nlink: inode.nlink,
    size: inode.statSize,
    atim: inode.atim,
    mtim: inode.mtim,
    ctim: inode.ctim,
  };
}

export const fdSyscalls = {
  /**
   * Advise on the access pattern of a file: accepted and ignored (MemFS has no cache).
   * Errors: EBADF (not open, or not a regular file), EINVAL (a length of 2^63 or
   * more: negative as off_t, as posix_fadvise under wasmtime; the offset is not checked).
   */
  fd_advise(fd, offset, len, advice) {
    const d = this.fds.get(fd, R.fd_advise);
    if (d.kind !== KIND_FILE) throw new WasiError(errno.badf);
    if (len >= OFFSET_LIMIT) throw new WasiError(errno.inval);
  },

  /**
   * Errors: EBADF (not open, not a regular file), ENOTSUP (always otherwise:
   * wasmtime does not implement fd_allocate).
   */
  fd_allocate(fd, offset, len) {
    const d = this.fds.get(fd, R.fd_allocate);
    if (d.kind !== KIND_FILE) throw new WasiError(errno.badf);
    throw new WasiError(errno.notsup);
  },

  /** Close any descriptor, preopens and stdio included. Errors: EBADF. */
  fd_close(fd) {
    const d = this.fds.remove(fd);
    if (d.kind === KIND_STDOUT) d.stream.flush?.();
    else if (d.inode !== null && d.inode.fs.async === true) return d.inode.fs.flush(); // an async backend's write-back: waited for
  },

  /** Data durable (a backend's fdatasync; nothing in memory). Errors: EBADF (not open, not a regular file), EIO. */
  fd_datasync(fd) {
    return this.fds.get(fd, R.fd_datasync).inode.sync(true); // (an async backend: a Promise, waited for)
  },

  /** Errors: EBADF. */
  fd_fdstat_get(fd) {
    return this.fds.get(fd, 0).fdstat();
  },

  /**
   * Only `append` and `nonblock` can change (nonblock is only reported).
   * Errors: EBADF (not open, not a regular file), EINVAL (dsync, rsync or sync asked for).
   */
  fd_fdstat_set_flags(fd, flags) {
    const d = this.fds.get(fd, R.fd_fdstat_set_flags);
    if (flags & SYNC_FLAGS) throw new WasiError(errno.inval);
    d.append = (flags & fdflags.append) !== 0;
    d.nonblock = (flags & fdflags.nonblock) !== 0;
  },

  /**
   * Rights cannot be changed (wasmtime no longer tracks them).
   * Errors: EBADF (not open, stdio), ENOTSUP (files and directories).
   */
  fd_fdstat_set_rights(fd, fs_rights_base, fs_rights_inheriting) {
    const d = this.fds.get(fd, 0);
    if (d.kind === KIND_STDIN || d.kind === KIND_STDOUT) throw new WasiError(errno.badf);
    throw new WasiError(errno.notsup);
  },

  /**
   * Stdio reports all-zero fields but for the filetype (as wasmtime).
   * Errors: EBADF.
   */
  fd_filestat_get(fd) {
    const d = this.fds.get(fd, R.fd_filestat_get);
    if (d.kind === KIND_STDIN || d.kind === KIND_STDOUT) {
      return {
        dev: 0, ino: 0, filetype: d.stream.isatty ? filetype.character_device : filetype.unknown,
        nlink: 0, size: 0, atim: 0n, mtim: 0n, ctim: 0n,
      };
    }
    return filestatOf(this.fs, d.inode);
  },

  /**
   * ftruncate: grows with zeros or cuts.
   * Errors: EBADF (not open, not a regular file), EINVAL (not open for writing,
   * or size > 2^63 - 1), EFBIG (beyond the MemFS file size limit), ENOSPC.
   */
  fd_filestat_set_size(fd, size) {
    const d = this.fds.get(fd, R.fd_filestat_set_size);
    if (!(d.caps & R.fd_write) || size > OFFSET_LIMIT) throw new WasiError(errno.inval);
    if (size > d.inode.fs.maxFileSize) throw new WasiError(errno.fbig);
    d.inode.resize(size);
    d.inode.touchModified();
  },

  /**
   * Errors: EINVAL (atim with atim_now, or mtim with mtim_now — checked before
   * the descriptor, as wasmtime), EBADF (not open, stdio).
   */
  fd_filestat_set_times(fd, atim, mtim, fst_flags) {
    const [a, m] = timesFromFlags(atim, mtim, fst_flags);
    const d = this.fds.get(fd, R.fd_filestat_set_times);
    if (d.kind !== KIND_FILE && d.kind !== KIND_DIR) throw new WasiError(errno.badf);
    d.inode.setTimes(a, m);
  },

  /**
   * Read at `offset` without moving the file position.
   * Errors: EBADF (not open, not readable, not a file), ESPIPE (stdin), EINVAL (offset ≥ 2^63).
   */
  fd_pread(fd, iovs, offset) {
    const i = iovs.firstNonEmpty(); // before the descriptor, as wasmtime reads them
    const d = this.fds.peek(fd);
    if (d === null || d.kind !== KIND_FILE) {
      throw new WasiError(d !== null && d.kind === KIND_STDIN ? errno.spipe : errno.badf);
    }
    if (offset >= OFFSET_LIMIT) throw new WasiError(errno.inval); // before readability, as wasmtime
    if (!(d.caps & R.fd_read)) throw new WasiError(errno.badf);
    if (i < 0) return 0;
    return d.inode.readAt(offset, iovs, i, iovs.length(i));
  },

  /** Errors: EBADF (not a preopened directory or not open). */
  fd_prestat_get(fd) {
    const d = this.fds.peek(fd);
    if (d === null || d.preopenPath === null) throw new WasiError(errno.badf);
    return { tag: 0, value: { pr_name_len: d.preopenBytes.length } };
  },

  /**
   * The preopen's guest path (no NUL).
   * Errors: EBADF (not open), ENOTDIR (open but not a preopen, as wasmtime),
   * ENAMETOOLONG (path_len shorter than the name).
   */
  fd_prestat_dir_name(fd, path_len) {
    const d = this.fds.get(fd, 0);
    if (d.preopenPath === null) throw new WasiError(errno.notdir);
    if (path_len < d.preopenBytes.length) throw new WasiError(errno.nametoolong);
    return d.preopenBytes;
  },

  /**
   * Write at `offset` without moving the file position; in append mode the
   * offset is ignored and data goes to the end (Linux pwrite semantics).
   * Errors: EBADF (not open, not writable, not a file), ESPIPE (stdout/stderr),
   * EINVAL (offset ≥ 2^63), EFBIG, ENOSPC.
   */
  fd_pwrite(fd, iovs, offset) {
    const i = iovs.firstNonEmpty(); // before the descriptor, as wasmtime reads them
    const d = this.fds.peek(fd);
    if (d === null || d.kind !== KIND_FILE || !(d.caps & R.fd_write)) {
      if (d !== null && d.kind === KIND_FILE) {
        if (i >= 0) iovs.checkWhole(i); // wasmtime reads the data first,
        if (offset >= OFFSET_LIMIT && !d.append) throw new WasiError(errno.inval); // then judges the offset
      }
      throw new WasiError(d !== null && d.kind === KIND_STDOUT ? errno.spipe : errno.badf);
    }
    if (offset >= OFFSET_LIMIT && !d.append) { // append mode ignores the offset, whatever it is
      if (i >= 0) iovs.checkWhole(i); // the data is read before the offset is judged, as wasmtime
      throw new WasiError(errno.inval);
    }
    if (i < 0) return 0;
    const file = d.inode;
    return file.writeAt(d.append ? file.size : offset, iovs, i, iovs.length(i));
  },

  /**
   * Read at the file position and advance it; stdin reads from the stdin stream.
   * Errors: EBADF (not open, not readable, a directory, stdout), EINTR (a
   * zero-length read from stdin, as wasmtime), EINVAL (a position past 2^63 - 1,
   * as wasmtime), EIO (the host's stdin failed, or an async stdin's source).
   */
  fd_read(fd, iovs) {
    const i = iovs.firstNonEmpty(); // before the descriptor, as wasmtime reads them
    const d = this.fds.get(fd, R.fd_read);
    if (d.kind === KIND_FILE) {
      if (i < 0) return 0;
      if (typeof d.position === "bigint") { // past 2^53 (seekExact): end of file, or EINVAL where
        // the buffer would pass 2^63 - 1 (Linux rw_verify_area, as wasmtime)
        if (d.position + BigInt(iovs.length(i)) > RW_LIMIT) throw new WasiError(errno.inval);
        iovs.checkWhole(i);
        return 0;
      }
      const n = d.inode.readAt(d.position, iovs, i, iovs.length(i));
      if (typeof n !== "number") return n; // an async backend loads the bytes first: the glue waits, then calls again
      if (n === 0) iovs.checkWhole(i); // fd_read checks the whole buffer even at end of file (fd_pread does not), as wasmtime
      d.position += n;
      return n;
    }
    // stdin
    if (i < 0) throw new WasiError(errno.intr);
    const chunk = d.stream.read(iovs.length(i));
    if (chunk === null) return d.stream.wait(); // async mode, nothing yet: the glue waits, then calls again
    iovs.write(i, 0, chunk, 0, chunk.length);
    return chunk.length;
  },

  /**
   * The entries from `cookie` on, serialized (dirent + name each) up to
   * `buf_len` bytes; the last one may be cut. "." and ".." come first
   * (cookies 1 and 2), then the entries in creation order; an entry's
   * `d_next` is its position + 1. The list is taken afresh on each call, so
   * entries added or removed between calls shift later cookies, as in wasmtime.
   * Errors: EBADF (not open, not a directory).
   */
  fd_readdir(fd, buf_len, cookie) {
    const d = this.fds.get(fd, R.fd_readdir);
    const dir = d.inode;
    // The entries listed: "." and ".." (wasmtime reports the directory's own
    // inode for ".." too), then the names from cookie on, until buf_len
    // bytes are reached. Names first, the inode only for an entry that is
    // listed (a backend's lookup may cost a syscall).
    const names = [];
    const inodes = [];
    const lengths = [];
    let total = 0;
    for (let index = cookie; index < 2 && total < buf_len; index++) {
      names.push(index === 0 ? "." : "..");
      inodes.push(dir);
      lengths.push(index + 1);
      total += DIRENT_SIZE + index + 1;
    }
    const entries = dir.entries;
    if (total < buf_len && entries instanceof Map) {
      // A MemFS directory: name and inode together (no lookup per name)
      let index = 2;
      entries.forEach((inode, name) => {
        if (total >= buf_len || index++ < cookie) return;
        const n = utf8Length(name);
        names.push(name);
        inodes.push(inode);
        lengths.push(n);
        total += DIRENT_SIZE + n;
      });
    } else if (total < buf_len) {
      let index = 2;
      for (const name of entries.keys()) {
        if (index++ < cookie) continue;
        const inode = entries.get(name);
        if (inode === undefined) continue; // gone since the listing began (a live backend)
        const n = utf8Length(name);
        names.push(name);
        inodes.push(inode);
        lengths.push(n);
        total += DIRENT_SIZE + n;
        if (total >= buf_len) break;
      }
    }
    const out = new Uint8Array(total < buf_len ? total : buf_len);
    const dv = new DataView(out.buffer);
    let pos = 0;
    for (let k = 0; k < names.length && pos < out.length; k++) {
      const inode = inodes[k];
      const dirent = { d_next: cookie + k + 1, d_ino: inode.ino, d_namlen: lengths[k], d_type: inode.type };
      if (pos + DIRENT_SIZE <= out.length) {
        writeDirent(dv, pos, dirent);
        pos += DIRENT_SIZE;
      } else { // the last entry, cut within its header
        const header = this.direntScratch;
        writeDirent(header.dv, 0, dirent);
        out.set(header.u8.subarray(0, out.length - pos), pos);
        pos = out.length;
      }
      const n = Math.min(lengths[k], out.length - pos);
      pos += putName(out, pos, names[k], lengths[k], n, this.encoder);
    }
    return out;
  },

  /**
   * Move descriptor `fd` to number `to`, closing what `to` was.
   * Errors: EBADF (either is not open: wasmtime does not renumber onto a free number).
   */
  fd_renumber(fd, to) {
    const old = this.fds.peek(to);
    this.fds.renumber(fd, to);
    if (old !== null && old !== this.fds.peek(to) && old.kind === KIND_STDOUT) old.stream.flush?.();
  },

  /**
   * Any offset from 0 to 2^64 - 1 can be reached (as wasmtime, which keeps the
   * position itself); beyond 2^53 it is a rounded Number.
   * Errors: EBADF (not open, a directory), ESPIPE (stdio), EINVAL (a resulting
   * offset below 0 or at or beyond 2^64).
   */
  fd_seek(fd, offset, whence_) {
    const d = this.fds.peek(fd);
    if (d === null || d.kind !== KIND_FILE) throw new WasiError(d !== null && d.kind !== KIND_DIR ? errno.spipe : errno.badf);
    if (typeof offset === "bigint" || typeof d.position === "bigint") return seekExact(d, offset, whence_);
    let pos;
    if (whence_ === SET) pos = offset;
    else if (whence_ === CUR) pos = d.position + offset;
    else pos = d.inode.size + offset;
    if (!(pos >= 0 && pos < OFFSET_END)) throw new WasiError(errno.inval);
    d.position = pos;
    return pos;
  },

  /** Data and metadata durable (a backend's fsync; nothing in memory). Errors: EBADF (not open, not a regular file), EIO. */
  fd_sync(fd) {
    return this.fds.get(fd, R.fd_sync).inode.sync(false); // (an async backend: a Promise, waited for)
  },

  /** Errors: EBADF (not open, a directory), ESPIPE (stdio). */
  fd_tell(fd) {
    const d = this.fds.peek(fd);
    if (d === null || d.kind !== KIND_FILE) throw new WasiError(d !== null && d.kind !== KIND_DIR ? errno.spipe : errno.badf);
    return d.position;
  },

  /**
   * Write at the file position (at the end in append mode) and advance it;
   * stdout/stderr deliver the bytes to their stream at once.
   * Errors: EBADF (not open, not writable, a directory, stdin), EFBIG, ENOSPC,
   * EPIPE/EIO (host stream errors).
   */
  fd_write(fd, iovs) {
    const i = iovs.firstNonEmpty(); // before the descriptor, as wasmtime reads them
    const p = this.fds.peek(fd);
    if (p !== null && p.kind === KIND_FILE && !(p.caps & R.fd_write) && i >= 0) iovs.checkWhole(i); // data first, then EBADF
    const d = this.fds.get(fd, R.fd_write);
    if (i < 0) {
      if (d.kind === KIND_FILE && d.append) d.position = d.inode.size; // an empty append moves to the end, as wasmtime
      return 0;
    }
    const n = iovs.length(i);
    if (d.kind === KIND_FILE) {
      const file = d.inode;
      const at = d.append ? file.size : d.position;
      if (typeof at === "bigint") {
        iovs.checkWhole(i); // the data is read before the position is judged, as wasmtime
        throw new WasiError(at + BigInt(n) > RW_LIMIT ? errno.inval : errno.fbig); // rw_verify_area, as wasmtime
      }
      const written = file.writeAt(at, iovs, i, n);
      if (typeof written !== "number") return written; // an async backend must wait first: the glue waits, then calls again
      d.position = at + written;
      return written;
    }
    // stdout / stderr
    if (d.stream.waitWritable !== undefined) { // async mode: a WritableStream with a full queue makes the glue wait, then call again
      const wait = d.stream.waitWritable();
      if (wait !== null) return wait;
    }
    const stream = d.stream;
    if (stream instanceof FunctionOutput) { // one copy per chunk: guest memory -> the chunk the callback keeps
      for (let done = 0; done < n;) {
        const k = n - done < STDIO_CHUNK ? n - done : STDIO_CHUNK;
        stream.writeFrom(iovs, i, done, k);
        done += k;
      }
      return n;
    }
    const scratch = this.stdioScratch;
    for (let done = 0; done < n;) {
      const k = n - done < STDIO_CHUNK ? n - done : STDIO_CHUNK;
      iovs.read(i, done, scratch, 0, k);
      stream.write(scratch, 0, k);
      done += k;
    }
    return n;
  },
};

const SET = whence.set;
const CUR = whence.cur;

export { STDIO_CHUNK };
