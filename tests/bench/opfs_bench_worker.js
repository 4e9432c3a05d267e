// tests/bench/opfs_bench.py's worker (dedicated: sync access handles):
// the same work done twice in the same worker, each on a fresh directory of
// the origin-private file system —
//   "guest": a benchmark program (harness/bench/programs: throughput.c,
//     metadata.c) run by the polyfill with its preopen /bench a
//     HandleDirectory; timed from `new HandleDirectory` to `store.close()`
//     (mount, run, the metadata and data saved), the three parts reported;
//   "raw": that program's work written against the OPFS API in plain JS —
//     sync access handles for the bytes, the async handle API for names
//     (there is no other: OPFS has no synchronous metadata calls).
// Message {id, kind: "guest"|"raw", workload, params, wasm?} →
//   {id, ms, parts?, stderr?, exit_code?, bench?: {...}} or {id, error}.
import { WASI, MemFS, HandleDirectory, WasiExit } from "/polyfill/src/index.js";

const CHUNK = 64 * 1024;

/**
 * Profile: the time both sides spend inside the sync access handles' read
 * and write (the storage's own cost; the rest of a run is ours, or the
 * program's, or the raw side's JS). The same wrapper on both sides.
 */
const io = { ms: 0 };
const SAH = globalThis.FileSystemSyncAccessHandle?.prototype;
for (const method of ["read", "write"]) {
  const original = SAH?.[method];
  if (original === undefined) continue;
  SAH[method] = function (...args) {
    const s = performance.now();
    try { return original.apply(this, args); } finally { io.ms += performance.now() - s; }
  };
}
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function fresh(kind) {
  const opfs = await navigator.storage.getDirectory();
  const name = `bench-${kind}-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  return { opfs, name, dir: await opfs.getDirectoryHandle(name, { create: true }) };
}

async function guest(wasm, argv) {
  const { opfs, name, dir } = await fresh("guest");
  const module = await WebAssembly.compile(wasm);
  let stderr = "";
  try {
    const t0 = performance.now();
    io.ms = 0;
    const fs = new MemFS();
    fs.mkdirSync("/bench");
    const store = new HandleDirectory(dir);
    // profile: the time spent saving the metadata (flush: at each fd_close, fd_sync and the end)
    const saves = { n: 0, ms: 0 };
    const flush = store.flush.bind(store);
    store.flush = () => {
      if (!store._isDirty) return flush(); // nothing to save
      const s = performance.now();
      try { return flush(); } finally { saves.n++; saves.ms += performance.now() - s; }
    };
    await fs.mount("/bench", store);
    const t1 = performance.now();
    const wasi = new WASI({
      version: "preview1", args: argv, env: {}, preopens: { "/bench": "/bench" }, fs, returnOnExit: true,
      stdout: () => {}, stderr: (b) => { stderr += decoder.decode(b); },
    });
    const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
    let exit_code;
    try {
      exit_code = wasi.start(instance);
    } catch (e) {
      if (!(e instanceof WasiExit)) throw e;
      exit_code = e.code;
    }
    const t2 = performance.now();
    await store.close(); // the run is over (its preopen stays open: no unmount)
    const t3 = performance.now();
    const parts = { mount_ms: t1 - t0, run_ms: t2 - t1, close_ms: t3 - t2, saves_ms: saves.ms, io_ms: io.ms };
    return { ms: t3 - t0, parts, saves: saves.n, stderr, exit_code };
  } finally {
    await opfs.removeEntry(name, { recursive: true }).catch(() => {});
  }
}

/** throughput.c's work: MIB MiB in 64 KiB chunks at their offsets, closed, then read back and summed. */
async function rawThroughput(dir, { mib }) {
  const chunks = mib * 16;
  const buf = new Uint8Array(CHUNK);
  const words = new Uint32Array(buf.buffer);
  const fh = await dir.getFileHandle("throughput.bin", { create: true });
  let sah = await fh.createSyncAccessHandle();
  sah.truncate(0);
  for (let k = 0; k < chunks; k++) {
    const base = Math.imul(k, 0x7f4a7c15);
    for (let w = 0; w < words.length; w++) words[w] = base + w;
    if (sah.write(buf, { at: k * CHUNK }) !== CHUNK) throw new Error("short write");
  }
  sah.close(); // no flush: the program does not fsync either
  sah = await fh.createSyncAccessHandle();
  let total = 0, sum = 0;
  for (;;) {
    const got = sah.read(buf, { at: total });
    if (got === 0) break;
    for (let w = 0; w < got / 4; w++) sum = (sum + words[w]) >>> 0;
    total += got;
  }
  sah.close();
  return { bytes: total, sum };
}

/** metadata.c's work: D dirs of F files (each holding its name), stat, list, rename half, unlink, rmdir, list. */
async function rawMetadata(root, { dirs, files }) {
  const out = { created: 0, stat_bytes: 0, listed: 0, listed_name_bytes: 0, renamed: 0, unlinked: 0, rmdirs: 0, left: 0 };
  const ds = [];
  for (let d = 0; d < dirs; d++) {
    const dir = await root.getDirectoryHandle(`d${d}`, { create: true });
    ds.push(dir);
    for (let f = 0; f < files; f++) {
      const name = `f${f}`;
      const fh = await dir.getFileHandle(name, { create: true });
      const sah = await fh.createSyncAccessHandle();
      sah.write(encoder.encode(name), { at: 0 });
      sah.close(); // no flush: the program does not fsync either
      out.created++;
    }
  }
  for (const dir of ds) {
    for (let f = 0; f < files; f++) out.stat_bytes += (await (await dir.getFileHandle(`f${f}`)).getFile()).size;
  }
  for (const dir of ds) {
    for await (const name of dir.keys()) { out.listed++; out.listed_name_bytes += name.length; }
  }
  for (const dir of ds) {
    for (let f = 0; f < files; f += 2) {
      await (await dir.getFileHandle(`f${f}`)).move(`r${f}`);
      out.renamed++;
    }
  }
  for (let d = 0; d < dirs; d++) {
    for (let f = 0; f < files; f++) {
      await ds[d].removeEntry(`${f % 2 === 0 ? "r" : "f"}${f}`);
      out.unlinked++;
    }
    await root.removeEntry(`d${d}`);
    out.rmdirs++;
  }
  for await (const _ of root.keys()) out.left++;
  return out;
}

async function raw(workload, params) {
  const { opfs, name, dir } = await fresh("raw");
  try {
    const t0 = performance.now();
    io.ms = 0;
    const bench = workload === "throughput" ? await rawThroughput(dir, params) : await rawMetadata(dir, params);
    return { ms: performance.now() - t0, bench, io_ms: io.ms };
  } finally {
    await opfs.removeEntry(name, { recursive: true }).catch(() => {});
  }
}

self.onmessage = async ({ data }) => {
  const { id, kind, workload, params, wasm, argv } = data;
  try {
    const r = kind === "guest" ? await guest(wasm, argv) : await raw(workload, params);
    postMessage({ id, ...r });
  } catch (e) {
    postMessage({ id, error: String(e?.stack ?? e) });
  }
};
