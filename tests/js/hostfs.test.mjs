// node/hostfs.js: copying host trees into a MemFS and writing them back.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { MemFS, loadHostDir, writeBackHostDir } from "../../polyfill/src/node/index.js";
import { utimesSeconds, libuvTimespec, UTIMES_KEEPS_NS } from "../../polyfill/src/node/utimes.js";

const tmp = (name) => fs.mkdtempSync(join(tmpdir(), `${name}-`));

test("loadHostDir copies files, directories and symlinks (not followed), with times", () => {
  const host = tmp("load");
  fs.mkdirSync(join(host, "a/b"), { recursive: true });
  fs.writeFileSync(join(host, "a/b/f"), "deep");
  fs.writeFileSync(join(host, "top"), new Uint8Array([0, 1, 2]));
  fs.symlinkSync("/etc/passwd", join(host, "abs"));
  fs.symlinkSync("a/b", join(host, "rel"));
  fs.utimesSync(join(host, "top"), 1000, 2000.5);
  const memfs = new MemFS();
  loadHostDir(memfs, host, "/mnt/x");
  assert.equal(memfs.readFileSync("/mnt/x/a/b/f", "utf8"), "deep");
  assert.deepEqual([...memfs.readFileSync("/mnt/x/top")], [0, 1, 2]);
  assert.equal(memfs.readlinkSync("/mnt/x/abs"), "/etc/passwd");
  assert.equal(memfs.readlinkSync("/mnt/x/rel"), "a/b");
  assert.equal(memfs.statSync("/mnt/x/top").mtimeNs, 2000500000000n);
  assert.equal(memfs.statSync("/mnt/x/top").atimeNs, 1000000000000n);
  assert.deepEqual(memfs.readdirSync("/mnt/x").sort(), ["a", "abs", "rel", "top"]);
});

test("writeBackHostDir: create, update, delete; replace kinds; keep what is unchanged", () => {
  const host = tmp("wb");
  fs.mkdirSync(join(host, "dir2file"));
  fs.writeFileSync(join(host, "dir2file", "x"), "x");
  fs.writeFileSync(join(host, "file2dir"), "f");
  fs.writeFileSync(join(host, "same"), "unchanged");
  fs.writeFileSync(join(host, "deleted"), "bye");
  fs.symlinkSync("same", join(host, "link"));
  const memfs = new MemFS();
  loadHostDir(memfs, host, "/h");
  const sameIno = fs.statSync(join(host, "same")).ino;
  memfs.rmSync("/h/dir2file", { recursive: true });
  memfs.writeFileSync("/h/dir2file", "now a file");
  memfs.unlinkSync("/h/file2dir");
  memfs.mkdirSync("/h/file2dir/inner", { recursive: true });
  memfs.unlinkSync("/h/deleted");
  memfs.unlinkSync("/h/link");
  memfs.symlinkSync("file2dir", "/h/link");
  memfs.writeFileSync("/h/new", "new");
  memfs.linkSync("/h/new", "/h/new2");
  memfs.utimesSync("/h/new", 5, 6);
  writeBackHostDir(memfs, "/h", host);
  assert.equal(fs.readFileSync(join(host, "dir2file"), "utf8"), "now a file");
  assert.ok(fs.statSync(join(host, "file2dir/inner")).isDirectory());
  assert.equal(fs.existsSync(join(host, "deleted")), false);
  assert.equal(fs.readlinkSync(join(host, "link")), "file2dir");
  assert.equal(fs.readFileSync(join(host, "new2"), "utf8"), "new");
  assert.equal(fs.statSync(join(host, "same")).ino, sameIno, "an unchanged file is not rewritten");
  assert.equal(Math.round(fs.statSync(join(host, "new")).mtimeMs), 6000);
  assert.deepEqual(fs.readdirSync(host).sort(), ["dir2file", "file2dir", "link", "new", "new2", "same"]);
});

test("writeBackHostDir never follows a host symlink out of the directory", () => {
  const host = tmp("nofollow");
  const outside = tmp("outside");
  fs.writeFileSync(join(outside, "keep"), "outside");
  fs.symlinkSync(outside, join(host, "out"));
  const memfs = new MemFS();
  memfs.mkdirSync("/h/out", { recursive: true });
  memfs.writeFileSync("/h/out/keep", "inside");
  writeBackHostDir(memfs, "/h", host);
  assert.equal(fs.lstatSync(join(host, "out")).isDirectory(), true);
  assert.equal(fs.readFileSync(join(host, "out", "keep"), "utf8"), "inside");
  assert.equal(fs.readFileSync(join(outside, "keep"), "utf8"), "outside");
  // and deleting a host symlink to a directory deletes the link only
  const host2 = tmp("nofollow2");
  fs.symlinkSync(outside, join(host2, "out"));
  memfs.mkdirSync("/empty");
  writeBackHostDir(memfs, "/empty", host2);
  assert.deepEqual(fs.readdirSync(host2), []);
  assert.equal(fs.readFileSync(join(outside, "keep"), "utf8"), "outside");
});

test("writeBackHostDir creates a missing host directory; refuses a non-directory", () => {
  const host = join(tmp("create"), "new", "dir");
  const memfs = new MemFS();
  memfs.mkdirSync("/h");
  memfs.writeFileSync("/h/f", "x");
  writeBackHostDir(memfs, "/h", host);
  assert.equal(fs.readFileSync(join(host, "f"), "utf8"), "x");
  assert.throws(() => writeBackHostDir(memfs, "/h/f", host), /not a directory/);
});

/** Everything under `dir`: kinds, bytes, link targets, mtimes (not following symlinks). */
function hostState(dir) {
  const out = {};
  const walk = (d, rel) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = join(d, name), key = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(p, { bigint: true });
      if (st.isSymbolicLink()) out[key] = `link ${fs.readlinkSync(p)} ${st.mtimeNs}`;
      else if (st.isDirectory()) { out[key] = `dir ${st.mtimeNs}`; walk(p, key); }
      else out[key] = `file ${fs.readFileSync(p, "latin1")} ${st.mtimeNs} ino ${st.ino}`;
    }
  };
  walk(dir, "");
  return out;
}

test("writeBackHostDir: a host symlink out is replaced, never written through (file, dangling, directory)", () => {
  const top = tmp("wb-canary");
  const host = join(top, "dir");
  fs.mkdirSync(host);
  fs.writeFileSync(join(top, "canary.txt"), "canary");
  fs.mkdirSync(join(top, "canary-dir"));
  fs.writeFileSync(join(top, "canary-dir", "key"), "canary key");
  fs.symlinkSync("../canary.txt", join(host, "evil"));
  fs.symlinkSync(join(top, "canary.txt"), join(host, "evil-abs"));
  fs.symlinkSync("../created-outside", join(host, "dangling"));
  fs.symlinkSync("../canary-dir", join(host, "evil-dir"));
  const before = hostState(top);
  const memfs = new MemFS();
  loadHostDir(memfs, host, "/h");
  assert.equal(memfs.readlinkSync("/h/evil"), "../canary.txt"); // loaded as a symlink, not followed
  for (const name of ["evil", "evil-abs", "dangling"]) {
    memfs.unlinkSync(`/h/${name}`);
    memfs.writeFileSync(`/h/${name}`, "replaced");
  }
  memfs.unlinkSync("/h/evil-dir");
  memfs.mkdirSync("/h/evil-dir");
  memfs.writeFileSync("/h/evil-dir/key", "replaced key");
  writeBackHostDir(memfs, "/h", host);
  const after = hostState(top);
  for (const key of ["canary.txt", "canary-dir", "canary-dir/key"]) assert.equal(after[key], before[key], key);
  assert.equal(after["created-outside"], undefined);
  for (const name of ["evil", "evil-abs", "dangling"]) assert.equal(fs.readFileSync(join(host, name), "utf8"), "replaced");
  assert.equal(fs.lstatSync(join(host, "evil-dir")).isDirectory(), true);
  assert.equal(fs.readFileSync(join(host, "evil-dir", "key"), "utf8"), "replaced key");
  assert.deepEqual(fs.readdirSync(top).sort(), ["canary-dir", "canary.txt", "dir"]);
});

test("writeBackHostDir: no staging or temporary files are left behind", () => {
  const host = tmp("wb-clean");
  const memfs = new MemFS();
  memfs.mkdirSync("/h/a/b", { recursive: true });
  memfs.writeFileSync("/h/a/b/f", "x");
  memfs.symlinkSync("a", "/h/l");
  writeBackHostDir(memfs, "/h", host);
  assert.deepEqual(Object.keys(hostState(host)), ["a", "a/b", "a/b/f", "l"]);
});

test("writeBackHostDir: a failure while staging leaves the host directory untouched", () => {
  const require = createRequire(import.meta.url);
  const cjsFs = require("node:fs");
  const host = tmp("wb-fail");
  fs.writeFileSync(join(host, "old"), "old");
  fs.writeFileSync(join(host, "gone"), "gone");
  fs.mkdirSync(join(host, "d"));
  const memfs = new MemFS();
  loadHostDir(memfs, host, "/h");
  memfs.writeFileSync("/h/old", "changed");
  memfs.unlinkSync("/h/gone");
  memfs.writeFileSync("/h/d/new1", "new1");
  memfs.writeFileSync("/h/new2", "new2");
  const before = hostState(host);
  const real = cjsFs.writeFileSync;
  let writes = 0;
  cjsFs.writeFileSync = function (...args) {
    if (++writes === 2) throw Object.assign(new Error("ENOSPC: no space left on device (simulated)"), { code: "ENOSPC" });
    return real.apply(this, args);
  };
  syncBuiltinESMExports();
  try {
    assert.throws(() => writeBackHostDir(memfs, "/h", host), /ENOSPC/);
  } finally {
    cjsFs.writeFileSync = real;
    syncBuiltinESMExports();
  }
  assert.equal(writes, 2);
  assert.deepEqual(hostState(host), before);
  // and the same write-back without the failure updates everything
  writeBackHostDir(memfs, "/h", host);
  assert.deepEqual(fs.readdirSync(host, { recursive: true }).sort(), ["d", "d/new1", "new2", "old"]);
  assert.equal(fs.readFileSync(join(host, "old"), "utf8"), "changed");
});

// The CI flake this answers: a tree written back under Node 24 got the next
// microsecond about once in 16 files (the nearest double to a time in ns
// can fall across the microsecond libuv then keeps).
test("utimes keeps the exact microsecond and the nanoseconds as near as a double allows", () => {
  const dir = tmp("utimes");
  const f = join(dir, "f");
  fs.writeFileSync(f, "");
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  // the epoch and times near it too (set_times sets 0: the doubles below 0.0 are not times)
  const near = [0n, 1n, 7n, 999n, 1000n, 1000000000n, 1300000000000000001n];
  for (let i = 0; i < 3000 + near.length; i++) {
    const ns = i < near.length ? near[i] : 1765000000000000000n + BigInt(rand()) * 1000003n + BigInt(rand() % 1000);
    const d = utimesSeconds(ns);
    assert.equal(libuvTimespec(d) / 1000n, ns / 1000n, `model for ${ns}`);
    fs.utimesSync(f, d, d);
    const got = fs.statSync(f, { bigint: true }).mtimeNs;
    assert.equal(got, libuvTimespec(d), `libuv sets what the model says (${ns})`);
    assert.equal(got / 1000n, ns / 1000n, `the microsecond of ${ns}`);
    if (UTIMES_KEEPS_NS) assert.ok(got - ns < 250n && ns - got < 250n, `within a double's step: ${ns} → ${got}`);
    if (UTIMES_KEEPS_NS && ns < 1000000000000n) assert.equal(got, ns, `a small time is exact: ${ns}`);
  }
});
