// Path resolution over MemFS inodes (the twin of uvwasi's path_resolver.c).
//
// One walker serves both faces of the filesystem:
// - WASI (`jailed`): the path is resolved beneath a directory capability, as
//   wasmtime does with cap-std: an absolute path, a `..` that would climb
//   above the starting directory, or a symlink whose target is absolute or
//   leads out, fails with EPERM, as wasmtime reports it (spec/RATIONALE.md).
// - the Node-like MemFS API (not jailed): POSIX, `/` is the MemFS root and
//   `..` of the root is the root.
// Intermediate symlinks are always followed; the final one only when asked
// (`lookupflags.symlink_follow`) or when the path ends in a slash. More than
// MAX_SYMLINKS expansions give ELOOP, as on Linux.
import { errno, filetype } from "../generated/constants.js";
import { WasiError } from "../errors.js";
import { utf8Length } from "./inode.js";

export const MAX_SYMLINKS = 40;
export const NAME_MAX = 255;
export const PATH_MAX = 4096;

const SLASH = 47;
const DIRECTORY = filetype.directory;
const SYMBOLIC_LINK = filetype.symbolic_link;

/**
 * Where a walk ended: the directory holding the final component, and what it
 * names. A caller that walks often passes one of its own to `walk` to be
 * filled (MemFSCore keeps two: a walk allocates nothing else but names).
 */
export class Lookup {
  constructor(dir = null, name = "", inode = null, slash = false) {
    /** @type {import("./inode.js").Directory} */
    this.dir = dir;
    /** The final component; "." or ".." when the path ended in one. */
    this.name = name;
    /** @type {import("./inode.js").Inode | null} null: no such entry (yet) */
    this.inode = inode;
    /** The path ended in one or more slashes. */
    this.slash = slash;
  }

  /** The final component is "." or ".." (no entry that could be created or removed). */
  get isDot() { return this.name === "." || this.name === ".."; }
}

/** Fill `out` (or a new Lookup) with where a walk ended. */
function found(out, dir, name, inode, slash) {
  if (out === null) return new Lookup(dir, name, inode, slash);
  out.dir = dir;
  out.name = name;
  out.inode = inode;
  out.slash = slash;
  return out;
}

/**
 * The last directory component a walk cut from a path: the next walk through
 * the same directory name takes this string instead of cutting its own (a
 * program working in one directory names it in every path). Map lookups are
 * by value: only an allocation is saved.
 */
let lastDirName = "";

/**
 * Walk `path` from directory `start`.
 * @param {import("./inode.js").Directory} start
 * @param {string} path
 * @param {boolean} follow expand a symlink in the final component
 * @param {boolean} jailed WASI semantics (see the file comment)
 * @param {Lookup | null} [out] filled and returned (default: a new Lookup)
 * @returns {Lookup}
 * Errors: ENOENT (empty path, missing intermediate), ENOTDIR (a non-directory
 * used as one, or a trailing slash on a non-directory), ELOOP, ENAMETOOLONG,
 * EPERM (jailed escapes), EINVAL (NUL byte).
 */
export function walk(start, path, follow, jailed, out = null) {
  const len = path.length;
  if (len === 0) throw new WasiError(errno.noent);
  // wasmtime's order: a NUL byte (EINVAL), then the length, PATH_MAX counting
  // the terminating NUL (ENAMETOOLONG from 4096 bytes), then escapes (corpus adv-names)
  if (path.indexOf("\0") !== -1) throw new WasiError(errno.inval);
  if (len >= PATH_MAX / 3 && utf8Length(path) >= PATH_MAX) throw new WasiError(errno.nametoolong);
  let cur = start;
  let depth = 0; // how far below `start` the walk is (jailed mode)
  if (path.charCodeAt(0) === SLASH) {
    if (jailed) throw new WasiError(errno.perm);
    cur = start.fs.root;
  }
  let slash = path.charCodeAt(len - 1) === SLASH;
  // The components are read from `path` in place (no array, no allocation
  // but the names themselves) until a symlink is expanded; from then on
  // `pending` holds what is left, last first, so pop() yields them in order.
  let pos = skipSlashes(path, 0);
  let pending = null;
  let links = 0;
  // Where the walk ends: `cur` holds `name`, which is `inode`. Every end
  // leaves the loop for the one return below (one call site: a path ending
  // in "." first met after the code was optimised does not deoptimise it).
  let name = ".", inode = cur; // "/", "///"
  while (pos !== len || pending !== null) {
    let last;
    if (pending === null) {
      let end = path.indexOf("/", pos);
      if (end === -1) end = len;
      const at = pos;
      pos = skipSlashes(path, end);
      last = pos === len;
      if (last) name = path.slice(at, end);
      else if (end - at === lastDirName.length && path.startsWith(lastDirName, at)) name = lastDirName;
      else name = lastDirName = path.slice(at, end);
    } else {
      name = pending.pop();
      last = pending.length === 0;
    }
    if (name === ".") {
      if (last) { inode = cur; break; }
      continue;
    }
    if (name === "..") {
      if (jailed) {
        if (depth === 0) throw new WasiError(errno.perm);
        depth--;
      }
      const up = cur.parent;
      if (last) { inode = up; break; }
      cur = up;
      continue;
    }
    if (name.length > NAME_MAX / 3 && utf8Length(name) > NAME_MAX) throw new WasiError(errno.nametoolong);
    const child = cur.entries.get(name);
    if (child === undefined) {
      if (last) { inode = null; break; }
      throw new WasiError(errno.noent);
    }
    if (child.type === SYMBOLIC_LINK && (!last || follow || slash)) {
      if (++links > MAX_SYMLINKS) throw new WasiError(errno.loop);
      const target = child.target;
      if (target.length === 0) throw new WasiError(errno.noent);
      if (target.charCodeAt(0) === SLASH) {
        if (jailed) throw new WasiError(errno.perm);
        cur = start.fs.root;
        depth = 0;
      }
      if (last && target.charCodeAt(target.length - 1) === SLASH) slash = true;
      if (pending === null) pending = components(path.slice(pos));
      const more = components(target);
      if (more.length === 0) more.push("."); // target "/" (not jailed)
      for (let i = 0; i < more.length; i++) pending.push(more[i]);
      continue;
    }
    if (last) {
      if (slash && child.type !== DIRECTORY) throw new WasiError(errno.notdir);
      inode = child;
      break;
    }
    if (child.type !== DIRECTORY) throw new WasiError(errno.notdir);
    cur = child;
    depth++;
  }
  return found(out, cur, name, inode, slash);
}

/** The index of the first non-slash at or after `i` (or the length). */
function skipSlashes(path, i) {
  while (i < path.length && path.charCodeAt(i) === SLASH) i++;
  return i;
}

/** The non-empty components of `path`, last first (so pop() yields them in order). */
function components(path) {
  const out = [];
  let end = path.length;
  for (let i = path.length - 1; i >= -1; i--) {
    if (i === -1 || path.charCodeAt(i) === SLASH) {
      if (end > i + 1) out.push(path.slice(i + 1, end));
      end = i;
    }
  }
  return out;
}

/** `path` without trailing slashes (but "/" stays "/"). */
export function stripTrailingSlashes(path) {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === SLASH) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** Is `inode` `dir` itself or inside it (following parent links up to the root)? */
export function isWithin(inode, dir) {
  for (let d = inode; ; d = d.parent) {
    if (d === dir) return true;
    if (d.parent === d) return false;
  }
}
