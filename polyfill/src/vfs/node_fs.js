// MemFS: the in-memory filesystem with a Node `fs`-like synchronous API for
// the embedder (`readFileSync`, `mkdirSync`, ...; Stats, Dirent), on absolute
// paths from the MemFS root, throwing WasiError with Node's `code`, `syscall`
// and `path`. The tree and its POSIX rules are MemFSCore's (vfs/memfs.js);
// this module is only the facade, kept apart so that a bundle which never
// names MemFS does not carry it.
import { errno, filetype, oflags } from "../generated/constants.js";
import { WasiError } from "../errors.js";
import { ByteSource, Directory } from "./inode.js";
import { walk, stripTrailingSlashes } from "./path.js";
import { MemFSCore } from "./memfs.js";
import { describe } from "../api_errors.js";

const REGULAR_FILE = filetype.regular_file;
const DIRECTORY = filetype.directory;
const SYMBOLIC_LINK = filetype.symbolic_link;
const SLASH = 47;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export class MemFS extends MemFSCore {
  readFileSync(path, options) {
    const encoding = typeof options === "string" ? options : options?.encoding;
    const inode = node(this, "open", path, () => this.statAt(this.root, path, true, false));
    if (inode.type === DIRECTORY) throw nodeError(errno.isdir, "read", undefined);
    return decode(inode.bytes(), encoding);
  }

  writeFileSync(path, data, options) {
    const bytes = encode(data, options);
    node(this, "open", path, () => {
      const file = this.openAt(this.root, path, true, oflags.creat, false, true, false);
      file.replace(bytes);
      file.touchModified();
    });
  }

  appendFileSync(path, data, options) {
    const bytes = encode(data, options);
    node(this, "open", path, () => {
      const file = this.openAt(this.root, path, true, oflags.creat, false, true, false);
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
          l.dir.fs.mkdir(this._live(l.dir), l.name); // the primitive of the filesystem it is in (a mounted backend's own)
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
    const a = toNs(atime, "atime"), m = toNs(mtime, "mtime");
    node(this, "utime", path, () => this.statAt(this.root, path, true, false).setTimes(a, m));
  }

  lutimesSync(path, atime, mtime) {
    const a = toNs(atime, "atime"), m = toNs(mtime, "mtime");
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
  throw new TypeError(`The "data" argument must be a string, a TypedArray, a DataView or an ArrayBuffer. Received ${describe(data)}`);
}

function decode(bytes, encoding) {
  if (encoding === undefined || encoding === null || encoding === "buffer") return bytes;
  if (encoding === "utf8" || encoding === "utf-8") return textDecoder.decode(bytes);
  if (encoding === "latin1" || encoding === "binary") return String.fromCharCode(...bytes);
  throw new TypeError(`unsupported encoding ${JSON.stringify(encoding)} (MemFS supports utf8 and latin1)`);
}

function toNs(t, name) {
  if (typeof t === "bigint") return t;
  if (t instanceof Date) t = t.getTime() / 1000;
  else if (typeof t === "string" && t.trim() !== "" && !Number.isNaN(Number(t))) t = Number(t);
  if (typeof t !== "number" || !Number.isFinite(t)) throw new TypeError(`The "${name}" argument must be a number of seconds, a numeric string, a Date or a BigInt of nanoseconds. Received ${describe(t)}`);
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
    else throw new TypeError(`The "path" argument must be of type string. Received ${describe(path)}`);
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
