// The installed package from Node as ESM: both entries, the same classes
// across them, host fd numbers, the host-directory helpers, and a stack that
// shows the package's own file names. Prints one JSON object.
import { readFileSync, mkdtempSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as main from "wasi-polyfill";
import * as trace from "wasi-polyfill/trace";

const { WASI, MemFS, loadHostDir, writeBackHostDir } = main;

const fs = new MemFS();
fs.mkdirSync("/sandbox");
const chunks = [];
const wasi = new WASI({ version: "preview1", args: ["probe.wasm", "a", "b"], fs, preopens: { "/sandbox": "/sandbox" }, stdout: (c) => chunks.push(c), stderr: 2 });
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync("probe.wasm")), wasi.getImportObject());
const code = wasi.start(instance);

// A host directory in and out.
const host = mkdtempSync(join(tmpdir(), "consumer-"));
writeFileSync(join(host, "in.txt"), "host file\n");
const work = new MemFS();
loadHostDir(work, host, "/work");
const lines = [];
const traced = new trace.WASI({ version: "preview1", args: ["tool", "write", "/work/out.txt", "from the guest"], fs: work, preopens: { "/work": "/work" }, trace: (l) => lines.push(l) });
traced.start(new WebAssembly.Instance(new WebAssembly.Module(readFileSync("tool.wasm")), traced.getImportObject()));
writeBackHostDir(work, "/work", host);

let stack;
try {
  new MemFS().readFileSync("/missing");
} catch (e) {
  stack = e.stack;
}

console.log(JSON.stringify({
  code,
  stdout: Buffer.concat(chunks).toString(),
  sameClasses: main.MemFS === trace.MemFS && main.WASI === trace.WASI,
  hostFiles: readdirSync(host).sort(),
  out: readFileSync(join(host, "out.txt"), "utf8"),
  tree: Object.keys(main.dumpTree(work, "/work").entries),
  traced: lines.some((l) => l.startsWith("==> path_open(")),
  errorName: new main.WasiError(main.errno.noent).constructor.name,
  stack,
}));
