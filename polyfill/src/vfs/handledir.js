// HandleDirectory: a FileSystemDirectoryHandle as a mounted backend — the
// origin-private file system (`navigator.storage.getDirectory()`) or a
// folder the user picked (`showDirectoryPicker()`), in a dedicated Worker
// or, for a WASI in async mode, on a page's main thread (PagedData).
//
// The handle API cannot store what POSIX has (symlinks, hard links, modes,
// nanosecond times, inode numbers), cannot be waited for by a synchronous
// WASI, and cannot create a file synchronously. So the directory is a store
// of our own (spec/RATIONALE.md, "HandleDirectory"):
// - `wasi-meta-0`, `wasi-meta-1`: the tree (names, types, inode numbers,
//   times, symlink targets, hard links, which data file holds each file's
//   bytes), written alternately, each with its sequence number and a
//   checksum: a reload in the middle of a write leaves the other one whole;
// - `wasi-data/N`: one file per regular file, its bytes at their offsets,
//   read and written through a sync access handle (`createSyncAccessHandle`,
//   workers only) at the guest's offsets — a file is never loaded whole;
// - spare data files made in advance (`open()`): a synchronous WASI creates
//   a file by taking one (past them, in memory until the run ends: MemoryData).
// The tree itself is this MemFSCore's (vfs/memfs.js: every errno, every
// rule), kept in memory after `open()` reads it: listings and lookups cost
// what they cost in a MemFS. Only file bytes live in the handles.
import { errno } from "../generated/constants.js";
import { WasiError } from "../errors.js";
import { MemFSCore } from "./memfs.js";
import { Directory, RegularFile, Symlink } from "./inode.js";

const META = ["wasi-meta-0", "wasi-meta-1"];
const DATA = "wasi-data";
const FORMAT = "wasi-polyfill HandleDirectory 1";
/** How long one call of the handle API may take (ms; `options.timeout`): past it EIO (hostAsync). */
const TIMEOUT = 20000;
/** The largest read or write done at once (a short count beyond, which libc loops on). */
const MAX_IO = 16 << 20;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A DOMException of the handle API as a WasiError: the one place they become errno. */
export function handleError(e) {
  if (e instanceof WasiError) return e;
  switch (e?.name) {
    case "QuotaExceededError": return new WasiError(errno.nospc);
    case "NotFoundError": return new WasiError(errno.noent);
    case "NotAllowedError": case "SecurityError": return new WasiError(errno.acces); // permission revoked
    case "NoModificationAllowedError": return new WasiError(errno.busy, "HandleDirectory: the directory is mounted by another tab or worker (its files are locked)");
    case "TypeMismatchError": case "InvalidModificationError": case "InvalidStateError": return new WasiError(errno.io);
    default: return e instanceof DOMException ? new WasiError(errno.io) : e;
  }
}

function host(f) {
  try {
    return f();
  } catch (e) {
    throw handleError(e);
  }
}

/**
 * A call of the handle API awaited at most `ms` (the store's `timeout`):
 * past it EIO, in one line naming the call — a browser that never answers
 * is an error for the guest, not a hang. `late(value)`: what to do with a
 * value that comes after all (close a handle nobody holds).
 */
async function hostAsync(p, what, ms, late) {
  let timer, timedOut = false;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new WasiError(errno.io, `HandleDirectory: the browser's file system did not answer ${what} within ${ms / 1000} s`));
    }, ms);
  });
  p = Promise.resolve(p);
  if (late !== undefined) p.then((v) => { if (timedOut) late(v); }, () => {});
  try {
    return await Promise.race([p, deadline]);
  } catch (e) {
    throw handleError(e);
  } finally {
    clearTimeout(timer);
  }
}

const closeLate = (sah) => { try { sah.close(); } catch { /* closed already */ } };

/** FNV-1a over the bytes: tells a whole metadata file from a torn one. */
function checksum(u8) {
  let h = 0x811c9dc5;
  for (let i = 0; i < u8.length; i++) h = Math.imul(h ^ u8[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * A new file's bytes while no data file is free for it (a synchronous run
 * past its spares): in memory, with the sync access handle's methods, until
 * the run lets the store make data files (HandleDirectory._materialize).
 * Bytes at and beyond `size` are zero.
 */
class MemoryData {
  constructor() {
    this.u8 = new Uint8Array(0);
    this.size = 0;
  }

  getSize() { return this.size; }

  read(dst, { at }) {
    const n = Math.max(0, Math.min(dst.length, this.size - at));
    dst.set(this.u8.subarray(at, at + n));
    return n;
  }

  write(src, { at }) {
    const end = at + src.length;
    this._reserve(end);
    this.u8.set(src, at);
    if (end > this.size) this.size = end;
    return src.length;
  }

  truncate(n) {
    this._reserve(n);
    if (n < this.size) this.u8.fill(0, n, this.size);
    this.size = n;
  }

  _reserve(n) {
    if (n <= this.u8.length) return;
    const grown = new Uint8Array(Math.max(n, this.u8.length * 2, 64));
    grown.set(this.u8.subarray(0, this.size));
    this.u8 = grown;
  }

  flush() {}
  close() {}
}

/** Every change of metadata marks the store dirty (saved at fd_sync, fd_close, the end of a run). */
class HandleDir extends Directory {
  touchModified() { super.touchModified(); this.fs._dirty(); }
  touchChanged() { super.touchChanged(); this.fs._dirty(); }
  setTimes(a, m) { super.setTimes(a, m); this.fs._dirty(); }
  sync(data) { return this.fs.flush(); }
}

class HandleSymlink extends Symlink {
  touchModified() { super.touchModified(); this.fs._dirty(); }
  touchChanged() { super.touchChanged(); this.fs._dirty(); }
  setTimes(a, m) { super.setTimes(a, m); this.fs._dirty(); }
}

class HandleFile extends RegularFile {
  /** @param {HandleDirectory} fs @param {{slot: number, sah: FileSystemSyncAccessHandle}} data */
  constructor(fs, data) {
    super(fs);
    this.slot = data.slot;
    this.sah = data.sah;
    this.size = host(() => data.sah.getSize());
  }

  touchModified() { super.touchModified(); this.fs._dirty(); }
  touchChanged() { super.touchChanged(); this.fs._dirty(); }
  setTimes(a, m) { super.setTimes(a, m); this.fs._dirty(); }

  get capacity() { return 0; }

  readAt(pos, iovs, i, n) {
    const avail = this.size - pos;
    if (avail <= 0) return 0;
    iovs.checkWhole(i); // with data to give, wasmtime takes the whole buffer
    if (n > avail) n = avail;
    if (n > MAX_IO) n = MAX_IO;
    this.read(pos, n, iovs, i);
    return n;
  }

  /** `n` bytes at `pos` (≤ size) to buffer `i` of `sink` (the shape of RegularFile.read). */
  read(pos, n, sink, i) {
    const buf = this.fs._scratch(n);
    const got = host(() => this.sah.read(buf.subarray(0, n), { at: pos }));
    if (got < n) buf.fill(0, got, n); // the data file is shorter than we think (cut outside): zeros, as a hole
    sink.write(i, 0, buf, 0, n);
  }

  /**
   * Write `n` bytes of iovec `i` at `pos`: past `maxFileSize` a short write
   * (EFBIG when nothing fits), as MemFS; past the storage quota a short
   * write (ENOSPC when nothing fits), as a full tmpfs.
   */
  writeAt(pos, iovs, i, n) {
    if (n > MAX_IO) n = MAX_IO;
    const max = this.fs.maxFileSize;
    if (pos + n > max) {
      iovs.checkWhole(i); // a bad buffer traps before EFBIG or a short write, as wasmtime reads it first
      if (pos >= max) throw new WasiError(pos >= 2 ** 63 ? errno.inval : errno.fbig);
      n = max - pos;
    }
    const buf = this.fs._scratch(n);
    iovs.read(i, 0, buf, 0, n); // a trap before the file changes
    const done = this._put(buf, n, pos);
    this.touchModified();
    return done;
  }

  /** The facade's write (appendFileSync): all of it or an error. */
  write(pos, n, source, i) {
    this.checkEnd(pos + n);
    const buf = this.fs._scratch(n);
    source.read(i, 0, buf, 0, n);
    if (this._put(buf, n, pos) < n) throw new WasiError(errno.nospc);
  }

  /** Write `buf[0, n)` at `pos`; on a full quota as much as fits (ENOSPC if nothing). */
  _put(buf, n, pos) {
    let want = n;
    for (;;) {
      try {
        let w = this.sah.write(buf.subarray(0, want), { at: pos });
        if (w > want) w = this._failedWrite(w, want, pos); // Chromium: an error code, not a throw
        // Firefox: nothing written past the quota, and no throw either: the quota's refusal (halved below)
        if (w === 0 && want > 0) throw new WasiError(errno.nospc);
        if (pos + w > this.size) this.size = pos + w;
        return w;
      } catch (e) {
        const err = handleError(e);
        if (err.errno !== errno.nospc) throw err;
        if (want <= 1) throw err;
        want = Math.floor(want / 2); // what fits of it: a short write, as a full tmpfs gives
      }
    }
  }

  /**
   * Chromium's sync access handle does not throw past the quota: it writes
   * what fits and returns base::File's error as an unsigned 32-bit count
   * (2^32 - 8, FILE_ERROR_NO_SPACE; measured, spec/RATIONALE.md
   * "HandleDirectory"). What it wrote is what the file grew by: a short
   * write; nothing: ENOSPC. Any other code is EIO.
   */
  _failedWrite(w, want, pos) {
    if (w !== 2 ** 32 - 8) throw new WasiError(errno.io);
    const done = Math.min(want, host(() => this.sah.getSize()) - pos);
    if (done <= 0) throw new WasiError(errno.nospc);
    return done;
  }

  /**
   * ftruncate. Chromium's sync access handle may not grow a file and not
   * say so (measured: past ~1.5 GiB, with 10 GiB of quota free, `truncate`
   * returns and the file keeps its size): the size is read back, and a
   * file it would not grow is ENOSPC, its size unchanged (spec/RATIONALE.md
   * "HandleDirectory"). Believed, stat said 2 GiB and a reload found 34
   * bytes (the OPFS fuzzer, seed 4020473).
   */
  resize(n) {
    if (n === this.size) return;
    this.checkEnd(n);
    host(() => this.sah.truncate(n));
    const got = host(() => this.sah.getSize());
    if (got !== n) {
      this.size = got; // (what a reload would find)
      throw new WasiError(n > got ? errno.nospc : errno.io);
    }
    this.size = n;
  }

  replace(bytes) {
    this.checkEnd(bytes.length);
    host(() => this.sah.truncate(0));
    this.size = 0;
    if (bytes.length > 0 && this._put(bytes, bytes.length, 0) < bytes.length) throw new WasiError(errno.nospc);
  }

  bytes() {
    const out = new Uint8Array(this.size);
    const got = host(() => this.sah.read(out, { at: 0 }));
    return got === out.length ? out : out.subarray(0, got);
  }

  /**
   * fd_sync, fd_datasync: the bytes flushed, then the metadata if it changed.
   * ENOSPC for a file still in memory (no spare data file was left for it):
   * it cannot be made durable before the run yields.
   */
  sync(data) {
    if (this.slot === null) throw new WasiError(errno.nospc);
    host(() => this.sah.flush());
    this.fs.flush();
  }
}

/** Main thread (async mode): bytes in pages of this size, read by `getFile().slice()`. */
const PAGE = 1 << 16;
/** A read loads at least this much (read-ahead: one wait per MiB read sequentially). */
const READ_AHEAD = 1 << 20;
/** Clean pages kept per file beyond this are dropped (oldest loaded first). */
const CACHE_MAX = 32 << 20;
/** Dirty bytes per file beyond this are written back before the next write. */
const DIRTY_MAX = 32 << 20;

/**
 * A data file on the main thread, where there are no sync access handles
 * (spec/RATIONALE.md, "HandleDirectory", the main thread): the sync access
 * handle's methods over a page cache. `prepare(pos, n, write)` is asked
 * first, before anything changes: null when the pages are there, else a
 * Promise that loads them (the runtime returns it, the glue waits and calls
 * again). Writes stay in the cache until `flush()` (async) writes them back
 * through `createWritable({keepExistingData: true})`: at fd_sync,
 * fd_datasync, fd_close and when the run yields.
 * `clean`: bytes of the file on disk at and beyond it are stale (it was cut
 * since the last write-back): a page there is zeros, never loaded.
 */
export class PagedData {
  /**
   * @param {FileSystemFileHandle} handle @param {number} size its size on disk
   * @param {number} [timeout] ms one call of the handle API may take (EIO past it)
   */
  constructor(handle, size, timeout = TIMEOUT) {
    this.handle = handle;
    this.timeout = timeout;
    this.size = size;
    this.diskSize = size;
    this.clean = size;
    /** page index -> Uint8Array(PAGE) */
    this.pages = new Map();
    this.dirty = new Set();
    this.file = null;
    /** The last load or write-back queued (_serial). */
    this._queue = null;
    /** Called at the first change after a write-back (the store's list of files to write back). */
    this.onChange = null;
  }

  getSize() { return this.size; }

  _wait(p, what, late) {
    return hostAsync(p, `${what} of ${this.handle.name}`, this.timeout, late);
  }

  /** Is page `p` needed from disk (some of it below `clean`, not loaded)? */
  _missing(p) { return p * PAGE < this.clean && !this.pages.has(p); }

  /** null if `[pos, pos + n)` can be read (write: written) at once, else a Promise that makes it so. */
  prepare(pos, n, write) {
    if (n <= 0) return null;
    const first = Math.floor(pos / PAGE), last = Math.floor((pos + n - 1) / PAGE);
    if (write) {
      if (this.dirty.size * PAGE > DIRTY_MAX) return this.flush();
      // only the pages the write covers in part keep bytes of the disk
      const need = [];
      if ((pos % PAGE !== 0 || (first === last && (pos + n) % PAGE !== 0)) && this._missing(first)) need.push(first);
      if (last !== first && (pos + n) % PAGE !== 0 && this._missing(last)) need.push(last);
      return need.length === 0 ? null : Promise.all(need.map((page) => this._serial(() => this._load(page, page + 1, null))));
    }
    for (let p = first; p <= last; p++) {
      if (this._missing(p)) return this._serial(() => this._load(p, Math.max(last + 1, p + READ_AHEAD / PAGE), [first, last + 1]));
    }
    return null;
  }

  /**
   * Loads and write-backs one at a time, in order: a load never reads a
   * File that a write-back's close made unreadable, nor bytes it replaced.
   */
  _serial(fn) {
    const prev = this._queue;
    const run = (async () => {
      if (prev !== null) await prev.catch(() => {});
      return fn();
    })();
    this._queue = run;
    return run;
  }

  /**
   * Load the missing pages of `[from, to)` (below `clean`) in one slice;
   * `keep`: [first, end) of the pages the caller reads, never dropped to
   * make room (null: drop none).
   */
  async _load(from, to, keep) {
    to = Math.min(to, Math.ceil(this.clean / PAGE));
    const start = from * PAGE, end = Math.min(to * PAGE, this.clean);
    let bytes;
    try {
      this.file ??= await this._wait(this.handle.getFile(), "getFile()");
      bytes = new Uint8Array(await this._wait(this.file.slice(start, end).arrayBuffer(), "File.slice().arrayBuffer()"));
    } catch (e) {
      this.file = null; // (a File read after a write-back is unreadable: a fresh one next time)
      throw handleError(e);
    }
    if (keep !== null) this._evict((to - from) * PAGE, keep);
    for (let p = from; p < to; p++) {
      if (this.pages.has(p) || p * PAGE >= this.clean) continue; // written meanwhile, or cut
      const page = new Uint8Array(PAGE);
      const a = p * PAGE - start;
      const keep = Math.min(PAGE, this.clean - p * PAGE, Math.max(0, bytes.length - a));
      if (keep > 0) page.set(bytes.subarray(a, a + keep));
      this.pages.set(p, page);
    }
  }

  _evict(room, [keepFrom, keepTo]) {
    if ((this.pages.size - this.dirty.size) * PAGE + room <= CACHE_MAX) return;
    for (const p of this.pages.keys()) {
      if (this.dirty.has(p) || (p >= keepFrom && p < keepTo)) continue;
      this.pages.delete(p);
      if ((this.pages.size - this.dirty.size) * PAGE + room <= CACHE_MAX) return;
    }
  }

  _page(p, create) {
    let page = this.pages.get(p);
    if (page !== undefined) return page;
    if (p * PAGE < this.clean && !create) throw new WasiError(errno.io, "HandleDirectory: a page read before it was loaded (call prepare first)");
    page = new Uint8Array(PAGE); // beyond `clean`: zeros
    this.pages.set(p, page);
    return page;
  }

  read(dst, { at }) {
    const n = Math.max(0, Math.min(dst.length, this.size - at));
    for (let done = 0; done < n;) {
      const pos = at + done, p = Math.floor(pos / PAGE), off = pos % PAGE;
      const k = Math.min(PAGE - off, n - done);
      const page = this.pages.get(p);
      if (page !== undefined) dst.set(page.subarray(off, off + k), done);
      else if (pos < this.clean) throw new WasiError(errno.io, "HandleDirectory: a page read before it was loaded (call prepare first)");
      else dst.fill(0, done, done + k);
      done += k;
    }
    return n;
  }

  write(src, { at }) {
    const n = src.length;
    for (let done = 0; done < n;) {
      const pos = at + done, p = Math.floor(pos / PAGE), off = pos % PAGE;
      const k = Math.min(PAGE - off, n - done);
      const page = this._page(p, off === 0 && k === PAGE);
      page.set(src.subarray(done, done + k), off);
      this._mark(p);
      done += k;
    }
    if (at + n > this.size) this.size = at + n;
    return n;
  }

  _mark(p) {
    if (this.dirty.size === 0) this.onChange?.(this);
    this.dirty.add(p);
  }

  truncate(n) {
    if (n < this.size) {
      const p = Math.floor(n / PAGE);
      const page = this.pages.get(p);
      if (page !== undefined && n % PAGE !== 0) {
        page.fill(0, n % PAGE);
        this._mark(p);
      }
      for (const q of [...this.pages.keys()]) {
        if (q * PAGE >= n) { this.pages.delete(q); this.dirty.delete(q); }
      }
      if (n < this.clean) this.clean = n;
    }
    if (n !== this.size) this.onChange?.(this);
    this.size = n;
  }

  /** Has it changes not written back? */
  get changed() { return this.dirty.size > 0 || this.size !== this.diskSize || this.clean !== this.diskSize; }

  /** Write the changes back (after the loads and write-backs queued). Errors: ENOSPC (quota), EIO. */
  flush() {
    return this._serial(() => this._writeBack());
  }

  async _writeBack() {
    if (!this.changed) return;
    const size = this.size, clean = this.clean, dirty = this.dirty;
    const runs = []; // [position, bytes], consecutive pages as one write
    for (const p of [...dirty].sort((a, b) => a - b)) {
      const start = p * PAGE;
      if (start >= size) continue;
      const bytes = this.pages.get(p).slice(0, Math.min(PAGE, size - start)); // a copy: the guest may write on meanwhile
      const last = runs[runs.length - 1];
      if (last !== undefined && last[0] + last[1].reduce((n, b) => n + b.length, 0) === start) last[1].push(bytes);
      else runs.push([start, [bytes]]);
    }
    this.dirty = new Set();
    this.clean = size;
    let w = null;
    try {
      w = await this._wait(this.handle.createWritable({ keepExistingData: true }), "createWritable()", (late) => late.abort().catch(() => {}));
      if (clean < this.diskSize) await this._wait(w.truncate(clean), "truncate()");
      for (const [position, parts] of runs) {
        const data = parts.length === 1 ? parts[0] : new Blob(parts);
        await this._wait(w.write({ type: "write", position, data }), "write()");
      }
      await this._wait(w.truncate(size), "truncate()");
      await this._wait(w.close(), "close()");
    } catch (e) {
      try { await w?.abort(); } catch { /* gone already */ }
      for (const p of dirty) if (this.pages.has(p)) this.dirty.add(p); // still to write
      if (clean < this.clean) this.clean = clean;
      this.onChange?.(this);
      throw handleError(e);
    }
    this.diskSize = size;
    this.file = null;
  }

  close() {}
}

/** A file of a HandleDirectory on the main thread (its data a PagedData): reads and writes may wait first. */
class PagedHandleFile extends HandleFile {
  readAt(pos, iovs, i, n) {
    const avail = this.size - pos;
    if (avail > 0) {
      const wait = this.sah.prepare?.(pos, Math.min(n, avail, MAX_IO), false) ?? null; // (MemoryData: none)
      if (wait !== null) return wait;
    }
    return super.readAt(pos, iovs, i, n);
  }

  writeAt(pos, iovs, i, n) {
    const wait = this.sah.prepare?.(pos, Math.min(n, MAX_IO, Math.max(0, this.fs.maxFileSize - pos)), true) ?? null;
    if (wait !== null) return wait;
    return super.writeAt(pos, iovs, i, n);
  }

  /** fd_sync, fd_datasync: a file still in memory given its data file, then every change written back. */
  async sync(data) {
    await this.fs._materialize();
    await this.fs.flush();
  }
}

/**
 * A FileSystemDirectoryHandle to mount in a MemFS, in a dedicated Worker
 * (or on the main thread, for a WASI in async mode: PagedData):
 * `await fs.mount("/home", new HandleDirectory(await navigator.storage.getDirectory()))`.
 */
export class HandleDirectory extends MemFSCore {
  /**
   * @param {FileSystemDirectoryHandle} handle the directory the store lives in (OPFS, or a picked folder)
   * @param {object} [options]
   * @param {number} [options.spares] data files made in advance for new files (default 32; a
   *   synchronous run cannot make more: past them a new file stays in memory until the run ends)
   * @param {number|bigint} [options.dev] the device number stat reports; default 1, as wasmtime
   * @param {number} [options.maxFileSize] largest file (EFBIG beyond); default 2^31-1, as MemFS
   * @param {string} [options.lock] the Web Locks name held while mounted (default: one per store, kept in its metadata)
   * @param {number} [options.timeout] ms one call of the handle API may take before it is EIO (default 20000)
   */
  constructor(handle, options = {}) {
    if (handle === null || typeof handle !== "object" || typeof handle.getDirectoryHandle !== "function") {
      throw new TypeError("HandleDirectory: the first argument must be a FileSystemDirectoryHandle (navigator.storage.getDirectory(), showDirectoryPicker())");
    }
    if (options === null || typeof options !== "object") throw new TypeError("HandleDirectory options must be an object");
    const spares = options.spares ?? 32;
    if (!Number.isInteger(spares) || spares < 1) throw new TypeError(`HandleDirectory options.spares must be a positive integer; got ${String(spares)}`);
    super({ dev: options.dev ?? 1, maxFileSize: options.maxFileSize });
    this.handle = handle;
    this._spareTarget = spares;
    this._lockOption = options.lock;
    const timeout = options.timeout ?? TIMEOUT;
    if (typeof timeout !== "number" || !(timeout > 0)) throw new TypeError(`HandleDirectory options.timeout must be a positive number of ms; got ${String(timeout)}`);
    this._timeout = timeout;
    this._open = false;
    /** Data files not used by any file: [{slot, sah}]. */
    this._spares = [];
    this._nextSlot = 0;
    this._metaSah = [null, null];
    /** Their sizes, kept here (a save asks no handle for them). */
    this._metaSize = [0, 0];
    this._seq = 0;
    this._isDirty = false;
    this._timer = null;
    this._buf = new Uint8Array(65536);
    this._release = null;
    this._id = null;
    /** Data files of removed files, spare once the metadata is saved (see _releaseIfUnused). */
    this._freed = [];
    /** Removed files still open. */
    this._orphans = new Set();
    /** New files kept in memory: no spare data file was left (see MemoryData). */
    this._pending = new Set();
    this._background = null;
    /** Main thread (no sync access handles): data files are PagedData, the store an async backend. */
    this._paged = false;
    /** Main thread: the data files with changes not written back. */
    this._unsaved = new Set();
    this._saving = null;
    this._nextIno = 1; // the root the constructor made is replaced: numbers from 1 again
    this._inodes = 0;
    this.root = new HandleDir(this, null);
  }

  _scratch(n) {
    if (this._buf.length < n) this._buf = new Uint8Array(Math.max(n, this._buf.length * 2));
    return this._buf;
  }

  /**
   * Read the store (awaited by `fs.mount`): take the lock, open the metadata
   * and every data file's sync access handle, load the tree, make spares.
   * Errors: EBUSY (another tab or worker has it mounted), EACCES (no
   * permission), TypeError without the File System API. Without sync
   * access handles (the main thread) the store is an async backend.
   */
  async open() {
    if (this._open) return;
    if (typeof FileSystemFileHandle === "undefined") throw new TypeError("HandleDirectory: needs the File System API (FileSystemFileHandle)");
    if (typeof FileSystemFileHandle.prototype.createSyncAccessHandle !== "function") {
      // The main thread: pages over the async API, an async backend (a WASI with async: true only)
      this._paged = true;
      this.async = true;
    }
    const h = this.handle;
    // The lock's name is the store's id, kept in its metadata: read it before
    // the lock is held, while the tab or worker that holds it may be
    // rewriting a metadata file (a read of it then fails: NotReadableError
    // in Chromium), so any failure here only means "no id from this file".
    // What is loaded is read again once the lock is held (below), so it is
    // never a save older than the last one its owner made before letting go.
    let id = this._lockOption === undefined ? pickMeta(await Promise.all(META.map((name) => this._readText(name).catch(() => null))))?.id : undefined;
    id ??= randomId(); // a new store (or one being written: then the metadata's id differs, below)
    await this._lock(this._lockOption ?? `wasi-polyfill:HandleDirectory:${id}`);
    try {
      const texts = [];
      for (let k = 0; k < 2; k++) {
        const fh = await this._wait(h.getFileHandle(META[k], { create: true }), `getFileHandle(${META[k]})`);
        this._metaSah[k] = await this._access(fh, false);
        this._metaSize[k] = this._metaSah[k].getSize();
        texts.push(this._paged ? await this._readText(META[k]) : readAll(this._metaSah[k]));
      }
      const meta = pickMeta(texts);
      if (meta !== null && this._lockOption === undefined && meta.id !== id) {
        // made or being written meanwhile by another tab or worker, which holds its own lock
        throw new WasiError(errno.busy, "HandleDirectory: the directory is mounted by another tab or worker (its metadata changed while this mount read it)");
      }
      this._id = meta?.id ?? id;
      const dataDir = await this._wait(h.getDirectoryHandle(DATA, { create: true }), `getDirectoryHandle(${DATA})`);
      this._dataDir = dataDir;
      /** slot -> {slot, sah} of every data file there */
      const files = new Map();
      const listing = dataDir.entries();
      for (;;) {
        const next = await this._wait(listing.next(), `entries() of ${DATA}`);
        if (next.done) break;
        const [name, entry] = next.value;
        const slot = /^(0|[1-9][0-9]*)$/.test(name) ? Number(name) : NaN;
        if (entry.kind !== "file" || !Number.isSafeInteger(slot)) continue;
        files.set(slot, { slot, sah: await this._access(entry, true) });
        if (slot >= this._nextSlot) this._nextSlot = slot + 1;
      }
      if (meta !== null) {
        this._seq = meta.seq;
        this._load(meta, files);
      } else {
        this._isDirty = true; // a new store: its first metadata is written below
      }
      // Data files no file names (a file created after the last save, or
      // unlinked): spares, emptied.
      for (const d of files.values()) {
        if (d.used) continue;
        host(() => d.sah.truncate(0));
        this._spares.push(d);
      }
      this._open = true;
      await this._refill();
      await this.flush();
    } catch (e) {
      await this._closeHandles();
      throw handleError(e);
    }
  }

  /** A data or metadata file's access: its sync access handle, or on the main thread a PagedData. */
  async _access(fh, data) {
    if (!this._paged) return this._wait(fh.createSyncAccessHandle(), `createSyncAccessHandle() of ${fh.name}`, closeLate);
    const d = new PagedData(fh, (await this._wait(fh.getFile(), `getFile() of ${fh.name}`)).size, this._timeout);
    if (data) d.onChange = (x) => this._unsaved.add(x);
    return d;
  }

  async _readText(name) {
    let fh;
    try {
      fh = await this._wait(this.handle.getFileHandle(name), `getFileHandle(${name})`);
    } catch (e) {
      if (e.errno === errno.noent) return null;
      throw e;
    }
    return this._wait(fh.getFile().then((f) => f.text()), `getFile().text() of ${name}`);
  }

  /** A call of the handle API, awaited at most `options.timeout` (see hostAsync). */
  _wait(p, what, late) {
    return hostAsync(p, what, this._timeout, late);
  }

  async _lock(name) {
    const locks = globalThis.navigator?.locks;
    if (locks === undefined) return; // the sync access handles are exclusive too
    let release;
    const held = new Promise((r) => { release = r; });
    let request;
    const got = await this._wait(new Promise((resolve, reject) => {
      request = locks.request(name, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock === null ? undefined : held;
      });
      request.catch(reject);
    }), `navigator.locks.request(${JSON.stringify(name)})`, (late) => { if (late) release(); });
    if (!got) throw new WasiError(errno.busy, `HandleDirectory: the directory is mounted by another tab or worker (Web Lock ${JSON.stringify(name)})`);
    // Letting go: `held` resolved, then the request settles once the lock is
    // free. close() waits for that: with the release alone, a mount right
    // after it can still find the lock taken (Chromium: 1 time in 3, measured).
    this._release = () => {
      release();
      return this._wait(request, `the release of the Web Lock ${JSON.stringify(name)}`).then(() => {}, () => {});
    };
  }

  _load(meta, files) {
    const byIno = new Map();
    let count = 0;
    const times = (inode, t) => {
      [inode.atimS, inode.atimN, inode.mtimS, inode.mtimN, inode.ctimS, inode.ctimN] = t;
    };
    const make = (node, parent) => {
      const [kind, ino] = node;
      let inode = byIno.get(ino);
      if (inode !== undefined) { // another link to a file
        inode.nlink++;
        return inode;
      }
      if (kind === "d") {
        inode = new HandleDir(this, parent);
        for (const [name, child] of node[3]) {
          const c = make(child, inode);
          inode.entries.set(name, c);
          if (c.type === inode.type) inode.nlink++;
        }
      } else if (kind === "l") {
        inode = new HandleSymlink(this, node[3]);
        inode.nlink = 1;
      } else {
        const d = files.get(node[3]);
        if (d === undefined || d.used) throw new WasiError(errno.io, `HandleDirectory: the data file ${node[3]} of inode ${ino} is missing (the store was changed outside)`);
        d.used = true;
        inode = this._paged ? new PagedHandleFile(this, d) : new HandleFile(this, d);
        inode.nlink = 1;
      }
      inode.ino = ino;
      times(inode, node[2]);
      byIno.set(ino, inode);
      count++;
      return inode;
    };
    const root = make(meta.root, null);
    root.parent = root;
    this.root = root;
    this._nextIno = meta.nextIno;
    this._inodes = count;
  }

  /**
   * Make spare data files up to the target and `extra` more (async: at
   * mount, in flushAsync). With the quota full, as many as fit: a file
   * past them stays in memory, as past the spares (ENOSPC from `fd_sync`).
   */
  async _refill(extra = 0) {
    while (this._open && this._spares.length < this._spareTarget + extra) {
      const slot = this._nextSlot++;
      let fh;
      try {
        fh = await this._wait(this._dataDir.getFileHandle(String(slot), { create: true }), `getFileHandle(${DATA}/${slot})`);
      } catch (e) {
        if (e.errno === errno.nospc && extra === 0) return;
        throw e;
      }
      const sah = await this._access(fh, true);
      if (this._open) this._spares.push({ slot, sah });
      else sah.close(); // closed meanwhile
    }
  }

  _dirty() {
    if (this._isDirty || !this._open) return;
    this._isDirty = true;
    this._schedule();
  }

  /** flushAsync once the thread is free: a synchronous run holds it, so at the end of the run. */
  _schedule() {
    this._timer ??= setTimeout(() => {
      this._timer = null;
      this._background = this.flushAsync().catch(() => {
        // kept dirty: the next fd_sync, fd_close or flush reports it
      });
    }, 0);
  }

  /**
   * Give the files kept in memory (made past the spares) data files: made
   * first (awaited), then filled at once, with nothing awaited between, so
   * an async run cannot write to one meanwhile. Each file is given its data
   * file whole or not at all: one that does not fit (ENOSPC: the quota, or
   * Chromium's error count, see _failedWrite) stays in memory, its data
   * file spare again, and the next try starts from it. (Cleared at the end,
   * a failure midway left the files before it pending with data files as
   * their "memory": the next try gave them empty data files.)
   */
  async _materialize() {
    if (this._pending.size === 0) return;
    await this._refill(this._pending.size);
    if (!this._open) return;
    for (const f of [...this._pending]) {
      const d = this._spares.pop();
      const mem = f.sah;
      try {
        host(() => {
          d.sah.truncate(0);
          if (mem.size > 0 && d.sah.write(mem.u8.subarray(0, mem.size), { at: 0 }) !== mem.size) {
            throw new WasiError(errno.nospc);
          }
        });
      } catch (e) {
        try { d.sah.truncate(0); } catch { /* spare all the same: emptied at the next mount */ }
        this._spares.push(d);
        throw e;
      }
      f.slot = d.slot;
      f.sah = d.sah;
      this._pending.delete(f);
      this._orphans.delete(f);
      if (f.nlink === 0) this._orphans.add(f); // removed, still open
      this._isDirty = true;
    }
  }

  /**
   * Write the metadata if it changed, into the older of the two metadata
   * files, flushed: a reload in the middle leaves the other one whole.
   * Errors: ENOSPC (quota), EIO.
   */
  flush() {
    if (this._paged) return this._savePaged();
    if (!this._open || !this._isDirty) return;
    const seq = this._seq + 1;
    const body = encoder.encode(JSON.stringify(this._serialize(seq)));
    const head = encoder.encode(`${FORMAT}\n${body.length} ${checksum(body)}\n`);
    const sah = this._metaSah[seq % 2];
    const end = head.length + body.length;
    host(() => {
      // Written over the old bytes, not after a cut, in files kept larger
      // than needed (metaRoom): with the quota full, a save that grew by a
      // few names still fits in space already held.
      const room = metaRoom(end);
      for (let k = 0; k < 2; k++) { // (the other one too: ready for the next save)
        if (this._metaSize[k] >= end) continue;
        this._metaSah[k].truncate(room);
        this._metaSize[k] = room;
      }
      if (sah.write(head, { at: 0 }) !== head.length || sah.write(body, { at: head.length }) !== body.length) {
        throw new WasiError(errno.nospc);
      }
      if (this._metaSize[seq % 2] > 4 * room) { // the tree shrank a lot: give the space back
        sah.truncate(room);
        this._metaSize[seq % 2] = room;
      }
      sah.flush();
    });
    this._seq = seq;
    this._isDirty = false;
    for (const d of this._freed) {
      host(() => d.sah.truncate(0));
      this._spares.push(d);
    }
    this._freed = [];
  }

  /**
   * The main thread's flush(): every data file's changes written back, then
   * the metadata if it changed (as flush(), through its PagedData), one save
   * at a time. Errors: ENOSPC (quota), EIO.
   */
  _savePaged() {
    const prev = this._saving;
    const run = (async () => {
      if (prev !== null) await prev.catch(() => {});
      if (!this._open) return;
      for (const d of [...this._unsaved]) {
        this._unsaved.delete(d);
        await d.flush(); // (a failure: onChange put it back)
      }
      if (!this._isDirty) return;
      const seq = this._seq + 1;
      const body = encoder.encode(JSON.stringify(this._serialize(seq)));
      const head = encoder.encode(`${FORMAT}\n${body.length} ${checksum(body)}\n`);
      const meta = this._metaSah[seq % 2];
      meta.truncate(0);
      meta.write(head, { at: 0 });
      meta.write(body, { at: head.length });
      const freed = this._freed;
      this._freed = [];
      this._isDirty = false; // (a change meanwhile marks it again)
      try {
        await meta.flush();
      } catch (e) {
        this._isDirty = true;
        this._freed.push(...freed);
        throw e;
      }
      this._seq = seq;
      for (const d of freed) {
        d.sah.truncate(0);
        this._spares.push(d);
      }
    })();
    this._saving = run;
    return run;
  }

  /** Files kept in memory given data files, flush(), then spare data files made again (between runs). */
  async flushAsync() {
    await this._materialize();
    await this.flush();
    await this._refill();
  }

  _serialize(seq) {
    const node = (inode) => {
      const t = [inode.atimS, inode.atimN, inode.mtimS, inode.mtimN, inode.ctimS, inode.ctimN];
      if (inode instanceof HandleDir) {
        // a file still in memory is not in the saved tree yet (it has no data file to name)
        const kept = [...inode.entries].filter(([, c]) => !(c instanceof HandleFile && c.slot === null));
        return ["d", inode.ino, t, kept.map(([n, c]) => [n, node(c)])];
      }
      if (inode instanceof HandleSymlink) return ["l", inode.ino, t, inode.target];
      return ["f", inode.ino, t, inode.slot];
    };
    return { id: this._id, seq, nextIno: this._nextIno, root: node(this.root) };
  }

  /**
   * Main thread: load every file's bytes, for a synchronous reader of the
   * whole tree (the MemFS facade, `dumpTree`); nothing to do in a Worker.
   */
  async preload() {
    const walk = async (dir) => {
      for (const c of dir.entries.values()) {
        if (c instanceof HandleDir) await walk(c);
        else if (c instanceof HandleFile && c.sah?.prepare !== undefined) {
          await c.sah._serial(() => c.sah._load(0, Math.ceil(c.sah.size / PAGE), null)); // whole, none dropped
        }
      }
    };
    if (this._paged) await walk(this.root);
  }

  /**
   * Save and let go of every handle and the lock (awaited: a new
   * HandleDirectory on the same directory can then open it). Unmount first.
   */
  async close() {
    if (!this._open) return;
    if (this._timer !== null) clearTimeout(this._timer);
    this._timer = null;
    await this._background; // a flushAsync under way
    try {
      await this._materialize();
      await this.flush();
    } finally {
      this._open = false;
      await this._closeHandles(); // the lock free again (see _lock)
    }
  }

  /** Close every handle and let go of the lock: a Promise that settles once the lock is free. */
  _closeHandles() {
    const close = (sah) => { try { sah?.close(); } catch { /* closed already */ } };
    for (const sah of this._metaSah) close(sah);
    this._metaSah = [null, null];
    for (const d of this._spares) close(d.sah);
    this._spares = [];
    const seen = new Set();
    const walk = (dir) => {
      for (const c of dir.entries.values()) {
        if (c instanceof HandleDir) walk(c);
        else if (c instanceof HandleFile && !seen.has(c)) { seen.add(c); close(c.sah); }
      }
    };
    walk(this.root);
    for (const f of this._orphans) close(f.sah);
    this._orphans = new Set();
    for (const d of this._freed) close(d.sah);
    this._freed = [];
    const released = this._release?.();
    this._release = null;
    return released;
  }

  // ---- the primitives (vfs/memfs.js has checked everything) ----

  createFile(dir, name) {
    // No spare left: the bytes stay in memory until the run yields (_materialize).
    const data = this._spares.pop() ?? { slot: null, sah: new MemoryData() };
    const inode = this._paged ? new PagedHandleFile(this, data) : new HandleFile(this, data);
    if (inode.slot === null) {
      this._pending.add(inode);
      this._schedule();
    }
    this._link(dir, name, inode);
    this._dirty();
    return inode;
  }

  mkdir(dir, name) {
    this._link(dir, name, new HandleDir(this, dir));
    this._dirty();
  }

  symlink(dir, name, target) {
    this._link(dir, name, new HandleSymlink(this, target));
    this._dirty();
  }

  rmdir(dir, name, inode) { super.rmdir(dir, name, inode); this._dirty(); }
  unlink(dir, name, inode) { super.unlink(dir, name, inode); this._dirty(); }
  link(dir1, name1, inode, dir2, name2) { super.link(dir1, name1, inode, dir2, name2); this._dirty(); }
  rename(dir1, name1, inode, dir2, name2, old) { super.rename(dir1, name1, inode, dir2, name2, old); this._dirty(); }

  /**
   * A file with no links and no descriptors: its data file is spare again
   * once metadata that no longer names it is saved (flush): before, a
   * reload would find the old metadata naming it, with a new file's bytes.
   */
  _releaseIfUnused(inode) {
    if (inode.nlink !== 0) return;
    if (inode instanceof HandleFile && inode.slot === null) {
      if (inode.opens === 0) this._pending.delete(inode);
    } else if (inode instanceof HandleFile) {
      if (inode.opens !== 0) {
        this._orphans.add(inode); // kept open by a descriptor (its handle closed with the store)
        return;
      }
      this._orphans.delete(inode);
      this._freed.push({ slot: inode.slot, sah: inode.sah });
      inode.sah = null;
      this._dirty();
    }
    if (inode.opens === 0) this._inodes--;
  }

  /** fd_close: the metadata saved if it changed (durable after fd_close). */
  _closed(inode) {
    super._closed(inode);
    const saved = this.flush(); // main thread: a Promise, which fd_close waits for
    saved?.catch(() => {}); // (kept dirty: the next save reports it)
    return saved;
  }
}

/** A metadata file's text, through its sync access handle. */
function readAll(sah) {
  const u8 = new Uint8Array(host(() => sah.getSize()));
  const n = host(() => sah.read(u8, { at: 0 }));
  return decoder.decode(u8.subarray(0, n));
}

/**
 * The size a metadata file is kept at for `n` bytes of content: a quarter
 * and 4 KiB more, in 4 KiB steps. The bytes past the content are ignored
 * (the header gives its length).
 */
function metaRoom(n) {
  return Math.ceil((n + n / 4 + 4096) / 4096) * 4096;
}

function pickMeta(texts) {
  let best = null;
  for (const text of texts) {
    if (text === null) continue;
    const m = /^([^\n]*)\n(\d+) ([0-9a-f]{8})\n/.exec(text);
    if (m === null || m[1] !== FORMAT) continue;
    const body = encoder.encode(text.slice(m[0].length)).subarray(0, Number(m[2])); // (beyond: room kept, ignored)
    if (body.length !== Number(m[2]) || checksum(body) !== m[3]) continue; // torn: the other one is whole
    let meta;
    try {
      meta = JSON.parse(decoder.decode(body));
    } catch {
      continue;
    }
    if (best === null || meta.seq > best.seq) best = meta;
  }
  return best;
}

function randomId() {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
