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
// symlink (anything in the way is removed, not entered, and a symlink in
// the MemFS is written as a symlink), and first stages every new or changed
// file and symlink in a staging directory inside the host directory, then
// renames each over its place: no reader sees a half-written file, and a
// failure while staging (disk full, ...) leaves the host directory as it
// was. Hard links in the MemFS become separate host files.
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
 *
 * In two phases, so that a failure leaves the host directory as it was
 * whenever it can (spec/RATIONALE.md, "CLI"):
 * 1. stage: compare the trees (reading the host, never following its
 *    symlinks) and write every new or changed file and symlink into a
 *    staging directory inside `hostDir`; nothing visible changes. An error
 *    here (disk full, ...) removes the staging directory and is rethrown:
 *    the host directory is untouched.
 * 2. commit: remove what is gone, make the new directories, rename each
 *    staged entry over its place (atomic per entry), set times. Only a
 *    failure of these metadata operations can leave a partial update.
 * @param {import("../vfs/memfs.js").MemFS} memfs
 * @param {string} memfsPath
 * @param {string} hostDir created if missing
 */
export function writeBackHostDir(memfs, memfsPath, hostDir) {
  const root = memfs.statAt(memfs.root, memfsPath, true, false);
  if (root.type !== DIRECTORY) throw new Error(`writeBackHostDir: ${memfsPath} is not a directory in the MemFS`);
  fs.mkdirSync(hostDir, { recursive: true });
  const stage = fs.mkdtempSync(path.join(hostDir, STAGE_PREFIX));
  const plan = { stage, staged: 0, ops: [] };
  try {
    try {
      planDir(root, hostDir, true, plan);
    } catch (e) {
      fs.rmSync(stage, { recursive: true, force: true });
      throw e;
    }
    for (const op of plan.ops) op();
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  setTimes(hostDir, root); // again: removing the staging directory stamped it
}

/** The staging directory's name; write-back never treats it as the guest's. */
const STAGE_PREFIX = ".wasi-polyfill-stage-";

/** Stage `dir`'s files and queue what makes `hostDir` match it (`onHost`: it exists there now). */
function planDir(dir, hostDir, onHost, plan) {
  const existing = new Map();
  if (onHost) {
    for (const entry of fs.readdirSync(hostDir, { withFileTypes: true })) {
      if (entry.name.startsWith(STAGE_PREFIX) && path.join(hostDir, entry.name) === plan.stage) continue;
      existing.set(entry.name, entry);
    }
  }
  for (const [name, inode] of dir.entries) {
    const host = path.join(hostDir, name);
    const there = existing.get(name);
    existing.delete(name);
    if (inode.type === DIRECTORY) {
      const isDir = there !== undefined && there.isDirectory();
      if (there && !isDir) plan.ops.push(() => removeHost(host, there));
      if (!isDir) plan.ops.push(() => fs.mkdirSync(host));
      planDir(inode, host, isDir, plan);
    } else if (inode.type === REGULAR_FILE) {
      const bytes = inode.bytes();
      if (!(there && there.isFile() && sameContent(host, bytes))) {
        const make = (at) => fs.writeFileSync(at, bytes, { flag: "wx" });
        const staged = stageEntry(plan, make);
        if (there && there.isDirectory()) plan.ops.push(() => removeHost(host, there));
        plan.ops.push(() => moveInto(staged, host, make));
      }
    } else if (inode.type === SYMBOLIC_LINK) {
      if (!(there && there.isSymbolicLink() && fs.readlinkSync(host) === inode.target)) {
        const make = (at) => fs.symlinkSync(inode.target, at);
        const staged = stageEntry(plan, make);
        if (there && there.isDirectory()) plan.ops.push(() => removeHost(host, there));
        plan.ops.push(() => moveInto(staged, host, make));
      }
    } else {
      continue;
    }
    plan.ops.push(() => setTimes(host, inode));
  }
  for (const [name, entry] of existing) plan.ops.push(() => removeHost(path.join(hostDir, name), entry));
  plan.ops.push(() => setTimes(hostDir, dir));
}

/** Make one staged entry (a short name of its own: the real name may be NAME_MAX long). */
function stageEntry(plan, make) {
  const at = path.join(plan.stage, String(plan.staged++));
  make(at);
  return at;
}

/**
 * Rename a staged entry over `host` (atomic: a reader sees the old or the
 * new entry). Across file systems (a mount inside the host directory) the
 * entry is made again beside its place, with `make`, and renamed from there.
 */
function moveInto(staged, host, make) {
  try {
    fs.renameSync(staged, host);
  } catch (e) {
    if (e.code !== "EXDEV") throw e;
    const tmp = path.join(path.dirname(host), `.wasi-polyfill-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
    try {
      make(tmp);
      fs.renameSync(tmp, host);
    } catch (e2) {
      try { fs.unlinkSync(tmp); } catch { /* already gone */ }
      throw e2;
    }
  }
}

function removeHost(host, entry) {
  if (entry.isDirectory()) fs.rmSync(host, { recursive: true, force: true }); // does not follow symlinks
  else fs.unlinkSync(host);
}

function sameContent(host, bytes) {
  const st = fs.lstatSync(host);
  if (st.size !== bytes.length) return false;
  return Buffer.compare(fs.readFileSync(host), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)) === 0;
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
