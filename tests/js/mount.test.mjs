// Mounts in the VFS (issue #15): `await fs.mount(path, backend)` /
// `fs.unmount(path)`. A MemFS is itself a backend (a tmpfs mounted in a
// tmpfs), so these tests need no host: path resolution, the sandbox and
// descriptors stay the core's across the boundary, and crossing it is
// crossing a filesystem on Linux (rename and link: EXDEV; dev differs).
// node/hostdir.js's HostDirectory is tested in hostdir.test.mjs.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WASI, MemFS, MemFSCore } from "../../polyfill/src/index.js";
import { WasiError } from "../../polyfill/src/errors.js";

const here = dirname(fileURLToPath(import.meta.url));
const TOOL = new WebAssembly.Module(readFileSync(join(here, "probe", "tool.wasm")));
const PROBE_PATHS = new WebAssembly.Module(readFileSync(join(here, "probe", "probe_paths.wasm")));
const decoder = new TextDecoder();

function run(module, { args, fs, preopens }) {
  const out = [], err = [];
  const wasi = new WASI({ version: "preview1", args, fs, preopens, stdout: (b) => out.push(b), stderr: (b) => err.push(b) });
  const code = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
  return { code, stdout: decoder.decode(Buffer.concat(out)), stderr: decoder.decode(Buffer.concat(err)) };
}

/** /w in a MemFS (dev 1) with /w/m covered by a second MemFS (dev 2) mounted over it. */
async function twoFs() {
  const fs = new MemFS();
  fs.mkdirSync("/w/m", { recursive: true });
  fs.writeFileSync("/w/m/hidden", "under the mount");
  fs.writeFileSync("/w/top", "top");
  const inner = new MemFS({ dev: 2 });
  inner.writeFileSync("/in", "inner");
  inner.mkdirSync("/sub");
  await fs.mount("/w/m", inner);
  return { fs, inner };
}

describe("mount", () => {
  test("the mounted tree is seen at the mount point; `..` crosses back", async () => {
    const { fs } = await twoFs();
    const r = run(TOOL, { fs, preopens: { "/w": "/w" }, args: ["tool", "ls", "/w/m", "+", "cat", "/w/m/in", "+", "cat", "/w/m/sub/../../top",
      "+", "write", "/w/m/sub/new", "made", "+", "stat", "/w/m/sub/new"] });
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, ".\n..\nin\nsub\ninnertop/w/m/sub/new: size=4 nlink=1 file\n");
    assert.equal(fs.readFileSync("/w/m/sub/new", "utf8"), "made"); // the facade sees through the mount too
  });

  test("rename and link across the mount are EXDEV; within either side they work", async () => {
    const { fs, inner } = await twoFs();
    const tool = (...args) => run(TOOL, { fs, preopens: { "/w": "/w" }, args: ["tool", ...args] }).stderr;
    assert.equal(tool("mv", "/w/top", "/w/m/top"), "mv /w/top: Cross-device link\n");
    assert.equal(tool("mv", "/w/m/in", "/w/in"), "mv /w/m/in: Cross-device link\n");
    assert.equal(tool("mv", "/w/m/in", "/w/m/sub/in", "+", "mv", "/w/top", "/w/top2"), "");
    assert.equal(inner.readFileSync("/sub/in", "utf8"), "inner");
    assert.equal(fs.readFileSync("/w/top2", "utf8"), "top");
    assert.throws(() => fs.linkSync("/w/top2", "/w/m/hard"), (e) => e.code === "EXDEV");
    assert.throws(() => fs.linkSync("/w/m/sub/in", "/w/hard"), (e) => e.code === "EXDEV");
    fs.linkSync("/w/m/sub/in", "/w/m/hard");
    assert.equal(fs.statSync("/w/m/hard").nlink, 2);
  });

  test("st_dev differs per filesystem", async () => {
    const { fs } = await twoFs();
    const outer = fs.statAt(fs.root, "/w/top", false, false), mounted = fs.statAt(fs.root, "/w/m/in", false, false);
    assert.equal(outer.dev, 1n);
    assert.equal(mounted.dev, 2n);
  });

  test("a preopen at the mount root is sandboxed there: `..` and absolute paths are EPERM", async () => {
    const { fs } = await twoFs();
    const tool = (...args) => run(TOOL, { fs, preopens: { "/m": "/w/m" }, args: ["tool", ...args] });
    assert.equal(tool("cat", "/m/../top").stderr, "cat /m/../top: Operation not permitted\n");
    assert.equal(tool("cat", "/w/top").stderr, "cat /w/top: No such file or directory\n"); // no preopen there
    assert.equal(tool("cat", "/m/in").stdout, "inner");
  });

  test("the probe's path corners are the same on a mounted MemFS", async () => {
    const plain = new MemFS();
    plain.mkdirSync("/sandbox");
    const want = run(PROBE_PATHS, { fs: plain, preopens: { "/sandbox": "/sandbox" }, args: ["probe_paths"] });
    const fs = new MemFS();
    fs.mkdirSync("/sandbox");
    await fs.mount("/sandbox", new MemFS());
    const got = run(PROBE_PATHS, { fs, preopens: { "/sandbox": "/sandbox" }, args: ["probe_paths"] });
    assert.equal(got.stdout, want.stdout);
    assert.equal(got.code, want.code);
  });

  test("the mount point cannot be removed or renamed (EBUSY), as Linux", async () => {
    const { fs } = await twoFs();
    const tool = (...args) => run(TOOL, { fs, preopens: { "/w": "/w" }, args: ["tool", ...args] }).stderr;
    assert.equal(tool("rmdir", "/w/m"), "rmdir /w/m: Resource busy\n");
    assert.equal(tool("mv", "/w/m", "/w/n"), "mv /w/m: Resource busy\n");
  });

  test("unmount gives back the covered directory; EBUSY while a descriptor is open; EINVAL elsewhere", async () => {
    const busy = await twoFs();
    new WASI({ version: "preview1", fs: busy.fs, preopens: { "/m": "/w/m/sub" } }); // its preopen is a descriptor on the mount
    assert.throws(() => busy.fs.unmount("/w/m"), (e) => e instanceof WasiError && e.code === "EBUSY");
    const { fs, inner } = await twoFs();
    assert.throws(() => fs.unmount("/w"), (e) => e.code === "EINVAL");
    assert.equal(fs.unmount("/w/m"), inner);
    assert.equal(fs.readFileSync("/w/m/hidden", "utf8"), "under the mount");
    await fs.mount("/w", inner); // mountable again, elsewhere
    assert.equal(fs.readFileSync("/w/in", "utf8"), "inner");
  });

  test("misuse: not a directory, missing, the root, twice, not a backend", async () => {
    const { fs, inner } = await twoFs();
    await assert.rejects(fs.mount("/w/top", new MemFS()), (e) => e.code === "ENOTDIR");
    await assert.rejects(fs.mount("/nope", new MemFS()), (e) => e.code === "ENOENT");
    await assert.rejects(fs.mount("/", new MemFS()), (e) => e.code === "EBUSY");
    await assert.rejects(fs.mount("/w/m", new MemFS()), (e) => e.code === "EBUSY");
    fs.mkdirSync("/x");
    await assert.rejects(fs.mount("/x", inner), (e) => e.code === "EBUSY");
    await assert.rejects(fs.mount("/x", {}), TypeError);
    assert.throws(() => fs.mountSync("/x", { async: true, createFile() {} }), /await fs.mount/);
    assert.ok(new MemFSCore() instanceof MemFSCore);
  });
});

describe("mount: the clock", () => {
  // Deterministic mode sets the MemFS's clock; a backend that stamps its own
  // times (a MemFS, HandleDirectory) must take it, whether mounted before or after.
  const CLOCK = () => 1700000000123456789n;
  for (const when of ["before", "after"]) {
    test(`a backend mounted ${when} setClock stamps with that clock; unmount gives its own back`, async () => {
      const fs = new MemFS();
      fs.mkdirSync("/m");
      const inner = new MemFS({ dev: 2 });
      if (when === "after") fs.setClock(CLOCK);
      await fs.mount("/m", inner);
      if (when === "before") fs.setClock(CLOCK);
      fs.writeFileSync("/m/f", "x");
      const st = inner.statSync("/f");
      assert.equal(st.mtimeNs, 1700000000123456789n);
      assert.equal(st.ctimeNs, 1700000000123456789n);
      fs.unmount("/m");
      inner.writeFileSync("/g", "y");
      assert.notEqual(inner.statSync("/g").mtimeNs, 1700000000123456789n);
    });
  }

  test("WASI({deterministic}) stamps files on a mounted backend with the fixed realtime", async () => {
    const fs = new MemFS();
    fs.mkdirSync("/w/m", { recursive: true });
    const inner = new MemFS({ dev: 2 });
    await fs.mount("/w/m", inner);
    const wasi = new WASI({ version: "preview1", deterministic: true, fs, preopens: { "/w": "/w" },
      args: ["tool", "write", "/w/m/new", "made"], stdout: () => {}, stderr: () => {} });
    assert.equal(wasi.start(new WebAssembly.Instance(TOOL, wasi.getImportObject())), 0);
    assert.equal(inner.statSync("/new").mtimeNs, 1700000000000000000n);
  });
});
