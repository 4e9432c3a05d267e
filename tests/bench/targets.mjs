// Issue #7's performance targets, each measured on wasi-polyfill and on its
// peer (node:wasi, @bjorn3/browser_wasi_shim) in the same run, alternating,
// best of ROUNDS (the machine is shared: noise only ever adds).
//
//   node tests/bench/targets.mjs [syscall|throughput|metadata|startup|stdout|size ...] [--dist]
//
// The guests are tests/bench/targets.c and trivial.c (built through
// harness.toolchain, cached). They time themselves with CLOCK_MONOTONIC.
// --dist measures the built bundle (polyfill/dist/node) instead of the sources.
import { execFileSync } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WASI as NodeWASI } from "node:wasi";
import { gzipSync } from "node:zlib";
import * as shim from "@bjorn3/browser_wasi_shim";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const argv = process.argv.slice(2);
const useDist = argv.includes("--dist");
const which = argv.filter((a) => !a.startsWith("--"));
const child = argv[0] === "--child";
const ROUNDS = Number(process.env.ROUNDS ?? 5);
// POLYFILL=DIR measures another checkout's polyfill/ (e.g. an older commit's, for a before/after)
const polyfill = process.env.POLYFILL ?? join(root, "polyfill");
const ours = await import(pathToFileURL(join(polyfill, useDist ? "dist/node/index.js" : "src/node/index.js")).href);

function compile(file, flags = []) {
  const script = "import sys; from harness.toolchain import compile_one; print(compile_one(sys.argv[1], sys.argv[2:]))";
  const out = execFileSync(join(root, ".venv/bin/python"), ["-c", script, join(here, file), ...flags], { encoding: "utf8" });
  return new WebAssembly.Module(readFileSync(out.trim().split("\n").pop()));
}

const targets = compile("targets.c");
const devnull = openSync("/dev/null", "w");

function parse(text) {
  return Object.fromEntries(text.trim().split("\n").filter((l) => l.includes("=")).map((l) => {
    const [k, v] = l.split("=");
    return [k, Number(v)];
  }));
}

// ---- one run of targets.c on each host; returns the guest's `name=ns` numbers ----

function runOurs(args) {
  const fs = new ours.MemFS();
  fs.mkdirSync("/d");
  let out = "", err = "";
  const dec = new TextDecoder();
  const wasi = new ours.WASI({
    version: "preview1", args: ["targets", ...args], fs, preopens: { "/d": "/d" },
    stdout: args[0] === "stdout" ? devnull : (b) => { out += dec.decode(b); },
    stderr: (b) => { err += dec.decode(b); },
  });
  const code = wasi.start(new WebAssembly.Instance(targets, wasi.getImportObject()));
  if (code !== 0) throw new Error(`wasi-polyfill: ${args.join(" ")} exited ${code}: ${err}`);
  return parse(args[0] === "stdout" ? err : out);
}

// node:wasi runs in a child process: several node:wasi instances with host fd
// stdio in one process crash node 20 (uvwasi closes the fds when collected).
function runNodeWasi(args) {
  const out = execFileSync(process.execPath, ["--no-warnings", fileURLToPath(import.meta.url), "--child", ...args], { encoding: "utf8" });
  return JSON.parse(out);
}

function runNodeWasiHere(args) {
  const dir = mkdtempSync("/dev/shm/wasi-bench-"); // tmpfs
  const outFile = join(dir, "..", `${dir.split("/").pop()}.out`);
  const errFile = outFile + ".err";
  const outFd = openSync(args[0] === "stdout" ? "/dev/null" : outFile, "w");
  const errFd = openSync(errFile, "w");
  try {
    const wasi = new NodeWASI({ version: "preview1", args: ["targets", ...args], preopens: { "/d": dir }, stdout: outFd, stderr: errFd, returnOnExit: true });
    const code = wasi.start(new WebAssembly.Instance(targets, wasi.getImportObject()));
    const err = readFileSync(errFile, "utf8");
    if (code !== 0) throw new Error(`node:wasi: ${args.join(" ")} exited ${code}: ${err}`);
    return parse(args[0] === "stdout" ? err : readFileSync(outFile, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outFile, { force: true });
    rmSync(errFile, { force: true });
  }
}

function runShim(args) {
  let out = "", err = "";
  const dec = new TextDecoder();
  const fds = [
    new shim.OpenFile(new shim.File([])),
    new shim.ConsoleStdout((b) => { out += dec.decode(b); }),
    new shim.ConsoleStdout((b) => { err += dec.decode(b); }),
    new shim.PreopenDirectory("/d", new Map()),
  ];
  const wasi = new shim.WASI(["targets", ...args], [], fds, { debug: false }); // its default logs every call
  const instance = new WebAssembly.Instance(targets, { wasi_snapshot_preview1: wasi.wasiImport });
  const code = wasi.start(instance);
  if (code !== 0) throw new Error(`browser_wasi_shim: ${args.join(" ")} exited ${code}: ${err}`);
  return parse(args[0] === "stdout" ? err : out);
}

function best(hosts, args, rounds = ROUNDS) {
  if (process.env.HOSTS) hosts = Object.fromEntries(Object.entries(hosts).filter(([k]) => process.env.HOSTS.split(",").includes(k)));
  const res = Object.fromEntries(Object.keys(hosts).map((h) => [h, null]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(hosts)) {
      const v = run(args);
      const cur = res[name];
      if (cur === null) res[name] = v;
      else for (const k of Object.keys(v)) cur[k] = Math.min(cur[k], v[k]);
    }
  }
  return res;
}

const ratio = (a, b) => (a / b).toFixed(2);
const ms = (ns) => (ns / 1e6).toFixed(1);
const report = {};

function startup(trivial) {
  const N = Number(process.env.STARTUP_N ?? 2000);
  const stub = {};
  for (const imp of WebAssembly.Module.imports(trivial)) stub[imp.name] = () => 0;
  const EXIT = Symbol("exit");
  const exitStub = { ...stub, proc_exit: () => { throw EXIT; } };
  const fns = {
    "bare instantiate": () => new WebAssembly.Instance(trivial, { wasi_snapshot_preview1: stub }),
    // the floor: instantiate and run _start, proc_exit unwinding with a stackless throw
    "bare + _start": () => {
      const i = new WebAssembly.Instance(trivial, { wasi_snapshot_preview1: exitStub });
      try { i.exports._start(); } catch (e) { if (e !== EXIT) throw e; }
    },
    ours: () => {
      const wasi = new ours.WASI({ version: "preview1", args: ["t"], stdout: () => {}, stderr: () => {} });
      return wasi.start(new WebAssembly.Instance(trivial, wasi.getImportObject()));
    },
    "node:wasi": () => {
      const wasi = new NodeWASI({ version: "preview1", args: ["t"], returnOnExit: true });
      return wasi.start(new WebAssembly.Instance(trivial, wasi.getImportObject()));
    },
    shim: () => {
      const wasi = new shim.WASI(["t"], [], [new shim.OpenFile(new shim.File([])), new shim.ConsoleStdout(() => {}), new shim.ConsoleStdout(() => {})], { debug: false });
      return wasi.start(new WebAssembly.Instance(trivial, { wasi_snapshot_preview1: wasi.wasiImport }));
    },
  };
  const res = Object.fromEntries(Object.keys(fns).map((k) => [k, Infinity]));
  for (const f of Object.values(fns)) for (let i = 0; i < 300; i++) f(); // warm up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, f] of Object.entries(fns)) {
      const t0 = performance.now();
      for (let i = 0; i < N; i++) f();
      res[k] = Math.min(res[k], ((performance.now() - t0) * 1000) / N);
    }
  }
  return res;
}

const benches = {
  syscall() {
    const r = best({ ours: runOurs, "node:wasi": runNodeWasi }, ["syscall", "1000000"]);
    const per = (x) => (x.pwrite_ns + x.pread_ns) / (2 * x.calls) / 1000;
    console.log(`syscall   pwrite+pread 16 B: ours ${per(r.ours).toFixed(3)} µs/call (pwrite ${(r.ours.pwrite_ns / r.ours.calls / 1000).toFixed(3)}, pread ${(r.ours.pread_ns / r.ours.calls / 1000).toFixed(3)}), node:wasi ${per(r["node:wasi"]).toFixed(3)} µs/call  [target ≤ 0.25]`);
    report.syscall = { ours_us: per(r.ours), node_wasi_us: per(r["node:wasi"]) };
  },
  throughput() {
    const r = best({ ours: runOurs, "node:wasi": runNodeWasi }, ["throughput", "64"], 3);
    const t = (x) => x.write_ns + x.read_ns;
    console.log(`throughput 64 MiB w+r: ours ${ms(t(r.ours))} ms (w ${ms(r.ours.write_ns)}, r ${ms(r.ours.read_ns)}), node:wasi ${ms(t(r["node:wasi"]))} ms (w ${ms(r["node:wasi"].write_ns)}, r ${ms(r["node:wasi"].read_ns)}); node:wasi/ours ${ratio(t(r["node:wasi"]), t(r.ours))}×  [target ≥ 2×]`);
    report.throughput = { ours_ms: t(r.ours) / 1e6, node_wasi_ms: t(r["node:wasi"]) / 1e6 };
  },
  metadata() {
    const r = best({ ours: runOurs, shim: runShim }, ["metadata"]);
    const parts = (x) => ["create", "stat", "readdir", "rename", "remove"].map((k) => `${k} ${ms(x[k + "_ns"])}`).join(", ");
    console.log(`metadata  100×100: ours ${ms(r.ours.total_ns)} ms (${parts(r.ours)}), shim ${ms(r.shim.total_ns)} ms (${parts(r.shim)}); ours/shim ${ratio(r.ours.total_ns, r.shim.total_ns)}  [target ≤ 0.5]`);
    report.metadata = { ours_ms: r.ours.total_ns / 1e6, shim_ms: r.shim.total_ns / 1e6 };
  },
  startup() {
    // zig's default 16 MiB stack makes a 16 MiB memory, whose allocation alone
    // costs V8 about a millisecond: measured as built, and with a 64 KiB stack.
    for (const [label, flags] of [["default stack (16 MiB memory)", []], ["64 KiB stack", ["-Wl,-z,stack-size=65536"]]]) {
      const res = startup(compile("trivial.c", flags));
      console.log(`startup   ${label}, µs per instance: ${Object.entries(res).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")}; ours − bare ${(res.ours - res["bare instantiate"]).toFixed(1)}  [target ours ≤ 100]`);
      (report.startup ??= {})[label] = res;
    }
  },
  stdout() {
    const r = best({ ours: runOurs, "node:wasi": runNodeWasi }, ["stdout", "200000"], 3);
    console.log(`stdout    200k lines to /dev/null: ours ${ms(r.ours.stdout_ns)} ms, node:wasi ${ms(r["node:wasi"].stdout_ns)} ms; ours/node:wasi ${ratio(r.ours.stdout_ns, r["node:wasi"].stdout_ns)}  [target ≤ 1]`);
    report.stdout = { ours_ms: r.ours.stdout_ns / 1e6, node_wasi_ms: r["node:wasi"].stdout_ns / 1e6 };
  },
  size() {
    const file = join(polyfill, "dist/browser/index.js");
    const bytes = readFileSync(file);
    const gz = gzipSync(bytes, { level: 9 }).length;
    console.log(`size      dist/browser/index.js: ${bytes.length} B min, ${gz} B min+gz  [target ≤ 10240]`);
    report.size = { min: bytes.length, gz };
  },
};

if (child) {
  console.log(JSON.stringify(runNodeWasiHere(which)));
  process.exit(0);
}
for (const name of which.length ? which : Object.keys(benches)) {
  if (!benches[name]) throw new Error(`unknown target ${name}`);
  benches[name]();
}
if (process.env.BENCH_JSON) console.log(JSON.stringify(report));
