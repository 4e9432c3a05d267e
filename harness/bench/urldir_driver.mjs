// The UrlDirectory benchmark's Node side (harness/bench/urldir.py): mount
// the tree served at URL from the polyfill's Node bundle, run PROGRAM on
// the files named, and print one JSON line: the time the mount took (the
// index), the time to the program's first line (its first file read: the
// time to first byte), the total, and what the UrlDirectory fetched.
//
//   node urldir_driver.mjs BUNDLE URL PROGRAM.wasm GUEST_FILE...
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [bundle, url, program, ...files] = process.argv.slice(2);
const { WASI, MemFS, UrlDirectory } = await import(pathToFileURL(bundle).href);
const module = new WebAssembly.Module(readFileSync(program));

const out = [];
let first = null;
const t0 = performance.now();
const fs = new MemFS();
fs.mkdirSync("/lib");
const dir = new UrlDirectory(url);
await fs.mount("/lib", dir);
const mounted = performance.now();
const wasi = new WASI({
  version: "preview1", args: ["urlread", ...files], fs, preopens: { "/lib": "/lib" }, returnOnExit: true,
  stdout: (b) => { first ??= performance.now(); out.push(Buffer.from(b)); },
  stderr: (b) => out.push(Buffer.from(b)),
});
const status = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
const end = performance.now();
process.stdout.write(JSON.stringify({
  status, output: Buffer.concat(out).toString(), mount_ms: mounted - t0, first_byte_ms: (first ?? end) - t0,
  total_ms: end - t0, requests: dir.stats.requests, bytes: dir.stats.bytes,
}) + "\n");
