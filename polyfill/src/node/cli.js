#!/usr/bin/env node
// wasi-polyfill's Node runner, flags spelled as `wasmtime run`'s:
//
//   node polyfill/src/node/cli.js run [--dir HOST_DIR[::GUEST_DIR]]... [--env NAME[=VALUE]]...
//        [--argv0 NAME] [--trap-unknown-imports] [--write-back] [--trace] [--deterministic]
//        [--] PROGRAM.wasm [ARGS...]
//
// It reads each --dir as a tree (node/hostfs.js), runs the job with the
// shared job runner (run/job.js: exit status, trap and error lines as every
// host gives them), and with --write-back makes each host dir match its final
// tree, however the guest ended (exit, trap): wasmtime works on the host
// files directly, so what the guest did before a trap stays done
// (spec/RATIONALE.md, "CLI"). stdio is the process's fds 0-2, read and
// written as the guest asks; argv[0] is PROGRAM as given unless --argv0.
// --deterministic: clocks, random bytes, file times and inode numbers as
// spec/RATIONALE.md, "Deterministic mode" defines them.
import * as fs from "node:fs";
import { WASI } from "./index.js";
import { FdInput, FdOutput } from "./stdio.js";
import { readHostTree, applyHostTree } from "./hostfs.js";
import { runJob, compileProgram, JobError, USAGE_STATUS, INTERNAL_STATUS, firstLine } from "../run/job.js";

const USAGE = "usage: cli.js run [--dir HOST_DIR[::GUEST_DIR]]... [--env NAME[=VALUE]]... [--argv0 NAME] "
  + "[--trap-unknown-imports] [--write-back] [--trace] [--deterministic] [--] PROGRAM.wasm [ARGS...]";

const FLAGS = new Set(["--write-back", "--trace", "--deterministic", "--trap-unknown-imports"]);

function parse(argv) {
  if (argv[0] !== "run") throw new JobError(argv.length ? `unknown command ${JSON.stringify(argv[0])}` : USAGE);
  const o = { dirs: [], env: [], argv0: null, flags: new Set(), program: null, args: [] };
  let i = 1;
  const value = (flag, inline) => {
    if (inline !== undefined) return inline;
    if (i + 1 >= argv.length) throw new JobError(`${flag} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") { i++; break; }
    if (!a.startsWith("-") || a === "-") break;
    const eq = a.indexOf("=");
    const flag = a.startsWith("--") && eq !== -1 ? a.slice(0, eq) : a;
    const inline = flag !== a ? a.slice(eq + 1) : undefined;
    if (FLAGS.has(flag)) {
      if (inline !== undefined) throw new JobError(`${flag} takes no value`);
      o.flags.add(flag);
      continue;
    }
    switch (flag) {
      case "--dir": {
        const v = value(flag, inline);
        const sep = v.indexOf("::");
        const host = sep === -1 ? v : v.slice(0, sep);
        const guest = sep === -1 ? v : v.slice(sep + 2);
        if (!host) throw new JobError(`--dir ${JSON.stringify(v)}: empty host directory`);
        o.dirs.push([host, guest || host]);
        break;
      }
      case "--env": {
        const v = value(flag, inline);
        const k = v.indexOf("=");
        const name = k === -1 ? v : v.slice(0, k);
        if (!name) throw new JobError(`--env ${JSON.stringify(v)}: expected NAME=VALUE or NAME`);
        if (k === -1) {
          // NAME alone passes the host's variable through, as wasmtime does
          if (!(name in process.env)) throw new JobError(`--env ${name}: not set in this environment`);
          o.env.push([name, process.env[name]]);
        } else {
          o.env.push([name, v.slice(k + 1)]);
        }
        break;
      }
      case "--argv0":
        o.argv0 = value(flag, inline);
        break;
      default:
        throw new JobError(`unknown flag ${JSON.stringify(a)} (${USAGE})`);
    }
  }
  if (i >= argv.length) throw new JobError(`no program given (${USAGE})`);
  o.program = argv[i];
  o.args = argv.slice(i + 1);
  return o;
}

function readProgram(program) {
  try {
    return fs.readFileSync(program);
  } catch (e) {
    throw new JobError(e.code === "ENOENT" ? `${program}: no such file` : `${program}: ${e.code === "EISDIR" ? "is a directory" : e.message}`);
  }
}

/** The host dirs as [real path, MemFS path] (one copy per real directory) and the preopens. */
function mountsOf(dirs) {
  const mounts = new Map(); // real host path -> MemFS path
  const preopens = [];
  for (const [host, guest] of dirs) {
    let real;
    try {
      real = fs.realpathSync(host);
      if (!fs.statSync(real).isDirectory()) throw new Error("not a directory");
    } catch (e) {
      throw new JobError(`--dir ${host}: ${e.code === "ENOENT" ? "no such directory" : "not a directory"}`);
    }
    if (!mounts.has(real)) mounts.set(real, `/${mounts.size}`);
    preopens.push([guest, mounts.get(real)]);
  }
  return { mounts: [...mounts], preopens };
}

async function main(argv) {
  const o = parse(argv);
  const module = await compileProgram(readProgram(o.program), o.program);
  const { mounts, preopens } = mountsOf(o.dirs);
  const job = {
    program: o.program,
    module,
    args: [o.argv0 ?? o.program, ...o.args],
    env: o.env,
    mounts: mounts.map(([real, at]) => ({ at, tree: readHostTree(real) })),
    preopens,
    deterministic: o.flags.has("--deterministic"),
    trace: o.flags.has("--trace"),
    writeBack: o.flags.has("--write-back"),
    trapUnknownImports: o.flags.has("--trap-unknown-imports"),
  };
  const { status, trees } = await runJob(job, { WASI, stdin: new FdInput(0), stdout: new FdOutput(1), stderr: new FdOutput(2) });
  if (trees) mounts.forEach(([real], k) => applyHostTree(real, trees[k]));
  return status;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof JobError) {
    fs.writeSync(2, `wasi-polyfill: error: ${e.message}\n`);
    process.exitCode = USAGE_STATUS;
  } else {
    fs.writeSync(2, `wasi-polyfill: error: internal error: ${firstLine(e?.stack ?? e)}\n`);
    process.exitCode = INTERNAL_STATUS;
  }
}
