// An xterm.js terminal (`new Terminal({ convertEol: true })`, opened on the page)
// running a WASI program on the page's main thread, through JSPI.
import { WASI } from "wasi-polyfill";

/** @param {{ onData(listener: (text: string) => void): unknown, write(data: string | Uint8Array): void }} term */
export async function runInTerminal(term, /** @type {string} */ url, /** @type {string[]} */ args) {
  /** @type {ReadableStreamDefaultController<Uint8Array>} */ let input;
  const stdin = new ReadableStream({ start: (c) => { input = c; } });
  term.onData((s) => { const t = s.replace(/\r/g, "\n"); term.write(t); input.enqueue(new TextEncoder().encode(t)); });
  const wasi = new WASI({ version: "preview1", args, async: true, tty: true, stdin, stdout: (b) => term.write(b), stderr: (b) => term.write(b) });
  const { instance } = await WebAssembly.instantiateStreaming(fetch(url), wasi.getImportObject());
  return wasi.start(instance);  // the exit status, once the program ends
}
