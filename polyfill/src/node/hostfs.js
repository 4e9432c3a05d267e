// Host directories as tree snapshots (run/tree.js), in and out (Node only).
//
// readHostTree reads a host directory as a tree: regular files, directories,
// and symlinks as symlinks (their targets are copied verbatim and never
// followed); files with several names on the host share an `id`. Other kinds
// (sockets, FIFOs, devices) are skipped. loadHostDir = readHostTree + loadTree.
//
// applyHostTree makes the host directory match a tree (writeBackHostDir: the
// tree of a MemFS directory): it creates,
// updates and deletes only inside the host directory, never follows a host
// symlink (anything in the way is removed, not entered, and a symlink in
// the MemFS is written as a symlink), and first stages every new or changed
// file and symlink in a staging directory inside the host directory, then
// renames each over its place: no reader sees a half-written file, and a
// failure while staging (disk full, ...) leaves the host directory as it
// was. Hard links in the tree become separate host files.
import * as fs from "node:fs";
import * as path from "node:path";
import { utimesSeconds } from "./utimes.js";
import { byUtf8, dumpTree, fromBase64, loadTree, toBase64 } from "../run/tree.js";

/**
 * The host directory `hostDir` as a tree (times from the host, ns as strings).
 * @param {string} hostDir
 */
export function readHostTree(hostDir) {
  const ids = new Map(); // "dev:ino" -> id, for files with more than one name
  const stamp = (node, st) => {
    node.atim = String(st.atimeNs);
    node.mtim = String(st.mtimeNs);
    return node;
  };
  const walk = (dir, st) => {
    const entries = {};
    for (const name of fs.readdirSync(dir).sort(byUtf8)) {
      const host = path.join(dir, name);
      const est = fs.lstatSync(host, { bigint: true });
      if (est.isDirectory()) {
        entries[name] = walk(host, est);
      } else if (est.isFile()) {
        const node = { type: "file", data: toBase64(fs.readFileSync(host)) };
        if (est.nlink > 1n) {
          const key = `${est.dev}:${est.ino}`;
          if (!ids.has(key)) ids.set(key, ids.size + 1);
          node.id = ids.get(key);
        }
        entries[name] = stamp(node, est);
      } else if (est.isSymbolicLink()) {
        entries[name] = stamp({ type: "symlink", target: fs.readlinkSync(host) }, est);
      }
    }
    // a directory's times as they were before its contents were read
    return stamp({ type: "dir", entries }, st);
  };
  return walk(hostDir, fs.lstatSync(hostDir, { bigint: true }));
}

/**
 * Copy the host directory `hostDir` into `memfs` at `memfsPath` (created if missing).
 * @param {import("../vfs/node_fs.js").MemFS} memfs
 * @param {string} hostDir
 * @param {string} memfsPath an absolute MemFS path
 * @param {{times?: boolean}} [options] times (default true): copy the host's
 *   atime and mtime; false: the MemFS clock stamps everything (deterministic mode)
 */
export function loadHostDir(memfs, hostDir, memfsPath, options = {}) {
  loadTree(memfs, memfsPath, readHostTree(hostDir), options);
}

/**
 * Make the host directory `hostDir` match the MemFS directory `memfsPath`.
 * @param {import("../vfs/node_fs.js").MemFS} memfs
 * @param {string} memfsPath
 * @param {string} hostDir created if missing
 */
export function writeBackHostDir(memfs, memfsPath, hostDir) {
  let tree;
  try {
    tree = dumpTree(memfs, memfsPath);
  } catch {
    throw new Error(`writeBackHostDir: ${memfsPath} is not a directory in the MemFS`);
  }
  applyHostTree(hostDir, tree);
}

/**
 * Make the host directory `hostDir` match `tree` (a dir).
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
 * @param {string} hostDir created if missing
 * @param {object} tree
 */
export function applyHostTree(hostDir, tree) {
  const root = tree;
  if (root?.type !== "dir") throw new Error("applyHostTree: the tree must be a dir");
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
  for (const name of Object.keys(dir.entries).sort(byUtf8)) {
    const inode = dir.entries[name];
    const host = path.join(hostDir, name);
    const there = existing.get(name);
    existing.delete(name);
    if (inode.type === "dir") {
      const isDir = there !== undefined && there.isDirectory();
      if (there && !isDir) plan.ops.push(() => removeHost(host, there));
      if (!isDir) plan.ops.push(() => fs.mkdirSync(host));
      planDir(inode, host, isDir, plan);
    } else if (inode.type === "file") {
      const bytes = typeof inode.data === "string" ? fromBase64(inode.data) : inode.data;
      if (!(there && there.isFile() && sameContent(host, bytes))) {
        const make = (at) => fs.writeFileSync(at, bytes, { flag: "wx" });
        const staged = stageEntry(plan, make);
        if (there && there.isDirectory()) plan.ops.push(() => removeHost(host, there));
        plan.ops.push(() => moveInto(staged, host, make));
      }
    } else if (inode.type === "symlink") {
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
function setTimes(host, node) {
  if (node.atim === undefined || node.mtim === undefined) return;
  try {
    fs.lutimesSync(host, utimesSeconds(BigInt(node.atim)), utimesSeconds(BigInt(node.mtim)));
  } catch {
    // Times are best effort (e.g. a filesystem without sub-second times).
  }
}

