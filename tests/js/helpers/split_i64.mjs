// The i64 trampoline (generated/imports.js, spec/RATIONALE.md, "i64 params
// through a wasm trampoline in SpiderMonkey") changes nothing observable:
// `transcript()` calls every import that takes an i64 with the edge values
// of the 64 bits (0, 2^32-1, 2^32, 2^53, 2^63-1, -1 as u64, ...) and records
// errnos, the results written to memory, traps and the file afterwards.
// Run with the trampoline forced off and on, the transcripts must be equal.
// Environment-free (Node and the browsers' pages: tests/test_split_i64.py).
import { WASI, MemFS } from "../../../polyfill/src/index.js";
import { setSplitI64 } from "../../../polyfill/src/generated/imports.js";

// (module (memory (export "memory") 1) (func (export "_initialize")))
const REACTOR = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1,
  7, 24, 2, 6, 109, 101, 109, 111, 114, 121, 2, 0, 11, 95, 105, 110, 105, 116, 105, 97, 108, 105, 122, 101, 0, 0,
  10, 4, 1, 2, 0, 11,
]);

export const EDGES = [0n, 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n,
  2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, -1n, -(2n ** 32n), -(2n ** 53n) - 1n, 0x123456789abcdef0n];

// the imports the trampoline covers (spec: every one with an i64 param)
export const SPLIT = ["clock_time_get", "fd_advise", "fd_allocate", "fd_fdstat_set_rights", "fd_filestat_set_size",
  "fd_filestat_set_times", "fd_pread", "fd_pwrite", "fd_readdir", "fd_seek", "path_filestat_set_times", "path_open"];

/** Whether `f` is a wasm function (the trampoline's export) rather than a JS one. */
export const isWasm = (f) => /^function \d+\(\) \{\s*\[native code\]\s*\}$/.test(String(f));

function setup() {
  const fs = new MemFS();
  fs.mkdirSync("/d");
  fs.writeFileSync("/d/f", "0123456789");
  fs.mkdirSync("/d/sub");
  fs.writeFileSync("/d/sub/a", "a");
  const wasi = new WASI({ version: "preview1", fs, preopens: { "/d": "/d" }, deterministic: true, stdout: () => {}, stderr: () => {} });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(REACTOR), wasi.getImportObject());
  wasi.initialize(instance);
  const mem = instance.exports.memory;
  return { fs, wasi, w: wasi.wasiImport, mem, dv: new DataView(mem.buffer), u8: new Uint8Array(mem.buffer) };
}

function attempt(fn) {
  try {
    return fn();
  } catch (e) {
    return `${e?.constructor?.name}: ${e?.message}`;
  }
}

const hex = (u8, at, n) => Array.from(u8.subarray(at, at + n), (b) => b.toString(16).padStart(2, "0")).join("");

/** Each i64 import with every edge value: [call, errno or thrown, memory or file after]. */
export function transcript(split) {
  setSplitI64(split);
  try {
    const out = [];
    const { fs, w, dv, u8 } = setup();
    out.push(["wasm", SPLIT.map((n) => [n, isWasm(w[n])])]);
    const open = (path, rights = 0x1fffffffn) => {
      u8.set(new TextEncoder().encode(path), 64);
      const e = w.path_open(3, 0, 64, path.length, 0, rights, rights, 0, 96);
      return e === 0 ? dv.getUint32(96, true) : -e;
    };
    const fd = open("f");
    const dir = open("sub");
    const row = (name, v, fn, after) => {
      u8.fill(0xaa, 128, 256);
      const r = attempt(fn);
      out.push([name, String(v), r, hex(u8, 128, 48), after ? after() : null]);
    };
    const size = () => attempt(() => fs.statSync("/d/f").size);
    // iovec at 16: 4 bytes "WXYZ" at 32
    dv.setUint32(16, 32, true);
    dv.setUint32(20, 4, true);
    u8.set([87, 88, 89, 90], 32);
    // as a guest passes them: wasm gives the JS import a signed BigInt
    for (const v of EDGES.map((e) => BigInt.asIntN(64, e))) {
      row("clock_time_get", v, () => w.clock_time_get(0, v, 128));
      row("fd_seek SET", v, () => w.fd_seek(fd, v, 0, 128));
      row("fd_seek CUR", v, () => w.fd_seek(fd, v, 1, 128));
      row("fd_seek END", v, () => w.fd_seek(fd, v, 2, 128));
      row("fd_pread", v, () => {
        dv.setUint32(24, 128, true);
        dv.setUint32(28, 8, true);
        return w.fd_pread(fd, 24, 1, v, 176);
      });
      row("fd_pwrite", v, () => w.fd_pwrite(fd, 16, 1, v, 128), size);
      row("fd_readdir", v, () => w.fd_readdir(3, 128, 40, v, 176));
      row("fd_advise", v, () => w.fd_advise(fd, v, v, 0));
      row("fd_allocate", v, () => w.fd_allocate(fd, v, 1n), size);
      row("fd_filestat_set_size", v, () => w.fd_filestat_set_size(fd, v), size);
      row("fd_filestat_set_size back", v, () => w.fd_filestat_set_size(fd, 10n), size);
      row("fd_filestat_set_times", v, () => w.fd_filestat_set_times(fd, v, v, 0b101), () => attempt(() => String(fs.statSync("/d/f").atimeMs)));
      row("path_filestat_set_times", v, () => { u8.set([102], 64); return w.path_filestat_set_times(3, 0, 64, 1, v, v, 0b101); },
        () => attempt(() => String(fs.statSync("/d/f").mtimeMs)));
      row("fd_fdstat_set_rights", v, () => w.fd_fdstat_set_rights(dir, v, v));
      row("path_open rights", v, () => open("f", v));
    }
    return out;
  } finally {
    setSplitI64(null);
  }
}
