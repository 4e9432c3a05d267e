// Tree snapshots: a directory tree as plain JSON-able data, the one form in
// which trees move between hosts, pages, workers and the reference host
// (harness/tree.py is the Python side of the same format; the reference
// host reads it with its own code, refhost/vfs/tree.py).
//
//   { "type": "dir",     "entries": { NAME: TREE, ... }, "atim"?: NS, "mtim"?: NS }
//   { "type": "file",    "data": BASE64, "id"?: N,       "atim"?: NS, "mtim"?: NS }
//   { "type": "symlink", "target": TEXT,                 "atim"?: NS, "mtim"?: NS }
//
// - names and symlink targets are strings (UTF-8 on the wire);
// - NS: nanoseconds since the epoch as a decimal string (a u64 does not fit a
//   JSON number); absent: the filesystem's clock stamps the entry when loaded;
// - `id`: files with the same id are one inode (hard links); absent: a file
//   with one name;
// - entries are loaded depth first, a directory before its contents, names in
//   the bytewise order of their UTF-8, so inode numbers are a function of the
//   tree (spec/RATIONALE.md, "Deterministic mode").
// Modes are not kept: the MemFS has none (WASI preview1 has no permissions).
const encoder = new TextEncoder();

/** Bytewise UTF-8 order of names. */
export function byUtf8(a, b) {
  if (a === b) return 0;
  const x = encoder.encode(a), y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

export function toBase64(bytes) {
  if (bytes.toBase64) return bytes.toBase64();
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function join(dir, name) {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

function checkNode(tree, where) {
  if (tree === null || typeof tree !== "object") throw new TypeError(`tree ${where}: expected an object, got ${tree === null ? "null" : typeof tree}`);
  if (tree.type === "dir") {
    if (tree.entries === null || typeof tree.entries !== "object") throw new TypeError(`tree ${where}: a dir needs "entries" (an object)`);
  } else if (tree.type === "file") {
    if (typeof tree.data !== "string" && !(tree.data instanceof Uint8Array)) throw new TypeError(`tree ${where}: a file needs "data" (base64 text)`);
  } else if (tree.type === "symlink") {
    if (typeof tree.target !== "string") throw new TypeError(`tree ${where}: a symlink needs "target" (a string)`);
  } else {
    throw new TypeError(`tree ${where}: unknown type ${JSON.stringify(tree.type)} (expected "dir", "file" or "symlink")`);
  }
}

/**
 * Load `tree` (a dir) into `memfs` at the absolute path `at` (created with
 * its parents if missing; what is there already stays).
 * @param {import("../vfs/memfs.js").MemFS} memfs
 * @param {string} at
 * @param {object} tree
 * @param {{times?: boolean}} [options] times (default true): keep the tree's
 *   atim/mtim; false: the MemFS clock stamps everything (deterministic mode)
 */
export function loadTree(memfs, at, tree, options = {}) {
  const times = options.times ?? true;
  checkNode(tree, at);
  if (tree.type !== "dir") throw new TypeError(`tree ${at}: the root of a tree must be a dir`);
  memfs.mkdirSync(at, { recursive: true });
  const linked = new Map(); // id -> first path
  const setTimes = (path, t) => {
    if (times && t.atim !== undefined && t.mtim !== undefined) memfs.lutimesSync(path, BigInt(t.atim), BigInt(t.mtim));
  };
  const fill = (dir, t) => {
    for (const name of Object.keys(t.entries).sort(byUtf8)) {
      const e = t.entries[name];
      const path = join(dir, name);
      checkNode(e, path);
      if (e.type === "dir") {
        memfs.mkdirSync(path);
        fill(path, e);
      } else if (e.type === "file") {
        const first = e.id === undefined ? undefined : linked.get(e.id);
        if (first !== undefined) {
          memfs.linkSync(first, path);
        } else {
          memfs.writeFileSync(path, typeof e.data === "string" ? fromBase64(e.data) : e.data);
          if (e.id !== undefined) linked.set(e.id, path);
        }
      } else {
        memfs.symlinkSync(e.target, path);
      }
      setTimes(path, e);
    }
    setTimes(dir, t);
  };
  fill(at.replace(/\/+$/, "") || "/", tree);
}

/**
 * The MemFS directory `at` as a tree (times as strings of ns; hard-linked
 * files share an `id`, numbered in walking order).
 */
export function dumpTree(memfs, at) {
  const ids = new Map(); // ino -> id
  const stamp = (node, st) => {
    node.atim = String(st.atimeNs);
    node.mtim = String(st.mtimeNs);
    return node;
  };
  const walk = (path) => {
    const entries = {};
    const names = memfs.readdirSync(path).sort(byUtf8);
    for (const name of names) {
      const p = join(path, name);
      const st = memfs.lstatSync(p);
      if (st.isDirectory()) {
        entries[name] = walk(p);
      } else if (st.isFile()) {
        const node = { type: "file", data: toBase64(memfs.readFileSync(p)) };
        if (st.nlink > 1) {
          if (!ids.has(st.ino)) ids.set(st.ino, ids.size + 1);
          node.id = ids.get(st.ino);
        }
        entries[name] = stamp(node, st);
      } else if (st.isSymbolicLink()) {
        entries[name] = stamp({ type: "symlink", target: memfs.readlinkSync(p) }, st);
      }
    }
    return stamp({ type: "dir", entries }, memfs.lstatSync(path));
  };
  return walk(at.replace(/\/+$/, "") || "/");
}

/**
 * What differs between two trees, in path order: a list of
 * `{ path, kind, a, b, text }` — kind "only-a", "only-b", "type", "content",
 * "target" (symlinks), "links" (hard-link groups) or "mtim" (only with
 * `times: true`); `a`/`b` the two nodes (undefined where absent); `text` one
 * line saying it ("PATH: contents differ (3 bytes vs 4 bytes)"), as
 * harness/tree.py `diff_trees` words it. An empty list: the trees agree.
 */
export function diffTrees(a, b, options = {}) {
  const out = [];
  const add = (path, kind, x, y, text) => out.push({ path, kind, a: x, b: y, text: `${path}: ${text}` });
  const bytesOf = (f) => (typeof f.data === "string" ? fromBase64(f.data) : f.data);
  const groups = (tree) => {
    const m = new Map();
    const walk = (t, path) => {
      for (const [name, e] of Object.entries(t.entries)) {
        const p = join(path, name);
        if (e.type === "dir") walk(e, p);
        else if (e.type === "file" && e.id !== undefined) (m.get(e.id) ?? m.set(e.id, []).get(e.id)).push(p);
      }
    };
    walk(tree, "/");
    const byPath = new Map();
    for (const paths of m.values()) for (const p of paths) byPath.set(p, paths.filter((q) => q !== p).sort().join(","));
    return byPath;
  };
  const la = groups(a), lb = groups(b);
  const cmp = (x, y, path) => {
    if (x.type !== y.type) { add(path, "type", x, y, `${x.type} in a, ${y.type} in b`); return; }
    if (options.times && x.mtim !== y.mtim) add(path, "mtim", x, y, `mtim ${x.mtim} vs ${y.mtim}`);
    if (x.type === "file") {
      const p = bytesOf(x), q = bytesOf(y);
      if (p.length !== q.length || p.some((v, i) => v !== q[i])) add(path, "content", x, y, `contents differ (${p.length} bytes vs ${q.length} bytes)`);
      if ((la.get(path) ?? "") !== (lb.get(path) ?? "")) add(path, "links", x, y, "hard links differ");
    } else if (x.type === "symlink") {
      if (x.target !== y.target) add(path, "target", x, y, `symlink target ${JSON.stringify(x.target)} vs ${JSON.stringify(y.target)}`);
    } else {
      const names = [...new Set([...Object.keys(x.entries), ...Object.keys(y.entries)])].sort(byUtf8);
      for (const name of names) {
        const p = join(path, name);
        if (!(name in y.entries)) add(p, "only-a", x.entries[name], undefined, "only in a");
        else if (!(name in x.entries)) add(p, "only-b", undefined, y.entries[name], "only in b");
        else cmp(x.entries[name], y.entries[name], p);
      }
    }
  };
  cmp(a, b, "/");
  return out;
}

/** How many entries a tree holds below its root. */
export function countEntries(tree) {
  let n = 0;
  for (const e of Object.values(tree.entries)) n += 1 + (e.type === "dir" ? countEntries(e) : 0);
  return n;
}
