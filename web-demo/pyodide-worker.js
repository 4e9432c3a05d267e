// The cross-check's second host: the Python reference host (`refhost`) under
// Pyodide, in a worker of its own. Pyodide comes from ../node_modules/pyodide/
// and the package from refhost.zip (the zip harness/hosts/pyodide_bundle.py
// builds for every Pyodide host, copied here by harness/web_demo.py): nothing
// is fetched from anywhere else. Python starts from refhost.snapshot when the
// demo has one (a memory snapshot with the package already imported, the one
// the CLI's `--host pyodide` makes in Chromium): about a second instead of
// importing everything; without one, or if it does not load, the ordinary way.
// Each run goes through refhost.engines.pyodide.run_job, as the CLI's Pyodide
// hosts run theirs, with the page's files as one tree snapshot at the
// filesystem's root.
//
// page -> worker  { type: "run", id, wasm: Uint8Array, argv, env, preopens, tree, stdin: Uint8Array }
// worker -> page  { type: "progress", text } (while loading)
//                 { type: "ready", snapshot: bool } | { type: "load-error", message }
//                 { type: "exit", id, code, trap, ms, stdout, stderr, tree }
//                 { type: "error", id, message }

import { loadPyodide } from "../node_modules/pyodide/pyodide.mjs";

const EXTRACT_DIR = "/lib/refhost_bundle";
let engine;

function progress(text) {
  self.postMessage({ type: "progress", text });
}

/** The bytes at `url`, or null if there are none (a 404: the demo was built without a snapshot). */
async function fetchOptional(url) {
  try {
    const response = await fetch(url);
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

async function load() {
  const indexURL = new URL("../node_modules/pyodide/", import.meta.url).href;
  progress("Downloading Python (Pyodide) and the reference host…");
  const zip = fetch(new URL("./refhost.zip", import.meta.url));
  const snapshot = await fetchOptional(new URL("./refhost.snapshot", import.meta.url));
  let pyodide = null;
  if (snapshot) {
    progress("Starting Python from its snapshot…");
    try {
      pyodide = await loadPyodide({ indexURL, _loadSnapshot: snapshot });
    } catch {
      pyodide = null; // made with another Pyodide, or damaged: the ordinary way
    }
  }
  const fromSnapshot = pyodide !== null;
  if (!pyodide) {
    progress("Starting Python (no snapshot: this takes a while)…");
    pyodide = await loadPyodide({ indexURL });
  }
  progress("Loading the reference host…");
  const response = await zip;
  if (!response.ok) {
    throw new Error(`refhost.zip: ${response.status} ${response.statusText} (built by harness/web_demo.py)`);
  }
  // Where the CLI's Pyodide hosts unpack it too (the snapshot has it on sys.path and imported already).
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: EXTRACT_DIR });
  pyodide.runPython(`import sys\nif "${EXTRACT_DIR}" not in sys.path: sys.path.insert(0, "${EXTRACT_DIR}")`);
  engine = pyodide.pyimport("refhost.engines.pyodide");
  if (fromSnapshot) await warmUp();
  return fromSnapshot;
}

/**
 * One run of the hello example, its output dropped. Started from a snapshot,
 * no Python code has run yet, so the engine compiles the interpreter's
 * paths (wasm functions compile on first call) during the first run: 1–4 s
 * on a busy machine, against 0.1–0.4 s for the next. Done here, that is
 * part of loading — which the page starts while idle — not of the first
 * cross-check. A failure is the first real run's to report.
 */
async function warmUp() {
  progress("Warming up the reference host…");
  const wasm = await fetchOptional(new URL("./examples/hello.wasm", import.meta.url));
  if (!wasm) return;
  const io = { write: () => {}, readStdin: () => new Uint8Array(0), isatty: () => false };
  try {
    await engine.run_job(JSON.stringify({ args: ["hello"], env: [], stdin: "", write_back: false }), wasm, io);
  } catch {
    // (the first real run says what is wrong)
  }
}

function base64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let p = 0;
  for (const c of chunks) { out.set(c, p); p += c.length; }
  return out;
}

const loading = load().then(
  (snapshot) => self.postMessage({ type: "ready", snapshot }),
  (err) => self.postMessage({ type: "load-error", message: `Pyodide did not load: ${err.message}` }),
);

self.onmessage = async ({ data: msg }) => {
  if (msg.type !== "run") return;
  await loading;
  const out = { 1: [], 2: [] };
  const io = {
    write: (fd, u8) => out[fd].push(u8.slice()),
    readStdin: () => new Uint8Array(0),
    isatty: () => false,
  };
  const job = {
    args: msg.argv, env: Object.entries(msg.env), tree: msg.tree, preopens: Object.entries(msg.preopens),
    stdin: base64(msg.stdin), write_back: true,
  };
  try {
    const started = performance.now();
    const r = JSON.parse(await engine.run_job(JSON.stringify(job), msg.wasm, io));
    const ms = performance.now() - started;
    if (r.usage) throw new Error(r.usage);
    // The lines every host adds (harness/hosts/pyodide_node.py `finish`).
    const encoder = new TextEncoder();
    if (r.trap !== undefined) out[2].push(encoder.encode(`wasi-polyfill: trap: ${r.trap}\n`));
    if (r.error !== undefined) out[2].push(encoder.encode(`wasi-polyfill: error: ${r.error}\n`));
    self.postMessage({
      type: "exit", id: msg.id, code: r.trap !== undefined ? null : r.error !== undefined ? 1 : r.status,
      trap: r.trap !== undefined ? `trap: ${r.trap}` : null, ms,
      stdout: concat(out[1]), stderr: concat(out[2]), tree: r.trees[0],
    });
  } catch (err) {
    self.postMessage({ type: "error", id: msg.id, message: err.message });
  }
};
