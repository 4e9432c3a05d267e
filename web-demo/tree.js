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
