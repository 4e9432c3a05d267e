// A browser host's worker for the reference host (refhost/) under Pyodide:
// Pyodide and the refhost bundle load once, then each job runs through
// refhost.engines.pyodide.run_job, as `--host pyodide-node` runs it in Node.
//
// job.pyodide: { bundle: URL of the refhost zip, snapshot: URL of a memory
// snapshot or null, upload: URL to PUT a new snapshot to (a job that only
// makes the snapshot, in a worker of its own) }.
import { stdinReader } from "./stdin.js";

const EXTRACT_DIR = "/lib/refhost_bundle";
// Imported before a snapshot is taken, so a start from it has them ready.
const PRELOAD = ["refhost", "refhost.wasi", "refhost.job", "refhost.generated.trace", "json", "base64"];
const quiet = { stdout: () => {}, stderr: () => {} };
let pyodide = null;

async function unpack(py, bundleUrl) {
  const pkg = new Uint8Array(await (await fetch(bundleUrl)).arrayBuffer());
  py.unpackArchive(pkg, "zip", { extractDir: EXTRACT_DIR });
  py.runPython(`import sys\nif "${EXTRACT_DIR}" not in sys.path: sys.path.insert(0, "${EXTRACT_DIR}")`);
}

async function start(cfg) {
  const { loadPyodide } = await import("/pyodide/pyodide.mjs");
  if (cfg.snapshot) {
    try {
      const snap = new Uint8Array(await (await fetch(cfg.snapshot)).arrayBuffer());
      const py = await loadPyodide({ indexURL: "/pyodide/", ...quiet, _loadSnapshot: snap });
      await unpack(py, cfg.bundle);
      return py;
    } catch {
      // a stale or damaged snapshot: start the ordinary way
    }
  }
  const py = await loadPyodide({ indexURL: "/pyodide/", ...quiet });
  await unpack(py, cfg.bundle);
  return py;
}

/** A memory snapshot with the package imported (Pyodide's private _makeSnapshot), PUT to cfg.upload. */
async function makeSnapshot(cfg) {
  const { loadPyodide } = await import("/pyodide/pyodide.mjs");
  const py = await loadPyodide({ indexURL: "/pyodide/", ...quiet, _makeSnapshot: true });
  await unpack(py, cfg.bundle);
  py.runPython(PRELOAD.map((m) => `import ${m}`).join("\n"));
  const snap = py.makeMemorySnapshot();
  const r = await fetch(cfg.upload, { method: "PUT", body: snap });
  if (!r.ok) throw new Error(`snapshot upload: HTTP ${r.status}`);
  return snap.length;
}

self.onmessage = async ({ data: { job, api = "" } }) => {
  let result;
  try {
    if (job.pyodide.upload) {
      result = { snapshot: await makeSnapshot(job.pyodide) };
    } else {
      const t0 = performance.now();
      pyodide ??= await start(job.pyodide);
      const startupMs = performance.now() - t0;
      const engine = pyodide.pyimport("refhost.engines.pyodide");
      const response = await fetch(`${api}/api/job/${job.id}/program`, { cache: "no-store" });
      if (!response.ok) throw new Error(`the program did not load: HTTP ${response.status}`);
      const wasm = new Uint8Array(await response.arrayBuffer());
      const io = {
        write(fd, u8) {
          const bytes = u8.slice();
          postMessage({ out: fd, bytes }, [bytes.buffer]);
        },
        readStdin: stdinReader(job.id, api),
        isatty: () => false,
      };
      const answer = await engine.run_job(job.refhost_job, wasm, io);
      result = { refhost: JSON.parse(answer), startup_ms: startupMs };
      // The run's proxies of the guest's instance and memory sit in reference
      // cycles; collected now, V8 can free each run's wasm memory (else a long
      // session ran out of address space for new ones after ~130 runs).
      pyodide.runPython("import gc; gc.collect()");
    }
  } catch (e) {
    result = { internal: String(e?.message ?? e).split("\n").filter(Boolean).pop() ?? "error" };
  }
  postMessage({ result });
};
