// polyfill/build.mjs and package.json: the bundles build, the browser one has
// no Node imports, keeps class names and runs the probe like the sources do,
// the Node one has the host helpers; the exports point at files that exist;
// a bundler drops what an app does not import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = join(root, "polyfill", "dist");

test("build: bundles with separate source maps; size report", () => {
  const out = execFileSync(process.execPath, [join(root, "polyfill", "build.mjs"), "--size"], { encoding: "utf8" });
  assert.match(out, /min\+gz/);
  for (const f of ["browser/index.js", "browser/index.js.map", "browser/trace.js", "browser/trace.js.map", "node/index.js"]) {
    assert.ok(existsSync(join(dist, f)), f);
  }
  const browser = readFileSync(join(dist, "browser", "index.js"), "utf8");
  assert.doesNotMatch(browser, /node:|require\(/);
  assert.match(browser, /\/\/# sourceMappingURL=index\.js\.map\n?$/); // a separate map, not inlined
  // The default browser bundle carries no trace code; the trace bundle does.
  assert.doesNotMatch(browser, /==> /);
  assert.match(readFileSync(join(dist, "browser", "trace.js"), "utf8"), /==> fd_write\(/);
});

test("package.json: each entry has browser and Node modules and types, all present", () => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.deepEqual(Object.keys(pkg.exports), [".", "./trace", "./worker", "./package.json"]);
  // the Worker runner (issue #14) is browser-only: types and the module
  assert.deepEqual(Object.keys(pkg.exports["./worker"]), ["types", "default"]);
  for (const f of Object.values(pkg.exports["./worker"])) assert.ok(existsSync(join(root, f)), f);
  for (const entry of [".", "./trace"]) {
    const e = pkg.exports[entry];
    // "browser" before "node": a bundler for the web never reads Node's entry; then types and default for the rest
    assert.deepEqual(Object.keys(e), ["browser", "node", "types", "default"], entry);
    assert.equal(e.node.default, "./polyfill/src/node/index.js");
    assert.equal(e.node.types, "./polyfill/src/node/index.d.ts");
    for (const f of [e.browser.default, e.browser.types, e.node.default, e.node.types, e.types, e.default]) {
      assert.ok(existsSync(join(root, f)), f);
    }
  }
  assert.equal(pkg.sideEffects, false);
  assert.equal(pkg.engines.node, ">=20");
});

test("the minified bundle keeps class names (keepNames)", async () => {
  const { WasiError, MemFS, WASI } = await import(pathToFileURL(join(dist, "browser", "index.js")).href);
  assert.equal(new WasiError(8).constructor.name, "WasiError");
  assert.equal(MemFS.name, "MemFS");
  assert.throws(() => new WASI({ version: "preview1", fs: {} }), /must be an instance of MemFS\. Received an instance of Object$/);
  assert.throws(() => new WASI({ version: "preview1", fs: new (class Other {})() }), /Received an instance of Other$/);
});

/** Bytes of each source module in a minified browser bundle of `code` importing "wasi-polyfill" (self-reference). */
async function bundled(code) {
  const { build } = await import("esbuild");
  const r = await build({
    stdin: { contents: code, resolveDir: root, sourcefile: "app.js" },
    bundle: true, minify: true, format: "esm", platform: "browser", write: false, metafile: true, logLevel: "silent",
  });
  const inputs = Object.values(r.metafile.outputs)[0].inputs;
  const modules = Object.fromEntries(Object.entries(inputs).filter(([, v]) => v.bytesInOutput > 0).map(([f, v]) => [f.replace("polyfill/src/", ""), v.bytesInOutput]));
  return { size: r.outputFiles[0].contents.length, modules };
}

test("tree-shaking: { errno } alone is at most 3 KB minified", async () => {
  const { size, modules } = await bundled('import { errno } from "wasi-polyfill"; console.log(errno.badf);');
  assert.ok(size <= 3072, `${size} bytes: ${JSON.stringify(modules)}`);
  assert.deepEqual(Object.keys(modules).sort(), ["app.js", "generated/constants.js"]);
});

test("tree-shaking: WASI alone carries neither the Node-style MemFS facade nor the trace", async () => {
  const alone = await bundled('import { WASI } from "wasi-polyfill"; console.log(new WASI({ version: "preview1" }));');
  for (const m of ["vfs/node_fs.js", "trace.js", "generated/trace.js", "run/tree.js"]) assert.ok(!(m in alone.modules), m);
  const withFs = await bundled('import { WASI, MemFS } from "wasi-polyfill"; console.log(new WASI({ version: "preview1", fs: new MemFS() }));');
  assert.ok("vfs/node_fs.js" in withFs.modules);
  assert.ok(withFs.size > alone.size);
});

// The minimal app of `make bench`'s bundle row (issue #17: a page that
// imports WASI and runs a command over the default in-memory filesystem),
// bundled by esbuild with a metafile. Its size may only shrink: a change that
// makes it larger, or pulls in another module, must raise these on purpose
// (docs/performance.md, "Bundle", says what each module is for).
const MINIMAL_APP_GZ_CEILING = 21_700; // bytes, min+gz (gzip -9); issue #17's target is 12 KB. Raised from 20,560 (main: 20,479 B) to 21,661 B + 39 B by round 5: the i64 trampoline for SpiderMonkey (Firefox's syscall row; +648 B: its 574-byte module as a byte array +378 B, the glue's `_hi` params and the switch +270 B), the metadata work (tiny files' bytes in a per-filesystem slab, the walk filling the core's two Lookups, one import object made at load: +446 B) and the lazy descriptor table (+77 B) (docs/performance.md, round 5). Earlier lowered from 21,300 (main: 21,094 B) to 20,352 B + 1 % by the glue's single body for async mode and errnoCode spelled from errno's names (docs/performance.md, "Issue #17, round 4: the bundle"). Earlier raised from 21,200 for a mount taking the MemFS's clock (main 2426c9f: 21,244 B) and the core asking a backend's mayDelete before unlink/rmdir refusals (HostDirectory as wasmtime without write permission, +42 B), from 20,800 for read-only mounts in the core (UrlDirectory, +57 B), from 20,850 for the async variants of fd_pread, fd_pwrite, fd_sync, fd_datasync, fd_close (an async backend: HandleDirectory on the main thread, +346 B)
const MINIMAL_APP_MODULES = [
  "api_errors.js", "clocks.js", "errors.js", "fd_table.js", "generated/constants.js", "generated/imports.js",
  "generated/layouts.js", "memory.js", "minimal_app.js", "random.js", "rights.js", "runtime.js", "sleep.js",
  "stdio.js", "stdio_async.js", "syscalls/args.js", "syscalls/clock.js", "syscalls/fd.js", "syscalls/path.js",
  "syscalls/poll.js", "syscalls/proc.js", "syscalls/random.js", "syscalls/sock.js", "vfs/inode.js", "vfs/memfs.js",
  "vfs/path.js", "wasi.js",
];

test("the minimal app (WASI over the default MemFS) stays under its size ceiling and its module list", async () => {
  const { measureApp } = await import(pathToFileURL(join(root, "harness", "bench", "bundle_size.mjs")).href);
  const app = await measureApp();
  const listed = JSON.stringify(app.modules);
  assert.deepEqual(Object.keys(app.modules).sort(), MINIMAL_APP_MODULES, listed);
  assert.ok(app.gz_bytes <= MINIMAL_APP_GZ_CEILING, `${app.gz_bytes} B min+gz > ${MINIMAL_APP_GZ_CEILING}: ${listed}`);
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
