// Copying between a host directory and a MemFS (Node only).
//
// loadHostDir copies a host tree in: regular files, directories, and symlinks
// as symlinks (their targets are copied verbatim and never followed). Other
// kinds (sockets, FIFOs, devices) are skipped. The tree is walked depth-first,
// a directory before its contents, names in the bytewise order of their UTF-8,
// so inode numbers come out the same on every run (spec/RATIONALE.md,
// "Deterministic mode").
//
// writeBackHostDir makes the host tree match the MemFS tree: it creates,
// updates and deletes only inside the host directory, never follows a host
// symlink (anything in the way is removed, not entered), and writes each
// changed file to a temporary file in the same directory, then renames it
// over the old one, so no reader sees a half-written file. Hard links in the
// MemFS become separate host files.
import * as fs from "node:fs";
import * as path from "node:path";
import { filetype } from "../generated/constants.js";

const DIRECTORY = filetype.directory;
const REGULAR_FILE = filetype.regular_file;
const SYMBOLIC_LINK = filetype.symbolic_link;

/**
 * Copy the host directory `hostDir` into `memfs` at `memfsPath` (created if missing).
 * @param {import("../vfs/memfs.js").MemFS} memfs
 * @param {string} hostDir
 * @param {string} memfsPath an absolute MemFS path
 * @param {{times?: boolean}} [options] times (default true): copy the host's
 *   atime and mtime; false: the MemFS clock stamps everything (deterministic mode)
 */
export function loadHostDir(memfs, hostDir, memfsPath, options = {}) {
  const times = options.times ?? true;
  memfs.mkdirSync(memfsPath, { recursive: true });
  copyIn(memfs, hostDir, memfsPath.replace(/\/+$/, "") || "/", times);
}

function byUtf8(a, b) {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function copyIn(memfs, hostDir, memDir, times) {
  for (const name of fs.readdirSync(hostDir).sort(byUtf8)) {
    const host = path.join(hostDir, name);
    const mem = memDir === "/" ? `/${name}` : `${memDir}/${name}`;
    const st = fs.lstatSync(host, { bigint: true });
    if (st.isDirectory()) {
      memfs.mkdirSync(mem);
      copyIn(memfs, host, mem, times);
    } else if (st.isFile()) {
      memfs.writeFileSync(mem, fs.readFileSync(host));
    } else if (st.isSymbolicLink()) {
      memfs.symlinkSync(fs.readlinkSync(host), mem);
    } else {
      continue;
    }
    if (times) memfs.lutimesSync(mem, st.atimeNs, st.mtimeNs);
  }
  if (times) {
    const st = fs.lstatSync(hostDir, { bigint: true });
    memfs.lutimesSync(memDir, st.atimeNs, st.mtimeNs);
  }
}

/**
 * Make the host directory `hostDir` match the MemFS directory `memfsPath`.
 * @param {import("../vfs/memfs.js").MemFS} memfs
 * @param {string} memfsPath
 * @param {string} hostDir created if missing
 */
export function writeBackHostDir(memfs, memfsPath, hostDir) {
  const root = memfs.statAt(memfs.root, memfsPath, true, false);
  if (root.type !== DIRECTORY) throw new Error(`writeBackHostDir: ${memfsPath} is not a directory in the MemFS`);
  fs.mkdirSync(hostDir, { recursive: true });
  syncDir(root, hostDir);
}

function syncDir(dir, hostDir) {
  const existing = new Map();
  for (const entry of fs.readdirSync(hostDir, { withFileTypes: true })) existing.set(entry.name, entry);
  for (const [name, inode] of dir.entries) {
    const host = path.join(hostDir, name);
    const there = existing.get(name);
    existing.delete(name);
    if (inode.type === DIRECTORY) {
      if (there && !there.isDirectory()) removeHost(host, there);
      if (!there || !there.isDirectory()) fs.mkdirSync(host);
      syncDir(inode, host);
    } else if (inode.type === REGULAR_FILE) {
      if (there && !there.isFile()) removeHost(host, there);
      if (!(there && there.isFile() && sameContent(host, inode))) writeAtomically(host, inode.bytes());
    } else if (inode.type === SYMBOLIC_LINK) {
      if (!(there && there.isSymbolicLink() && fs.readlinkSync(host) === inode.target)) {
        if (there) removeHost(host, there);
        fs.symlinkSync(inode.target, host);
      }
    }
    setTimes(host, inode);
  }
  for (const [name, entry] of existing) removeHost(path.join(hostDir, name), entry);
  setTimes(hostDir, dir);
}

function removeHost(host, entry) {
  if (entry.isDirectory()) fs.rmSync(host, { recursive: true, force: true }); // does not follow symlinks
  else fs.unlinkSync(host);
}

function sameContent(host, inode) {
  const st = fs.lstatSync(host);
  if (st.size !== inode.size) return false;
  const bytes = fs.readFileSync(host);
  return Buffer.compare(bytes, inode.bytes()) === 0;
}

function writeAtomically(host, bytes) {
  // A short name of its own: the file's name may already be NAME_MAX long.
  const tmp = path.join(path.dirname(host), `.wasi-polyfill-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes, { flag: "wx" });
    fs.renameSync(tmp, host);
  } catch (e) {
    try { fs.unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
}

/** Carry atim and mtim to the host (symlinks themselves, not their targets). */
function setTimes(host, inode) {
  try {
    fs.lutimesSync(host, toSeconds(inode.atimS, inode.atimN), toSeconds(inode.mtimS, inode.mtimN));
  } catch {
    // Times are best effort (e.g. a filesystem without sub-second times).
  }
}

/**
 * Seconds as Node's utimes takes them. libuv keeps microseconds only (it
 * truncates the fraction); a double near 1.7e9 s is exact to about 0.24 µs,
 * so aim at the middle of the microsecond: the host gets the time truncated
 * to the microsecond, exactly.
 */
function toSeconds(s, n) {
  return s + (n - (n % 1000) + 500) / 1e9;
}
