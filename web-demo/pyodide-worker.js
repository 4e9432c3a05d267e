// The cross-check's second host: the Python reference host
// (`refhost`) under Pyodide, in a worker of its own. Pyodide
// comes from ../node_modules/pyodide/ and the package from refhost.zip (the
// zip harness/hosts/pyodide_bundle.py builds for every Pyodide host,
// copied here by harness/web_demo.py): nothing is fetched from anywhere else.
//
// page -> worker  { type: "run", id, wasm: Uint8Array, argv, env, preopens, tree, stdin: Uint8Array }
// worker -> page  { type: "ready" } | { type: "load-error", message }
//                 { type: "exit", id, code, trap, ms, stdout, stderr, tree }
//                 { type: "error", id, message }

import { loadPyodide } from "../node_modules/pyodide/pyodide.mjs";

// Runs one program the way worker.js does on the polyfill: a fresh MemFS from
// the tree, stdin given up front, stdout/stderr collected; then the final
// tree, in tree.js's format.
const DRIVER = `
import time
from refhost import BufferOutput, BytesInput, MemFS, Trap, Wasi
from refhost.errors import InvalidExitStatus
from refhost.vfs.inode import Directory, File, Symlink


def as_bytes(value):
    return value.to_bytes() if hasattr(value, "to_bytes") else bytes(value)


def load_tree(fs, entries):
    for e in entries:
        if e["type"] == "dir":
            fs.mkdir_p(e["path"])
        elif e["type"] == "file":
            fs.write_file(e["path"], as_bytes(e["data"]))
        elif e["type"] == "symlink":
            fs.symlink(e["target"], e["path"])


def serialize_tree(fs):
    out = []

    def walk(d, prefix):
        for name, inode in d.listing():
            path = prefix + "/" + name
            if isinstance(inode, Symlink):
                out.append({"path": path, "type": "symlink", "target": inode.target})
            elif isinstance(inode, Directory):
                out.append({"path": path, "type": "dir"})
                walk(inode, path)
            elif isinstance(inode, File):
                out.append({"path": path, "type": "file", "data": inode.read(0, inode.size)})

    walk(fs.root, "")
    return out


async def run_demo(wasm, argv, env, preopens, tree, stdin):
    from refhost.engines import pyodide as engine

    fs = MemFS()
    load_tree(fs, tree)
    stdout, stderr = BufferOutput(), BufferOutput()
    wasi = Wasi(args=argv, env=env, preopens=preopens, fs=fs,
                stdin=BytesInput(as_bytes(stdin)), stdout=stdout, stderr=stderr)
    code = trap = None
    started = time.perf_counter()
    try:
        code = await engine.run(as_bytes(wasm), wasi)
    except Trap as e:
        trap = f"trap: {e}"
    except InvalidExitStatus as e:  # proc_exit >= 126: fails the run, as in wasmtime
        trap = f"InvalidExitStatus: {e}"
    ms = (time.perf_counter() - started) * 1000
    return {"code": code, "trap": trap, "ms": ms, "stdout": stdout.getvalue(),
            "stderr": stderr.getvalue(), "tree": serialize_tree(fs)}
`;

const EXTRACT_DIR = "/lib/refhost_bundle";
let runDemo;

async function load() {
  const pyodide = await loadPyodide({ indexURL: new URL("../node_modules/pyodide/", import.meta.url).href });
  const response = await fetch(new URL("./refhost.zip", import.meta.url));
  if (!response.ok) {
    throw new Error(`refhost.zip: ${response.status} ${response.statusText} (built by web-demo/harness/web_demo.py)`);
  }
  // Where hosts/pyodide_browser.py and pyodide_node_run.mjs unpack it too.
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: EXTRACT_DIR });
  pyodide.runPython(`import sys\nif "${EXTRACT_DIR}" not in sys.path: sys.path.insert(0, "${EXTRACT_DIR}")`);
  pyodide.runPython(DRIVER);
  const fn = pyodide.globals.get("run_demo");
  const { toPy } = pyodide;
  runDemo = async (msg) => {
    const args = [msg.wasm, msg.argv, msg.env, msg.preopens, msg.tree, msg.stdin].map((v) => toPy(v, { depth: 8 }));
    const result = await fn(...args);
    try {
      return result.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
    } finally {
      result.destroy();
      for (const a of args) a?.destroy?.();
    }
  };
}

const loading = load().then(
  () => self.postMessage({ type: "ready" }),
  (err) => self.postMessage({ type: "load-error", message: `Pyodide did not load: ${err.message}` }),
);

self.onmessage = async ({ data: msg }) => {
  if (msg.type !== "run") return;
  await loading;
  try {
    const r = await runDemo(msg);
    self.postMessage({ type: "exit", id: msg.id, code: r.code ?? null, trap: r.trap ?? null, ms: r.ms,
                       stdout: r.stdout, stderr: r.stderr, tree: r.tree });
  } catch (err) {
    self.postMessage({ type: "error", id: msg.id, message: err.message });
  }
};
