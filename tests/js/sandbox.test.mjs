// Zero escapes inside a MemFS (issue #8): the adversarial corpus programs
// (tests/corpus/*/adv_*, built into tests/js/probe by `make probes`) run
// through the WASI class over a MemFS that holds, besides the preopened
// /sandbox and /other (the corpus trees, cases.py ADV_DIRS), content outside
// them: /secret/key.txt, /outside.txt, /new.txt, a directory beside the
// preopens. The sandbox's symlinks point there (`abs-secret` ->
// /secret/key.txt, `escape-link` -> ../outside.txt: both real targets in
// this MemFS). Every outside inode is instrumented while the guest runs —
// any look-up in, listing of or change to an outside directory, any read or
// write of an outside file's bytes or symlink's target is recorded — and
// the test asserts none happened, the outside content is unchanged, and no
// outside text reaches stdout or stderr.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WASI, MemFS } from "../../polyfill/src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const PROGRAMS = ["adv_paths", "adv_names", "adv_preopen", "adv_libc"];
const TOKEN = "CANARY-memfs-outside";
const decoder = new TextDecoder();

/** The corpus's ADV_DIRS, from tests/corpus/cases.py (one source of truth). */
function advDirs() {
  const venv = join(root, ".venv", "bin", "python");
  const python = existsSync(venv) ? venv : "python3";
  const r = spawnSync(python, ["-c",
    "import json, sys; sys.path.insert(0, 'tests'); from corpus.cases import ADV_DIRS; print(json.dumps(ADV_DIRS))"],
    { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cannot read ADV_DIRS: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function fill(fs, at, tree) {
  fs.mkdirSync(at, { recursive: true });
  for (const [rel, value] of Object.entries(tree)) {
    const path = `${at}/${rel}`;
    fs.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    if (typeof value === "string") fs.writeFileSync(path, value);
    else if (value.symlink !== undefined) fs.symlinkSync(value.symlink, path);
    else fs.mkdirSync(path, { recursive: true });
  }
}

/** Every inode reachable from `dir` without entering `skip` dirs. */
function outsideInodes(dir, skip, out = new Set()) {
  out.add(dir);
  for (const inode of dir.entries.values()) {
    if (skip.has(inode)) continue;
    out.add(inode);
    if (inode.entries) outsideInodes(inode, skip, out);
  }
  return out;
}

/** Record every touch of the inodes' contents while `armed.on`. */
function instrument(inodes, armed, touches) {
  const note = (what) => { if (armed.on) touches.push(what); };
  for (const inode of inodes) {
    if (inode.entries) {
      const entries = inode.entries;
      const watched = new Proxy(entries, {
        get(target, prop) {
          note(`directory ${String(prop)}`);
          const v = Reflect.get(target, prop, target);
          return typeof v === "function" ? v.bind(target) : v;
        },
      });
      Object.defineProperty(inode, "entries", { get: () => watched, set: () => note("directory replaced") });
    }
    for (const field of ["blocks", "target"]) {  // a file's content is reached only through its blocks
      if (!(field in inode)) continue;
      let value = inode[field];
      Object.defineProperty(inode, field, {
        get: () => { note(`${field} read`); return value; },
        set: (v) => { note(`${field} written`); value = v; },
      });
    }
  }
}

for (const name of PROGRAMS) {
  const wasmPath = join(here, "probe", `${name}.wasm`);
  test(`${name}: nothing outside the preopens is read or changed`, { skip: !existsSync(wasmPath) && "run `make probes` first" }, () => {
    const fs = new MemFS();
    for (const [guest, tree] of Object.entries(advDirs())) fill(fs, guest, tree);
    fs.writeFileSync("/outside.txt", `${TOKEN} outside\n`);
    fs.writeFileSync("/new.txt", `${TOKEN} new\n`);
    fill(fs, "/secret", { "key.txt": `${TOKEN} key\n`, "sub/deep.txt": `${TOKEN} deep\n`, "back": { symlink: "../sandbox" } });
    fill(fs, "/beside", { "b.txt": `${TOKEN} beside\n` });
    const preopens = { "/sandbox": "/sandbox", "/other": "/other" };
    const skip = new Set(Object.values(preopens).map((p) => fs.statAt(fs.root, p, true, false)));
    const outside = outsideInodes(fs.root, skip);
    const before = JSON.stringify(snapshot(fs, fs.root, skip));

    const armed = { on: false };
    const touches = [];
    instrument(outside, armed, touches);
    const out = [], err = [];
    const wasi = new WASI({ version: "preview1", args: [name], fs, preopens, stdout: (b) => out.push(b), stderr: (b) => err.push(b) });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), wasi.getImportObject());
    armed.on = true;
    let code;
    try {
      code = wasi.start(instance);
    } finally {
      armed.on = false;
    }
    const stdout = decoder.decode(Buffer.concat(out));
    assert.equal(code, 0, decoder.decode(Buffer.concat(err)));
    assert.deepEqual(touches, [], "outside inodes were touched while the guest ran");
    assert.ok(!stdout.includes(TOKEN) && !decoder.decode(Buffer.concat(err)).includes(TOKEN), "outside content in the output");
    assert.equal(JSON.stringify(snapshot(fs, fs.root, skip)), before, "outside content changed");
    // the run did work inside: the program's output is all there
    assert.ok(stdout.split("\n").length > 40, stdout);
  });
}

/** Outside content as plain data (names, kinds, bytes, targets, times). */
function snapshot(fs, dir, skip) {
  const out = {};
  for (const [name, inode] of dir.entries) {
    if (skip.has(inode)) { out[name] = "(preopen)"; continue; }
    const times = `${inode.mtimS}.${inode.mtimN}/${inode.ctimS}.${inode.ctimN}/${inode.nlink}`;
    if (inode.entries) out[name] = { times, entries: snapshot(fs, inode, skip) };
    else if (typeof inode.bytes === "function") out[name] = { times, bytes: Array.from(inode.bytes()).join(",") };
    else out[name] = { times, target: inode.target };
  }
  return out;
}

test("the instrumentation sees a touch (the test can fail)", () => {
  const fs = new MemFS();
  fs.mkdirSync("/sandbox");
  fs.writeFileSync("/secret.txt", "x");
  const skip = new Set([fs.statAt(fs.root, "/sandbox", true, false)]);
  const armed = { on: true };
  const touches = [];
  instrument(outsideInodes(fs.root, skip), armed, touches);
  fs.readFileSync("/secret.txt");
  assert.ok(touches.includes("directory get") && touches.includes("blocks read"), JSON.stringify(touches));
});
