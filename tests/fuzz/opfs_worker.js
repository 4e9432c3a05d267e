// The browser side of the OPFS backends fuzzer (tests/fuzz/opfs.py), in a
// dedicated Worker (HandleDirectory needs sync access handles): each program
// of raw preview1 calls runs twice in lockstep — on a MemFS and on a
// HandleDirectory over a fresh origin-private directory — and after every
// call the two results and the two whole guest memories must be equal.
//
// Layout, the same on both sides so that inode numbers, times, device
// numbers and readdir order are equal too: a backend mounted at /s of a
// MemFS — a MemFS (side "memfs") or the HandleDirectory (side "opfs") —
// with the program's dirs "/0", "/1" at /s/0, /s/1 (one store, as
// wasmtime's dirs share one host filesystem; in a group of programs sharing
// a store, program k's at /s/k/0, /s/k/1: see runGroup). The OPFS tree is
// written by a first HandleDirectory and saved, the program runs on a second
// one opened from what was saved, and after it the tree is read back by a
// third: the live tree and the saved one must both equal the MemFS's.
//
// Protocol (messages): {id, batch: [{seed, setup, calls, spares}, ...], group: n} →
//   {id, replies: [{results, memfs: {tree, stdout, stderr}, opfs: {...}, saved: [tree...],
//                   diverged: {call, memfs, opfs, memory} | null, known: n}, ...]}
//   setup/calls: tests/fuzz/js_driver.mjs's shapes.
import { WASI, MemFS, HandleDirectory, WasiExit } from "/polyfill/src/index.js";
import { filetype } from "/polyfill/src/generated/constants.js";

const REALTIME_START = 1_700_000_000_000_000_000n;
const NOSPC = 51;

function unhex(s) {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
  return out;
}

function hex(u8) {
  let s = "";
  for (const b of u8) s += b.toString(16).padStart(2, "0");
  return s;
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** The inode tree as tests/fuzz/harness.py compares it (js_driver.mjs's dumpTree). */
function dumpTree(inode) {
  inode.refresh();
  const node = {
    ino: Number(inode.ino), nlink: Number(inode.nlink), size: inode.statSize,
    atim: inode.atim.toString(), mtim: inode.mtim.toString(), ctim: inode.ctim.toString(),
  };
  if (inode.type === filetype.directory) {
    node.type = "dir";
    node.entries = [...inode.entries].map(([name, child]) => [name, dumpTree(child)]);
  } else if (inode.type === filetype.symbolic_link) {
    node.type = "symlink";
    node.target = inode.target;
  } else {
    node.type = "file";
    node.data = fileData(inode);
  }
  return node;
}

/** The zero runs of fileData: whole chunks of this size, at multiples of it. */
const ZERO_CHUNK = 1 << 16;
const READ_CHUNK = 1 << 20;
const readBuf = new Uint8Array(READ_CHUNK);
const readSink = { write(i, offset, src, srcOffset, n) { readBuf.set(src.subarray(srcOffset, srcOffset + n), offset); } };

function allZero(u8) {
  const words = new Uint32Array(u8.buffer, u8.byteOffset, u8.length >>> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  for (let i = words.length << 2; i < u8.length; i++) if (u8[i] !== 0) return false;
  return true;
}

/**
 * A file's bytes as the dump holds them: hex, with each run of whole
 * all-zero 64 KiB chunks (at multiples of 64 KiB) written "(N zero bytes)",
 * read a MiB at a time: a file cut long (up to the setup's limit, 16 MiB:
 * fuzz/opfs.py setup) costs a few bytes of dump, not twice its size. At
 * MemFS's 2^31 - 1 a program cut a file to 2 GiB: whole, as hex, that was
 * 4 GiB of text per tree dumped (three a program), built byte by byte — a
 * rope the renderer could not hold: it grew past 6 GB and crashed ("Target
 * crashed"; seed 4020473).
 */
function fileData(inode) {
  const size = inode.size;
  const out = [];
  let zeros = 0;
  for (let pos = 0; pos < size; pos += READ_CHUNK) {
    const n = Math.min(READ_CHUNK, size - pos);
    inode.read(pos, n, readSink, 0);
    for (let at = 0; at < n; at += ZERO_CHUNK) {
      const chunk = readBuf.subarray(at, Math.min(at + ZERO_CHUNK, n));
      if (chunk.length === ZERO_CHUNK && allZero(chunk)) {
        zeros += ZERO_CHUNK;
        continue;
      }
      if (zeros > 0) out.push(`(${zeros} zero bytes)`);
      zeros = 0;
      out.push(hex(chunk));
    }
  }
  if (zeros > 0) out.push(`(${zeros} zero bytes)`);
  return out.join("");
}

/** The setup's tree written through `fs`, its dirs under `at` ("/s", or "/s/k" for program k of a group). */
function loadTree(fs, setup, at) {
  for (const op of setup.tree) {
    if (op[0] === "dir") fs.mkdirSync(at + op[1]);
    else if (op[0] === "file") fs.writeFileSync(at + op[1], unhex(op[2]));
    else if (op[0] === "symlink") fs.symlinkSync(op[1], at + op[2]);
    else throw new Error(`bad tree op ${op[0]}`);
  }
}

async function mounted(backend) {
  const fs = new MemFS({ clock: () => REALTIME_START });
  fs.mkdirSync("/s");
  backend.setClock(() => REALTIME_START);
  await fs.mount("/s", backend);
  return fs;
}

/** One side: a WASI over `fs` (its backend at /s, the program's dirs under `at`) and its memory. */
function side(fs, backend, setup, at) {
  const out = { stdout: [], stderr: [] };
  const wasi = new WASI({
    version: "preview1",
    args: setup.args ?? ["fuzz"],
    env: setup.env ?? {},
    preopens: Object.fromEntries(setup.preopens.map(([guest, dir]) => [guest, at + dir])),
    fs,
    stdin: unhex(setup.stdin ?? ""),
    stdout: (b) => out.stdout.push(new Uint8Array(b)),
    stderr: (b) => out.stderr.push(new Uint8Array(b)),
    deterministic: true,
    maxFds: setup.limits?.maxFds ?? undefined,
  });
  // Deterministic mode gives the MemFS its counter clock; the backend mounted in it takes the same.
  const clock = fs._clock;
  backend.setClock(() => clock());
  const memory = new WebAssembly.Memory({ initial: setup.pages ?? 1 });
  wasi.initialize({ exports: { memory } });
  return { wasi, memory, out, imports: wasi.wasiImport, fs, backend };
}

function call(s, name, args) {
  try {
    return s.imports[name](...args);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) return "trap";
    if (e instanceof WasiExit) return "exit";
    return `crash: ${e?.stack ?? e}`;
  }
}

/** The first differing byte ranges of two memories (at most 4), or null. */
function memoryDiff(a, b) {
  const x = new Uint8Array(a.buffer), y = new Uint8Array(b.buffer);
  if (x.length !== y.length) return [`sizes ${x.length} ${y.length}`];
  const wx = new Uint32Array(a.buffer), wy = new Uint32Array(b.buffer);
  let i = 0;
  while (i < wx.length && wx[i] === wy[i]) i++;
  if (i === wx.length) return null;
  const out = [];
  for (let k = i * 4; k < x.length && out.length < 4; k++) {
    if (x[k] === y[k]) continue;
    let j = k;
    while (j < x.length && x[j] !== y[j] && j - k < 32) j++;
    out.push(`memory[0x${k.toString(16)}:0x${j.toString(16)}] memfs=${hex(x.subarray(k, j))} opfs=${hex(y.subarray(k, j))}`);
    k = j;
  }
  return out;
}

/**
 * A known, documented difference (spec/RATIONALE.md, "HandleDirectory"): a
 * file created past the spare data files stays in memory until the run
 * yields, and fd_sync/fd_datasync on it is ENOSPC (it cannot be made
 * durable yet); the call changes nothing else.
 */
function known(name, a, b, store) {
  return (name === "fd_sync" || name === "fd_datasync") && a === 0 && b === NOSPC && store._pending.size > 0;
}

let serial = 0;

/** One program on both sides, call by call; its reply (without the saved tree). */
function runProgram(req, memfs, inner, opfsFs, store, at) {
  const { setup, calls } = req;
  const a = side(memfs, inner, setup, at), b = side(opfsFs, store, setup, at);
  const results = [];
  let diverged = null, knownCount = 0;
  for (const op of calls) {
    const name = op[0];
    if (name === "poke") {
      const bytes = unhex(op[2]);
      new Uint8Array(a.memory.buffer).set(bytes, op[1]);
      new Uint8Array(b.memory.buffer).set(bytes, op[1]);
      continue;
    }
    const args = op[1].map((x) => (typeof x === "string" ? BigInt(x) : x));
    const ra = call(a, name, args), rb = call(b, name, args);
    results.push(ra);
    let memory = null;
    if (ra !== rb && known(name, ra, rb, store)) knownCount++;
    else if (ra !== rb || (memory = memoryDiff(a.memory, b.memory)) !== null) {
      diverged = { call: results.length - 1, memfs: ra, opfs: rb, memory };
      break;
    }
    if (ra === "exit" || (typeof ra === "string" && ra.startsWith("crash"))) break;
  }
  const dump = (s) => ({
    tree: dumpAt(s.fs, setup, at),
    stdout: hex(concat(s.out.stdout)), stderr: hex(concat(s.out.stderr)),
  });
  return { results, memfs: dump(a), opfs: dump(b), diverged, known: knownCount };
}

function dumpAt(fs, setup, at) {
  return setup.preopens.map(([, dir]) => dumpTree(fs.statAt(fs.root, at + dir, false, false)));
}

/**
 * A group of programs on one store: their trees side by side (program k's
 * dirs under /s/k, alone: under /s), written by one HandleDirectory and
 * saved; the programs run one after the other on a second store opened from
 * what was saved (each in its own dirs: a preopen is a sandbox), and after
 * the last the tree is read back by a third. The MemFS side is laid out and
 * run alike, so inode numbers and times stay equal. Opening a store costs a
 * sync access handle per data file, and is most of a short program's time:
 * a group of n opens three stores instead of 3n. Spares: the first
 * program's (few one group in four, else some): the group's first new files
 * take data files, the rest stay in memory until the store is closed (its
 * background flush has no turn between the synchronous runs), so both paths
 * run in every group.
 */
async function runGroup(root, group) {
  // the file-size limit (the setup's, the same for every program) on both sides
  const maxFileSize = group[0].setup.limits?.maxFileSize ?? undefined;
  const options = { spares: group[0].spares, maxFileSize };
  const slot = (k) => (group.length === 1 ? "/s" : `/s/${k}`);
  const handle = await root.getDirectoryHandle(`fuzz-${Date.now()}-${serial++}`, { create: true });
  const stores = [];
  try {
    // the MemFS side
    const inner = new MemFS({ maxFileSize });
    const memfs = await mounted(inner);
    // the OPFS side: written by one store, run on a second
    const writer = new HandleDirectory(handle, options);
    stores.push(writer);
    const written = await mounted(writer);
    group.forEach((req, k) => {
      for (const fs of [memfs, written]) {
        if (group.length > 1) fs.mkdirSync(slot(k));
        loadTree(fs, req.setup, slot(k));
      }
    });
    await writer.close();
    const store = new HandleDirectory(handle, options);
    stores.push(store);
    const opfsFs = await mounted(store);
    const replies = group.map((req, k) => runProgram(req, memfs, inner, opfsFs, store, slot(k)));
    // the runs are over: saved (open files too, as a reload would find them), then read back by a third store
    await store.close();
    const reader = new HandleDirectory(handle, options);
    stores.push(reader);
    const readFs = await mounted(reader);
    group.forEach((req, k) => { replies[k].saved = dumpAt(readFs, req.setup, slot(k)); });
    await reader.close();
    return replies;
  } finally {
    for (const s of stores) await s.close().catch(() => {});
  }
}

/** A batch, in groups of `group` programs: their stores in one OPFS directory, removed at the end. */
self.onmessage = async ({ data: { id, batch, group } }) => {
  const opfs = await navigator.storage.getDirectory();
  const name = `fuzz-batch-${self.name}-${Date.now()}-${id}`;
  const root = await opfs.getDirectoryHandle(name, { create: true });
  const replies = [];
  for (let i = 0; i < batch.length; i += group) {
    const part = batch.slice(i, i + group);
    try {
      replies.push(...await runGroup(root, part));
    } catch (e) {
      for (const _ of part) replies.push({ error: String(e?.stack ?? e) });
    }
  }
  await opfs.removeEntry(name, { recursive: true }).catch(() => {});
  postMessage({ id, replies });
};
