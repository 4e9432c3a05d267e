// The file tree as plain data, to move a MemFS between the page and a worker
// (or the Python reference host) and to compare two of them.
//
// A tree is an array of entries in path order, parents before children, the
// root itself left out:
//   { path: "/data",          type: "dir" }
//   { path: "/data/a.txt",    type: "file", data: Uint8Array }
//   { path: "/data/link",     type: "symlink", target: "a.txt" }
// Only what a program can observe and a user cares about is kept: no times,
// modes or inode numbers, so two hosts' trees compare equal when they agree.

export function joinPath(dir, name) {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

export function dirname(path) {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

export function basename(path) {
  return path.slice(path.lastIndexOf("/") + 1);
}

function byName(a, b) {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Reads the tree under `root` (default "/") out of a MemFS. */
export function serializeTree(fs, root = "/") {
  const entries = [];
  const walk = (dir) => {
    for (const dirent of fs.readdirSync(dir, { withFileTypes: true }).sort(byName)) {
      const path = joinPath(dir, dirent.name);
      if (dirent.isSymbolicLink()) {
        entries.push({ path, type: "symlink", target: String(fs.readlinkSync(path)) });
      } else if (dirent.isDirectory()) {
        entries.push({ path, type: "dir" });
        walk(path);
      } else if (dirent.isFile()) {
        // A copy: the bytes may be a view of the file's growable buffer.
        entries.push({ path, type: "file", data: new Uint8Array(fs.readFileSync(path)) });
      }
    }
  };
  walk(root);
  return entries;
}

/** Writes entries into a MemFS (under `prefix`, default the root). */
export function loadTree(fs, entries, prefix = "") {
  for (const e of entries) {
    const path = prefix + e.path;
    if (e.type === "dir") {
      fs.mkdirSync(path, { recursive: true });
    } else if (e.type === "file") {
      fs.writeFileSync(path, e.data);
    } else if (e.type === "symlink") {
      fs.symlinkSync(e.target, path);
    }
  }
}

/** The ArrayBuffers of a tree, to transfer it to a worker without a copy. */
export function transferables(entries) {
  return entries.filter((e) => e.type === "file").map((e) => e.data.buffer);
}

/** Every entry, re-rooted: the subtree at `root` with paths relative to it. */
export function subtree(entries, root) {
  if (root === "/") return entries;
  return entries
    .filter((e) => e.path.startsWith(root + "/"))
    .map((e) => ({ ...e, path: e.path.slice(root.length) }));
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Compares two trees. Returns a list of differences, empty when they agree:
 *   { path, kind: "only-left" | "only-right" | "type" | "content" | "target", left, right }
 */
export function diffTrees(left, right) {
  const l = new Map(left.map((e) => [e.path, e]));
  const r = new Map(right.map((e) => [e.path, e]));
  const paths = [...new Set([...l.keys(), ...r.keys()])].sort();
  const out = [];
  for (const path of paths) {
    const a = l.get(path);
    const b = r.get(path);
    if (!b) out.push({ path, kind: "only-left", left: a });
    else if (!a) out.push({ path, kind: "only-right", right: b });
    else if (a.type !== b.type) out.push({ path, kind: "type", left: a, right: b });
    else if (a.type === "file" && !sameBytes(a.data, b.data)) out.push({ path, kind: "content", left: a, right: b });
    else if (a.type === "symlink" && a.target !== b.target) out.push({ path, kind: "target", left: a, right: b });
  }
  return out;
}
