// Node's declarations ("node" condition): host fd numbers, `trace` and the
// host-directory helpers, on both entries.
import { WASI, MemFS, loadHostDir, writeBackHostDir, traceImports } from "wasi-polyfill";
import { WASI as TracedWASI } from "wasi-polyfill/trace";
import { readFile } from "node:fs/promises";

const fs = new MemFS();
loadHostDir(fs, "./data", "/data");
const wasi = new WASI({ version: "preview1", fs, preopens: { "/data": "/data" }, stdin: 0, stdout: 1, stderr: 2, env: process.env, trace: (line: string) => process.stderr.write(line + "\n") });
const bytes = await readFile("prog.wasm");
const { instance } = await WebAssembly.instantiate(bytes, wasi.getImportObject());
const code: number = wasi.start(instance);
writeBackHostDir(wasi.fs, "/data", "./data");
new TracedWASI({ version: "preview1", stdout: 1 });
void code; void traceImports;

// @ts-expect-error a host fd is a number, not a path
new WASI({ version: "preview1", stdout: "/dev/stdout" });
// @ts-expect-error loadHostDir needs a MemFS (with its Node-style methods)
loadHostDir(new WASI({ version: "preview1" }).fs, "./data", "/data");
