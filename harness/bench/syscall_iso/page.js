// harness/bench/syscall_iso.py's page: where a syscall-workload call's time
// goes, in this engine. Rows (ns per call, median of alternating rounds):
// - pwrite, pread: the polyfill's fd_pwrite/fd_pread on a MemFS file, called by the guest,
//   as shipped (the i64 trampoline where the engine wants it: generated/imports.js
//   wantSplitI64); pwrite_off/pread_off, pwrite_on/pread_on: the same with the
//   trampoline forced off and on (setSplitI64);
// - js_pwrite, js_pread: the same import functions called from JS (with
//   BigInt offsets made beforehand): our glue and runtime without the
//   wasm→JS boundary; u64: the glue's u64 → Number conversion alone;
// - noop: an empty import with fd_pwrite's signature (i64 offset) called by
//   the guest: the engine's wasm→JS call alone; noop32: the same with an i32
//   in the offset's place (no BigInt for the engine to make); split: the i64
//   signature called in wasm, passed on to an empty JS import as two i32s.
import { MemFS, WASI } from "/polyfill/src/index.js";
import { setSplitI64 } from "/polyfill/src/generated/imports.js";

const params = new URLSearchParams(location.search);
const N = Number(params.get("calls") || 1_000_000);
const ROUNDS = 7;

/** An instance of calls.wasm over a WASI of its own, the trampoline `split` (null: as shipped). */
async function guest(bytes, split) {
  setSplitI64(split);
  const fs = new MemFS();
  fs.mkdirSync("/bench");
  const wasi = new WASI({ version: "preview1", fs, preopens: { "/bench": "/bench" } });
  setSplitI64(null);
  const imports = wasi.getImportObject();
  const { instance } = await WebAssembly.instantiate(bytes, {
    ...imports, iso: { noop: (fd, iovs, n, off, res) => 0, noop32: (fd, iovs, n, off, res) => 0,
           split: (fd, iovs, n, lo, hi, res) => 0 },
  });
  wasi.initialize(instance);
  const x = instance.exports;
  const opened = x.open();
  if (opened !== 0) throw new Error(`path_open: errno ${opened}`);
  return { x, imports: imports.wasi_snapshot_preview1 };
}

async function main() {
  const bytes = await (await fetch("./calls.wasm")).arrayBuffer();
  const { x } = await guest(bytes, null);
  const { x: off, imports } = await guest(bytes, false);
  const { x: on } = await guest(bytes, true);
  const fd = off.fd();
  const { fd_pwrite: pw, fd_pread: pr } = imports;
  const offsets = Array.from({ length: 4096 }, (_, i) => BigInt(i * 16)); // (made once: the engine's part at the boundary)
  const js = (f) => (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc |= f(fd, 200, 1, offsets[i & 4095], 400);
    return acc;
  };
  // The glue's u64 → Number conversion alone (generated/imports.js u64ToNumber: a BigUint64Array store, two loads).
  const I64 = new BigUint64Array(1);
  const W = new Uint32Array(I64.buffer);
  const u64 = (n) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      I64[0] = offsets[i & 4095];
      sum += W[0] + W[1] * 4294967296;
    }
    return sum === -1 ? 1 : 0;
  };
  const rows = { pwrite: x.pwrite, pread: x.pread, pwrite_off: off.pwrite, pread_off: off.pread,
                 pwrite_on: on.pwrite, pread_on: on.pread, js_pwrite: js(pw), js_pread: js(pr), u64, noop: x.noop,
                 noop32: x.noop32, split: x.split };
  const times = Object.fromEntries(Object.keys(rows).map((k) => [k, []]));
  for (const f of Object.values(rows)) if (f(10_000) !== 0) throw new Error("a call failed");
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, f] of Object.entries(rows)) {
      const t0 = performance.now();
      const acc = f(N);
      times[name].push(((performance.now() - t0) * 1e6) / N);
      if (acc !== 0) throw new Error(`${name}: a call failed`);
    }
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

main().then((r) => { window.benchResult = { ua: navigator.userAgent, ...r }; },
  (e) => { window.benchResult = { error: String(e?.stack ?? e) }; });
