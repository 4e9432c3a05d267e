// tests/test_handledir.py's page for the Worker runner's `opfs` option:
// `runOpfs(args, dir, program)` runs /wasm/PROGRAM.wasm (default persist)
// in a WasiWorker with /home an OPFS directory, and resolves to
// {status, out, err}.
import { WasiWorker } from "/polyfill/dist/browser/worker.js";

const decoder = new TextDecoder();

window.runOpfs = async (args, dir, program = "persist") => {
  const bytes = new Uint8Array(await (await fetch(`/wasm/${program}.wasm`)).arrayBuffer());
  let out = "", err = "";
  const run = new WasiWorker(bytes, {
    args: [program, ...args],
    opfs: { "/home": dir },
    onStdout: (b) => { out += decoder.decode(b); },
    onStderr: (b) => { err += decoder.decode(b); },
  });
  try {
    const { status } = await run.exited;
    return { status, out, err };
  } catch (e) {
    return { status: null, out, err: String(e.message) };
  }
};

/** `persist churn` on `dir` in a WasiWorker left running; window.churned: its output so far. */
window.startChurn = (dir) => {
  window.churned = "";
  return fetch("/wasm/persist.wasm").then((r) => r.arrayBuffer()).then((bytes) => {
    window.churner = new WasiWorker(new Uint8Array(bytes), {
      args: ["persist", "churn"],
      opfs: { "/home": dir },
      onStdout: (b) => { window.churned += decoder.decode(b); },
    });
    window.churner.exited.catch(() => {});
  });
};

/** Kill it mid-write. */
window.stopChurn = () => window.churner.terminate();
