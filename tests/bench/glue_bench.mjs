// Glue overhead of the hot path (fd_write, fd_pwrite, fd_read, fd_pread,
// fd_seek, fd_tell) through createImports() with a stub runtime that does no
// work: what the generated glue itself costs per call.
//
//   node --trace-gc tests/bench/glue_bench.mjs [calls]
//
// Prints ns/call for each function (CPU time, the best of ROUNDS rounds of
// `calls` calls: the machine's noise only ever adds), and GC markers: with
// --trace-gc, no "Scavenge" line between "measure <name>" and "done <name>"
// means the glue allocated nothing per call (tests/test_glue.py checks
// exactly that).
import { createImports } from "../../polyfill/src/generated/imports.js";
import { GuestMemory } from "../../polyfill/src/memory.js";

const CALLS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 5;
const memory = new WebAssembly.Memory({ initial: 1 });
const mem = new GuestMemory(memory);
const runtime = {
  fd_write: (fd, iovs) => iovs.totalLength,
  fd_pwrite: (fd, iovs, offset) => iovs.totalLength,
  fd_read: (fd, iovs) => 0,
  fd_pread: (fd, iovs, offset) => 0,
  fd_seek: (fd, offset, whence) => 1234,
  fd_tell: (fd) => 1234,
};
const imports = createImports(runtime, mem, null);
const dv = new DataView(memory.buffer);
// one 16-byte iovec at 64 -> [1024, 1040)
dv.setUint32(64, 1024, true);
dv.setUint32(68, 16, true);

const cases = {
  fd_write: () => imports.fd_write(1, 64, 1, 128),
  fd_pwrite: () => imports.fd_pwrite(3, 64, 1, 4096n, 128),
  fd_read: () => imports.fd_read(0, 64, 1, 128),
  fd_pread: () => imports.fd_pread(3, 64, 1, 4096n, 128),
  fd_seek: () => imports.fd_seek(3, 10n, 0, 136),
  fd_tell: () => imports.fd_tell(3, 136),
};

function run(name, call, n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += call();
  return sum;
}

const results = {};
for (const [name, call] of Object.entries(cases)) {
  run(name, call, 200_000); // warm up: optimize before measuring
  console.log(`measure ${name}`);
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    // CPU time of this process: less disturbed than wall time on a busy machine
    const c0 = process.cpuUsage();
    const sum = run(name, call, CALLS);
    const c = process.cpuUsage(c0);
    best = Math.min(best, ((c.user + c.system) * 1000) / CALLS);
    if (sum !== 0) throw new Error(`${name} returned errors`);
  }
  console.log(`done ${name}`);
  results[name] = Math.round(best * 10) / 10;
}
console.log(JSON.stringify(results));
