// Async mode in Node 26: stdin and stdout as Web Streams, stdio as a terminal.
//   node async_streams.mjs calc.wasm
import { readFileSync } from "node:fs";
import { Readable, Writable } from "node:stream";
import { WASI } from "wasi-polyfill";

const wasi = new WASI({
  version: "preview1", args: ["calc"], async: true, tty: true,
  stdin: Readable.toWeb(process.stdin),    // read only when the guest reads
  stdout: Writable.toWeb(process.stdout),  // its backpressure holds the guest back
});
const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]), wasi.getImportObject());
process.exitCode = await wasi.start(instance);
process.stdin.destroy(); // the guest is done with it
