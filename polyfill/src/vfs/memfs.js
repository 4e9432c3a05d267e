// MemFSCore: an in-memory filesystem with POSIX semantics, the WASI face.
//
// The `*At(dir, path, ..., jailed)` operations, which the WASI syscalls call
// with a directory capability (jailed: see vfs/path.js) and which implement
// the errno choices of wasmtime on Linux (spec/RATIONALE.md, "JS runtime").
// The Node `fs`-like face for the embedder (`readFileSync`, `mkdirSync`,
// Stats, Dirent) is the subclass MemFS in vfs/node_fs.js: a WASI made without
// `fs` uses this class alone, so a bundle that never names MemFS leaves the
// facade out (spec/RATIONALE.md, "Package: what a bundle pays for").
// Every filesystem has its own inode counter, device number, clock and capacity.
import { errno, filetype, oflags as O } from "../generated/constants.js";
import { WasiError } from "../errors.js";
import { Directory, RegularFile, Symlink, splitNs, TINY_SHIFT } from "./inode.js";
import { Lookup, walk, stripTrailingSlashes, isWithin } from "./path.js";
import { describe } from "../api_errors.js";

const REGULAR_FILE = filetype.regular_file;
const DIRECTORY = filetype.directory;
const SYMBOLIC_LINK = filetype.symbolic_link;
const SLASH = 47;
const DEV_LIMIT = 2n ** 64n;

/**
 * The errno of a change refused by a read-only backend (`readOnly`): EIO,
 * what wasmtime gives on a read-only mount (it does not map the host's
 * EROFS; Linux says EROFS; spec/RATIONALE.md, "UrlDirectory: read-only").
 */
export const READ_ONLY_ERRNO = errno.io;

/** The slab of a filesystem that has no tiny file yet (never written: _tinyAlloc replaces it). */
const NO_SLAB = new Uint8Array(0);


/** A directory that was removed (rmdir'd while a descriptor held it): nothing can be entered in it. */
function isRemoved(dir) {
  return dir.nlink === 0 || dir.nlink === 0n; // a backend's counts may be BigInts
}

/** A size limit option: undefined gives `fallback`; else a non-negative integer or Infinity. */
function limit(options, name, fallback) {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== "number") throw new TypeError(`MemFS options.${name} must be a number. Received ${describe(v)}`);
  if (!(v === Infinity || (Number.isInteger(v) && v >= 0))) throw new RangeError(`MemFS options.${name} must be a non-negative integer or Infinity. Received ${describe(v)}`);
  return v;
}

export class MemFSCore {
  /**
   * @param {object} [options]
   * @param {number} [options.maxBytes] total file bytes allowed (ENOSPC beyond)
   * @param {number} [options.maxInodes] inodes allowed (ENOSPC beyond)
   * @param {number} [options.maxFileSize] largest file (EFBIG beyond); default 2^31-1
   * @param {() => bigint} [options.clock] realtime in ns for timestamps; default: the host's realtime clock
   * @param {number|bigint} [options.dev] the device number stat reports; default 1 (as wasmtime reports)
   * @param {number} [options.nextIno] the inode number of the first inode made after the root
   *   (default: the root is 1 and the next is 2); deterministic runs pass 1, so the root,
   *   which only holds the mounts, takes no number of its own (spec/RATIONALE.md, "Deterministic mode")
   */
  constructor(options = {}) {
    if (options === null || typeof options !== "object") throw new TypeError(`MemFS options must be an object. Received ${describe(options)}`);
    this.maxBytes = limit(options, "maxBytes", Infinity);
    this.maxInodes = limit(options, "maxInodes", Infinity);
    this.maxFileSize = limit(options, "maxFileSize", 0x7fffffff);
    const dev = options.dev ?? 1n;
    if (!((typeof dev === "number" && Number.isSafeInteger(dev) && dev >= 0) || (typeof dev === "bigint" && dev >= 0n && dev < DEV_LIMIT))) {
      throw new TypeError(`MemFS options.dev must be a non-negative integer (a Number or a BigInt below 2^64). Received ${describe(dev)}`);
    }
    this.dev = typeof dev === "bigint" ? dev : BigInt(dev);
    if (options.clock !== undefined && typeof options.clock !== "function") throw new TypeError(`MemFS options.clock must be a function returning nanoseconds as a BigInt. Received ${describe(options.clock)}`);
    this._clock = options.clock ?? null;
    this._nowS = 0;
    this._nowN = 0;
    this._nowMs = -1;
    /** The clock reading is held for the current operation (see _hold). */
    this._held = false;
    this._nextIno = 1;
    this._inodes = 0;
    this._bytes = 0;
    /** Tiny files' bytes (vfs/inode.js, TINY): their slots, the freed slots, the next never used. */
    this._slab = NO_SLAB;
    this._tinyFreed = [];
    this._tinyNext = 0;
    /** The Lookups the `*At` operations have their walks fill (see "operations at a directory"). */
    this._la = new Lookup();
    this._lb = new Lookup();
    /** When mounted in another MemFS, that one (see mount()); absolute paths of this one's own API still start at its own root. */
    this.core = null;
    /** When mounted in another MemFS (a MemFS is a backend too): what the mount covers. */
    this.covered = null;
    /** Descriptors open on this filesystem's inodes (unmount is EBUSY while any is). */
    this.busy = 0;
    /** @type {Map<object, object>} mounted root inode -> backend (see mount()) */
    this._mounts = new Map();
    /** @type {Directory} */
    this.root = null;
    // (made once this object has all its fields: the inode code optimised
    // for a whole MemFS would otherwise meet a half-made one here, and be
    // deoptimised, in every run that makes a new MemFS)
    this.root = new Directory(this, null);
    if (options.nextIno !== undefined) {
      if (!Number.isSafeInteger(options.nextIno) || options.nextIno < 1) throw new TypeError(`MemFS options.nextIno must be a positive integer. Received ${describe(options.nextIno)}`);
      this._nextIno = options.nextIno;
    }
  }

  // ---- bookkeeping used by inodes -------------------------------------------------

  /**
   * Sets `_nowS`/`_nowN` to the current time. The default clock is Date.now():
   * millisecond timestamps, finer than Linux's own file times (which use the
   * coarse kernel clock, a few ms), and cheap enough for every write.
   */
  _now() {
    if (this._held) return; // one reading for every stamp of the operation (see _hold)
    if (this._clock === null) {
      const ms = Date.now();
      if (ms !== this._nowMs) {
        this._nowMs = ms;
        const s = Math.floor(ms / 1000);
        this._nowS = s;
        // an int32 (< 10^9): V8 then keeps the inodes' nanosecond fields
        // as small integers in the object, not as a boxed number each
        this._nowN = ((ms - s * 1000) * 1000000) | 0;
      }
    } else {
      const [s, n] = splitNs(BigInt(this._clock()));
      this._nowS = s;
      this._nowN = n;
    }
  }

  /**
   * Read the clock now and let every stamp until `_unhold()` use that
   * reading: an operation that stamps several inodes (create: the file and
   * its directory; rename: both directories and the inode; unlink) reads the
   * clock once, as Linux stamps them with one `current_time` (Date.now()
   * is ~0.1 µs, a tenth of a small file's create). Always paired in a
   * try/finally.
   */
  _hold() {
    this._now();
    this._held = true;
  }

  _unhold() { this._held = false; }

  _allocIno() {
    if (this._inodes >= this.maxInodes) throw new WasiError(errno.nospc);
    this._inodes++;
    return this._nextIno++;
  }

  /** ENOSPC unless `delta` more file bytes fit in `maxBytes` (nothing is charged). */
  _checkCharge(delta) {
    if (this._bytes + delta > this.maxBytes) throw new WasiError(errno.nospc);
  }

  /** Account for `delta` more (or fewer) file bytes; ENOSPC past `maxBytes`. */
  _charge(delta) {
    const next = this._bytes + delta;
    if (delta > 0 && next > this.maxBytes) throw new WasiError(errno.nospc);
    this._bytes = next;
  }

  /**
   * How far a write may take `file` towards `end`: `end` if the growth fits
   * in `maxBytes`, else as far as the free space goes (a short write, as
   * Linux on a full tmpfs; spec/RATIONALE.md, "MemFS capacity").
   */
  _room(file, end) {
    const free = this.maxBytes - this._bytes;
    return end - file.size <= free ? end : file.size + free;
  }

  /** An inode with no links and no descriptors is gone: its bytes and its slot are free. */
  _releaseIfUnused(inode) {
    if (inode.nlink !== 0 || inode.opens !== 0) return;
    this._inodes--;
    if (inode.type === REGULAR_FILE) {
      this._bytes -= inode.size;
      if (inode.tiny !== -1) {
        this._tinyFree(inode.tiny, inode.size);
        inode.tiny = -1;
      }
    }
  }

  /** A free slot for a tiny file's bytes (zeros; vfs/inode.js, TINY); the slab may be replaced by a larger copy. */
  _tinyAlloc() {
    if (this._tinyFreed.length !== 0) return this._tinyFreed.pop();
    const t = this._tinyNext++;
    if ((t + 1) << TINY_SHIFT > this._slab.length) {
      const grown = new Uint8Array(Math.max(4096, this._slab.length * 2));
      grown.set(this._slab);
      this._slab = grown;
    }
    return t;
  }

  /** Slot `t` is free again; its first `size` bytes are zeroed (the rest are zeros). */
  _tinyFree(t, size) {
    if (size !== 0) this._slab.fill(0, t << TINY_SHIFT, (t << TINY_SHIFT) + size);
    this._tinyFreed.push(t);
  }

  /** A descriptor on `inode` was made (fd_table). */
  _opened(inode) {
    inode.opens++;
    this.busy++;
  }

  /** A descriptor on `inode` was closed. */
  _closed(inode) {
    inode.opens--;
    this.busy--;
    this._releaseIfUnused(inode);
  }

  /**
   * Use `clock` (ns as a BigInt) for timestamps from now on; null: the host's
   * clock. Backends mounted now or later that stamp their own times (a MemFS,
   * HandleDirectory) take it too; a HostDirectory's times are the host's
   * (spec/RATIONALE.md, "Mounts and backends").
   */
  setClock(clock) {
    if (clock !== null && typeof clock !== "function") throw new TypeError(`MemFS clock must be a function returning nanoseconds as a BigInt, or null. Received ${describe(clock)}`);
    this._clock = clock;
    this._nowMs = -1;
    for (const b of this._mounts.values()) if (typeof b.setClock === "function") b.setClock(clock);
  }

  /** Bytes held by regular files and the number of inodes in use. */
  get usage() { return { bytes: this._bytes, inodes: this._inodes }; }

  // ---- linking primitives -------------------------------------------------------------

  /** Enter `inode` as `name` in `dir` (which must be live: see _live). */
  _link(dir, name, inode) {
    dir.entries.set(name, inode);
    if (inode.type === DIRECTORY) {
      inode.parent = dir; // a new directory: its nlink (2) already counts "." and its entry
      dir.nlink++;        // the new ".." entry
    } else {
      inode.nlink++;
    }
    dir.touchModified();
  }

  /**
   * Creating in a removed directory fails with ENOENT, as on Linux: the
   * core checks it before it calls any backend's primitive (createFile,
   * mkdir and symlink through this; link and rename's target earlier, where
   * Linux looks), so no primitive checks it again. A backend could not
   * always tell: a host directory replaced by a rename has a live one at
   * its old path (found by the backends fuzzer, seed 2000860).
   */
  _live(dir) {
    if (isRemoved(dir)) throw new WasiError(errno.noent);
    return dir;
  }

  _unlinkEntry(dir, name, inode) {
    dir.entries.delete(name);
    if (inode.type === DIRECTORY) {
      dir.nlink--;
      inode.nlink = 0;
    } else {
      inode.nlink--;
    }
    inode.touchChanged(); // even the last link: an open descriptor still sees ctim (Linux; the fuzzer found it)
    if (inode.nlink === 0) this._releaseIfUnused(inode);
    dir.touchModified();
  }

  // ---- mounts ------------------------------------------------------------------------
  //
  // A backend is a filesystem mounted over a directory of this one; the
  // guest sees its tree there. Path resolution (vfs/path.js: `..`,
  // symlinks, the sandbox), descriptors and rights stay this core's
  // whatever is mounted: a backend never sees a path, only a directory
  // inode of its own and one name. Crossing a mount is crossing a
  // filesystem on Linux: rename and link across are EXDEV, `dev` differs.
  //
  // The backend interface (node/hostdir.js is one; spec/RATIONALE.md,
  // "Mounts and backends"):
  // - `root`: its root directory inode; `core`: the MemFS it is mounted in
  //   (null until mounted); `covered`: what the mount covers (null until);
  // - its inodes have the shape of vfs/inode.js's (`fs` is the backend,
  //   `type`, `ino`, `dev`, `nlink`, `statSize`, `atim`/`mtim`/`ctim`,
  //   `refresh()`, `setTimes()`, `touchModified()`/`touchChanged()`, `opens`);
  //   a directory has `parent` and `entries` ({get(name), keys(), size,
  //   iteration as [name, inode]}); a symlink `target`; a file `size`, `readAt`,
  //   `writeAt`, `resize`, `openFile(read, write)`, `sync(data)`;
  // - the primitives `createFile`, `mkdir`, `rmdir`, `unlink`, `link`,
  //   `symlink`, `rename` (below, after every check of the core's),
  //   `_opened(inode)`/`_closed(inode)` as descriptors come and go, `busy`
  //   (how many are open: unmount is EBUSY while any is), `maxFileSize`, and
  //   optionally `sameDevice(other)` (true: rename/link to `other` are tried
  //   and the backend reports EXDEV itself), `open()` (awaited by mount:
  //   a backend that must fetch an index or a handle does it there),
  //   `readOnly` (true: unlink, rmdir, rename and link fail where Linux
  //   checks a read-only mount, before the entry is judged, with
  //   READ_ONLY_ERRNO; the other changes reach the primitives, which throw
  //   it: vfs/urldir.js), `mayDelete(dir)` (throws if the host may not
  //   remove entries of `dir`: asked before unlink's EISDIR and rmdir's
  //   ENOTDIR, EBUSY, ENOTEMPTY, as Linux's may_delete comes first;
  //   node/hostdir.js).
  // A MemFS is a backend too (a tmpfs mounted in a tmpfs; give it its own `dev`).
  // All of these are synchronous: metadata is answered at once (a backend
  // that must wait for it — OPFS, HTTP — loads it in `open()`). An
  // asynchronous backend (`async: true`) may return Promises from the byte
  // operations (readAt, writeAt, resize, sync) only; a synchronous WASI
  // refuses to mount it.

  /**
   * Mount `backend` over the directory `path` (absolute; it must exist).
   * Errors: ENOENT, ENOTDIR, EBUSY (the MemFS root, a mount point already,
   * or a backend mounted elsewhere).
   */
  async mount(path, backend) {
    if (backend === null || typeof backend !== "object" || typeof backend.createFile !== "function") {
      throw new TypeError("MemFS mount: the backend must be a filesystem backend (e.g. a HostDirectory)");
    }
    this._mountPoint(path, backend);
    if (typeof backend.open === "function") await backend.open();
    this._attach(this._mountPoint(path, backend), path, backend); // checked again: the tree may have changed meanwhile
  }

  /** Is a backend that may wait (`async: true`: HandleDirectory on the main thread) mounted? */
  hasAsyncMount() {
    for (const b of this._mounts.values()) if (b.async === true || b.hasAsyncMount?.() === true) return true;
    return false;
  }

  /** mount() for a synchronous backend (one without `async: true`), at once. */
  mountSync(path, backend) {
    if (backend?.async === true) throw new TypeError("MemFS mountSync: an asynchronous backend needs `await fs.mount(path, backend)`");
    if (backend === null || typeof backend !== "object" || typeof backend.createFile !== "function") {
      throw new TypeError("MemFS mountSync: the backend must be a filesystem backend (e.g. a HostDirectory)");
    }
    return this._attach(this._mountPoint(path, backend), path, backend);
  }

  _mountPoint(path, backend) {
    if (typeof path !== "string" || path.charCodeAt(0) !== SLASH) throw new TypeError(`MemFS mount: the path must be absolute; got ${String(path)}`);
    const l = walk(this.root, stripTrailingSlashes(path), true, false);
    if (l.inode === null) throw new WasiError(errno.noent, `mount ${path}: no such directory`);
    if (l.inode.type !== DIRECTORY) throw new WasiError(errno.notdir, `mount ${path}: not a directory`);
    if (l.inode === this.root || l.isDot || l.inode.isMountRoot()) throw new WasiError(errno.busy, `mount ${path}: the root or a mount point already`);
    if (backend.covered !== null || backend === this) throw new WasiError(errno.busy, `mount ${path}: this backend is mounted already`);
    return l;
  }

  _attach(l, path, backend) {
    const root = backend.root;
    backend.core = this;
    root.parent = l.dir;
    /** What the mount covers, given back by unmount. */
    backend.covered = { dir: l.dir, name: l.name, was: l.inode }; // ("was", not "inode": the browser bundle must not read "node:")
    l.dir.entries.set(l.name, root); // the entry keeps its place in the directory
    this._mounts.set(root, backend);
    if (typeof backend.setClock === "function") {
      backend.covered.clock = backend._clock; // its own, given back by unmount
      if (this._clock !== null) backend.setClock(this._clock); // e.g. deterministic mode's
    }
  }

  /**
   * Take the backend mounted at `path` away; the directory it covered comes back.
   * Errors: EINVAL (not a mount point), EBUSY (descriptors open on it).
   */
  unmount(path) {
    const l = walk(this.root, stripTrailingSlashes(path), true, false);
    const backend = l.inode === null ? undefined : this._mounts.get(l.inode);
    if (backend === undefined) throw new WasiError(errno.inval, `unmount ${path}: not a mount point`);
    if (backend.busy > 0) throw new WasiError(errno.busy, `unmount ${path}: descriptors are open on it`);
    const c = backend.covered;
    c.dir.entries.set(c.name, c.was);
    if (c.clock !== undefined) backend.setClock(c.clock);
    backend.root.parent = backend.root;
    this._mounts.delete(l.inode);
    backend.core = null;
    backend.covered = null;
    return backend;
  }

  // ---- the backend primitives ----------------------------------------------------------
  //
  // The `*At` operations below resolve paths (vfs/path.js) and make every
  // check; then they ask the filesystem that owns the directory concerned
  // (`dir.fs`: this MemFS, or a mounted backend: see "mounts" above) for the
  // change itself through these primitives. A backend implements the same.

  /** A new empty regular file `name` in `dir` (nothing is there). */
  createFile(dir, name) {
    this._hold();
    try {
      const inode = new RegularFile(this);
      this._link(dir, name, inode);
      return inode;
    } finally {
      this._unhold();
    }
  }

  /** A new directory `name` in `dir` (nothing is there). */
  mkdir(dir, name) {
    this._link(dir, name, new Directory(this, dir));
  }

  /** Remove the empty directory `inode`, entry `name` of `dir`. */
  rmdir(dir, name, inode) {
    this._unlinkEntry(dir, name, inode);
  }

  /** Remove the entry `name` (not a directory) of `dir`. */
  unlink(dir, name, inode) {
    this._hold();
    try {
      this._unlinkEntry(dir, name, inode);
    } finally {
      this._unhold();
    }
  }

  /** A hard link `name2` in `dir2` to `inode` (entry `name1` of `dir1`; not a directory). */
  link(dir1, name1, inode, dir2, name2) {
    this._link(dir2, name2, inode);
    inode.touchChanged();
  }

  /** A new symlink `name` in `dir` holding `target`. */
  symlink(dir, name, target) {
    this._link(dir, name, new Symlink(this, target));
  }

  // ---- operations at a directory (the WASI face) -------------------------------------
  //
  // Each walk fills one of two Lookups of this core's (a walk per path call
  // made one: ~2 MB a run of the metadata benchmark). Nothing a walk's
  // Lookup is used for walks again before the operation is done: the
  // backend primitives are given inodes and names, never paths. rename and
  // link hold both paths' walks at once (`_la` and `_lb`).

  /**
   * Find or create what path_open names; returns the inode (file or directory).
   * @param {Directory} start
   * @param {string} path
   * @param {boolean} follow expand a final symlink
   * @param {number} how `oflags` bits (creat, directory, excl, trunc)
   * @param {boolean} read @param {boolean} write the access the descriptor will have
   *   (arguments, not an object: one per path_open was ~1 MB a run of the metadata benchmark)
   * Errors: ENOENT, EEXIST, ENOTDIR, EISDIR, ELOOP, EPERM (escapes), ENAMETOOLONG, ENOSPC.
   */
  openAt(start, path, follow, how, read, write, jailed) {
    const creat = (how & O.creat) !== 0, excl = (how & O.excl) !== 0, trunc = (how & O.trunc) !== 0;
    if (creat && path.length > 1 && path.charCodeAt(path.length - 1) === SLASH) {
      walk(start, stripTrailingSlashes(path), false, jailed, this._la); // a missing parent still gives ENOENT
      throw new WasiError(errno.isdir); // O_CREAT with a trailing slash, as Linux
    }
    const l = walk(start, path, follow && !(creat && excl), jailed, this._la);
    let inode = l.inode;
    if (inode !== null) {
      if (creat && excl) throw new WasiError(errno.exist);
      if (inode.type === SYMBOLIC_LINK) throw new WasiError(errno.loop); // O_NOFOLLOW on a link
      if (inode.type === DIRECTORY) {
        if (write || trunc || creat) throw new WasiError(errno.isdir);
        return inode;
      }
      if (how & O.directory) throw new WasiError(errno.notdir);
      inode.openFile(read, write || trunc); // a backend's file opens its host file now (kept while unlinked)
      if (trunc) {
        inode.resize(0);
        inode.touchModified(); // O_TRUNC stamps even an empty file, as Linux
      }
      return inode;
    }
    if (!creat) throw new WasiError(errno.noent);
    return l.dir.fs.createFile(this._live(l.dir), l.name);
  }

  /** Errors: EEXIST (anything there, even a dangling symlink), ENOENT, ENOTDIR, ... */
  mkdirAt(start, path, jailed) {
    const l = walk(start, stripTrailingSlashes(path), false, jailed, this._la);
    if (l.inode !== null) throw new WasiError(errno.exist);
    l.dir.fs.mkdir(this._live(l.dir), l.name);
  }

  /**
   * Errors: ENOENT, ENOTDIR (a non-directory, including a symlink to one),
   * ENOTEMPTY, EINVAL ("." / ".." / a trailing slash in WASI, as wasmtime).
   */
  rmdirAt(start, path, jailed) {
    if (path.length > 1 && path.charCodeAt(path.length - 1) === SLASH) {
      const l = walk(start, path, true, jailed, this._la);
      if (l.inode === null) throw new WasiError(errno.noent);
      if (jailed) throw new WasiError(errno.inval); // cap-std removes "dir/." → EINVAL
      path = stripTrailingSlashes(path);
    }
    const l = walk(start, path, false, jailed, this._la);
    if (l.isDot) throw new WasiError(jailed || l.name === "." ? errno.inval : errno.notempty);
    if (l.dir.fs.readOnly) throw new WasiError(READ_ONLY_ERRNO); // before the entry is looked at, as Linux
    const inode = l.inode;
    if (inode === null) throw new WasiError(errno.noent);
    const refused = inode.type !== DIRECTORY ? errno.notdir
      : inode.isMountRoot() ? errno.busy // a mount point (or the root), as Linux
        : inode.entries.size !== 0 ? errno.notempty : 0;
    if (refused !== 0) {
      l.dir.fs.mayDelete?.(l.dir); // a host that may not delete there says so first, as Linux's may_delete
      throw new WasiError(refused);
    }
    l.dir.fs.rmdir(l.dir, l.name, inode);
  }

  /** Errors: ENOENT, EISDIR (a directory, as Linux), ENOTDIR (trailing slash on a non-directory). */
  unlinkAt(start, path, jailed) {
    const l = walk(start, path, false, jailed, this._la);
    if (!l.isDot && !l.slash && l.dir.fs.readOnly) throw new WasiError(READ_ONLY_ERRNO); // before the entry is looked at, as Linux
    // ("name/" is judged first: cap-std resolves it before it unlinks, so it never gets that far)
    const inode = l.inode;
    if (inode === null) throw new WasiError(errno.noent);
    if (l.isDot || inode.type === DIRECTORY) {
      if (!l.isDot) l.dir.fs.mayDelete?.(l.dir); // a host that may not delete there says so first, as Linux's may_delete
      throw new WasiError(errno.isdir);
    }
    l.dir.fs.unlink(l.dir, l.name, inode);
  }

  /**
   * Errors: ENOENT (also: the new parent was removed), EBUSY ("." or ".."),
   * ENOTDIR, EISDIR, ENOTEMPTY (also: onto an ancestor of the source), EINVAL
   * (a directory into its own subtree). The order of checks is Linux's
   * do_renameat2 (spec/RATIONALE.md, "path_rename: the order of checks").
   */
  renameAt(start1, path1, start2, path2, jailed) {
    // A trailing slash does not follow a symlink here: it asks for the entry
    // itself to be a directory (Linux and wasmtime: ENOTDIR otherwise).
    const slash = path1.charCodeAt(path1.length - 1) === SLASH || path2.charCodeAt(path2.length - 1) === SLASH;
    path1 = stripTrailingSlashes(path1);
    path2 = stripTrailingSlashes(path2);
    // Both paths are resolved before either is judged (cap-std opens both parents first).
    const l1 = walk(start1, path1, false, jailed, this._la);
    const l2 = walk(start2, path2, false, jailed, this._lb);
    if (l1.isDot || l2.isDot) throw new WasiError(errno.busy);
    if (l1.dir.fs.readOnly || l2.dir.fs.readOnly) { // before the entries are looked at, as Linux
      throw new WasiError(l1.dir.fs !== l2.dir.fs && !l1.dir.fs.sameDevice?.(l2.dir.fs) ? errno.xdev : READ_ONLY_ERRNO);
    }
    const inode = l1.inode;
    if (inode === null) throw new WasiError(errno.noent);
    if (isRemoved(l2.dir)) throw new WasiError(errno.noent); // Linux looks the new name up there: ENOENT
    if (slash && inode.type !== DIRECTORY) throw new WasiError(errno.notdir);
    const old = l2.inode;
    if (inode.type === DIRECTORY && isWithin(l2.dir, inode)) {
      if (old === inode) return; // rename("d", "d")
      throw new WasiError(errno.inval);
    }
    // The target an ancestor of the source: ENOTEMPTY before any type check
    // (a file onto its own parent is not EISDIR).
    if (old !== null && old.type === DIRECTORY && isWithin(l1.dir, old)) throw new WasiError(errno.notempty);
    if (old !== null) {
      if (old === inode) return; // same inode (also two hard links): nothing to do
      const refused = inode.type === DIRECTORY
        ? (old.type !== DIRECTORY ? errno.notdir : old.entries.size !== 0 ? errno.notempty : 0)
        : (old.type === DIRECTORY ? errno.isdir : 0);
      if (refused !== 0) {
        // a host that may not delete in either directory says so first, as Linux's may_delete
        // for the old name, then for the new one, before the target's type (and its emptiness)
        l1.dir.fs.mayDelete?.(l1.dir);
        l2.dir.fs.mayDelete?.(l2.dir);
        throw new WasiError(refused);
      }
    }
    if (inode.type === DIRECTORY && inode.isMountRoot()) throw new WasiError(errno.busy); // a mount point, as Linux
    if (l1.dir.fs !== l2.dir.fs && !l1.dir.fs.sameDevice?.(l2.dir.fs)) throw new WasiError(errno.xdev); // across mounts, as Linux
    l1.dir.fs.rename(l1.dir, l1.name, inode, l2.dir, l2.name, old); // (l2.dir live: checked above)
  }

  /** The in-memory rename once every check passed (the primitive of the backend interface). */
  rename(dir1, name1, inode, dir2, name2, old) {
    this._hold();
    try {
      if (old !== null) this._unlinkEntry(dir2, name2, old);
      dir1.entries.delete(name1);
      dir2.entries.set(name2, inode);
      if (inode.type === DIRECTORY && dir1 !== dir2) {
        dir1.nlink--;
        dir2.nlink++;
        inode.parent = dir2;
      }
      dir1.touchModified();
      if (dir2 !== dir1) dir2.touchModified();
      inode.touchChanged();
    } finally {
      this._unhold();
    }
  }

  /**
   * Hard link. Errors: ENOENT (also: the new parent was removed), EEXIST, ENOTDIR, EPERM (a directory).
   */
  linkAt(start1, path1, follow, start2, path2, jailed) {
    // Both paths are resolved before either is judged (cap-std opens both
    // parents first), then as Linux: ENOENT, EEXIST, EPERM.
    // A trailing slash makes cap-std resolve that path whole, as a directory,
    // when it opens the parent: a missing one is ENOENT there and then.
    const l1 = walk(start1, path1, follow, jailed, this._la);
    if (l1.inode === null && path1.charCodeAt(path1.length - 1) === SLASH) throw new WasiError(errno.noent);
    const l2 = walk(start2, path2, false, jailed, this._lb);
    if (l2.inode === null && path2.charCodeAt(path2.length - 1) === SLASH) throw new WasiError(errno.noent);
    const inode = l1.inode;
    if (inode === null) throw new WasiError(errno.noent);
    if (l2.isDot) throw new WasiError(errno.exist);
    if (isRemoved(l2.dir)) throw new WasiError(errno.noent); // before EEXIST and EPERM, as Linux's linkat
    if (l2.inode !== null) throw new WasiError(errno.exist);
    if (l2.dir.fs.readOnly && !l2.slash) throw new WasiError(READ_ONLY_ERRNO); // the new name is refused before the old inode is judged, as Linux
    if (inode.type === DIRECTORY) throw new WasiError(errno.perm);
    if (l2.slash) throw new WasiError(errno.noent);
    if (l1.dir.fs !== l2.dir.fs && !l1.dir.fs.sameDevice?.(l2.dir.fs)) throw new WasiError(errno.xdev); // across mounts, as Linux
    l2.dir.fs.link(l1.dir, l1.name, inode, l2.dir, l2.name);
  }

  /** Errors: ENOENT (empty target, missing parent, trailing slash), EEXIST, EPERM (absolute target, WASI). */
  symlinkAt(target, start, path, jailed) {
    if (target.length === 0) throw new WasiError(errno.noent);
    if (jailed && target.charCodeAt(0) === SLASH) throw new WasiError(errno.perm);
    const l = walk(start, path, false, jailed, this._la);
    // "name/" is "name/." (cap-std): nothing there is ENOENT, before the target is looked at
    if (l.slash && l.inode === null) throw new WasiError(errno.noent);
    // symlinkat(2) refuses a NUL in the target once the new path resolved (wasmtime; corpus adv-names)
    if (target.indexOf("\0") !== -1) throw new WasiError(errno.inval);
    if (l.inode !== null || l.isDot) throw new WasiError(errno.exist);
    l.dir.fs.symlink(this._live(l.dir), l.name, target);
  }

  /**
   * Errors: ENOENT, EINVAL (not a symlink), EPERM (WASI: an absolute target,
   * which cap-std refuses to return; such links come from a host tree).
   */
  readlinkAt(start, path, jailed) {
    const l = walk(start, path, false, jailed, this._la);
    if (l.inode === null) throw new WasiError(errno.noent);
    if (l.inode.type !== SYMBOLIC_LINK) throw new WasiError(errno.inval);
    if (jailed && l.inode.target.charCodeAt(0) === SLASH) throw new WasiError(errno.perm);
    return l.inode.target;
  }

  /** The inode `path` names. Errors: ENOENT, ENOTDIR, ELOOP, ... */
  statAt(start, path, follow, jailed) {
    const l = walk(start, path, follow, jailed, this._la);
    if (l.inode === null) throw new WasiError(errno.noent);
    return l.inode;
  }

  // ---- file content ---------------------------------------------------------------------

  /**
   * Read from `file` at `pos` into guest memory through `iovs` (iovec `i`, at most `n` bytes).
   * Returns the byte count. Hot path: no allocation.
   */
  static readInto(file, pos, iovs, i, n) {
    const avail = file.size - pos;
    if (avail <= 0) return 0;
    iovs.checkWhole(i); // with data to give, wasmtime takes the whole buffer (stdin: only what it writes)
    if (n > avail) n = avail;
    file.read(pos, n, iovs, i);
    return n;
  }

  /**
   * Write `n` bytes of iovec `i` into `file` at `pos`; returns the count
   * written. Past `maxFileSize` or the capacity, a short write (EFBIG or
   * ENOSPC when nothing fits), as Linux (spec/RATIONALE.md, "MemFS
   * capacity"). Hot path: no allocation once the block exists.
   */
  static writeFrom(file, pos, iovs, i, n) {
    let end = pos + n;
    if (end > file.size) {
      const fs = file.fs;
      if (end > fs.maxFileSize) {
        iovs.checkWhole(i); // a bad buffer traps before EFBIG or a short write, as wasmtime reads it first
        if (pos >= fs.maxFileSize) throw new WasiError(pos >= 2 ** 63 ? errno.inval : errno.fbig);
        end = fs.maxFileSize;
      }
      if (end - file.size > fs.maxBytes - fs._bytes) {
        iovs.checkWhole(i); // likewise before ENOSPC or a short write
        end = fs._room(file, end);
        if (end <= pos) throw new WasiError(errno.nospc);
      }
      n = end - pos;
    }
    file.write(pos, n, iovs, i);
    file.touchModified();
    return n;
  }
}
