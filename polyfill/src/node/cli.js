#!/usr/bin/env node
// wasi-polyfill's Node runner, flags spelled as `wasmtime run`'s:
//
//   node polyfill/src/node/cli.js run [--dir HOST_DIR[::GUEST_DIR]]... [--env NAME[=VALUE]]...
//        [--argv0 NAME] [--trap-unknown-imports] [--write-back] [--trace] [--deterministic]
//        [--async] [--] PROGRAM.wasm [ARGS...]
//
// Each --dir is the live host directory (node/hostdir.js, mounted in the
// job's MemFS): the guest works on the real files, as under wasmtime. With
// --write-back each --dir is read into memory instead (node/hostfs.js) and
// the host dir made to match its final tree at the end, however the guest
// ended (exit, trap): what the guest did before a trap stays done, as under
// wasmtime (spec/RATIONALE.md, "CLI"). --deterministic also runs on the
// in-memory copy (its inode numbers and file times are not a real file's),
// and leaves the host dir untouched unless --write-back. The job runs in the
// shared job runner (run/job.js: exit status, trap and error lines as every
// host gives them). stdio is the process's fds 0-2, read and written as the
// guest asks; argv[0] is PROGRAM as given unless --argv0.
// --deterministic: clocks, random bytes, file times and inode numbers as
// spec/RATIONALE.md, "Deterministic mode" defines them. --async: async mode
// (JSPI, Node 26+): stdin read by an async function, stdout a WritableStream.
// A --dir that is an http(s):// URL is a UrlDirectory (vfs/urldir.js): the
// read-only tree served there, fetched as the guest reads it, with or
// without --write-back (there is nothing to write back).
import * as fs from "node:fs";
import { WASI } from "./index.js";
import { FdInput, FdOutput } from "./stdio.js";
import { readHostTree, applyHostTree } from "./hostfs.js";
import { HostDirectory } from "./hostdir.js";
import { UrlDirectory } from "./index.js";
import { runJob, compileProgram, JobError, USAGE_STATUS, INTERNAL_STATUS, firstLine } from "../run/job.js";

const USAGE = "usage: cli.js run [--dir HOST_DIR[::GUEST_DIR]]... [--env NAME[=VALUE]]... [--argv0 NAME] "
  + "[--trap-unknown-imports] [--write-back] [--trace] [--deterministic] [--async] [--] PROGRAM.wasm [ARGS...]";

const FLAGS = new Set(["--write-back", "--trace", "--deterministic", "--trap-unknown-imports", "--async"]);

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
        // HOST::GUEST; in a URL with an IPv6 host ("http://[::1]:8000/t::/lib") the separator is after the "]"
        const sep = v.indexOf("::", isUrl(v) && /^[a-z]+:\/\/\[/i.test(v) ? v.indexOf("]") + 1 : 0);
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
    if (isUrl(host)) {
      if (!mounts.has(host)) mounts.set(host, `/${mounts.size}`);
      preopens.push([guest, mounts.get(host)]);
      continue;
    }
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

/** Is this --dir a URL (a UrlDirectory) rather than a host directory? */
function isUrl(dir) {
  return /^https?:\/\//i.test(dir);
}

/** The mount of one --dir: a UrlDirectory (with --async, one the guest waits for through JSPI), the live host dir, or its in-memory copy. */
function mountOf(hostOrUrl, at, live, async) {
  if (isUrl(hostOrUrl)) {
    try {
      return { at, backend: new UrlDirectory(hostOrUrl, { async }) };
    } catch (e) {
      throw new JobError(`--dir ${hostOrUrl}: ${e.message}`);
    }
  }
  return live ? { at, backend: new HostDirectory(hostOrUrl) } : { at, tree: readHostTree(hostOrUrl) };
}

/** --async: stdin read by an async function, stdout a WritableStream (fs's callbacks, no blocking). */
function asyncStdio() {
  const stdin = (max) => new Promise((resolve, reject) => {
    const buf = new Uint8Array(max);
    fs.read(0, buf, 0, max, null, (e, n) => (e ? reject(e) : resolve(n === 0 ? null : buf.subarray(0, n))));
  });
  const writeAll = (chunk) => new Promise((resolve, reject) => {
    const more = (offset) => fs.write(1, chunk, offset, chunk.length - offset, null, (e, n) => {
      if (e) reject(e);
      else if (offset + n < chunk.length) more(offset + n);
      else resolve();
    });
    more(0);
  });
  return { stdin, stdout: new WritableStream({ write: writeAll }) };
}

async function main(argv) {
  const o = parse(argv);
  const module = await compileProgram(readProgram(o.program), o.program);
  const { mounts, preopens } = mountsOf(o.dirs);
  const writeBack = o.flags.has("--write-back");
  // --deterministic fixes inode numbers and file times, which real files cannot have: it runs on the copy too
  const live = !writeBack && !o.flags.has("--deterministic");
  const job = {
    program: o.program,
    module,
    args: [o.argv0 ?? o.program, ...o.args],
    env: o.env,
    // Live host directories (as wasmtime), or with --write-back an in-memory
    // copy written back at the end (spec/RATIONALE.md, "CLI").
    mounts: mounts.map(([real, at]) => mountOf(real, at, live, o.flags.has("--async"))),
    preopens,
    deterministic: o.flags.has("--deterministic"),
    trace: o.flags.has("--trace"),
    writeBack,
    trapUnknownImports: o.flags.has("--trap-unknown-imports"),
    async: o.flags.has("--async"),
  };
  const stdio = job.async ? asyncStdio() : { stdin: new FdInput(0), stdout: new FdOutput(1) };
  let result;
  try {
    result = await runJob(job, { WASI, ...stdio, stderr: new FdOutput(2) });
  } catch (e) {
    if (e?.name === "WasiError" && /^E[A-Z]+: UrlDirectory /.test(e.message)) throw new JobError(`--dir: ${e.message}`); // its index
    throw e;
  }
  const { status, trees } = result;
  if (trees) mounts.forEach(([real], k) => trees[k] && applyHostTree(real, trees[k]));
  return status;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof JobError || e?.code === "ERR_WASI_JSPI_UNAVAILABLE") { // (--async on a Node without JSPI)
    fs.writeSync(2, `wasi-polyfill: error: ${e.message}\n`);
    process.exitCode = USAGE_STATUS;
  } else {
    fs.writeSync(2, `wasi-polyfill: error: internal error: ${firstLine(e?.stack ?? e)}\n`);
    process.exitCode = INTERNAL_STATUS;
  }
}
