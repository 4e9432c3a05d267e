// WAT → wasm bytes for the tests, through wasmtime's wat2wasm in the
// project's Python environment (.venv), cached per source text.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const venvPython = join(root, ".venv", "bin", "python");
const python = existsSync(venvPython) ? venvPython : "python3";
const cache = new Map();
let available;

/** Whether WAT can be compiled here (the wasmtime Python package is installed). */
export function watAvailable() {
  if (available === undefined) {
    try {
      execFileSync(python, ["-c", "import wasmtime"], { stdio: "ignore" });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/** Compile WAT text to wasm bytes. */
export function wat(text) {
  let bytes = cache.get(text);
  if (!bytes) {
    const out = execFileSync(python, ["-c", "import sys, wasmtime; sys.stdout.buffer.write(wasmtime.wat2wasm(sys.stdin.read()))"], { input: text, maxBuffer: 1 << 26 });
    bytes = new Uint8Array(out);
    cache.set(text, bytes);
  }
  return bytes;
}

/** Compile several WAT texts in one Python run (faster than one process each). */
export function watMany(texts) {
  const todo = texts.filter((t) => !cache.has(t));
  if (todo.length) {
    const script = "import sys, json, base64, wasmtime\nfor t in json.load(sys.stdin): print(base64.b64encode(wasmtime.wat2wasm(t)).decode())";
    const out = execFileSync(python, ["-c", script], { input: JSON.stringify(todo), maxBuffer: 1 << 26 }).toString().trim().split("\n");
    todo.forEach((t, i) => cache.set(t, new Uint8Array(Buffer.from(out[i], "base64"))));
  }
  return texts.map((t) => cache.get(t));
}
