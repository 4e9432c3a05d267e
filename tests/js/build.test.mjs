// polyfill/build.mjs: the bundles build, the browser one has no Node imports
// and runs the probe like the sources do, the Node one has the host helpers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = join(root, "polyfill", "dist");

test("build: bundles, source maps, types; size report", () => {
  const out = execFileSync(process.execPath, [join(root, "polyfill", "build.mjs"), "--size"], { encoding: "utf8" });
  assert.match(out, /min\+gz/);
  for (const f of ["browser/index.js", "browser/index.js.map", "browser/trace.js", "node/index.js", "node/index.js.map", "index.d.ts", "trace.d.ts", "generated/preview1.d.ts"]) {
    assert.ok(existsSync(join(dist, f)), f);
  }
  assert.doesNotMatch(readFileSync(join(dist, "browser", "index.js"), "utf8"), /node:|require\(/);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(pkg.exports["."].browser, "./polyfill/dist/browser/index.js");
  assert.equal(pkg.exports["."].node, "./polyfill/dist/node/index.js");
  assert.equal(pkg.exports["./trace"].browser, "./polyfill/dist/browser/trace.js");
  assert.equal(pkg.exports["./trace"].node, "./polyfill/dist/node/index.js");
  // The default browser bundle carries no trace code; the trace bundle does.
  assert.doesNotMatch(readFileSync(join(dist, "browser", "index.js"), "utf8"), /==> /);
  assert.match(readFileSync(join(dist, "browser", "trace.js"), "utf8"), /==> fd_write\(/);
});

test("the trace bundle traces", async () => {
  const { WASI } = await import(pathToFileURL(join(dist, "browser", "trace.js")).href);
  const lines = [];
  const wasi = new WASI({ version: "preview1", args: ["probe.wasm"], stdout: () => {}, stderr: () => {}, trace: (l) => lines.push(l) });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(root, "tests", "js", "probe", "probe.wasm"))), wasi.getImportObject());
  wasi.start(instance);
  assert.ok(lines.some((l) => l.startsWith("==> args_sizes_get(")), lines.slice(0, 5).join("\n"));
});

test("the browser bundle runs the probe as wasmtime does", async () => {
  const { WASI, MemFS, errno } = await import(pathToFileURL(join(dist, "browser", "index.js")).href);
  assert.equal(errno.badf, 8);
  const fs = new MemFS();
  fs.mkdirSync("/sandbox");
  const chunks = [];
  const wasi = new WASI({ version: "preview1", args: ["probe.wasm", "a", "b"], fs, preopens: { "/sandbox": "/sandbox" }, stdout: (b) => chunks.push(b), stderr: () => {} });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(root, "tests", "js", "probe", "probe.wasm"))), wasi.getImportObject());
  assert.equal(wasi.start(instance), 0);
  assert.equal(Buffer.concat(chunks).toString(), readFileSync(join(root, "tests", "js", "probe", "probe.expected"), "utf8"));
});

test("the Node bundle exports the host helpers", async () => {
  const m = await import(pathToFileURL(join(dist, "node", "index.js")).href);
  for (const name of ["WASI", "MemFS", "WasiError", "loadHostDir", "writeBackHostDir", "errno", "rights"]) assert.ok(name in m, name);
  assert.equal(typeof m.rights.fd_read, "bigint");
});
