// Paths of the page's files. The files themselves move between the page,
// its workers and the reference host as tree snapshots, the package's one
// format (polyfill/src/run/tree.js: loadTree, dumpTree, diffTrees).

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

/** A tree snapshot's file bytes (base64 on the wire, or bytes already). */
export function bytesOf(file) {
  if (typeof file.data !== "string") return file.data;
  const bin = atob(file.data);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
