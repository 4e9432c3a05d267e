// HostDirectory: a live host folder mounted in a MemFS (Node only).
//
// The guest reads and writes the real files, but every path is resolved by
// the core (vfs/path.js: `..`, symlinks, the sandbox), one component at a
// time: the host OS is only ever asked about one entry of a directory the
// core has already reached (`lstat`, `readlink`, `open` with O_NOFOLLOW,
// `mkdir`, `rename`, ...), so it never follows a host symlink on the guest's
// behalf and nothing outside the folder can be reached. What the OS
// answers is what wasmtime, working on the same files, would report: inode
// and device numbers, times, link counts, readdir order (spec/RATIONALE.md,
// "HostDirectory"). Host errors become errno in one place (`hostError`).
//
// The backend interface it implements is described in vfs/memfs.js, "mounts".
// Limits: Node has no openat(2), so a component is reached by its full host
// path; a host process that swaps a directory for a symlink *while* the
// guest resolves through it could win that race (the guest alone cannot).
import * as nfs from "node:fs";
import { spawnSync } from "node:child_process";
import { errno, filetype } from "../generated/constants.js";
import { WasiError } from "../errors.js";
import { utimesSeconds } from "./utimes.js";

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW, O_DIRECTORY } = nfs.constants;
/** Why the host may refuse read-write but allow the one mode asked for. */
const NARROWER = new Set(["EACCES", "EROFS", "EPERM", "ETXTBSY"]);
const NOFOLLOW = O_NOFOLLOW ?? 0;
const BIG = { bigint: true, throwIfNoEntry: false };
/** The largest read or write done at once (a short count beyond, which libc loops on). */
const MAX_IO = 16 << 20;

/** A file offset as Node takes it (beyond 2^53, a BigInt). */
function position(pos) {
  return pos > Number.MAX_SAFE_INTEGER ? BigInt(pos) : pos;
}

/**
 * The host errors wasmtime passes on as themselves (wasmtime-wasi's
 * `from_raw_os_error`); every other one — EROFS, EXDEV, ETXTBSY, EDQUOT,
 * EMFILE, EAGAIN, ... — it reports as EIO, and so do we (spec/RATIONALE.md,
 * "HostDirectory: host errors as wasmtime maps them").
 */
const WASMTIME_PASSES = new Set(["EPIPE", "EPERM", "ENOENT", "ENOMEM", "EIO", "EBADF", "EBUSY", "EACCES", "ENOTDIR",
  "EISDIR", "EINVAL", "EEXIST", "EFBIG", "ENOSPC", "ESPIPE", "EMLINK", "ENAMETOOLONG", "ENOTEMPTY", "ELOOP",
  "EOVERFLOW", "EILSEQ", "ENOTSUP", "EALREADY", "EINPROGRESS", "EINTR"]);

/** A host fs error as a WasiError (the errno wasmtime gives for it); anything else is rethrown. */
export function hostError(e) {
  if (e instanceof WasiError) return e;
  const code = typeof e?.code === "string" && /^E[A-Z0-9]+$/.test(e.code) ? e.code : null;
  if (code === null) return e;
  if (code === "EOPNOTSUPP") return new WasiError(errno.notsup); // (Linux: ENOTSUP's number)
  if (WASMTIME_PASSES.has(code)) return new WasiError(errno[code.slice(1).toLowerCase()]);
  return new WasiError(errno.io, e.message); // (the embedder still reads the host's reason)
}

/** Run `f`, turning host errors into WasiErrors. */
function host(f) {
  try {
    return f();
  } catch (e) {
    throw hostError(e);
  }
}

function typeOf(st) {
  if (st.isFile()) return filetype.regular_file;
  if (st.isDirectory()) return filetype.directory;
  if (st.isSymbolicLink()) return filetype.symbolic_link;
  if (st.isCharacterDevice()) return filetype.character_device;
  if (st.isBlockDevice()) return filetype.block_device;
  if (st.isSocket()) return filetype.socket_stream;
  return filetype.unknown;
}

class HostInode {
  constructor(fs, type, hostPath, st) {
    this.fs = fs;
    this.type = type;
    /** The host path it was last reached by (updated by lookups and renames). */
    this.hostPath = hostPath;
    /** Descriptors open on it. */
    this.opens = 0;
    this.apply(st);
  }

  apply(st) {
    /** The host's device; `dev` is what stat reports (the backend's, 1 by default, as wasmtime). */
    this.hostDev = st.dev;
    this.dev = this.fs.dev;
    this.ino = st.ino;
    this.nlink = st.nlink;
    this._size = Number(st.size);
    this.atim = st.atimeNs;
    this.mtim = st.mtimeNs;
    this.ctim = st.ctimeNs;
  }

  get statSize() { return this._size; }

  /** The host's current metadata (fstat when open, else lstat; gone: nlink 0). */
  refresh() {
    const st = this.hostFd != null ? nfs.fstatSync(this.hostFd, { bigint: true }) : host(() => nfs.lstatSync(this.hostPath, BIG));
    if (st === undefined || typeOf(st) !== this.type) this.nlink = 0n;
    else this.apply(st);
  }

  // The host stamps times itself.
  touchModified() {}
  touchChanged() {}
  isMountRoot() { return false; }
  openFile(read, write) {}
  sync(data) {}

  /**
   * utimensat with nanosecond times, as wasmtime sets them. Node passes times
   * as seconds (a double: node/utimes.js picks the one that keeps the microsecond) and has no
   * UTIME_OMIT: the times are set through it (a time left unchanged is
   * written back as read), read back, and any that did not arrive exactly
   * is set again by GNU touch, which takes nanoseconds (Linux; elsewhere
   * microseconds stay; spec/RATIONALE.md, "HostDirectory").
   */
  setTimes(atim, mtim) {
    this.refresh();
    const link = this.type === filetype.symbolic_link;
    const now = BigInt(Date.now()) * 1000000n;
    const want = (t, old) => (t === "now" ? now : t === null ? old : t);
    const a = want(atim, this.atim), m = want(mtim, this.mtim);
    if (link) host(() => nfs.lutimesSync(this.hostPath, utimesSeconds(a), utimesSeconds(m)));
    else this.withFd((fd) => nfs.futimesSync(fd, utimesSeconds(a), utimesSeconds(m)));
    this.refresh();
    const fix = [];
    if (atim !== "now" && this.atim !== a) fix.push(["-a", a]);
    if (mtim !== "now" && this.mtim !== m) fix.push(["-m", m]);
    if (fix.length === 0 || process.platform !== "linux") return;
    const path = this.hostFd != null ? `/proc/${process.pid}/fd/${this.hostFd}` /* the file itself, even unlinked */ : this.hostPath;
    for (const [flag, ns] of fix) {
      const stamp = `@${ns / 1000000000n}.${String(ns % 1000000000n).padStart(9, "0")}`;
      const r = spawnSync("touch", ["-c", ...(link ? ["-h"] : []), flag, "-d", stamp, "--", path], { stdio: "ignore" });
      if (r.status !== 0) return; // no GNU touch: the microseconds stay
    }
    this.refresh();
  }

  /** `f(fd)` on a descriptor of this inode (its own, or one opened without following a symlink). */
  withFd(f) {
    if (this.hostFd != null) return host(() => f(this.hostFd));
    const fd = host(() => nfs.openSync(this.hostPath, O_RDONLY | NOFOLLOW | (this.type === filetype.directory ? O_DIRECTORY : 0)));
    try {
      return host(() => f(fd));
    } finally {
      nfs.closeSync(fd);
    }
  }
}

/** The entries of a host directory, as the core reads a Directory's `entries` Map. */
class HostEntries {
  constructor(dir) { this.dir = dir; }

  /** The inode `name` names (lstat: a symlink is itself), or undefined. */
  get(name) {
    const dir = this.dir;
    // removed (rmdir, or replaced by a rename): empty, as on Linux — its old path may name
    // another directory now (the backends fuzzer, seed 2000860)
    if (dir.nlink === 0n) return undefined;
    const path = dir.hostPath + "/" + name;
    const st = host(() => nfs.lstatSync(path, BIG));
    return st === undefined ? undefined : dir.fs._inode(path, st, dir);
  }

  get size() {
    let n = 0;
    for (const _ of this.names()) n++;
    return n;
  }

  /** The names in the host's readdir order (what wasmtime lists), without "." and "..". */
  * names() {
    const dir = this.dir;
    const st = host(() => nfs.lstatSync(dir.hostPath, BIG));
    if (dir.nlink === 0n || st === undefined || st.ino !== dir.ino || st.dev !== dir.hostDev) return; // removed: no entries
    const d = host(() => nfs.opendirSync(dir.hostPath));
    try {
      for (let e; (e = host(() => d.readSync())) !== null;) yield e.name;
    } finally {
      d.closeSync();
    }
  }

  keys() { return this.names(); }

  * [Symbol.iterator]() {
    for (const name of [...this.names()]) {
      const inode = this.get(name);
      if (inode !== undefined) yield [name, inode]; // removed meanwhile: skipped
    }
  }
}

class HostDir extends HostInode {
  constructor(fs, hostPath, st) {
    super(fs, filetype.directory, hostPath, st);
    /** A host descriptor while the guest holds one (HostDirectory._opened). */
    this.hostFd = null;
    this.entries = new HostEntries(this);
    /** The directory holding it; the backend's root: the MemFS directory it is mounted in. */
    this.parent = this;
  }

  isMountRoot() { return this === this.fs.root; }

  sync(data) { this.withFd((fd) => (data ? nfs.fdatasyncSync(fd) : nfs.fsyncSync(fd))); }
}

class HostSymlink extends HostInode {
  constructor(fs, hostPath, st) {
    super(fs, filetype.symbolic_link, hostPath, st);
    this._target = null;
  }

  /**
   * Read when the core follows or reads the link, not on every lookup:
   * readlink(2) updates the link's atime (relatime), and an lstat under
   * wasmtime does not.
   */
  get target() { return (this._target ??= host(() => nfs.readlinkSync(this.hostPath))); }

  apply(st) {
    super.apply(st);
    this._target = null;
  }
}

class HostFile extends HostInode {
  constructor(fs, type, hostPath, st) {
    super(fs, type, hostPath, st);
    /** The host descriptor while descriptors are open (opened O_RDWR when it can be). */
    this.hostFd = null;
    this.hostReadable = false;
    this.hostWritable = false;
  }

  /**
   * Open the host file (kept until the last descriptor closes, so an
   * unlinked file stays readable): read-write when the host allows, else in
   * the one mode the guest asks for (a read-only, write-only or busy file).
   */
  openFile(read, write) {
    if (this.hostFd !== null && (!read || this.hostReadable) && (!write || this.hostWritable)) return;
    let fd, r = true, w = true;
    try {
      fd = nfs.openSync(this.hostPath, O_RDWR | NOFOLLOW);
    } catch (e) {
      if ((read && write) || !NARROWER.has(e.code)) throw hostError(e);
      fd = host(() => nfs.openSync(this.hostPath, (write ? O_WRONLY : O_RDONLY) | NOFOLLOW));
      r = !write;
      w = write;
    }
    if (this.hostFd !== null) nfs.closeSync(this.hostFd);
    this.hostFd = fd;
    this.hostReadable = r;
    this.hostWritable = w;
  }

  get size() { return Number(host(() => nfs.fstatSync(this.hostFd)).size); }

  readAt(pos, iovs, i, n) {
    if (n > MAX_IO) n = MAX_IO;
    const buf = this.fs._scratch(n);
    const got = host(() => nfs.readSync(this.hostFd, buf, 0, n, position(pos)));
    if (got > 0) {
      iovs.checkWhole(i); // with data to give, wasmtime takes the whole buffer
      iovs.write(i, 0, buf, 0, got);
    }
    return got;
  }

  writeAt(pos, iovs, i, n) {
    if (n > MAX_IO) n = MAX_IO;
    // Node's writeSync takes a position only as a Number: a BigInt one is
    // silently "the current position" (the backends fuzzer wrote a pwrite at
    // 8.9e17 at offset 0). Past 2^53 - 1 bytes, or this backend's
    // maxFileSize, a short write or EFBIG, as MemFS (and ext4, whose limit is
    // 16 TiB).
    const max = Math.min(this.fs.maxFileSize, Number.MAX_SAFE_INTEGER);
    if (pos + n > max) {
      iovs.checkWhole(i);
      if (pos >= max) throw new WasiError(errno.fbig);
      n = max - pos;
    }
    const buf = this.fs._scratch(n);
    iovs.read(i, 0, buf, 0, n); // a trap before the file changes
    return host(() => nfs.writeSync(this.hostFd, buf, 0, n, pos));
  }

  resize(n) {
    if (n > Number.MAX_SAFE_INTEGER) throw new WasiError(errno.fbig); // beyond any host file system's size (ext4: 16 TiB)
    this.openFile(false, true);
    host(() => nfs.ftruncateSync(this.hostFd, n));
  }

  sync(data) { this.withFd((fd) => (data ? nfs.fdatasyncSync(fd) : nfs.fsyncSync(fd))); }

  /**
   * The whole content (the MemFS facade's readFileSync), read at positions:
   * the host fd may be shared by the file's other names, and a read from its
   * current position would start where the last one ended (found by the
   * backends fuzzer: a file linked then opened read empty).
   */
  bytes() {
    return this.withFd((fd) => {
      const size = Number(nfs.fstatSync(fd).size);
      const out = new Uint8Array(size);
      let got = 0;
      while (got < size) {
        const n = nfs.readSync(fd, out, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      return got === size ? out : out.subarray(0, got);
    });
  }
}

/**
 * A host directory to mount in a MemFS: `fs.mountSync("/sandbox", new
 * HostDirectory("/real/dir"))` (or `await fs.mount(...)`). Everything the
 * guest does under the mount happens to the real files at once.
 */
export class HostDirectory {
  /**
   * @param {string} hostPath a host directory (a symlink to one is followed here, once, as wasmtime's --dir)
   * @param {object} [options]
   * @param {number|bigint} [options.dev] the device number stat reports; default 1, as wasmtime
   *   reports for every file (its inode numbers are hashes; ours are the host's)
   */
  constructor(hostPath, options = {}) {
    if (typeof hostPath !== "string") throw new TypeError(`HostDirectory: the host path must be a string; got ${typeof hostPath}`);
    if (options === null || typeof options !== "object") throw new TypeError("HostDirectory options must be an object");
    const dev = options.dev ?? 1;
    if (!((typeof dev === "number" && Number.isSafeInteger(dev) && dev >= 0) || (typeof dev === "bigint" && dev >= 0n && dev < 2n ** 64n))) {
      throw new TypeError(`HostDirectory options.dev must be a non-negative integer; got ${String(dev)}`);
    }
    this.dev = BigInt(dev);
    let real;
    try {
      real = nfs.realpathSync(hostPath);
    } catch (e) {
      throw new WasiError(hostError(e).errno, `HostDirectory ${JSON.stringify(hostPath)}: ${e.code === "ENOENT" ? "no such directory" : e.message}`);
    }
    const st = nfs.statSync(real, { bigint: true });
    if (!st.isDirectory()) throw new WasiError(errno.notdir, `HostDirectory ${JSON.stringify(hostPath)}: not a directory`);
    this.hostPath = real;
    /** The MemFS it is mounted in (null: not mounted). */
    this.core = null;
    this.covered = null;
    /** Descriptors open on its inodes. */
    this.busy = 0;
    /** No limit of ours: the host's (EFBIG, ENOSPC) apply. */
    this.maxFileSize = 2 ** 63;
    /** One object per host inode (dev, ino, type), so that the core can compare identities. */
    this._inodes = new Map();
    this._buf = Buffer.alloc(0);
    this.root = this._inode(real, st, null);
  }

  /**
   * Is the host folder on a read-only filesystem? Asked at each unlink,
   * rmdir, rename and link (a remount changes it; access(2) says EROFS for
   * W_OK there, even to root): the core then refuses them before it judges
   * the entry, as Linux checks a read-only mount first — `rm missing` is
   * EIO under wasmtime, not ENOENT (vfs/memfs.js READ_ONLY_ERRNO).
   */
  get readOnly() {
    try {
      nfs.accessSync(this.hostPath, nfs.constants.W_OK);
      return false;
    } catch (e) {
      return e.code === "EROFS";
    }
  }

  /**
   * Throws what the host says if entries of `dir` may not be removed (no
   * write or search permission: EACCES). Asked by the core only where it
   * would refuse an unlink or rmdir itself (EISDIR, ENOTDIR, ENOTEMPTY,
   * EBUSY): Linux checks the permission first (may_delete), so wasmtime
   * reports EACCES there.
   */
  mayDelete(dir) {
    host(() => nfs.accessSync(dir.hostPath, nfs.constants.W_OK | nfs.constants.X_OK));
  }

  /** Another HostDirectory: rename(2) and link(2) are tried, and the host says EXDEV if it must. */
  sameDevice(other) { return other instanceof HostDirectory; }

  _scratch(n) {
    if (this._buf.length < n) this._buf = Buffer.allocUnsafe(Math.max(n, 65536));
    return this._buf;
  }

  /** The inode object for host `path` with stat `st`, reached from directory `parent`. */
  _inode(path, st, parent) {
    const type = typeOf(st);
    const key = `${st.dev}:${st.ino}:${type}`;
    let inode = this._inodes.get(key);
    if (inode === undefined) {
      if (type === filetype.directory) inode = new HostDir(this, path, st);
      else if (type === filetype.symbolic_link) inode = new HostSymlink(this, path, st);
      else inode = new HostFile(this, type, path, st);
      this._inodes.set(key, inode);
    } else {
      inode.hostPath = path;
      inode.apply(st);
    }
    if (parent !== null && inode !== this.root && type === filetype.directory) inode.parent = parent;
    return inode;
  }

  _forget(inode) {
    if (inode.opens === 0) this._inodes.delete(`${inode.hostDev}:${inode.ino}:${inode.type}`);
  }

  _opened(inode) {
    inode.opens++;
    this.busy++;
    // A directory keeps a host descriptor while the guest holds one, as a file does: once
    // removed, its fd_filestat_set_times, fd_sync and stat still reach it, as on Linux under
    // wasmtime (by its path they were ENOENT: found by the backends fuzzer, seed 1441)
    if (inode.type === filetype.directory && inode.hostFd === null) {
      try {
        inode.hostFd = nfs.openSync(inode.hostPath, O_RDONLY | O_DIRECTORY | NOFOLLOW);
      } catch {
        // not readable by us (or gone meanwhile): reached by its path, as before
      }
    }
  }

  /** A descriptor on `inode` was closed: the host file is closed with the last one. */
  _closed(inode) {
    inode.opens--;
    this.busy--;
    if (inode.opens === 0 && inode.hostFd != null) {
      nfs.closeSync(inode.hostFd);
      inode.hostFd = null;
      inode.hostReadable = inode.hostWritable = false;
    }
  }

  /**
   * Close every host file the guest left open (an embedder done with a run:
   * host descriptors are not closed by the garbage collector). Descriptors
   * the guest still holds on them then fail with EBADF.
   */
  close() {
    for (const inode of this._inodes.values()) {
      if (inode.hostFd == null) continue;
      nfs.closeSync(inode.hostFd);
      inode.hostFd = null;
      inode.hostReadable = inode.hostWritable = false;
    }
  }

  // ---- the primitives (vfs/memfs.js has checked everything it can) ----

  createFile(dir, name) {
    const path = dir.hostPath + "/" + name;
    const fd = host(() => nfs.openSync(path, O_RDWR | O_CREAT | O_EXCL | NOFOLLOW, 0o666));
    const inode = this._inode(path, nfs.fstatSync(fd, { bigint: true }), dir);
    if (inode.hostFd !== null) nfs.closeSync(inode.hostFd);
    inode.hostFd = fd;
    inode.hostReadable = inode.hostWritable = true;
    return inode;
  }

  mkdir(dir, name) {
    host(() => nfs.mkdirSync(dir.hostPath + "/" + name, 0o777));
  }

  rmdir(dir, name, inode) {
    host(() => nfs.rmdirSync(dir.hostPath + "/" + name));
    inode.nlink = 0n; // removed: the core enters nothing in it (ENOENT first, as Linux), as in a MemFS
    this._forget(inode);
  }

  unlink(dir, name, inode) {
    host(() => nfs.unlinkSync(dir.hostPath + "/" + name));
    this._forget(inode);
  }

  rename(dir1, name1, inode, dir2, name2, old) {
    const from = dir1.hostPath + "/" + name1, to = dir2.hostPath + "/" + name2;
    host(() => nfs.renameSync(from, to));
    if (old !== null && old !== inode) {
      if (old.type === filetype.directory) old.nlink = 0n; // replaced: removed, as rmdir
      this._forget(old);
    }
    inode.hostPath = to;
    if (inode.type === filetype.directory) {
      inode.parent = dir2;
      // The directories below keep their objects (open descriptors hold them): their host paths move.
      const prefix = from + "/";
      for (const other of this._inodes.values()) {
        if (other.hostPath.startsWith(prefix)) other.hostPath = to + other.hostPath.slice(from.length);
      }
    }
    if (dir2.fs !== this) this._handOver(inode, dir2.fs);
  }

  /**
   * `inode` was renamed into HostDirectory `other`: its object (a directory:
   * and those of what is below it) goes there too, descriptors and all, so
   * that a host inode keeps one object whichever backend reaches it. (Left
   * here, a descriptor open on a moved directory named its old path: ENOENT
   * for what the guest made through it, found by the backends fuzzer, seeds
   * 1812 and 11803; wasmtime and MemFS make it in the moved directory.)
   */
  _handOver(inode, other) {
    const prefix = inode.hostPath + "/";
    const moved = [...this._inodes].filter(([, obj]) => obj === inode || obj.hostPath.startsWith(prefix));
    if (!moved.some(([, obj]) => obj === inode)) moved.push([`${inode.hostDev}:${inode.ino}:${inode.type}`, inode]);
    for (const [key, obj] of moved) {
      this._inodes.delete(key);
      obj.fs = other;
      this.busy -= obj.opens;
      other.busy += obj.opens;
      other._inodes.set(key, obj);
    }
  }

  link(dir1, name1, inode, dir2, name2) {
    host(() => nfs.linkSync(dir1.hostPath + "/" + name1, dir2.hostPath + "/" + name2));
  }

  symlink(dir, name, target) {
    host(() => nfs.symlinkSync(target, dir.hostPath + "/" + name));
  }
}
