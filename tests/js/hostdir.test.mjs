// HostDirectory (issue #15): a live host folder in the MemFS, and the Node
// WASI's `preopens: { guest: hostPath }` without `fs` (node:wasi's drop-in).
//
// The sandbox part runs the adversarial corpus programs (tests/corpus/*/adv_*,
// built into tests/js/probe by `make probes`) on host directories with a
// canary tree beside them (top/outside.txt, top/secret/, ...) and above
// them (../above.txt), the symlinks that point out repointed at the real
// canary paths. While the guest runs, every path the runtime hands to
// node:fs is recorded (the fs module's functions are wrapped and synced to
// the ES module namespace): each must lie inside a preopened directory, so
// the host is never asked about, let alone made to follow, anything outside.
// The canary's bytes, targets and times (atimes set older than mtimes, so
// that a read would move them under relatime) must be unchanged, no canary
// text may reach the output, and the program's output must be the same as
// on an in-memory copy of the same trees.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import * as nodefs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WASI, MemFS, HostDirectory } from "../../polyfill/src/node/index.js";
import { watAvailable, wat } from "./helpers/wat.mjs";

const { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, readFileSync, readdirSync, lstatSync, readlinkSync, existsSync, utimesSync, lutimesSync, opendirSync } = nodefs;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const TOOL = new WebAssembly.Module(readFileSync(join(here, "probe", "tool.wasm")));
const PROGRAMS = ["adv_paths", "adv_names", "adv_preopen", "adv_libc"];
const TOKEN = "CANARY-hostdir-outside";
const decoder = new TextDecoder();

function run(module, options) {
  const out = [], err = [];
  const wasi = new WASI({ version: "preview1", ...options, stdout: (b) => out.push(b), stderr: (b) => err.push(b) });
  const code = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
  return { code, stdout: decoder.decode(Buffer.concat(out)), stderr: decoder.decode(Buffer.concat(err)), wasi };
}

const tool = (dir, ...args) => run(TOOL, { preopens: { "/w": dir }, args: ["tool", ...args] });

/** The corpus's ADV_DIRS, from tests/corpus/cases.py (one source of truth). */
function advDirs() {
  const venv = join(root, ".venv", "bin", "python");
  const r = spawnSync(existsSync(venv) ? venv : "python3", ["-c",
    "import json, sys; sys.path.insert(0, 'tests'); from corpus.cases import ADV_DIRS; print(json.dumps(ADV_DIRS))"],
  { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cannot read ADV_DIRS: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Make `tree` under host dir `at` (absolute symlink targets moved under `top`). */
function fillHost(at, tree, top) {
  mkdirSync(at, { recursive: true });
  for (const [rel, value] of Object.entries(tree)) {
    const path = join(at, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof value === "string") writeFileSync(path, value);
    else if (value.symlink !== undefined) symlinkSync(value.symlink.startsWith("/") ? top + value.symlink : value.symlink, path);
    else mkdirSync(path, { recursive: true });
  }
}

/** The same in a MemFS, with the same (host) symlink targets. */
function fillMem(fs, at, tree, top) {
  fs.mkdirSync(at, { recursive: true });
  for (const [rel, value] of Object.entries(tree)) {
    const path = `${at}/${rel}`;
    fs.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    if (typeof value === "string") fs.writeFileSync(path, value);
    else if (value.symlink !== undefined) fs.symlinkSync(value.symlink.startsWith("/") ? top + value.symlink : value.symlink, path);
    else fs.mkdirSync(path, { recursive: true });
  }
}

/** Everything under `dir` but `skip` (names), as data: kinds, bytes, targets (reading moves atimes). */
function canary(dir, skip) {
  const out = {};
  for (const name of readdirSync(dir).sort()) {
    if (skip.has(join(dir, name))) continue;
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) out[name] = { entries: canary(p, skip) };
    else if (st.isSymbolicLink()) out[name] = { target: readlinkSync(p) };
    else out[name] = { bytes: readFileSync(p, "latin1") };
  }
  return out;
}

/** The times and link counts of everything under `dir` but `skip`, by lstat alone (moves nothing). */
function canaryTimes(dir, skip, names) {
  const out = {};
  for (const name of names) {
    const p = join(dir, name.path);
    const st = lstatSync(p, { bigint: true });
    out[name.path] = `${st.atimeNs}/${st.mtimeNs}/${st.ctimeNs}/${st.nlink}`;
  }
  return out;
}

/** The relative paths under `dir` but `skip`. */
function listAll(dir, skip, rel = "") {
  const out = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    if (skip.has(join(dir, path))) continue;
    out.push({ path });
    if (lstatSync(join(dir, path)).isDirectory()) out.push(...listAll(dir, skip, path));
  }
  return out;
}

/** Old atimes (before the mtimes), so that any read or listing would move them (relatime). */
function ageAtimes(dir, skip) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (skip.has(p)) continue;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) lutimesSync(p, 1000, 2000);
    else {
      if (st.isDirectory()) ageAtimes(p, skip);
      utimesSync(p, 1000, 2000);
    }
  }
}

const TWO_PATHS = new Set(["renameSync", "linkSync", "copyFileSync", "cpSync"]);

/** Record the path arguments of every node:fs call while `armed.on`. */
function spyOnFs(armed, paths) {
  const saved = {};
  for (const name of Object.keys(nodefs.default)) {
    const f = nodefs.default[name];
    if (typeof f !== "function" || !/Sync$/.test(name)) continue;
    saved[name] = f;
    const which = TWO_PATHS.has(name) ? [0, 1] : name === "symlinkSync" ? [1] : [0]; // a symlink's target is text, not a path
    nodefs.default[name] = function (...args) {
      if (armed.on) for (const k of which) if (typeof args[k] === "string") paths.push(`${name} ${args[k]}`);
      return f.apply(this, args);
    };
  }
  syncBuiltinESMExports();
  return () => {
    Object.assign(nodefs.default, saved);
    syncBuiltinESMExports();
  };
}

describe("sandbox on live host directories", () => {
  const armed = { on: false };
  const paths = [];
  let restore;
  before(() => { restore = spyOnFs(armed, paths); });
  after(() => restore());

  for (const name of PROGRAMS) {
    const wasmPath = join(here, "probe", `${name}.wasm`);
    test(`${name}: the host is asked about nothing outside the preopens, and nothing there changes`, { skip: !existsSync(wasmPath) && "run `make probes` first" }, () => {
      const base = mkdtempSync(join(tmpdir(), "hostdir-sandbox-"));
      const top = join(base, "top");
      mkdirSync(top);
      writeFileSync(join(base, "above.txt"), `${TOKEN} above\n`);
      writeFileSync(join(top, "outside.txt"), `${TOKEN} outside\n`);
      writeFileSync(join(top, "new.txt"), `${TOKEN} new\n`);
      fillHost(join(top, "secret"), { "key.txt": `${TOKEN} key\n`, "sub/deep.txt": `${TOKEN} deep\n`, "back": { symlink: "../sandbox" } }, top);
      fillHost(join(top, "beside"), { "b.txt": `${TOKEN} beside\n` }, top);
      const dirs = advDirs();
      const preopens = {};
      const mem = new MemFS();
      for (const [guest, tree] of Object.entries(dirs)) {
        fillHost(join(top, guest), tree, top);
        fillMem(mem, guest, tree, top);
        preopens[guest] = join(top, guest);
      }
      const skip = new Set(Object.values(preopens));
      const contentBefore = JSON.stringify(canary(base, skip));
      ageAtimes(base, skip);
      const names = listAll(base, skip);
      const timesBefore = canaryTimes(base, skip, names);
      const wasm = new WebAssembly.Module(readFileSync(wasmPath));

      paths.length = 0;
      armed.on = true;
      let r;
      try {
        r = run(wasm, { args: [name], preopens });
      } finally {
        armed.on = false;
      }
      assert.equal(r.code, 0, r.stderr);
      const inside = Object.values(preopens).map((p) => p + "/");
      const strays = paths.filter((p) => {
        const path = p.slice(p.indexOf(" ") + 1);
        return !inside.some((d) => path === d.slice(0, -1) || path.startsWith(d)) && !path.startsWith(`/proc/${process.pid}/fd/`);
      });
      assert.deepEqual(strays, [], "the host was asked about paths outside the preopens");
      assert.ok(paths.length > 20, `the spy saw the run (${paths.length} calls)`);
      assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN), "canary text in the output");
      assert.deepEqual(canaryTimes(base, skip, listAll(base, skip)), timesBefore, "the canary was read, listed or changed");
      assert.equal(JSON.stringify(canary(base, skip)), contentBefore, "the canary changed");
      // the same program on an in-memory copy of the trees says the same
      const m = run(wasm, { args: [name], fs: mem, preopens: Object.fromEntries(Object.keys(dirs).map((g) => [g, g])) });
      assert.equal(r.stdout, m.stdout);
      assert.equal(r.stderr, m.stderr);
    });
  }

  test("the spy and the canary see a stray (the test can fail)", () => {
    const base = mkdtempSync(join(tmpdir(), "hostdir-spy-"));
    mkdirSync(join(base, "in"));
    writeFileSync(join(base, "out.txt"), "x");
    const skip = new Set([join(base, "in")]);
    ageAtimes(base, skip);
    const names = listAll(base, skip);
    const state = canaryTimes(base, skip, names);
    paths.length = 0;
    armed.on = true;
    try {
      nodefs.readFileSync(join(base, "out.txt")); // through the namespace, as hostdir.js calls it
    } finally {
      armed.on = false;
    }
    assert.ok(paths.includes(`readFileSync ${join(base, "out.txt")}`), paths.join("\n"));
    assert.notDeepEqual(canaryTimes(base, skip, names), state, "a read moves the aged atime");
  });
});

describe("WASI preopens without fs: live host directories, as node:wasi", () => {
  test("the guest reads and writes the real files, at once", () => {
    const dir = mkdtempSync(join(tmpdir(), "hostdir-"));
    writeFileSync(join(dir, "pre"), "from host\n");
    const r = tool(dir, "cat", "/w/pre", "+", "write", "/w/new", "fresh", "+", "mkdir", "/w/sub", "+", "mv", "/w/new", "/w/sub/moved",
      "+", "stat", "/w/sub/moved");
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "from host\n/w/sub/moved: size=5 nlink=1 file\n");
    assert.equal(readFileSync(join(dir, "sub", "moved"), "utf8"), "fresh");
    assert.equal(existsSync(join(dir, "new")), false);
    assert.equal(r.wasi.fs.statAt(r.wasi.fs.root, "/0/pre", false, false).dev, 1n); // dev 1, as wasmtime
  });

  test("a missing host directory is one readable error", () => {
    assert.throws(() => new WASI({ version: "preview1", preopens: { "/sandbox": "/no/such/dir" } }),
      (e) => e.code === "ENOENT" && e.message === 'ENOENT: preopen "/sandbox": "/no/such/dir": no such directory');
    const file = join(mkdtempSync(join(tmpdir(), "hostdir-")), "f");
    writeFileSync(file, "");
    assert.throws(() => new WASI({ version: "preview1", preopens: { "/sandbox": file } }), (e) => e.code === "ENOTDIR");
  });

  test("host symlinks are resolved by us: inside they work, outward they are EPERM and the target is untouched", () => {
    const base = mkdtempSync(join(tmpdir(), "hostdir-"));
    const dir = join(base, "in");
    mkdirSync(dir);
    writeFileSync(join(base, "secret"), `${TOKEN}\n`);
    writeFileSync(join(dir, "f"), "inside\n");
    symlinkSync("f", join(dir, "ok"));
    symlinkSync(join(base, "secret"), join(dir, "abs"));
    symlinkSync("../secret", join(dir, "rel"));
    symlinkSync("..", join(dir, "up"));
    assert.equal(tool(dir, "cat", "/w/ok").stdout, "inside\n");
    for (const link of ["abs", "rel", "up/secret"]) {
      const r = tool(dir, "write", `/w/${link}`, "pwned");
      assert.equal(r.stderr, `write /w/${link}: Operation not permitted\n`);
      assert.equal(tool(dir, "cat", `/w/${link}`).stderr, `cat /w/${link}: Operation not permitted\n`);
    }
    assert.equal(readFileSync(join(base, "secret"), "utf8"), `${TOKEN}\n`);
    // removing or replacing a symlink acts on the link, never on its target
    assert.equal(tool(dir, "rm", "/w/abs", "+", "mkdir", "/w/abs", "+", "write", "/w/abs/x", "mine").stderr, "");
    assert.equal(lstatSync(join(dir, "abs")).isDirectory(), true);
    assert.equal(readFileSync(join(base, "secret"), "utf8"), `${TOKEN}\n`);
  });

  test("fd_readdir lists in the host's readdir order, as wasmtime", () => {
    const dir = mkdtempSync(join(tmpdir(), "hostdir-"));
    for (const n of ["b", "a", "c", "zz", "m"]) writeFileSync(join(dir, n), n);
    const d = opendirSync(dir);
    const order = [];
    for (let e; (e = d.readSync()) !== null;) order.push(e.name);
    d.closeSync();
    assert.equal(tool(dir, "ls", "/w").stdout, [".", "..", ...order].join("\n") + "\n");
  });

  test("a host directory named twice is one mount: rename between its two preopens works", () => {
    const dir = mkdtempSync(join(tmpdir(), "hostdir-"));
    writeFileSync(join(dir, "f"), "x");
    const r = run(TOOL, { preopens: { "/a": dir, "/b": dir }, args: ["tool", "mv", "/a/f", "/b/g"] });
    assert.equal(r.stderr, "");
    assert.deepEqual(readdirSync(dir), ["g"]);
  });

  test("rename between two host directories is the host's rename (as wasmtime); to a MemFS it is EXDEV", () => {
    const base = mkdtempSync(join(tmpdir(), "hostdir-"));
    mkdirSync(join(base, "a"));
    mkdirSync(join(base, "b"));
    writeFileSync(join(base, "a", "f"), "x");
    const r = run(TOOL, { preopens: { "/a": join(base, "a"), "/b": join(base, "b") }, args: ["tool", "mv", "/a/f", "/b/f"] });
    assert.equal(r.stderr, "");
    assert.equal(readFileSync(join(base, "b", "f"), "utf8"), "x");
    const fs = new MemFS();
    fs.mkdirSync("/host", { recursive: true });
    fs.mkdirSync("/mem");
    fs.mountSync("/host", new HostDirectory(join(base, "b")));
    const x = run(TOOL, { fs, preopens: { "/h": "/host", "/m": "/mem" }, args: ["tool", "mv", "/h/f", "/m/f"] });
    assert.equal(x.stderr, "mv /h/f: Cross-device link\n");
    assert.equal(readFileSync(join(base, "b", "f"), "utf8"), "x");
  });

  test("unmount is EBUSY while a WASI holds a preopen on it", () => {
    const fs = new MemFS();
    fs.mkdirSync("/host");
    const backend = new HostDirectory(mkdtempSync(join(tmpdir(), "hostdir-")));
    fs.mountSync("/host", backend);
    new WASI({ version: "preview1", fs, preopens: { "/h": "/host" } });
    assert.equal(backend.busy, 1);
    assert.throws(() => fs.unmount("/host"), (e) => e.code === "EBUSY");
  });
});

// What is on disk when (spec/RATIONALE.md, "HostDirectory: what is on disk
// when"): a guest's write is one write(2) to the host file before fd_write
// returns (no buffer of ours), fd_datasync and fd_sync are fdatasync(2) and
// fsync(2) on it, and fd_close closes the host file with the guest's last
// descriptor on it. The guest stops between its steps to read stdin; the
// stdin function looks at the host then.
const DURABLE_WAT = `(module
  (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_datasync" (func $datasync (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_sync" (func $sync (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "f")
  (data (i32.const 16) "\\40\\00\\00\\00\\03\\00\\00\\00")
  (data (i32.const 32) "\\80\\00\\00\\00\\01\\00\\00\\00")
  (data (i32.const 64) "abc")
  (func $ok (param i32) (if (local.get 0) (then unreachable)))
  (func $pause (call $ok (call $read (i32.const 0) (i32.const 32) (i32.const 1) (i32.const 204))))
  (func (export "_start") (local $fd i32)
    (call $ok (call $open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 9)
      (i64.const 0x42) (i64.const 0) (i32.const 0) (i32.const 200)))
    (local.set $fd (i32.load (i32.const 200)))
    (call $ok (call $write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 204)))
    (call $pause)
    (call $ok (call $datasync (local.get $fd)))
    (call $pause)
    (call $ok (call $sync (local.get $fd)))
    (call $pause)
    (call $ok (call $close (local.get $fd)))
    (call $pause)))`;

describe("what is on disk when", { skip: !watAvailable() && "the wasmtime Python package (for wat2wasm) is not installed" }, () => {
  test("written at once, fdatasync on fd_datasync, fsync on fd_sync, the host file closed on fd_close", () => {
    const dir = mkdtempSync(join(tmpdir(), "hostdir-durable-"));
    const file = join(dir, "f");
    const calls = [];
    const saved = { fsyncSync: nodefs.default.fsyncSync, fdatasyncSync: nodefs.default.fdatasyncSync };
    for (const name of Object.keys(saved)) nodefs.default[name] = (fd) => { calls.push(name); return saved[name](fd); };
    syncBuiltinESMExports();
    const seen = [];
    const hostFdOpen = () => readdirSync(`/proc/${process.pid}/fd`).some((n) => { try { return readlinkSync(`/proc/${process.pid}/fd/${n}`) === file; } catch { return false; } });
    try {
      const r = run(new WebAssembly.Module(wat(DURABLE_WAT)), {
        preopens: { "/w": dir },
        stdin: () => { seen.push(`${readFileSync(file, "utf8")} ${calls.join(",") || "-"} ${hostFdOpen() ? "open" : "closed"}`); return "x"; },
      });
      assert.equal(r.code, 0, r.stderr);
    } finally {
      Object.assign(nodefs.default, saved);
      syncBuiltinESMExports();
    }
    assert.deepEqual(seen, [
      "abc - open",
      "abc fdatasyncSync open",
      "abc fdatasyncSync,fsyncSync open",
      "abc fdatasyncSync,fsyncSync closed",
    ]);
  });
});
