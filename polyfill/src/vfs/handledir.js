// HandleDirectory: a FileSystemDirectoryHandle as a mounted backend — the
// origin-private file system (`navigator.storage.getDirectory()`) or a
// folder the user picked (`showDirectoryPicker()`), in a dedicated Worker.
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

async function hostAsync(p) {
  try {
    return await p;
  } catch (e) {
    throw handleError(e);
  }
}

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
  sync(data) { this.fs.flush(); }
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
        const w = this.sah.write(buf.subarray(0, want), { at: pos });
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

  resize(n) {
    if (n === this.size) return;
    this.checkEnd(n);
    host(() => this.sah.truncate(n));
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

/**
 * A FileSystemDirectoryHandle to mount in a MemFS, in a dedicated Worker:
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
    this._open = false;
    /** Data files not used by any file: [{slot, sah}]. */
    this._spares = [];
    this._nextSlot = 0;
    this._metaSah = [null, null];
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
   * permission), ENOSYS-like TypeError outside a dedicated Worker.
   */
  async open() {
    if (this._open) return;
    if (typeof FileSystemFileHandle === "undefined" || typeof FileSystemFileHandle.prototype.createSyncAccessHandle !== "function") {
      throw new TypeError("HandleDirectory: needs createSyncAccessHandle, which browsers give to dedicated Workers only (run the program with WasiWorker or in your own Worker)");
    }
    const h = this.handle;
    const texts = [];
    for (const name of META) texts.push(await this._readText(name));
    const meta = pickMeta(texts);
    this._id = meta?.id ?? randomId();
    await this._lock(this._lockOption ?? `wasi-polyfill:HandleDirectory:${this._id}`);
    try {
      for (let k = 0; k < 2; k++) {
        const fh = await hostAsync(h.getFileHandle(META[k], { create: true }));
        this._metaSah[k] = await hostAsync(fh.createSyncAccessHandle());
      }
      const dataDir = await hostAsync(h.getDirectoryHandle(DATA, { create: true }));
      this._dataDir = dataDir;
      /** slot -> {slot, sah} of every data file there */
      const files = new Map();
      for await (const [name, entry] of dataDir.entries()) {
        const slot = /^(0|[1-9][0-9]*)$/.test(name) ? Number(name) : NaN;
        if (entry.kind !== "file" || !Number.isSafeInteger(slot)) continue;
        files.set(slot, { slot, sah: await hostAsync(entry.createSyncAccessHandle()) });
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
      this.flush();
    } catch (e) {
      this._closeHandles();
      throw handleError(e);
    }
  }

  async _readText(name) {
    let fh;
    try {
      fh = await this.handle.getFileHandle(name);
    } catch (e) {
      if (e?.name === "NotFoundError") return null;
      throw handleError(e);
    }
    return hostAsync(fh.getFile().then((f) => f.text()));
  }

  async _lock(name) {
    const locks = globalThis.navigator?.locks;
    if (locks === undefined) return; // the sync access handles are exclusive too
    let release;
    const held = new Promise((r) => { release = r; });
    const got = await new Promise((resolve, reject) => {
      locks.request(name, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock === null ? undefined : held;
      }).catch(reject);
    });
    if (!got) throw new WasiError(errno.busy, `HandleDirectory: the directory is mounted by another tab or worker (Web Lock ${JSON.stringify(name)})`);
    this._release = release;
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
        inode = new HandleFile(this, d);
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

  /** Make spare data files up to the target and `extra` more (async: at mount, in flushAsync). */
  async _refill(extra = 0) {
    while (this._open && this._spares.length < this._spareTarget + extra) {
      const slot = this._nextSlot++;
      const fh = await hostAsync(this._dataDir.getFileHandle(String(slot), { create: true }));
      const sah = await hostAsync(fh.createSyncAccessHandle());
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
   * an async run cannot write to one meanwhile.
   */
  async _materialize() {
    if (this._pending.size === 0) return;
    await this._refill(this._pending.size);
    if (!this._open) return;
    for (const f of this._pending) {
      const d = this._spares.pop();
      const mem = f.sah;
      host(() => {
        d.sah.truncate(0);
        if (mem.size > 0) d.sah.write(mem.u8.subarray(0, mem.size), { at: 0 });
      });
      f.slot = d.slot;
      f.sah = d.sah;
      this._orphans.delete(f);
      if (f.nlink === 0) this._orphans.add(f); // removed, still open
    }
    this._pending.clear();
    this._isDirty = true;
  }

  /**
   * Write the metadata if it changed, into the older of the two metadata
   * files, flushed: a reload in the middle leaves the other one whole.
   * Errors: ENOSPC (quota), EIO.
   */
  flush() {
    if (!this._open || !this._isDirty) return;
    const seq = this._seq + 1;
    const body = encoder.encode(JSON.stringify(this._serialize(seq)));
    const head = encoder.encode(`${FORMAT}\n${body.length} ${checksum(body)}\n`);
    const sah = this._metaSah[seq % 2];
    host(() => {
      sah.truncate(0);
      if (sah.write(head, { at: 0 }) !== head.length || sah.write(body, { at: head.length }) !== body.length) {
        throw new WasiError(errno.nospc);
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

  /** Files kept in memory given data files, flush(), then spare data files made again (between runs). */
  async flushAsync() {
    await this._materialize();
    this.flush();
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
      this.flush();
    } finally {
      this._open = false;
      this._closeHandles();
    }
  }

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
    this._release?.();
    this._release = null;
  }

  // ---- the primitives (vfs/memfs.js has checked everything) ----

  createFile(dir, name) {
    this._live(dir);
    // No spare left: the bytes stay in memory until the run yields (_materialize).
    const inode = new HandleFile(this, this._spares.pop() ?? { slot: null, sah: new MemoryData() });
    if (inode.slot === null) {
      this._pending.add(inode);
      this._schedule();
    }
    this._link(dir, name, inode);
    this._dirty();
    return inode;
  }

  mkdir(dir, name) {
    this._link(this._live(dir), name, new HandleDir(this, dir));
    this._dirty();
  }

  symlink(dir, name, target) {
    this._link(this._live(dir), name, new HandleSymlink(this, target));
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
    this.flush();
  }
}

function pickMeta(texts) {
  let best = null;
  for (const text of texts) {
    if (text === null) continue;
    const m = /^([^\n]*)\n(\d+) ([0-9a-f]{8})\n/.exec(text);
    if (m === null || m[1] !== FORMAT) continue;
    const body = encoder.encode(text.slice(m[0].length));
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
