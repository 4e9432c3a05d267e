// tests/js/urldir.test.mjs's async-mode run (needs JSPI: Node 26+, so the
// test runs this file under it): a UrlDirectory with `async: true` whose
// synchronous transport throws if used, mounted for a WASI in async mode;
// tool.wasm reads through it. Prints one JSON line:
// {runs: [{code, stdout (base64), stderr}], refused, stats}.
//
//   node urldir_async.mjs BASE_URL
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WASI, MemFS, UrlDirectory } from "../../../polyfill/src/node/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const TOOL = new WebAssembly.Module(readFileSync(join(here, "..", "probe", "tool.wasm")));
const [url] = process.argv.slice(2);

const fs = new MemFS();
fs.mkdirSync("/lib");
const dir = new UrlDirectory(url, {
  async: true, index: "index-chunked.json", rangeThreshold: 65536,
  get: () => { throw new Error("the synchronous transport was used"); },
});
await fs.mount("/lib", dir);

async function run(...args) {
  const out = [], err = [];
  const wasi = new WASI({ version: "preview1", args: ["tool", ...args], fs, preopens: { "/lib": "/lib" }, async: true,
    stdout: (b) => out.push(b), stderr: (b) => err.push(b), returnOnExit: true });
  const code = await wasi.start(await WebAssembly.instantiate(TOOL, wasi.getImportObject()));
  return { code, stdout: Buffer.concat(out).toString("base64"), stderr: Buffer.concat(err).toString() };
}

// the event loop runs while the guest waits: a timer fires during the reads
let ticks = 0;
const timer = setInterval(() => ticks++, 1);
const runs = [];
for (const args of [["cat", "/lib/big.bin", "+", "cat", "/lib/hello.txt"], ["read", "/lib/tamperbig.bin"], ["read", "/lib/fail500.txt"],
  ["cat", "/lib/big.bin"]]) runs.push(await run(...args));
clearInterval(timer);
let refused = null;
try {
  new WASI({ version: "preview1", fs, preopens: { "/lib": "/lib" } });
} catch (e) {
  refused = e.message;
}
process.stdout.write(JSON.stringify({ runs, refused, stats: dir.stats, ticked: ticks > 0 }) + "\n");
