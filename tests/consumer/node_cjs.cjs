// The installed package from CommonJS: require() of the ES module entry
// (Node ≥ 20.19 and 22.12 load ES modules synchronously; there is no
// separate CommonJS build). Prints one JSON object.
const { readFileSync } = require("node:fs");
const { WASI, MemFS, errno } = require("wasi-polyfill");

const fs = new MemFS();
fs.mkdirSync("/sandbox");
const chunks = [];
const wasi = new WASI({ version: "preview1", args: ["probe.wasm", "a", "b"], fs, preopens: { "/sandbox": "/sandbox" }, stdout: (c) => chunks.push(c), stderr: 2 });
const code = wasi.start(new WebAssembly.Instance(new WebAssembly.Module(readFileSync("probe.wasm")), wasi.getImportObject()));
console.log(JSON.stringify({ code, stdout: Buffer.concat(chunks).toString(), badf: errno.badf }));
