// The JS side of the differential fuzzer (tests/fuzz/): runs batches of raw
// preview1 calls through the polyfill's import object over a bare
// WebAssembly.Memory — no module, the import functions called as a guest
// would call them — and reports what happened.
//
// Protocol: one JSON request per stdin line, one JSON reply per stdout line.
//   request: {"setup": {...}, "calls": [op, ...], "dump": bool}
//     setup: {"pages": n, "stdin": hex, "limits": {maxBytes, maxInodes, maxFds, maxFileSize},
//             "tree": [["dir", path] | ["file", path, hex] | ["symlink", target, path], ...],
//             "preopens": [[guest, fsPath], ...]}
//             "backend": "host" (optional: each preopened dir a HostDirectory, made in
//             "hostTmp" or the OS's temporary directory),
//             "mask": true (optional: backend-specific values masked, see maskBackendSpecific)}
//     op: ["poke", addr, hex] (write bytes into memory) or [name, [arg, ...]]
//         (i32 args as Numbers, i64 args as decimal strings; both signed, as
//         wasm hands them to JS)
//   reply: {"results": [errno | "trap" | "exit" | "crash: msg", ...] (one per call op),
//           "mem": sha1 of memory, "memory": hex (with "dump"), "tree": {...},
//           "stdout": hex, "stderr": hex,
//           "masked": [record, ...] (with "mask": what maskBackendSpecific took out)}
// Each request runs on a fresh memory, MemFS and WASI, in deterministic mode.
import { createHash } from "node:crypto";
import { createInterface } from "node:readline";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WASI, MemFS } from "../../polyfill/src/index.js";
import { HostDirectory } from "../../polyfill/src/node/hostdir.js";
import { writeBackHostDir } from "../../polyfill/src/node/hostfs.js";
import { WasiExit } from "../../polyfill/src/syscalls/proc.js";
import { filetype } from "../../polyfill/src/generated/constants.js";
import { layouts } from "../../polyfill/src/generated/layouts.js";

const REALTIME_START = 1_700_000_000_000_000_000n;

function hex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

function unhex(s) {
  return new Uint8Array(Buffer.from(s, "hex"));
}

function dumpTree(inode) {
  inode.refresh();
  const node = {
    ino: Number(inode.ino), nlink: Number(inode.nlink), size: inode.statSize,
    atim: inode.atim.toString(), mtim: inode.mtim.toString(), ctim: inode.ctim.toString(),
  };
  if (inode.type === filetype.directory) {
    node.type = "dir";
    node.entries = [...inode.entries].map(([name, child]) => [name, dumpTree(child)]);
  } else if (inode.type === filetype.symbolic_link) {
    node.type = "symlink";
    node.target = inode.target;
  } else {
    node.type = "file";
    node.data = hex(inode.bytes());
  }
  return node;
}

const FILESTAT = layouts.filestat, DIRENT = layouts.dirent;

/**
 * The one place the backends fuzzer (fuzz/backends.py) masks what is
 * legitimately the backend's own: after a successful call that writes such
 * values into guest memory — the inode number and times of a filestat (and
 * a directory's size), an fd_readdir listing (d_ino, and the order, which is
 * the host's readdir order, and so bufused too) — they are recorded and replaced by zeros, on
 * both sides alike, before the program goes on. So they never reach memory,
 * files, names or the output, wherever the program would copy them, and
 * everything else compares exactly: every result, the whole memory, the
 * output's bytes, the trees. What was taken out is returned (a record per
 * call) and checked apart by fuzz/backends.py: the listings must hold the
 * same entries, and the inode numbers must correspond one to one.
 * `dev`, the file type, link count and a file's size stay in memory (the
 * same on both sides: a HostDirectory reports the backend's `dev`, 1).
 */
function maskBackendSpecific(name, args, result, memory, index, masked) {
  const u8 = new Uint8Array(memory.buffer);
  const dv = new DataView(memory.buffer);
  const zero = (at, n) => u8.fill(0, at, at + n);
  if (result === "trap") {
    // fd_readdir writes its buffer before a bad bufused traps: masked whole, nothing recorded
    if (name === "fd_readdir") zero(args[1] >>> 0, args[2] >>> 0);
    return;
  }
  if (result !== 0) return;
  if (name === "fd_filestat_get" || name === "path_filestat_get") {
    const at = args[args.length - 1] >>> 0;
    const o = FILESTAT.offsets;
    const type = u8[at + o.filetype];
    masked.push([index, "stat", dv.getBigUint64(at + o.ino, true).toString()]);
    for (const f of ["ino", "atim", "mtim", "ctim"]) zero(at + o[f], 8);
    if (type === filetype.directory) zero(at + o.size, 8);
  } else if (name === "fd_readdir") {
    const buf = args[1] >>> 0, bufLen = args[2] >>> 0;
    const used = dv.getUint32(args[4] >>> 0, true);
    const entries = [];
    // whole entries only (a listing that fills the buffer ends with a cut one)
    for (let at = buf; at + DIRENT.size <= buf + used;) {
      const n = dv.getUint32(at + DIRENT.offsets.d_namlen, true);
      if (at + DIRENT.size + n > buf + used) break;
      entries.push([Buffer.from(u8.subarray(at + DIRENT.size, at + DIRENT.size + n)).toString("hex"),
        u8[at + DIRENT.offsets.d_type], dv.getBigUint64(at + DIRENT.offsets.d_ino, true).toString(),
        dv.getBigUint64(at + DIRENT.offsets.d_next, true).toString()]);
      at += DIRENT.size + n;
    }
    masked.push([index, "dir", String(args[3]), used < bufLen, entries, used]);
    // from cookie 0 both sides write the same number of bytes; from another, what is
    // left depends on the order: the whole buffer (within memory) is masked then
    zero(buf, args[3] === 0n ? used : bufLen);
    zero(args[4] >>> 0, 4);
  }
}

function run(req) {
  const setup = req.setup;
  const limits = setup.limits ?? {};
  const fs = new MemFS({
    clock: () => REALTIME_START,
    maxBytes: limits.maxBytes ?? undefined,
    maxInodes: limits.maxInodes ?? undefined,
    maxFileSize: limits.maxFileSize ?? undefined,
  });
  fs._nextIno = 1; // the MemFS root holds the mounts only and takes no number (as cli.js)
  for (const op of setup.tree) {
    if (op[0] === "dir") fs.mkdirSync(op[1]);
    else if (op[0] === "file") fs.writeFileSync(op[1], unhex(op[2]));
    else if (op[0] === "symlink") fs.symlinkSync(op[1], op[2]);
    else throw new Error(`bad tree op ${op[0]}`);
  }
  // backend "host": each preopened directory is a live host directory (a
  // HostDirectory over a temporary copy of its tree), for fuzz/backends.py
  const hostDirs = [];
  if (setup.backend === "host") {
    for (const at of new Set(setup.preopens.map(([, at]) => at))) {
      const dir = mkdtempSync(join(setup.hostTmp ?? tmpdir(), "fuzz-host-"));
      writeBackHostDir(fs, at, dir);
      const backend = new HostDirectory(dir);
      // MemFS's file-size limit on both sides: the host's own (up to 8 EiB on
      // tmpfs) let a pwrite far out make a sparse file of terabytes, which no
      // tree dump can hold (a CI run's driver died on it: RangeError: Invalid
      // string length), and made EFBIG vs success a difference of
      // configuration, not of behaviour.
      backend.maxFileSize = fs.maxFileSize;
      fs.mountSync(at, backend);
      hostDirs.push([dir, backend]);
    }
  }
  try {
    return runOn(fs, setup, limits, req);
  } finally {
    for (const [dir, backend] of hostDirs) {
      backend.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function runOn(fs, setup, limits, req) {
  const out = { stdout: [], stderr: [] };
  const wasi = new WASI({
    version: "preview1",
    args: setup.args ?? ["fuzz"],
    env: setup.env ?? {},
    preopens: Object.fromEntries(setup.preopens),
    fs,
    stdin: unhex(setup.stdin ?? ""),
    stdout: (b) => out.stdout.push(Buffer.from(b)),
    stderr: (b) => out.stderr.push(Buffer.from(b)),
    deterministic: true,
    maxFds: limits.maxFds ?? undefined,
  });
  const memory = new WebAssembly.Memory({ initial: setup.pages ?? 1 });
  wasi.initialize({ exports: { memory } });
  const imports = wasi.wasiImport;
  const results = [];
  const masked = [];
  for (const op of req.calls) {
    const name = op[0];
    if (name === "poke") {
      new Uint8Array(memory.buffer).set(unhex(op[2]), op[1]);
      continue;
    }
    const args = op[1].map((a) => (typeof a === "string" ? BigInt(a) : a));
    try {
      const r = imports[name](...args);
      results.push(r);
      if (setup.mask) maskBackendSpecific(name, args, r, memory, results.length - 1, masked);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        results.push("trap");
        if (setup.mask) maskBackendSpecific(name, args, "trap", memory, results.length - 1, masked);
      }
      else if (e instanceof WasiExit) results.push("exit");
      else results.push(`crash: ${e?.stack ?? e}`);
    }
  }
  const u8 = new Uint8Array(memory.buffer);
  const reply = {
    results,
    mem: createHash("sha1").update(u8).digest("hex"),
    tree: setup.preopens.map(([, at]) => dumpTree(fs.statAt(fs.root, at, false, false))),
    stdout: Buffer.concat(out.stdout).toString("hex"),
    stderr: Buffer.concat(out.stderr).toString("hex"),
  };
  // (not in the backends fuzzer's runs: its cost is a tenth of a short program's)
  if (!setup.mask) reply.rss = process.memoryUsage.rss();
  if (setup.mask) reply.masked = masked;
  if (req.dump) reply.memory = hex(u8);
  return reply;
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  let reply;
  try {
    reply = run(JSON.parse(line));
  } catch (e) {
    reply = { error: String(e?.stack ?? e) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
