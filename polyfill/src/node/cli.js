#!/usr/bin/env node
// wasi-polyfill's Node runner, flags spelled as `wasmtime run`'s:
//
//   node polyfill/src/node/cli.js run [--dir HOST_DIR[::GUEST_DIR]]... [--env NAME[=VALUE]]...
//        [--write-back] [--trace] [--deterministic] [--] PROGRAM.wasm [ARGS...]
//
// Each --dir is copied into one MemFS and preopened at GUEST_DIR (default:
// the HOST_DIR string). stdio is the process's fds 0-2; argv[0] is PROGRAM as
// given. Exit status: the guest's exit code; 134 after a trap (one line
// `wasi-polyfill: trap: <message>` on stderr); 1 when proc_exit is given a
// status ≥ 126 (as wasmtime); 2 for a usage mistake (one line
// `wasi-polyfill: error: ...`). With --write-back each host dir is made to
// match its final in-memory tree once the guest has ended, however it ended
// (exit, trap): wasmtime works on the host files directly, so what the guest
// did before a trap stays done (spec/RATIONALE.md, "CLI"). --deterministic:
// clocks, random bytes, file times and inode numbers as spec/RATIONALE.md,
// "Deterministic mode" defines them.
import * as fs from "node:fs";
import { WASI, MemFS, WasiExit, InvalidExitStatus, loadHostDir, writeBackHostDir } from "./index.js";
import { DETERMINISTIC_REALTIME_START } from "../clocks.js";

const USAGE = "usage: cli.js run [--dir HOST_DIR[::GUEST_DIR]]... [--env NAME=VALUE]... [--write-back] [--trace] [--deterministic] [--] PROGRAM.wasm [ARGS...]";
const TRAP_STATUS = 134;
const USAGE_STATUS = 2;

class UsageError extends Error {}

function parse(argv) {
  if (argv[0] !== "run") throw new UsageError(argv.length ? `unknown command ${JSON.stringify(argv[0])}` : USAGE);
  const o = { dirs: [], env: [], writeBack: false, trace: false, deterministic: false, program: null, args: [] };
  let i = 1;
  const value = (flag, inline) => {
    if (inline !== undefined) return inline;
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") { i++; break; }
    if (!a.startsWith("-") || a === "-") break;
    const eq = a.indexOf("=");
    const flag = a.startsWith("--") && eq !== -1 ? a.slice(0, eq) : a;
    const inline = flag !== a ? a.slice(eq + 1) : undefined;
    switch (flag) {
      case "--dir": {
        const v = value(flag, inline);
        const sep = v.indexOf("::");
        const host = sep === -1 ? v : v.slice(0, sep);
        const guest = sep === -1 ? v : v.slice(sep + 2);
        if (!host) throw new UsageError(`--dir ${JSON.stringify(v)}: empty host directory`);
        o.dirs.push([host, guest || host]);
        break;
      }
      case "--env": {
        const v = value(flag, inline);
        const k = v.indexOf("=");
        const name = k === -1 ? v : v.slice(0, k);
        if (!name) throw new UsageError(`--env ${JSON.stringify(v)}: expected NAME=VALUE`);
        if (k === -1) {
          if (!(name in process.env)) throw new UsageError(`--env ${name}: not set in this environment`);
          o.env.push([name, process.env[name]]);
        } else {
          o.env.push([name, v.slice(k + 1)]);
        }
        break;
      }
      case "--write-back":
        if (inline !== undefined) throw new UsageError("--write-back takes no value");
        o.writeBack = true;
        break;
      case "--trace":
        if (inline !== undefined) throw new UsageError("--trace takes no value");
        o.trace = true;
        break;
      case "--deterministic":
        if (inline !== undefined) throw new UsageError("--deterministic takes no value");
        o.deterministic = true;
        break;
      default:
        throw new UsageError(`unknown flag ${JSON.stringify(a)} (${USAGE})`);
    }
  }
  if (i >= argv.length) throw new UsageError(`no program given (${USAGE})`);
  o.program = argv[i];
  o.args = argv.slice(i + 1);
  return o;
}

function loadModule(program) {
  let bytes;
  try {
    bytes = fs.readFileSync(program);
  } catch (e) {
    throw new UsageError(e.code === "ENOENT" ? `${program}: no such file` : `${program}: ${e.code === "EISDIR" ? "is a directory" : e.message}`);
  }
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) throw new UsageError(`${program}: not a WebAssembly module`);
  try {
    return new WebAssembly.Module(bytes);
  } catch (e) {
    throw new UsageError(`${program}: invalid WebAssembly module: ${firstLine(e.message)}`);
  }
}

function firstLine(s) {
  return String(s).split("\n")[0];
}

function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError || (e instanceof RangeError && /call stack/i.test(e.message));
}

function main(argv) {
  const o = parse(argv);
  const module = loadModule(o.program);
  const memfs = new MemFS(o.deterministic ? { clock: () => DETERMINISTIC_REALTIME_START } : {});
  // Deterministic mode numbers inodes from 1 in loading order; the MemFS root
  // holds the mounts only, the guest cannot reach it, and it takes no number.
  if (o.deterministic) memfs._nextIno = 1;
  const mounts = new Map(); // real host path -> MemFS path (one copy per host directory)
  const preopens = {};
  const order = [];
  for (const [host, guest] of o.dirs) {
    let real;
    try {
      real = fs.realpathSync(host);
      if (!fs.statSync(real).isDirectory()) throw new Error("not a directory");
    } catch (e) {
      throw new UsageError(`--dir ${host}: ${e.code === "ENOENT" ? "no such directory" : "not a directory"}`);
    }
    if (!mounts.has(real)) {
      const at = `/${mounts.size}`;
      mounts.set(real, at);
      loadHostDir(memfs, real, at, { times: !o.deterministic });
    }
    if (guest in preopens) throw new UsageError(`--dir: guest directory ${JSON.stringify(guest)} given twice`);
    preopens[guest] = mounts.get(real);
    order.push(guest);
  }
  const wasi = new WASI({
    version: "preview1",
    args: [o.program, ...o.args],
    env: Object.fromEntries(o.env),
    preopens,
    fs: memfs,
    stdin: 0,
    stdout: 1,
    stderr: 2,
    returnOnExit: true,
    deterministic: o.deterministic,
    trace: o.trace ? (line) => fs.writeSync(2, line + "\n") : undefined,
  });
  let instance;
  try {
    instance = new WebAssembly.Instance(module, wasi.getImportObject());
  } catch (e) {
    if (isTrap(e)) return trap(e); // a start function trapped
    throw new UsageError(`${o.program}: cannot instantiate: ${firstLine(e.message)}`);
  }
  if (typeof instance.exports._start !== "function") throw new UsageError(`${o.program}: no _start function exported (not a WASI command)`);
  if (!(instance.exports.memory instanceof WebAssembly.Memory)) throw new UsageError(`${o.program}: no memory exported as "memory" (a WASI command exports its memory)`);
  let status;
  try {
    status = wasi.start(instance);
  } catch (e) {
    if (e instanceof InvalidExitStatus) {
      fs.writeSync(2, `wasi-polyfill: error: ${e.message}\n`);
      status = 1;
    } else if (e instanceof WasiExit) {
      status = e.code;
    } else {
      status = trap(e);
    }
  }
  if (o.writeBack) for (const [real, at] of mounts) writeBackHostDir(memfs, at, real);
  return status;
}

function trap(e) {
  fs.writeSync(2, `wasi-polyfill: trap: ${firstLine(e?.message ?? e)}\n`);
  return TRAP_STATUS;
}

let status;
try {
  status = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    fs.writeSync(2, `wasi-polyfill: error: ${e.message}\n`);
    status = USAGE_STATUS;
  } else {
    fs.writeSync(2, `wasi-polyfill: error: internal error: ${firstLine(e?.stack ?? e)}\n`);
    status = 70;
  }
}
process.exitCode = status;
