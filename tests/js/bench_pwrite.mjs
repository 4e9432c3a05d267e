// µs per fd_pwrite call (16 bytes) through the real generated glue, from a
// tiny WAT module looping N times. Run: node tests/js/bench_pwrite.mjs [N]
import { WASI, MemFS } from "../../polyfill/src/index.js";
import { wat } from "./helpers/wat.mjs";

export const PWRITE_LOOP_WAT = `(module
  (import "wasi_snapshot_preview1" "fd_pwrite" (func $pwrite (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\\80\\00\\00\\00\\10\\00\\00\\00")
  (data (i32.const 64) "f.bin")
  (data (i32.const 128) "0123456789abcdef")
  (func (export "_start"))
  (func (export "open") (result i32)
    (if (call $open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 5) (i32.const 1)
                    (i64.const 0x40) (i64.const 0) (i32.const 0) (i32.const 32))
      (then (return (i32.const -1))))
    (i32.load (i32.const 32)))
  (func (export "run") (param $fd i32) (param $n i32) (result i32)
    (local $i i32) (local $err i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $err (call $pwrite (local.get $fd) (i32.const 0) (i32.const 1)
          (i64.extend_i32_u (i32.and (i32.shl (local.get $i) (i32.const 4)) (i32.const 0xffff)))
          (i32.const 40)))
        (br_if $done (local.get $err))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $err)))`;

export function benchPwrite(n) {
  const fs = new MemFS();
  fs.mkdirSync("/d");
  const wasi = new WASI({ version: "preview1", fs, preopens: { "/d": "/d" }, stdout: () => {}, stderr: () => {} });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wat(PWRITE_LOOP_WAT)), wasi.getImportObject());
  wasi.start(instance);
  const fd = instance.exports.open();
  if (fd < 0) throw new Error("open failed");
  const warm = instance.exports.run(fd, 100000);
  if (warm !== 0) throw new Error(`fd_pwrite failed: errno ${warm}`);
  const t0 = performance.now();
  const err = instance.exports.run(fd, n);
  const ms = performance.now() - t0;
  if (err !== 0) throw new Error(`fd_pwrite failed: errno ${err}`);
  return { usPerCall: (ms * 1000) / n, size: fs.statSync("/d/f.bin").size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1e6);
  for (let k = 0; k < 3; k++) {
    const r = benchPwrite(n);
    console.log(`fd_pwrite x${n}: ${r.usPerCall.toFixed(3)} µs/call (file size ${r.size})`);
  }
}
