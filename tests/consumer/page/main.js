// The consumer page: the installed "wasi-polyfill" as an app's bundler gives
// it to a browser (esbuild and Vite builds of this file). It runs two real
// WASI programs, probe.wasm (its output is compared with wasmtime's) and
// tool.wasm (a file in, a file out, stdin), and reports to the test through
// window.consumerResult.
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
  return {
    probe,
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
