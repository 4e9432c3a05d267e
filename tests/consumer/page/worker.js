// The consumer page's Worker, as the README's "Run it in a Worker" and
// "stdin and a terminal" sections write it: output posted as written, and
// with a SharedArrayBuffer, stdin that waits (Atomics.wait) for the page.
import { WASI, MemFS } from "wasi-polyfill";

/** stdin that blocks until the page stores a line (1) or end of input (2) in `shared`. */
function waitingStdin(shared) {
  const state = new Int32Array(shared, 0, 2);
  const line = new Uint8Array(shared, 8);
  return () => {
    self.postMessage({ type: "stdin-wait" });
    Atomics.wait(state, 0, 0);
    if (Atomics.load(state, 0) === 2) return null;
    const bytes = line.slice(0, state[1]);
    Atomics.store(state, 0, 0);
    return bytes;
  };
}

self.onmessage = ({ data }) => {
  const fs = new MemFS();
  fs.mkdirSync("/work");
  const wasi = new WASI({
    version: "preview1",
    args: data.args,
    fs,
    preopens: { "/work": "/work" },
    stdin: data.shared ? waitingStdin(data.shared) : "",
    stdout: (chunk) => self.postMessage({ type: "stdout", chunk }),
    stderr: (chunk) => self.postMessage({ type: "stderr", chunk }),
  });
  const code = wasi.start(new WebAssembly.Instance(data.module, wasi.getImportObject()));
  self.postMessage({ type: "exit", code, files: fs.readdirSync("/work") });
};
