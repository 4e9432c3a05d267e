// The Node driver of `--host pyodide-node`: the reference host under Pyodide.
//
//   node pyodide_node_run.mjs --bundle PKG.zip [--snapshot SNAP] --job JOB.json --result OUT.json PROGRAM.wasm
//       one run: the guest's stdio is this process's stdio (written and read
//       synchronously), the outcome JSON goes to OUT.json (see run_job in
//       refhost/engines/pyodide.py); the exit status is 0 unless the driver
//       itself failed.
//   node pyodide_node_run.mjs --serve --bundle PKG.zip [--snapshot SNAP]
//       many runs, one Pyodide: a JSON request per line on stdin
//       ({"job": ..., "program": path, "stdin": base64}), a JSON answer per
//       line on stdout ({"result": ..., "stdout": base64, "stderr": base64,
//       "ms": n}). For tests.
//   node pyodide_node_run.mjs --make-snapshot OUT --bundle PKG.zip
//       a Pyodide memory snapshot with the package imported (see
//       hosts/pyodide_bundle.py).
//
// Each run gets a fresh host (a new Wasi, MemFS, descriptor table); only the
// Python interpreter is shared.
import { readFileSync, writeFileSync, writeSync, readSync } from "node:fs";
import { createInterface } from "node:readline";
import { isatty } from "node:tty";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const indexURL = path.join(root, "node_modules", "pyodide") + path.sep;
const { loadPyodide } = await import(path.join(indexURL, "pyodide.mjs"));

const EXTRACT_DIR = "/lib/refhost_bundle";
// Imported before a snapshot is taken: everything but the engine (which
// holds JS references, which a snapshot cannot carry).
const PRELOAD = [
  "refhost", "refhost.wasi", "refhost.job",
  "refhost.generated.trace", "json", "base64",
];

const u8 = (buf) => new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);

function parseArgs(argv) {
  const opts = { positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--serve") opts.serve = true;
    else if (a.startsWith("--")) opts[a.slice(2)] = argv[++i];
    else opts.positional.push(a);
  }
  return opts;
}

// Python's own prints (there should be none) must not mix with the guest's stdout.
const pyOutput = { stdout: (s) => writeAll(2, Buffer.from(s + "\n")), stderr: (s) => writeAll(2, Buffer.from(s + "\n")) };

async function startPyodide(opts) {
  const bundle = u8(readFileSync(opts.bundle));
  let py = null;
  if (opts.snapshot) {
    try {
      py = await loadPyodide({ indexURL, ...pyOutput, _loadSnapshot: u8(readFileSync(opts.snapshot)) });
    } catch (e) {
      py = null; // fall back to an ordinary start
    }
  }
  if (py === null) py = await loadPyodide({ indexURL, ...pyOutput });
  py.unpackArchive(bundle, "zip", { extractDir: EXTRACT_DIR });
  py.runPython(`import sys\nif ${JSON.stringify(EXTRACT_DIR)} not in sys.path: sys.path.insert(0, ${JSON.stringify(EXTRACT_DIR)})`);
  return py;
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function writeAll(fd, bytes) {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
      sleepMs(1);
    }
  }
}

const processIO = {
  write(fd, u8) { writeAll(fd, u8); },
  readStdin(n) {
    const buf = Buffer.alloc(Math.min(n, 1 << 20));
    for (;;) {
      try {
        const got = readSync(0, buf, 0, buf.length, null);
        return new Uint8Array(buf.buffer, buf.byteOffset, got);
      } catch (e) {
        if (e.code === "EAGAIN") { sleepMs(1); continue; }
        if (e.code === "EOF") return new Uint8Array(0);
        throw e;
      }
    }
  },
  isatty(fd) { return isatty(fd); },
};

async function runOne(py, opts) {
  const engine = py.pyimport("refhost.engines.pyodide");
  const job = readFileSync(opts.job, "utf8");
  const wasm = u8(readFileSync(opts.positional[0]));
  const result = await engine.run_job(job, wasm, processIO);
  writeFileSync(opts.result, result);
}

async function serve(py) {
  const engine = py.pyimport("refhost.engines.pyodide");
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const req = JSON.parse(line);
    const out = { 1: [], 2: [] };
    const io = {
      write(fd, u8) { out[fd].push(Buffer.from(u8)); },
      readStdin() { return new Uint8Array(0); },
      isatty() { return false; },
    };
    const job = { ...req.job, stdin: req.stdin ?? "" };
    const t0 = performance.now();
    let result;
    try {
      result = JSON.parse(await engine.run_job(JSON.stringify(job), u8(readFileSync(req.program)), io));
    } catch (e) {
      result = { driver_error: String(e && e.stack || e) };
    }
    const ms = performance.now() - t0;
    const answer = {
      result, ms,
      stdout: Buffer.concat(out[1]).toString("base64"),
      stderr: Buffer.concat(out[2]).toString("base64"),
    };
    writeAll(1, Buffer.from(JSON.stringify(answer) + "\n"));
  }
}

async function makeSnapshot(opts) {
  const py = await loadPyodide({ indexURL, ...pyOutput, _makeSnapshot: true });
  py.unpackArchive(u8(readFileSync(opts.bundle)), "zip", { extractDir: EXTRACT_DIR });
  py.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(EXTRACT_DIR)})\n` +
               PRELOAD.map((m) => `import ${m}`).join("\n"));
  writeFileSync(opts["make-snapshot"], py.makeMemorySnapshot());
}

const opts = parseArgs(process.argv.slice(2));
try {
  if (opts["make-snapshot"]) {
    await makeSnapshot(opts);
  } else {
    const t0 = performance.now();
    const py = await startPyodide(opts);
    if (process.env.WASI_POLYFILL_TIMING) writeAll(2, Buffer.from(`pyodide start: ${(performance.now() - t0).toFixed(0)} ms\n`));
    if (opts.serve) await serve(py);
    else await runOne(py, opts);
  }
  process.exit(0);
} catch (e) {
  writeAll(2, Buffer.from(`wasi-polyfill: error: pyodide driver: ${e && e.stack || e}\n`));
  process.exit(70);
}
