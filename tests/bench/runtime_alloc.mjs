// The real runtime's hot path under `node --trace-gc` (tests/test_glue.py,
// test_runtime_hot_path_does_not_allocate): fd_write, fd_pwrite, fd_read,
// fd_pread and fd_seek through the WASI import object — generated glue,
// Preview1Runtime, the descriptor table and MemFS — on a MemFS file, and
// fd_write on stdout and fd_read on stdin (a stream handed over as a
// callback), after a warm-up. A GC line between "measure <name>" and
// "done <name>" means something allocated per call.
//
// The MemFS's clock read is left out (`fs._now` stubbed): V8 boxes every
// Date.now() / performance.now() result (a 16-byte HeapNumber; measured 16
// scavenges per 1M reads on Node 20), so stamping mtim on each write costs
// one small allocation that no code of ours can avoid — everything else on
// the path must allocate nothing.
//
//   node --trace-gc tests/bench/runtime_alloc.mjs [calls]
import { WASI, MemFS } from "../../polyfill/src/index.js";

const CALLS = Number(process.argv[2] ?? 300_000);
const fs = new MemFS();
fs.mkdirSync("/sandbox");
fs.writeFileSync("/sandbox/data", new Uint8Array(4096));
const sink = { n: 0 };
const wasi = new WASI({
  version: "preview1",
  args: ["alloc"],
  preopens: { "/sandbox": "/sandbox" },
  fs,
  stdin: () => null, // a stream always at end of file: reads return 0 bytes
  // an object stream: written in place (a function callback gets a copy of
  // the bytes it may keep — one allocation per write by contract)
  stdout: { isatty: false, write(src, offset, n) { sink.n += n; }, flush() {} },
  deterministic: false,
});
const memory = new WebAssembly.Memory({ initial: 1 });
wasi.initialize({ exports: { memory } });
const w = wasi.wasiImport;
const dv = new DataView(memory.buffer);
const u8 = new Uint8Array(memory.buffer);
// path "data" at 0; one 16-byte iovec at 64 -> [1024, 1040); results at 128..
u8.set(new TextEncoder().encode("data"), 0);
dv.setUint32(64, 1024, true);
dv.setUint32(68, 16, true);
const R_READ = 1n << 1n, R_WRITE = 1n << 6n, R_SEEK = 1n << 2n;
if (w.path_open(3, 1, 0, 4, 0, R_READ | R_WRITE | R_SEEK, 0n, 0, 128) !== 0) throw new Error("path_open");
const fd = dv.getUint32(128, true);

fs._now = function now() {}; // the clock read: see the top of the file
const cases = {
  fd_pwrite: () => w.fd_pwrite(fd, 64, 1, 512n, 136),
  fd_pread: () => w.fd_pread(fd, 64, 1, 512n, 136),
  fd_seek: () => w.fd_seek(fd, 100n, 0, 144),
  fd_write: () => w.fd_seek(fd, 0n, 0, 144) + w.fd_write(fd, 64, 1, 136),
  fd_read: () => w.fd_seek(fd, 0n, 0, 144) + w.fd_read(fd, 64, 1, 136),
  "fd_write stdout": () => w.fd_write(1, 64, 1, 136),
  "fd_read stdin": () => w.fd_read(0, 64, 1, 136),
};

function run(call, n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += call();
  return sum;
}

for (const [name, call] of Object.entries(cases)) {
  if (run(call, 100_000) !== 0) throw new Error(`${name} returned errors`); // warm up
  console.log(`measure ${name}`);
  run(call, CALLS);
  console.log(`done ${name}`);
}
