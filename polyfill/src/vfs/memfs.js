// MemFS: an in-memory filesystem with POSIX semantics.
//
// Two faces over one tree:
// - the `*At(dir, path, ..., jailed)` operations, which the WASI syscalls call
//   with a directory capability (jailed: see vfs/path.js) and which implement
//   the errno choices of wasmtime on Linux (spec/RATIONALE.md, "JS runtime");
// - a Node `fs`-like synchronous API (`readFileSync`, `mkdirSync`, ...) for the
//   embedder, on absolute paths from the MemFS root, throwing WasiError with
//   Node's `code`, `syscall` and `path`.
// Every MemFS has its own inode counter, device number, clock and capacity.
import { errno, filetype } from "../generated/constants.js";
import { WasiError } from "../errors.js";
import { ByteSource, Directory, RegularFile, Symlink, splitNs } from "./inode.js";
import { walk, stripTrailingSlashes, isWithin } from "./path.js";

const REGULAR_FILE = filetype.regular_file;
const DIRECTORY = filetype.directory;
const SYMBOLIC_LINK = filetype.symbolic_link;
const SLASH = 47;


const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** A size limit option: undefined gives `fallback`; else a non-negative integer or Infinity. */
function limit(options, name, fallback) {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== "number") throw new TypeError(`MemFS options.${name} must be a number; got ${typeof v}`);
  if (!(v === Infinity || (Number.isInteger(v) && v >= 0))) throw new RangeError(`MemFS options.${name} must be a non-negative integer or Infinity; got ${v}`);
  return v;
}

export class MemFS {
  /**
   * @param {object} [options]
   * @param {number} [options.maxBytes] total file bytes allowed (ENOSPC beyond)
   * @param {number} [options.maxInodes] inodes allowed (ENOSPC beyond)
   * @param {number} [options.maxFileSize] largest file (EFBIG beyond); default 2^31-1
   * @param {() => bigint} [options.clock] realtime in ns for timestamps; default: the host's realtime clock
   * @param {number|bigint} [options.dev] the device number stat reports; default 1 (as wasmtime reports)
   */
  constructor(options = {}) {
    if (options === null || typeof options !== "object") throw new TypeError("MemFS options must be an object");
    this.maxBytes = limit(options, "maxBytes", Infinity);
    this.maxInodes = limit(options, "maxInodes", Infinity);
    this.maxFileSize = limit(options, "maxFileSize", 0x7fffffff);
    const dev = options.dev ?? 1;
    if (!((typeof dev === "number" && Number.isSafeInteger(dev) && dev >= 0) || (typeof dev === "bigint" && dev >= 0n && dev < 2n ** 64n))) {
      throw new TypeError(`MemFS options.dev must be a non-negative integer (a Number or a BigInt below 2^64); got ${String(dev)}`);
    }
    this.dev = BigInt(dev);
    if (options.clock !== undefined && typeof options.clock !== "function") throw new TypeError("MemFS options.clock must be a function returning nanoseconds as a BigInt");
    this._clock = options.clock ?? null;
    this._nowS = 0;
    this._nowN = 0;
    this._nowMs = -1;
    this._nextIno = 1;
    this._inodes = 0;
    this._bytes = 0;
    /** @type {Directory} */
    this.root = new Directory(this, null);
  }

  // ---- bookkeeping used by inodes -------------------------------------------------

  /**
   * Sets `_nowS`/`_nowN` to the current time. The default clock is Date.now():
   * millisecond timestamps, finer than Linux's own file times (which use the
   * coarse kernel clock, a few ms), and cheap enough for every write.
   */
  _now() {
    if (this._clock === null) {
      const ms = Date.now();
      if (ms !== this._nowMs) {
        this._nowMs = ms;
        const s = Math.floor(ms / 1000);
        this._nowS = s;
        this._nowN = (ms - s * 1000) * 1000000;
      }
    } else {
      const [s, n] = splitNs(BigInt(this._clock()));
      this._nowS = s;
      this._nowN = n;
    }
  }

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
    if (inode.type === REGULAR_FILE) this._bytes -= inode.size;
  }

  /** A descriptor on `inode` was closed. */
  _closed(inode) {
    inode.opens--;
    this._releaseIfUnused(inode);
  }

  /** Use `clock` (ns as a BigInt) for timestamps from now on; null: the host's clock. */
  setClock(clock) {
    if (clock !== null && typeof clock !== "function") throw new TypeError("MemFS clock must be a function returning nanoseconds as a BigInt");
    this._clock = clock;
    this._nowMs = -1;
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

  /** Creating in a removed directory fails with ENOENT, as on Linux. */
  _live(dir) {
    if (dir.nlink === 0) throw new WasiError(errno.noent);
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

  // ---- operations at a directory (the WASI face) -------------------------------------

  /**
   * Find or create what path_open names; returns the inode (file or directory).
   * @param {Directory} start
   * @param {string} path
   * @param {{follow: boolean, creat: boolean, excl: boolean, directory: boolean, trunc: boolean, write: boolean}} o
   * Errors: ENOENT, EEXIST, ENOTDIR, EISDIR, ELOOP, EPERM (escapes), ENAMETOOLONG, ENOSPC.
   */
  openAt(start, path, o, jailed) {
    if (o.creat && path.length > 1 && path.charCodeAt(path.length - 1) === SLASH) {
      walk(start, stripTrailingSlashes(path), false, jailed); // a missing parent still gives ENOENT
      throw new WasiError(errno.isdir); // O_CREAT with a trailing slash, as Linux
    }
    const l = walk(start, path, o.follow && !(o.creat && o.excl), jailed);
    let inode = l.inode;
    if (inode !== null) {
      if (o.creat && o.excl) throw new WasiError(errno.exist);
      if (inode.type === SYMBOLIC_LINK) throw new WasiError(errno.loop); // O_NOFOLLOW on a link
      if (inode.type === DIRECTORY) {
        if (o.write || o.trunc || o.creat) throw new WasiError(errno.isdir);
        return inode;
      }
      if (o.directory) throw new WasiError(errno.notdir);
      if (o.trunc) {
        inode.resize(0);
        inode.touchModified(); // O_TRUNC stamps even an empty file, as Linux
      }
      return inode;
    }
    if (!o.creat) throw new WasiError(errno.noent);
    this._live(l.dir);
    inode = new RegularFile(this);
    this._link(l.dir, l.name, inode);
    return inode;
  }

  /** Errors: EEXIST (anything there, even a dangling symlink), ENOENT, ENOTDIR, ... */
  mkdirAt(start, path, jailed) {
    const l = walk(start, stripTrailingSlashes(path), false, jailed);
    if (l.inode !== null) throw new WasiError(errno.exist);
    this._link(this._live(l.dir), l.name, new Directory(this, l.dir));
  }

  /**
   * Errors: ENOENT, ENOTDIR (a non-directory, including a symlink to one),
   * ENOTEMPTY, EINVAL ("." / ".." / a trailing slash in WASI, as wasmtime).
   */
  rmdirAt(start, path, jailed) {
    if (path.length > 1 && path.charCodeAt(path.length - 1) === SLASH) {
      const l = walk(start, path, true, jailed);
      if (l.inode === null) throw new WasiError(errno.noent);
      if (jailed) throw new WasiError(errno.inval); // cap-std removes "dir/." → EINVAL
      path = stripTrailingSlashes(path);
    }
    const l = walk(start, path, false, jailed);
    if (l.isDot) throw new WasiError(jailed || l.name === "." ? errno.inval : errno.notempty);
    const inode = l.inode;
    if (inode === null) throw new WasiError(errno.noent);
    if (inode.type !== DIRECTORY) throw new WasiError(errno.notdir);
    if (inode.entries.size !== 0) throw new WasiError(errno.notempty);
    if (inode === this.root) throw new WasiError(errno.busy);
    this._unlinkEntry(l.dir, l.name, inode);
  }

  /** Errors: ENOENT, EISDIR (a directory, as Linux), ENOTDIR (trailing slash on a non-directory). */
  unlinkAt(start, path, jailed) {
    const l = walk(start, path, false, jailed);
    const inode = l.inode;
    if (inode === null) throw new WasiError(errno.noent);
    if (l.isDot || inode.type === DIRECTORY) throw new WasiError(errno.isdir);
    this._unlinkEntry(l.dir, l.name, inode);
  }

  /**
   * Errors: ENOENT, EBUSY ("." or ".."), ENOTDIR, EISDIR, ENOTEMPTY, EINVAL
   * (a directory into its own subtree).
   */
  renameAt(start1, path1, start2, path2, jailed) {
    // A trailing slash does not follow a symlink here: it asks for the entry
    // itself to be a directory (Linux and wasmtime: ENOTDIR otherwise).
    const slash = path1.charCodeAt(path1.length - 1) === SLASH || path2.charCodeAt(path2.length - 1) === SLASH;
    path1 = stripTrailingSlashes(path1);
    path2 = stripTrailingSlashes(path2);
    // Both paths are resolved before either is judged (cap-std opens both parents first).
    const l1 = walk(start1, path1, false, jailed);
    const l2 = walk(start2, path2, false, jailed);
    if (l1.isDot || l2.isDot) throw new WasiError(errno.busy);
    const inode = l1.inode;
    if (inode === null) throw new WasiError(errno.noent);
    if (slash && inode.type !== DIRECTORY) throw new WasiError(errno.notdir);
    const old = l2.inode;
    if (inode.type === DIRECTORY && isWithin(l2.dir, inode)) {
      if (old === inode) return; // rename("d", "d")
      throw new WasiError(errno.inval);
    }
    if (old !== null) {
      if (old === inode) return; // same inode (also two hard links): nothing to do
      if (inode.type === DIRECTORY) {
        if (old.type !== DIRECTORY) throw new WasiError(errno.notdir);
        if (old.entries.size !== 0) throw new WasiError(errno.notempty);
      } else if (old.type === DIRECTORY) {
        throw new WasiError(errno.isdir);
      }
    }
    this._live(l2.dir);
    if (old !== null) this._unlinkEntry(l2.dir, l2.name, old);
    l1.dir.entries.delete(l1.name);
    l2.dir.entries.set(l2.name, inode);
    if (inode.type === DIRECTORY && l1.dir !== l2.dir) {
      l1.dir.nlink--;
      l2.dir.nlink++;
      inode.parent = l2.dir;
    }
    l1.dir.touchModified();
    if (l2.dir !== l1.dir) l2.dir.touchModified();
    inode.touchChanged();
  }

  /**
   * Hard link. Errors: ENOENT, EEXIST, ENOTDIR, EPERM (a directory).
   */
  linkAt(start1, path1, follow, start2, path2, jailed) {
    // Both paths are resolved before either is judged (cap-std opens both
    // parents first), then as Linux: ENOENT, EEXIST, EPERM.
    // A trailing slash makes cap-std resolve that path whole, as a directory,
    // when it opens the parent: a missing one is ENOENT there and then.
    const l1 = walk(start1, path1, follow, jailed);
    if (l1.inode === null && path1.charCodeAt(path1.length - 1) === SLASH) throw new WasiError(errno.noent);
    const l2 = walk(start2, path2, false, jailed);
    if (l2.inode === null && path2.charCodeAt(path2.length - 1) === SLASH) throw new WasiError(errno.noent);
    const inode = l1.inode;
    if (inode === null) throw new WasiError(errno.noent);
    if (l2.inode !== null || l2.isDot) throw new WasiError(errno.exist);
    if (inode.type === DIRECTORY) throw new WasiError(errno.perm);
    if (l2.slash) throw new WasiError(errno.noent);
    this._link(this._live(l2.dir), l2.name, inode);
    inode.touchChanged();
  }

  /** Errors: ENOENT (empty target, missing parent, trailing slash), EEXIST, EPERM (absolute target, WASI). */
  symlinkAt(target, start, path, jailed) {
    if (target.length === 0) throw new WasiError(errno.noent);
    if (jailed && target.charCodeAt(0) === SLASH) throw new WasiError(errno.perm);
    const l = walk(start, path, false, jailed);
    // "name/" is "name/." (cap-std): nothing there is ENOENT, before the target is looked at
    if (l.slash && l.inode === null) throw new WasiError(errno.noent);
    // symlinkat(2) refuses a NUL in the target once the new path resolved (wasmtime; corpus adv-names)
    if (target.indexOf("\0") !== -1) throw new WasiError(errno.inval);
    if (l.inode !== null || l.isDot) throw new WasiError(errno.exist);
    this._link(this._live(l.dir), l.name, new Symlink(this, target));
  }

  /**
   * Errors: ENOENT, EINVAL (not a symlink), EPERM (WASI: an absolute target,
   * which cap-std refuses to return; such links come from a host tree).
   */
  readlinkAt(start, path, jailed) {
    const l = walk(start, path, false, jailed);
    if (l.inode === null) throw new WasiError(errno.noent);
    if (l.inode.type !== SYMBOLIC_LINK) throw new WasiError(errno.inval);
    if (jailed && l.inode.target.charCodeAt(0) === SLASH) throw new WasiError(errno.perm);
    return l.inode.target;
  }

  /** The inode `path` names. Errors: ENOENT, ENOTDIR, ELOOP, ... */
  statAt(start, path, follow, jailed) {
    const l = walk(start, path, follow, jailed);
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

  // ---- the Node fs-like API (absolute paths from the MemFS root) -------------------------

  readFileSync(path, options) {
    const encoding = typeof options === "string" ? options : options?.encoding;
    const inode = node(this, "open", path, () => this.statAt(this.root, path, true, false));
    if (inode.type === DIRECTORY) throw nodeError(errno.isdir, "read", undefined);
    return decode(inode.bytes(), encoding);
  }

  writeFileSync(path, data, options) {
    const bytes = encode(data, options);
    node(this, "open", path, () => {
      const file = this.openAt(this.root, path, FILE_WRITE, false);
      file.replace(bytes);
      file.touchModified();
    });
  }

  appendFileSync(path, data, options) {
    const bytes = encode(data, options);
    node(this, "open", path, () => {
      const file = this.openAt(this.root, path, FILE_WRITE, false);
      file.write(file.size, bytes.length, new ByteSource(bytes), 0);
      file.touchModified();
    });
  }

  /** @returns {string|undefined} with `recursive`, the first directory created (as Node) */
  mkdirSync(path, options) {
    const recursive = typeof options === "object" && options !== null && !!options.recursive;
    return node(this, "mkdir", path, () => {
      if (!recursive) { this.mkdirAt(this.root, path, false); return undefined; }
      let first;
      const parts = absolute(path).split("/").filter(Boolean);
      let prefix = "";
      for (let i = 0; i < parts.length; i++) {
        prefix += "/" + parts[i];
        const l = walk(this.root, prefix, true, false);
        if (l.inode === null) {
          this._link(this._live(l.dir), l.name, new Directory(this, l.dir));
          first ??= prefix;
        } else if (l.inode.type !== DIRECTORY) {
          throw new WasiError(i === parts.length - 1 ? errno.exist : errno.notdir);
        }
      }
      return first;
    });
  }

  readdirSync(path, options) {
    const withFileTypes = typeof options === "object" && options !== null && !!options.withFileTypes;
    const dir = node(this, "scandir", path, () => this.statAt(this.root, path, true, false));
    if (dir.type !== DIRECTORY) throw nodeError(errno.notdir, "scandir", path);
    const out = [];
    for (const [name, inode] of dir.entries) out.push(withFileTypes ? new Dirent(name, inode.type, stripTrailingSlashes(absolute(path))) : name);
    return out;
  }

  statSync(path, options) { return this._stat(path, true, "stat", options); }
  lstatSync(path, options) { return this._stat(path, false, "lstat", options); }

  _stat(path, follow, syscall, options) {
    try {
      return new Stats(this, this.statAt(this.root, path, follow, false));
    } catch (e) {
      if (options?.throwIfNoEntry === false && e instanceof WasiError && e.errno === errno.noent) return undefined;
      throw toNodeError(e, syscall, path);
    }
  }

  existsSync(path) {
    try { this.statAt(this.root, String(path), true, false); return true; } catch { return false; }
  }

  symlinkSync(target, path) {
    node(this, "symlink", path, () => this.symlinkAt(String(target), this.root, path, false));
  }

  readlinkSync(path, options) {
    const target = node(this, "readlink", path, () => this.readlinkAt(this.root, path, false));
    const encoding = typeof options === "string" ? options : options?.encoding;
    return encoding === "buffer" ? textEncoder.encode(target) : target;
  }

  linkSync(existingPath, newPath) {
    node(this, "link", existingPath, () => this.linkAt(this.root, existingPath, false, this.root, newPath, false), newPath);
  }

  renameSync(oldPath, newPath) {
    node(this, "rename", oldPath, () => this.renameAt(this.root, oldPath, this.root, newPath, false), newPath);
  }

  unlinkSync(path) {
    node(this, "unlink", path, () => this.unlinkAt(this.root, path, false));
  }

  rmdirSync(path, options) {
    if (options?.recursive) return this.rmSync(path, { recursive: true });
    node(this, "rmdir", path, () => this.rmdirAt(this.root, path, false));
  }

  /** As Node's rmSync: `recursive` removes directories and their contents; `force` ignores a missing path. */
  rmSync(path, options = {}) {
    const { recursive = false, force = false } = options ?? {};
    node(this, "rm", path, () => {
      let l;
      try {
        l = walk(this.root, stripTrailingSlashes(path), false, false);
        if (l.inode === null) throw new WasiError(errno.noent);
      } catch (e) {
        if (force && e instanceof WasiError && e.errno === errno.noent) return;
        throw e;
      }
      if (l.isDot) throw new WasiError(errno.inval);
      const inode = l.inode;
      if (inode.type === DIRECTORY) {
        if (!recursive) throw new WasiError(errno.isdir); // Node: ERR_FS_EISDIR, code EISDIR-like
        if (inode === this.root) throw new WasiError(errno.busy);
        this._removeTree(inode);
      }
      this._unlinkEntry(l.dir, l.name, inode);
    });
  }

  _removeTree(dir) {
    for (const [name, child] of [...dir.entries]) {
      if (child.type === DIRECTORY) this._removeTree(child);
      this._unlinkEntry(dir, name, child);
    }
  }

  /** atime/mtime: seconds (number, may be fractional), numeric string, Date, or BigInt nanoseconds. */
  utimesSync(path, atime, mtime) {
    const a = toNs(atime), m = toNs(mtime);
    node(this, "utime", path, () => this.statAt(this.root, path, true, false).setTimes(a, m));
  }

  lutimesSync(path, atime, mtime) {
    const a = toNs(atime), m = toNs(mtime);
    node(this, "lutime", path, () => this.statAt(this.root, path, false, false).setTimes(a, m));
  }

  truncateSync(path, len = 0) {
    node(this, "open", path, () => {
      const inode = this.statAt(this.root, path, true, false);
      if (inode.type === DIRECTORY) throw new WasiError(errno.isdir);
      if (len < 0 || !Number.isSafeInteger(len)) throw new WasiError(errno.inval);
      inode.resize(len);
      inode.touchModified();
    });
  }
}

const FILE_WRITE = { follow: true, creat: true, excl: false, directory: false, trunc: false, write: true };

function absolute(path) {
  path = String(path);
  return path.charCodeAt(0) === SLASH ? path : "/" + path;
}

function encode(data, options) {
  if (typeof data === "string") {
    const encoding = typeof options === "string" ? options : options?.encoding;
    if (encoding === "latin1" || encoding === "binary") return Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff);
    return textEncoder.encode(data);
  }
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError("data must be a string, a TypedArray, a DataView or an ArrayBuffer");
}

function decode(bytes, encoding) {
  if (encoding === undefined || encoding === null || encoding === "buffer") return bytes;
  if (encoding === "utf8" || encoding === "utf-8") return textDecoder.decode(bytes);
  if (encoding === "latin1" || encoding === "binary") return String.fromCharCode(...bytes);
  throw new TypeError(`unsupported encoding ${JSON.stringify(encoding)} (MemFS supports utf8 and latin1)`);
}

function toNs(t) {
  if (typeof t === "bigint") return t;
  if (t instanceof Date) t = t.getTime() / 1000;
  else if (typeof t === "string" && t.trim() !== "" && !Number.isNaN(Number(t))) t = Number(t);
  if (typeof t !== "number" || !Number.isFinite(t)) throw new TypeError("time must be a number of seconds, a numeric string, a Date or a BigInt of nanoseconds");
  const s = Math.floor(t);
  return BigInt(s) * 1000000000n + BigInt(Math.round((t - s) * 1e9));
}

// ---- Node-style errors -----------------------------------------------------------------

const DESCRIPTIONS = {
  ENOENT: "no such file or directory",
  EEXIST: "file already exists",
  ENOTDIR: "not a directory",
  EISDIR: "illegal operation on a directory",
  ENOTEMPTY: "directory not empty",
  EINVAL: "invalid argument",
  ELOOP: "too many symbolic links encountered",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on device",
  EFBIG: "file too large",
  ENAMETOOLONG: "name too long",
  EBUSY: "resource busy or locked",
  ENOTCAPABLE: "capabilities insufficient",
};

function nodeError(errnoValue, syscall, path, dest) {
  const code = new WasiError(errnoValue).code;
  let msg = `${DESCRIPTIONS[code] ?? code.toLowerCase()}, ${syscall}`;
  if (path !== undefined) msg += ` '${path}'`;
  if (dest !== undefined) msg += ` -> '${dest}'`;
  const e = new WasiError(errnoValue, msg);
  e.syscall = syscall;
  if (path !== undefined) e.path = path;
  if (dest !== undefined) e.dest = dest;
  return e;
}

function toNodeError(e, syscall, path, dest) {
  if (e instanceof WasiError) return nodeError(e.errno, syscall, path, dest);
  return e;
}

/** Run `f`, turning a WasiError into a Node-style one naming the syscall and path. */
function node(fs, syscall, path, f, dest) {
  if (typeof path !== "string") {
    if (path instanceof URL) path = decodeURIComponent(path.pathname);
    else throw new TypeError(`The "path" argument must be of type string. Received ${typeof path}`);
  }
  try {
    return f();
  } catch (e) {
    throw toNodeError(e, syscall, path, dest);
  }
}

// ---- Stats and Dirent ------------------------------------------------------------------

const S_IFMT = 0o170000, S_IFREG = 0o100000, S_IFDIR = 0o040000, S_IFLNK = 0o120000;

function modeOf(type) {
  if (type === DIRECTORY) return S_IFDIR | 0o755;
  if (type === SYMBOLIC_LINK) return S_IFLNK | 0o777;
  return S_IFREG | 0o644;
}

/** Like Node's fs.Stats, plus the exact nanosecond times as BigInt (`atimeNs`, ...). */
export class Stats {
  constructor(fs, inode) {
    this.dev = Number(fs.dev);
    this.ino = inode.ino;
    this.mode = modeOf(inode.type);
    this.nlink = inode.nlink;
    this.uid = 0;
    this.gid = 0;
    this.rdev = 0;
    this.size = inode.statSize;
    this.blksize = 4096;
    this.blocks = Math.ceil(this.size / 512);
    this.atimeNs = inode.atim;
    this.mtimeNs = inode.mtim;
    this.ctimeNs = inode.ctim;
    this.birthtimeNs = this.ctimeNs;
    this.atimeMs = inode.atimS * 1000 + inode.atimN / 1e6;
    this.mtimeMs = inode.mtimS * 1000 + inode.mtimN / 1e6;
    this.ctimeMs = inode.ctimS * 1000 + inode.ctimN / 1e6;
    this.birthtimeMs = this.ctimeMs;
    /** The WASI filetype. */
    this.filetype = inode.type;
  }
  get atime() { return new Date(this.atimeMs); }
  get mtime() { return new Date(this.mtimeMs); }
  get ctime() { return new Date(this.ctimeMs); }
  get birthtime() { return new Date(this.birthtimeMs); }
  isFile() { return (this.mode & S_IFMT) === S_IFREG; }
  isDirectory() { return (this.mode & S_IFMT) === S_IFDIR; }
  isSymbolicLink() { return (this.mode & S_IFMT) === S_IFLNK; }
  isBlockDevice() { return false; }
  isCharacterDevice() { return false; }
  isFIFO() { return false; }
  isSocket() { return false; }
}

/** Like Node's fs.Dirent. */
export class Dirent {
  constructor(name, type, parentPath) {
    this.name = name;
    this.parentPath = parentPath;
    this.path = parentPath;
    this._type = type;
  }
  isFile() { return this._type === REGULAR_FILE; }
  isDirectory() { return this._type === DIRECTORY; }
  isSymbolicLink() { return this._type === SYMBOLIC_LINK; }
  isBlockDevice() { return false; }
  isCharacterDevice() { return false; }
  isFIFO() { return false; }
  isSocket() { return false; }
}
