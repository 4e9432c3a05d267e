// The consumer page: the installed "wasi-polyfill" as an app's bundler gives
// it to a browser (esbuild and Vite builds of this file). It runs two real
// WASI programs, probe.wasm (its output is compared with wasmtime's) and
// tool.wasm (a file in, a file out, stdin), on the page and in a Worker
// (worker.js; with interactive stdin when the page is cross-origin
// isolated), and reports to the test through window.consumerResult.
import { WASI, MemFS, WasiError, errno } from "wasi-polyfill";

const decoder = () => {
  const d = new TextDecoder();
  let text = "";
  return { sink: (chunk) => { text += d.decode(chunk, { stream: true }); }, text: () => text + d.decode() };
};

async function run(url, options) {
  const out = decoder(), err = decoder();
  const wasi = new WASI({ version: "preview1", stdout: out.sink, stderr: err.sink, ...options });
  const { instance } = await WebAssembly.instantiateStreaming(fetch(url), wasi.getImportObject());
  const code = wasi.start(instance);
  return { code, stdout: out.text(), stderr: err.text() };
}

/**
 * Run `url` in worker.js. `lines`: typed one at a time, each when the guest
 * waits for stdin, then end of input (needs cross-origin isolation).
 */
async function inWorker(url, args, lines) {
  const module = await WebAssembly.compileStreaming(fetch(url));
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const shared = lines ? new SharedArrayBuffer(8 + 4096) : undefined;
  const out = decoder();
  let waits = 0;
  const result = await new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
    worker.onmessage = ({ data }) => {
      if (data.type === "stdout") out.sink(data.chunk);
      if (data.type === "exit") resolve({ code: data.code, files: data.files });
      if (data.type === "stdin-wait") {
        try {
          const state = new Int32Array(shared, 0, 2);
          const text = lines[waits++] ?? null;
          if (text !== null) {
            const bytes = new TextEncoder().encode(text); // (encodeInto cannot write to shared memory)
            new Uint8Array(shared, 8).set(bytes);
            state[1] = bytes.length;
          }
          Atomics.store(state, 0, text === null ? 2 : 1);
          Atomics.notify(state, 0);
        } catch (e) {
          reject(e);
        }
      }
    };
    worker.postMessage({ module, args, shared });
  });
  worker.terminate();
  return { ...result, stdout: out.text(), waits };
}

async function main() {
  const fs = new MemFS();
  fs.mkdirSync("/sandbox");
  const probe = await run("./probe.wasm", { args: ["probe.wasm", "a", "b"], fs, preopens: { "/sandbox": "/sandbox" } });

  const files = new MemFS();
  files.mkdirSync("/work");
  files.writeFileSync("/work/in.txt", "from the page\n");
  const cat = await run("./tool.wasm", { args: ["tool", "cat", "/work/in.txt"], fs: files, preopens: { "/work": "/work" } });
  const write = await run("./tool.wasm", { args: ["tool", "write", "/work/out.txt", "written by the guest"], fs: files, preopens: { "/work": "/work" } });
  const stdin = await run("./tool.wasm", { args: ["tool", "stdin"], stdin: "typed\n" });

  let missing;
  try {
    files.readFileSync("/work/missing");
  } catch (e) {
    missing = { name: e.name, message: e.message, isWasiError: e instanceof WasiError, errno: e.errno, code: e.code };
  }
  const worker = await inWorker("./tool.wasm", ["tool", "write", "/work/w.txt", "in a worker"]);
  const isolated = globalThis.crossOriginIsolated === true;
  const interactive = isolated ? await inWorker("./tool.wasm", ["tool", "stdin"], ["one\n", "two\n"]) : null;
  return {
    probe,
    worker,
    isolated,
    interactive,
    cat,
    write: { ...write, file: files.readFileSync("/work/out.txt", "utf8") },
    stdin,
    missing,
    badf: errno.badf,
  };
}

main().then(
  (result) => { window.consumerResult = result; document.getElementById("out").textContent = result.probe.stdout; },
  (e) => { window.consumerResult = { failure: String(e?.stack ?? e) }; },
);
