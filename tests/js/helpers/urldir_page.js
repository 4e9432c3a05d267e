// A sync WASI on a page's main thread reading a UrlDirectory served by the
// page's own server (tests/test_urldir.py). `?tree=PATH` names the tree;
// the program cats `d/m.txt` and `bin` and reads `gone` (indexed, then
// removed from the server: EIO), whose bytes arrive by synchronous
// XMLHttpRequest (on a window's thread: as x-user-defined text). The result,
// with the SHA-256 of what the guest printed after the first line, is
// window.result.
import { WASI, MemFS, UrlDirectory } from "/polyfill/src/index.js";
import { sha256Hex } from "/polyfill/src/vfs/sha256.js";

async function main() {
  const tree = new URLSearchParams(location.search).get("tree");
  const fs = new MemFS();
  fs.mkdirSync("/lib");
  const dir = new UrlDirectory(tree, { rangeThreshold: 65536, chunkSize: 65536 });
  await fs.mount("/lib", dir);
  const module = await WebAssembly.compile(await (await fetch("/tests/js/probe/tool.wasm")).arrayBuffer());
  const out = [], err = [];
  const wasi = new WASI({
    version: "preview1", args: ["tool", "cat", "/lib/d/m.txt", "+", "cat", "/lib/bin", "+", "read", "/lib/gone"],
    fs, preopens: { "/lib": "/lib" }, returnOnExit: true,
    stdout: (b) => out.push(...b), stderr: (b) => err.push(...b),
  });
  const code = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
  const bytes = new Uint8Array(out);
  const first = bytes.indexOf(10) + 1;
  return {
    code, first: new TextDecoder().decode(bytes.subarray(0, first)), sha256: sha256Hex(bytes.subarray(first)),
    stderr: new TextDecoder().decode(new Uint8Array(err)), stats: dir.stats,
  };
}

main().then((r) => { window.result = r; }, (e) => { window.result = { error: String(e?.stack ?? e) }; });
