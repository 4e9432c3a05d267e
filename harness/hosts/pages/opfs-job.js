// The browser host's jobs on HandleDirectory (vfs/handledir.js) over the
// origin-private file system, for polyfill-worker.js: `storage: "opfs"` (the
// corpus: tests/test_handledir.py) and `storage: "opfs-keep:NAME"` (a
// persistent home kept across runs and page reloads).
import { runJob, MemFS, HandleDirectory, loadTree, dumpTree } from "/polyfill/run.js";

/** A HandleDirectory on `handle` mounted at /s of a fresh MemFS (opened: its sync access handles). */
async function mounted(handle, options) {
  const fs = new MemFS();
  fs.mkdirSync("/s");
  const store = new HandleDirectory(handle, options);
  await fs.mount("/s", store);
  return { fs, store };
}

/**
 * The job with its dirs in one HandleDirectory over a fresh OPFS directory
 * (dir k at /s/k: one store, as wasmtime's dirs share one host filesystem,
 * so links and renames between them work): the trees are written into it by
 * one HandleDirectory and saved, the program runs on a second one opened
 * from what was saved, and the final trees are read by a third — so what the
 * corpus compares went through the store's metadata and data files.
 */
export async function opfsJob(job, io) {
  // Few spares: making data files is most of a small case's time (Firefox
  // ~5 ms each), and files past them take the store's in-memory path.
  const options = { spares: 4 };
  const root = await navigator.storage.getDirectory();
  const name = `corpus-job-${job.id}-${Date.now()}`;
  const handle = await root.getDirectoryHandle(name, { create: true });
  const mounts = job.mounts ?? [];
  const at = (k) => `/s/${k}`;
  try {
    const loading = await mounted(handle, options);
    mounts.forEach((m, k) => loadTree(loading.fs, at(k), m.tree, { times: !job.deterministic }));
    await loading.store.close();
    // The job's MemFS paths of its dirs ("/0", "/1": harness/hosts/browser.py) become the store's.
    const moved = (p) => {
      const k = mounts.findIndex((m) => p === m.at || p.startsWith(m.at + "/"));
      return k < 0 ? p : at(k) + p.slice(mounts[k].at.length);
    };
    const store = new HandleDirectory(handle, options);
    let status;
    try {
      const preopens = (job.preopens ?? []).map(([guest, p]) => [guest, moved(p)]);
      ({ status } = await runJob({ ...job, mounts: [{ at: "/s", backend: store }], preopens, writeBack: false }, io));
    } finally {
      await store.close();
    }
    if (!job.writeBack) return { status, trees: null };
    const reading = await mounted(handle, options);
    try {
      await reading.store.preload(); // (on the main thread its bytes are loaded as read: dumpTree reads at once)
      return { status, trees: mounts.map((m, k) => dumpTree(reading.fs, at(k))) };
    } finally {
      await reading.store.close();
    }
  } finally {
    // (an error above left handles open: the directory stays, and that error is the one reported)
    await root.removeEntry(name, { recursive: true }).catch(() => {});
  }
}

/**
 * `storage: "opfs-keep:NAME"`: the job's one dir is the store in the OPFS
 * directory NAME, as it is (made empty the first time), kept after the run —
 * what a page's persistent home is (tests/test_handledir.py reloads the page
 * between two runs on it).
 */
export async function keptJob(job, io) {
  const root = await navigator.storage.getDirectory();
  const handle = await root.getDirectoryHandle(job.storage.slice("opfs-keep:".length), { create: true });
  const store = new HandleDirectory(handle);
  try {
    const preopens = (job.preopens ?? []).map(([guest]) => [guest, "/s"]);
    const { status } = await runJob({ ...job, mounts: [{ at: "/s", backend: store }], preopens, writeBack: false }, io);
    return { status, trees: null };
  } finally {
    await store.close();
  }
}
