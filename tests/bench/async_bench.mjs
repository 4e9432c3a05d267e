// Async mode's costs (issue #14), measured the same way in Node 26, Chromium
// and Firefox (tests/bench/async_bench.py runs all three; `make bench` runs that):
//
// - a non-suspending import (clock_time_get) called from a guest running in
//   async mode (inside WebAssembly.promising) vs sync mode: the target is ≤ 1.5×;
// - fd_write to stdout when stdout is a WritableStream with room: fd_write is
//   then a WebAssembly.Suspending import that does not wait (V8 still suspends);
// - one suspend/resume round trip: fd_read from an async stdin that answers
//   with a resolved Promise each time (suspend, resume, and the call run again);
// - the bare JSPI round trip (a Suspending import returning a resolved
//   Promise), for scale;
// - isolating rows (docs/performance.md, "Async mode in Firefox"): empty
//   imports with fd_write's and clock_time_get's signatures, one that
//   allocates, one that calls a function, a Suspending import that returns a
//   plain value, and fd_write to a MemFS file, each sync vs async — what a
//   guest on the JSPI stack pays per import call, apart from what the import does.
//
//   build/node26/node_modules/.bin/node tests/bench/async_bench.mjs   prints a JSON line
// In a page: import { benchAsync } and call it with the WASI class and the module's bytes.

const ONE = new Uint8Array([120]);

/** The median of `rounds` timings of fn(n), in ns per call. */
async function perCall(fn, n, rounds = 5) {
  await fn(Math.min(n, 1000)); // warm-up: tier-up, first-call costs
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await fn(n);
    times.push(((performance.now() - t0) * 1e6) / n);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Medians of fa and fb (ns per call), timed in alternating rounds so that drift on a busy machine hits both. */
async function pair(fa, fb, n, rounds = 7) {
  await fa(Math.min(n, 1000));
  await fb(Math.min(n, 1000));
  const a = [], b = [];
  for (let r = 0; r < rounds; r++) {
    for (const [f, into] of [[fa, a], [fb, b]]) {
      const t0 = performance.now();
      await f(n);
      into.push(((performance.now() - t0) * 1e6) / n);
    }
  }
  const median = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return [median(a), median(b)];
}

async function instance(WASI, module, options) {
  const wasi = new WASI({ version: "preview1", ...options });
  const inst = await WebAssembly.instantiate(module, wasi.getImportObject());
  await wasi.initialize(inst);
  return inst.exports;
}

/**
 * @param {typeof import("../../polyfill/src/index.js").WASI} WASI
 * @param {BufferSource} bytes tests/bench/async_calls.wasm
 * @param {{calls?: number, suspends?: number}} [sizes]
 * @param {typeof import("../../polyfill/src/index.js").MemFS} [MemFS] for the MemFS-file variant
 */
export async function benchAsync(WASI, bytes, sizes = {}, MemFS = undefined) {
  const calls = sizes.calls ?? 1_000_000;
  const suspends = sizes.suspends ?? 100_000;
  const module = await WebAssembly.compile(bytes);
  const sink = () => {};

  const sync = await instance(WASI, module, { stdin: () => ONE, stdout: sink });
  const asyncFn = await instance(WASI, module, { async: true, stdin: async () => ONE, stdout: sink });
  const asyncStream = await instance(WASI, module, {
    async: true,
    stdout: new WritableStream({ write() {} }, new CountQueuingStrategy({ highWaterMark: 1e9 })),
  });
  const promising = (e, name) => WebAssembly.promising(e[name]);

  const out = {};
  const clockAsync = promising(asyncFn, "loop_clock");
  [out.clock_sync_ns, out.clock_async_ns] = await pair((n) => sync.loop_clock(n), (n) => clockAsync(n), calls);
  out.clock_ratio = out.clock_async_ns / out.clock_sync_ns;
  const writeAsync = promising(asyncFn, "loop_write");
  [out.write_sync_ns, out.write_async_plain_ns] = await pair((n) => sync.loop_write(n), (n) => writeAsync(n), calls);
  out.write_ratio = out.write_async_plain_ns / out.write_sync_ns;
  const writeStream = promising(asyncStream, "loop_write");
  out.write_async_stream_ns = await perCall((n) => writeStream(n), suspends);
  out.read_sync_ns = await perCall((n) => sync.loop_read(n), calls);
  const readAsync = promising(asyncFn, "loop_read");
  out.read_async_suspending_ns = await perCall((n) => readAsync(n), suspends);
  out.jspi_round_trip_ns = await bareRoundTrip(module, suspends);
  Object.assign(out, await isolating(WASI, MemFS, module, calls));
  return out;
}

/** sync vs async (inside WebAssembly.promising) for imports that never wait, from the
 * boundary alone to the whole fd_write, to see which part an engine makes dearer. */
async function isolating(WASI, MemFS, module, calls) {
  const out = {};
  const bare = async (fn) => {
    const inst = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: { clock_time_get: fn, fd_write: fn, fd_read: fn } });
    return inst.exports;
  };
  let keep = null;
  const variants = {
    noop: () => 0,
    alloc: () => { keep = new Uint8Array(1); return 0; },
    call: () => { ONE_CALL(ONE); return 0; },
  };
  for (const [name, fn] of Object.entries(variants)) {
    const e = await bare(fn);
    const p = WebAssembly.promising(e.loop_write);
    [out[`${name}_sync_ns`], out[`${name}_async_ns`]] = await pair((n) => e.loop_write(n), (n) => p(n), calls);
    out[`${name}_ratio`] = out[`${name}_async_ns`] / out[`${name}_sync_ns`];
  }
  const file = async (async) => {
    const wasi = new WASI({ version: "preview1", async, fs: new MemFS(), preopens: { "/": "/" } });
    const inst = await WebAssembly.instantiate(module, wasi.getImportObject());
    await wasi.initialize(inst);
    new Uint8Array(inst.exports.memory.buffer).set([102], 64); // "f"
    const err = wasi.wasiImport.path_open(3, 0, 64, 1, 1 /* creat */, 0x1fffffffn, 0x1fffffffn, 0, 96);
    if (err !== 0) throw new Error(`path_open: errno ${err}`);
    const fd = new Uint32Array(inst.exports.memory.buffer, 96, 1)[0];
    return [inst.exports, fd];
  };
  // the empty import with clock_time_get's signature (an i64 parameter: a BigInt for JS)
  const e64 = await bare(variants.noop);
  const p64 = WebAssembly.promising(e64.loop_clock);
  [out.noop_i64_sync_ns, out.noop_i64_async_ns] = await pair((n) => e64.loop_clock(n), (n) => p64(n), calls);
  out.noop_i64_ratio = out.noop_i64_async_ns / out.noop_i64_sync_ns;
  // a Suspending import that returns a plain value: does the engine switch stacks anyway?
  const sp = await bare(new WebAssembly.Suspending(() => 0));
  out.suspending_plain_ns = await perCall(WebAssembly.promising(sp.loop_write), Math.max(1, calls / 10));
  const [fs, fsFd] = await file(false);
  const [fa, faFd] = await file(true);
  const pa = WebAssembly.promising(fa.loop_write_fd);
  [out.file_sync_ns, out.file_async_ns] = await pair((n) => fs.loop_write_fd(fsFd, n), (n) => pa(faFd, n), calls);
  out.file_ratio = out.file_async_ns / out.file_sync_ns;
  return out;
}
let sunk = 0;
const ONE_CALL = (b) => { sunk += b.length; };

/** A Suspending import answering with a resolved Promise: the engine's own suspend/resume cost. */
async function bareRoundTrip(module, n) {
  const noop = () => 0;
  const imports = { wasi_snapshot_preview1: { clock_time_get: new WebAssembly.Suspending(() => Promise.resolve(0)), fd_write: noop, fd_read: noop } };
  const inst = await WebAssembly.instantiate(module, imports);
  const loop = WebAssembly.promising(inst.exports.loop_clock);
  return perCall((k) => loop(k), n);
}

// Node: `node tests/bench/async_bench.mjs [--calls N] [--suspends N]` prints one JSON line.
if (typeof process !== "undefined" && process.argv?.[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const { readFileSync } = await import("node:fs");
  const { fileURLToPath } = await import("node:url");
  const { WASI, MemFS } = await import("../../polyfill/src/index.js");
  const arg = (flag, d) => { const i = process.argv.indexOf(flag); return i === -1 ? d : Number(process.argv[i + 1]); };
  const bytes = readFileSync(fileURLToPath(new URL("./async_calls.wasm", import.meta.url)));
  const result = await benchAsync(WASI, bytes, { calls: arg("--calls", 1_000_000), suspends: arg("--suspends", 100_000) }, MemFS);
  console.log(JSON.stringify({ engine: `node ${process.version}`, ...result }));
}
