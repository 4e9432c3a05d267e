// Runs a WASI command under Node's own `node:wasi` (uvwasi), for
// `--host node-wasi` (harness/hosts/node_wasi.py).
//
// usage: node node_wasi_run.mjs CONFIG_JSON
//   CONFIG_JSON = {"program": path, "argv": [...], "env": [[name, value]...],
//                  "dirs": [[hostDir, guestDir]...], "trapUnknownImports": bool}
// Exit status: the guest's exit code & 0xFF; a trap prints one line
// `wasi-polyfill: trap: <message>` to stderr and exits 134.
import { readFile } from "node:fs/promises";
import { WASI } from "node:wasi";
// The exit rules and --trap-unknown-imports of every host (the job runner's).
import { TRAP_STATUS, USAGE_STATUS, withUnknownImportsTrapping } from "../../polyfill/src/run/job.js";

function fail(message, status) {
  process.stderr.write(`wasi-polyfill: ${message}\n`);
  process.exitCode = status;
}

async function main() {
  const config = JSON.parse(process.argv[2]);
  const preopens = {};
  for (const [hostDir, guestDir] of config.dirs) preopens[guestDir] = hostDir;
  const wasi = new WASI({
    version: "preview1",
    args: config.argv,
    env: Object.fromEntries(config.env),
    preopens,
    returnOnExit: true,
    stdin: 0,
    stdout: 1,
    stderr: 2,
  });
  let module;
  try {
    module = await WebAssembly.compile(await readFile(config.program));
  } catch (e) {
    return fail(`error: ${config.program}: not a loadable WebAssembly module: ${e.message}`, USAGE_STATUS);
  }
  let instance;
  try {
    let imports = wasi.getImportObject();
    if (config.trapUnknownImports) imports = withUnknownImportsTrapping(module, imports);
    instance = await WebAssembly.instantiate(module, imports);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) return fail(`trap: ${firstLine(e)}`, TRAP_STATUS);
    return fail(`error: ${config.program}: cannot instantiate: ${firstLine(e)}`, USAGE_STATUS);
  }
  let code;
  try {
    code = wasi.start(instance);
  } catch (e) {
    // node:wasi reports its own misuse (no _start, no memory) as TypeError etc.;
    // everything thrown out of the guest's run counts as a trap, as in wasmtime.
    return fail(`trap: ${firstLine(e)}`, TRAP_STATUS);
  }
  process.exitCode = (code ?? 0) & 0xff;
}

function firstLine(e) {
  return String(e && e.message !== undefined ? e.message : e).split("\n")[0];
}

await main();
