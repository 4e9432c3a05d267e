// wasi-polyfill: WASI preview1 for browsers and Node (browser-safe entry).
export { WASI } from "./wasi.js";
export { MemFS, Stats, Dirent } from "./vfs/node_fs.js";
export { MemFSCore } from "./vfs/memfs.js";
export { UrlDirectory } from "./vfs/urldir.js";
export { HandleDirectory } from "./vfs/handledir.js";
export { loadTree, dumpTree, diffTrees } from "./run/tree.js";
export { WasiError } from "./errors.js";
export { WasiExit, InvalidExitStatus } from "./syscalls/proc.js";
export * from "./generated/constants.js";
