// An xterm.js terminal on a WASI program, on the page's main thread (JSPI).
import { Terminal } from "@xterm/xterm";
import { WASI } from "wasi-polyfill";

const term = new Terminal({ convertEol: true });
term.open(document.getElementById("terminal"));
let input;
const stdin = new ReadableStream({ start: (c) => (input = c) });
term.onData((s) => { const t = s.replace(/\r/g, "\n"); term.write(t); input.enqueue(new TextEncoder().encode(t)); });
const wasi = new WASI({ version: "preview1", args: ["calc"], async: true, tty: true, stdin, stdout: (b) => term.write(b), stderr: (b) => term.write(b) });
const { instance } = await WebAssembly.instantiate(await (await fetch("calc.wasm")).arrayBuffer(), wasi.getImportObject());
term.write(`\n[exit status ${await wasi.start(instance)}]\n`);
