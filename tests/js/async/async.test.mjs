// Async mode (`new WASI({ async: true })`, JSPI) in Node: stream stdio,
// backpressure, poll_oneoff and sched_yield that let the event loop run, the
// tty option, and the one error an engine without JSPI gives.
//
// Needs a Node with JSPI (26+). Under an older Node (`make test` runs
// `node --test tests/js/` with the system's) this file runs itself again
// under build/node26 (`make node26` installs it); under CI=true a missing
// Node 26 fails.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WASI, MemFS } from "../../../polyfill/src/index.js";
import { WASI as TracingWASI } from "../../../polyfill/src/trace.js";
import { wat } from "../helpers/wat.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, "..", "..", "..");
export const NODE26 = join(ROOT, "build", "node26", "node_modules", ".bin", "node");
const hasJspi = typeof WebAssembly.Suspending === "function";
const decoder = new TextDecoder();
const module = (name) => new WebAssembly.Module(readFileSync(join(here, `${name}.wasm`)));

/** A WritableStream that records what arrives, with the time (ms since `t0`). */
function recorder(t0, log = [], strategy) {
  const chunks = [];
  const stream = new WritableStream({
    write(chunk) {
      chunks.push(chunk.slice());
      log.push({ t: performance.now() - t0, text: decoder.decode(chunk) });
    },
  }, strategy);
  return { stream, text: () => decoder.decode(Buffer.concat(chunks)), log };
}

/** Run `name`.wasm in async mode; returns {code, stdout, stderr}. */
async function runAsync(name, options = {}) {
  const out = [], err = [];
  const wasi = new WASI({
    version: "preview1", args: [name, ...(options.args ?? [])], async: true,
    stdout: (b) => out.push(b), stderr: (b) => err.push(b), ...options.wasi,
  });
  const instance = await WebAssembly.instantiate(module(name), wasi.getImportObject());
  const code = await wasi.start(instance);
  return { code, stdout: decoder.decode(Buffer.concat(out)), stderr: decoder.decode(Buffer.concat(err)) };
}

if (!hasJspi) {
  test("async mode runs under Node 26 (this Node has no JSPI)", (t) => {
    if (!existsSync(NODE26)) {
      if (process.env.CI === "true") assert.fail(`${NODE26} is missing: make node26`);
      t.skip(`no Node with JSPI: make node26 installs one at ${NODE26}`);
      return;
    }
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT; // else the child reports to this runner and always exits 0
    const r = spawnSync(NODE26, ["--test", fileURLToPath(import.meta.url)], { encoding: "utf8", env });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  test("without JSPI, async: true is one clear error naming what is missing and the Worker runner", () => {
    assert.throws(() => new WASI({ version: "preview1", async: true }), (e) => {
      assert.equal(e.code, "ERR_WASI_JSPI_UNAVAILABLE");
      assert.match(e.message, /WebAssembly\.Suspending/);
      assert.match(e.message, /wasi-polyfill\/worker/);
      return true;
    });
  });
} else {
  describe("async mode (JSPI)", () => {
    test("without JSPI, async: true is one clear error naming what is missing and the Worker runner", () => {
      const saved = WebAssembly.Suspending;
      delete WebAssembly.Suspending;
      try {
        assert.throws(() => new WASI({ version: "preview1", async: true }), (e) => {
          assert.equal(e.code, "ERR_WASI_JSPI_UNAVAILABLE");
          assert.match(e.message, /no WebAssembly\.Suspending;/);
          assert.match(e.message, /wasi-polyfill\/worker/);
          return true;
        });
      } finally {
        WebAssembly.Suspending = saved;
      }
    });

    test("sync mode refuses the stream kinds with one line", () => {
      assert.throws(() => new WASI({ version: "preview1", stdin: new ReadableStream() }), /only with async: true/);
      assert.throws(() => new WASI({ version: "preview1", stdout: new WritableStream() }), /only with async: true/);
    });

    test("start() returns a Promise of the exit code; only the waiting imports are Suspending", async () => {
      const wasi = new WASI({ version: "preview1", async: true, stdin: "a\n", stdout: () => {} });
      const imports = wasi.wasiImport;
      assert.ok(imports.poll_oneoff instanceof WebAssembly.Suspending);
      assert.ok(imports.sched_yield instanceof WebAssembly.Suspending);
      assert.equal(typeof imports.fd_read, "function", "bytes on stdin never wait: fd_read stays plain");
      assert.equal(typeof imports.fd_write, "function");
      assert.equal(typeof imports.clock_time_get, "function");
      const instance = await WebAssembly.instantiate(module("lines"), wasi.getImportObject());
      const p = wasi.start(instance);
      assert.ok(p instanceof Promise);
      assert.equal(await p, 3);
    });

    test("a ReadableStream on stdin is read only when the guest reads: output before any input, each line answered", async () => {
      const t0 = performance.now();
      const log = [];
      const out = recorder(t0, log);
      let feed;
      const stdin = new ReadableStream({ start(c) { feed = c; } });
      const wasi = new WASI({ version: "preview1", args: ["lines"], async: true, tty: true, stdin, stdout: out.stream });
      const instance = await WebAssembly.instantiate(module("lines"), wasi.getImportObject());
      const done = wasi.start(instance);
      const waitFor = async (text) => {
        for (let i = 0; i < 200 && !out.text().includes(text); i++) await new Promise((r) => setTimeout(r, 5));
        assert.ok(out.text().includes(text), `waited for ${JSON.stringify(text)}, have ${JSON.stringify(out.text())}`);
      };
      await waitFor("tty stdin=1 stdout=1\n");
      feed.enqueue(new TextEncoder().encode("first\n"));
      await waitFor("echo: first\n");
      feed.enqueue(new TextEncoder().encode("second\n"));
      await waitFor("echo: second\n");
      feed.close();
      assert.equal(await done, 3);
      assert.equal(out.text(), "tty stdin=1 stdout=1\necho: first\necho: second\neof\n");
    });

    test("an AsyncIterable of strings and an async function both feed stdin", async () => {
      async function* lines() { yield "x\n"; yield new TextEncoder().encode("y\n"); }
      const r1 = await runAsync("lines", { wasi: { stdin: lines() } });
      assert.equal(r1.stdout, "tty stdin=0 stdout=0\necho: x\necho: y\neof\n");
      const parts = ["p\n", "q\n"];
      const r2 = await runAsync("lines", { wasi: { stdin: async (max) => { await new Promise((r) => setTimeout(r, 2)); return parts.shift() ?? null; } } });
      assert.equal(r2.stdout, "tty stdin=0 stdout=0\necho: p\necho: q\neof\n");
    });

    test("a WritableStream's backpressure holds the guest back", async () => {
      const t0 = performance.now();
      const log = [];
      // one chunk at a time, each taking 3 ms
      const stream = new WritableStream({
        async write(chunk) {
          log.push("sink");
          await new Promise((r) => setTimeout(r, 3));
        },
      }, new CountQueuingStrategy({ highWaterMark: 1 }));
      const input = Array.from({ length: 12 }, (_, i) => `line ${i}\n`).join("");
      let given = false;
      const wasi = new TracingWASI({
        version: "preview1", args: ["lines"], async: true, tty: true, stdin: async () => (given ? null : ((given = true), input)), stdout: stream,
        trace: (line) => { if (line.startsWith("==> fd_write(fd=1")) log.push("write"); },
      });
      const instance = await WebAssembly.instantiate(module("lines"), wasi.getImportObject());
      assert.equal(await wasi.start(instance), 3);
      // The k-th write may start once the sink has taken all but the queue's one chunk and the one in progress.
      let writes = 0, sinks = 0;
      for (const e of log) {
        if (e === "sink") sinks++;
        else if (++writes > sinks + 2) assert.fail(`write ${writes} started with only ${sinks} chunks taken by the sink: ${log.join(" ")}`);
      }
      assert.ok(writes >= 12, `expected a write per line, got ${writes}`);
    });

    test("a stream that fails makes writes EPIPE", async () => {
      const stream = new WritableStream({ write() { throw new Error("gone"); } });
      const results = [];
      const wasi = new TracingWASI({
        version: "preview1", args: ["lines"], async: true, tty: { stdout: true }, stdin: "a\nb\nc\n", stdout: stream,
        trace: (line) => { if (line.startsWith("<==")) results.push(line); },
      });
      const instance = await WebAssembly.instantiate(module("lines"), wasi.getImportObject());
      assert.equal(await wasi.start(instance), 3); // the program ignores write errors: no hang, no trap
      assert.ok(results.includes("<== errno=EPIPE"), results.join("\n"));
    });

    test("a 300 ms sleep (poll_oneoff on a clock) lets the event loop run", async () => {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const t0 = performance.now();
      const r = await runAsync("lines", { args: ["sleep", "300"] });
      const took = performance.now() - t0;
      clearInterval(timer);
      assert.match(r.stdout, /slept 300 ms/);
      assert.ok(took >= 300, `returned after ${took} ms`);
      assert.ok(ticks >= 15, `the 10 ms timer fired ${ticks} times during a 300 ms sleep`);
    });

    test("poll on stdin and a clock wakes on stdin's data, not the timeout", async () => {
      const stdin = new ReadableStream({ start(c) { setTimeout(() => c.enqueue(new TextEncoder().encode("hi")), 100); } });
      const r = await runAsync("poll", { args: ["stdin", "3000"], wasi: { stdin } });
      const m = /^ready after (\d+) ms: 2 bytes: hi\n$/.exec(r.stdout);
      assert.ok(m, r.stdout);
      assert.ok(+m[1] < 1000, `woke after ${m[1]} ms (the timeout was 3000 ms)`);
    });

    test("poll on stdin and a clock times out when no data comes", async () => {
      const stdin = new ReadableStream({});
      const t0 = performance.now();
      const r = await runAsync("poll", { args: ["stdin", "200"], wasi: { stdin } });
      assert.match(r.stdout, /^timeout after \d+ ms\n$/);
      assert.ok(performance.now() - t0 >= 200);
    });

    test("sched_yield lets the event loop run", async () => {
      let ticks = 0, stop = false;
      const tick = () => { ticks++; if (!stop) setImmediate(tick); };
      setImmediate(tick);
      let r;
      try {
        r = await runAsync("poll", { args: ["yield", "50"] });
      } finally {
        stop = true;
      }
      assert.equal(r.stdout, "yielded 50 times\n");
      assert.ok(ticks >= 40, `an event-loop task ran ${ticks} times during 50 sched_yield calls`);
    });

    test("the README's Node example (docs/examples/async_streams.mjs) runs calc on the process's stdio", () => {
      const example = join(ROOT, "docs", "examples", "async_streams.mjs");
      const r = spawnSync(process.execPath, [example, join(here, "calc.wasm")], { input: "2 + 3\nans * 2\n", encoding: "utf8" });
      assert.equal(r.stderr, "");
      assert.match(r.stdout, /> 5\n> 10\n> \nbye\n$/);
      assert.equal(r.status, 0);
    });

    test("fd_read writes to guest memory only after the wait, through fresh views (memory grew meanwhile)", async () => {
      // read(): fd_read(0) of 4 bytes into 0x100, nread at 0x200; grow(): memory.grow 1.
      const bytes = wat(`(module
        (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 0) "\\00\\01\\00\\00\\04\\00\\00\\00")
        (func (export "_initialize"))
        (func (export "read") (result i32) (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 0x200)))
        (func (export "grow") (result i32) (memory.grow (i32.const 1))))`);
      let give;
      const wasi = new WASI({ version: "preview1", async: true, stdin: () => new Promise((r) => { give = r; }) });
      const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), wasi.getImportObject());
      await wasi.initialize(instance);
      const memory = instance.exports.memory;
      const reading = WebAssembly.promising(instance.exports.read)();
      await new Promise((r) => setTimeout(r, 10)); // the guest is suspended in fd_read
      const oldView = new Uint8Array(memory.buffer);
      assert.equal(new Uint32Array(memory.buffer, 0x200, 1)[0], 0, "nothing written before the data came");
      assert.equal(instance.exports.grow(), 1); // the old buffer is detached now
      assert.equal(oldView.length, 0);
      give(new TextEncoder().encode("abcd"));
      assert.equal(await reading, 0);
      const u8 = new Uint8Array(memory.buffer);
      assert.equal(new TextDecoder().decode(u8.subarray(0x100, 0x104)), "abcd");
      assert.equal(new DataView(memory.buffer).getUint32(0x200, true), 4);
    });

    test("deterministic mode in async mode: clocks advance, nothing sleeps", async () => {
      const t0 = performance.now();
      const r = await runAsync("lines", { args: ["sleep", "5000"], wasi: { deterministic: true, fs: new MemFS() } });
      assert.match(r.stdout, /slept 5000 ms/);
      assert.ok(performance.now() - t0 < 2000);
    });
  });
}

test("sync mode sleeps in Atomics.wait even without a SharedArrayBuffer constructor (a shared wasm memory)", async () => {
  const { Sleeper } = await import("../../../polyfill/src/sleep.js");
  const saved = globalThis.SharedArrayBuffer;
  delete globalThis.SharedArrayBuffer;
  try {
    const sleeper = new Sleeper();
    assert.notEqual(sleeper.cell, null, "no cell to wait on: sleeping would spin");
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    sleeper.sleep(200);
    const cpuMs = (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000;
    assert.ok(performance.now() - t0 >= 200);
    assert.ok(cpuMs < 100, `sleeping 200 ms used ${cpuMs} ms of CPU`);
  } finally {
    globalThis.SharedArrayBuffer = saved;
  }
});

describe("tty option (sync mode too)", () => {
  const run = (tty) => {
    const out = [];
    const wasi = new WASI({ version: "preview1", args: ["lines"], tty, stdin: "", stdout: (b) => out.push(b) });
    wasi.start(new WebAssembly.Instance(module("lines"), wasi.getImportObject()));
    return decoder.decode(Buffer.concat(out));
  };
  test("stdin and stdout are character devices with tty: true, as wasmtime reports a terminal", () => {
    assert.match(run(true), /^tty stdin=1 stdout=1\n/);
  });
  test("pipes (filetype unknown) by default", () => {
    assert.match(run(undefined), /^tty stdin=0 stdout=0\n/);
  });
  test("per stream", () => {
    assert.match(run({ stdout: true }), /^tty stdin=0 stdout=1\n/);
  });
  test("a bad value is one readable error", () => {
    assert.throws(() => new WASI({ version: "preview1", tty: "yes" }), /options\.tty/);
  });
});

test("the README's section shows each docs example verbatim (the tests run those files)", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  for (const name of ["async_streams.mjs", "xterm_page.js", "worker_page.js"]) {
    const text = readFileSync(join(ROOT, "docs", "examples", name), "utf8").trimEnd();
    assert.ok(readme.includes("```js\n" + text + "\n```"), `README.md does not show docs/examples/${name} as it is`);
  }
});
