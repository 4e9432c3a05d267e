// Runs one benchmark job in this Node process and prints its result as one
// JSON line on stdout (harness/bench/runner.py starts one process per
// job: node:wasi crashes after a few instances in one process,
// nodejs/node#52402, and a fresh process gives every host the same start).
//
//   node [--expose-gc] node_driver.mjs CONFIG_JSON
//   CONFIG_JSON = {host, workload, program, argv, preopen, instances,
//                  root (repository), dir (node-wasi: the host directory
//                  behind the preopen), memory: {files, bytes} (instead of a
//                  job: MemFS memory per file and per byte)}
//
// Hosts: polyfill-node (polyfill/dist/node, MemFS), shim
// (@bjorn3/browser_wasi_shim, in-memory), runno (@runno/wasi, in-memory), node-wasi (node:wasi on `dir`;
// stdout and stderr are files in `dir`, counted after the run).
// The result is one line `BENCH-RESULT {"ok": true, ...}` (exit status 0) or
// `BENCH-RESULT {"ok": false, "error": ...}` (exit status 1) on stdout;
// anything else a host prints there is not part of it.
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { polyfillHost, runJob, runnoHost, shimHost } from "./bench_core.mjs";

async function load(config, host) {
  const url = (rel) => pathToFileURL(join(config.root, rel)).href;
  if (host === "polyfill-node") return polyfillHost(await import(url(process.env.BENCH_POLYFILL_SRC ? "polyfill/src/node/index.js" : "polyfill/dist/node/index.js")));
  if (host === "shim") return shimHost(await import(url("node_modules/@bjorn3/browser_wasi_shim/dist/index.js")));
  if (host === "runno") return runnoHost(await import(url("node_modules/@runno/wasi/dist/main.js")));
  if (host === "node-wasi") return nodeWasiHost(config.dir, (await import("node:wasi")).WASI);
  throw new Error(`unknown host ${JSON.stringify(host)}`);
}

/** node:wasi with the preopen on `dir`; stdout and stderr go to files there. */
function nodeWasiHost(dir, WASI) {
  mkdirSync(join(dir, "bench"), { recursive: true });
  let runs = 0;
  return (job) => {
    // each run of a workload that writes files gets a fresh directory (the
    // warm-up runs come first); startup's instances touch no file and share one
    let root = join(dir, "bench");
    if (job.workload !== "startup" && runs++ > 0) mkdirSync((root = join(dir, `bench-${runs}`)));
    const outPath = join(dir, ".stdout"), errPath = join(dir, ".stderr");
    const out = openSync(outPath, "w"), err = openSync(errPath, "w");
    const wasi = new WASI({
      version: "preview1",
      args: job.argv,
      env: {},
      preopens: { [job.preopen]: root },
      returnOnExit: true,
      stdin: 0,
      stdout: out,
      stderr: err,
    });
    return {
      imports: wasi.getImportObject(),
      start: (instance) => wasi.start(instance),
      finish: () => {
        closeSync(out);
        closeSync(err);
        const data = readFileSync(outPath);
        let lines = 0;
        for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) lines++;
        return { stderr: readFileSync(errPath, "utf8"), stdout_bytes: data.length, stdout_lines: lines };
      },
    };
  };
}

/**
 * MemFS memory: `files` empty files (in directories of 100), then one file
 * grown to `bytes` by 64 KiB appends; the growth of V8's heap plus array
 * buffers, after a full GC, divided by the count.
 */
async function memory(config) {
  if (typeof globalThis.gc !== "function") throw new Error("run node with --expose-gc");
  const P = await import(pathToFileURL(join(config.root, "polyfill/dist/node/index.js")).href);
  const used = () => {
    globalThis.gc();
    globalThis.gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const { files, bytes } = config.memory;
  const fs = new P.MemFS();
  fs.mkdirSync("/m");
  // the same calls once beforehand, so that what V8 allocates for running
  // them the first time (feedback, code) is not counted as the files' memory
  fs.mkdirSync("/warm");
  for (let i = 0; i < 200; i++) fs.writeFileSync(`/warm/f${i}`, "");
  fs.rmSync("/warm", { recursive: true });
  let before = used();
  for (let i = 0; i < files; i++) {
    if (i % 100 === 0) fs.mkdirSync(`/m/d${i / 100}`);
    fs.writeFileSync(`/m/d${Math.floor(i / 100)}/f${i}`, "");
  }
  const perFile = (used() - before) / files;
  const chunk = new Uint8Array(64 * 1024).fill(7);
  before = used();
  fs.writeFileSync("/big", "");
  for (let n = 0; n < bytes; n += chunk.length) fs.appendFileSync("/big", chunk);
  const perByte = (used() - before) / bytes;
  const size = fs.statSync("/big").size;
  if (size !== Math.ceil(bytes / chunk.length) * chunk.length) throw new Error(`/big has ${size} bytes`);
  if (fs.readdirSync("/m").length !== Math.ceil(files / 100)) throw new Error("the files were not all made");
  return { files, bytes: size, bytes_per_file: perFile, bytes_per_byte: perByte };
}

async function main() {
  const config = JSON.parse(process.argv[2]);
  if (config.memory) return memory(config);
  const make = await load(config, config.host);
  const module = await WebAssembly.compile(readFileSync(config.program));
  return runJob({ ...config, module }, { [config.host]: make });
}

try {
  const result = await main();
  process.stdout.write("BENCH-RESULT " + JSON.stringify({ ok: true, ...result }) + "\n");
} catch (e) {
  process.stdout.write("BENCH-RESULT " + JSON.stringify({ ok: false, error: String(e?.stack ?? e).split("\n")[0] }) + "\n");
  process.exitCode = 1;
}
