// MemFS: the Node fs-like API, its error codes, and the in-memory semantics
// (links, symlinks, rename, timestamps, growth, capacity).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { MemFS, WasiError } from "../../polyfill/src/index.js";

/** Assert that `f` throws a WasiError with Node code `code` (and `syscall` if given). */
function throwsCode(f, code, syscall) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof WasiError, `not a WasiError: ${e}`);
    assert.equal(e.code, code);
    if (syscall) assert.equal(e.syscall, syscall);
    return true;
  });
}

function fixture() {
  const fs = new MemFS();
  fs.mkdirSync("/d");
  fs.writeFileSync("/d/f", "hello");
  return fs;
}

describe("files", () => {
  test("writeFileSync / readFileSync with encodings", () => {
    const fs = fixture();
    assert.deepEqual(fs.readFileSync("/d/f"), new TextEncoder().encode("hello"));
    assert.equal(fs.readFileSync("/d/f", "utf8"), "hello");
    assert.equal(fs.readFileSync("/d/f", { encoding: "utf-8" }), "hello");
    fs.writeFileSync("/d/u", "héllo ✓");
    assert.equal(fs.readFileSync("/d/u", "utf8"), "héllo ✓");
    fs.writeFileSync("/d/b", new Uint8Array([0, 255, 7]));
    assert.deepEqual([...fs.readFileSync("/d/b")], [0, 255, 7]);
    fs.writeFileSync("/d/l", "\xff\x01", "latin1");
    assert.deepEqual([...fs.readFileSync("/d/l")], [255, 1]);
    assert.equal(fs.readFileSync("/d/l", "latin1"), "\xff\x01");
    fs.writeFileSync("/d/f", "x");
    assert.equal(fs.readFileSync("/d/f", "utf8"), "x");
    fs.writeFileSync("relative", "r");
    assert.equal(fs.readFileSync("/relative", "utf8"), "r");
  });

  test("readFileSync returns a copy", () => {
    const fs = fixture();
    const a = fs.readFileSync("/d/f");
    a[0] = 0;
    assert.equal(fs.readFileSync("/d/f", "utf8"), "hello");
  });

  test("errors", () => {
    const fs = fixture();
    throwsCode(() => fs.readFileSync("/d/missing"), "ENOENT", "open");
    throwsCode(() => fs.readFileSync("/d"), "EISDIR");
    throwsCode(() => fs.readFileSync("/d/f/x"), "ENOTDIR");
    throwsCode(() => fs.writeFileSync("/missing/x", "x"), "ENOENT");
    throwsCode(() => fs.writeFileSync("/d", "x"), "EISDIR");
    throwsCode(() => fs.writeFileSync("/d/f/", "x"), "EISDIR");
    const e = (() => { try { fs.readFileSync("/d/missing"); } catch (err) { return err; } })();
    assert.equal(e.message, "ENOENT: no such file or directory, open '/d/missing'");
    assert.equal(e.path, "/d/missing");
    assert.equal(e.errno, 44);
  });

  test("appendFileSync creates and appends", () => {
    const fs = fixture();
    fs.appendFileSync("/d/a", "one");
    fs.appendFileSync("/d/a", new TextEncoder().encode("+two"));
    assert.equal(fs.readFileSync("/d/a", "utf8"), "one+two");
  });

  test("100k appends of 10 bytes: fast, capacity grows geometrically", () => {
    const fs = new MemFS();
    const chunk = new Uint8Array(10).fill(65);
    const capacities = new Set();
    const inode = () => fs.root.entries.get("log");
    const t0 = performance.now();
    for (let i = 0; i < 100000; i++) {
      fs.appendFileSync("/log", chunk);
      capacities.add(inode().capacity);
    }
    const ms = performance.now() - t0;
    assert.equal(fs.statSync("/log").size, 1000000);
    assert.ok(ms < 3000, `100k appends took ${ms} ms`);
    // Doubling: about log2(1e6 / 64) ≈ 14 distinct capacities, not 100k.
    assert.ok(capacities.size <= 20, `${capacities.size} reallocations`);
    const sorted = [...capacities].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i] >= 2 * sorted[i - 1] || sorted[i] === fs.maxFileSize);
  });

  test("truncateSync grows with zeros and cuts", () => {
    const fs = fixture();
    fs.truncateSync("/d/f", 8);
    assert.deepEqual([...fs.readFileSync("/d/f")], [104, 101, 108, 108, 111, 0, 0, 0]);
    fs.truncateSync("/d/f", 2);
    assert.equal(fs.readFileSync("/d/f", "utf8"), "he");
    fs.truncateSync("/d/f", 4); // bytes past the old end are zero again
    assert.deepEqual([...fs.readFileSync("/d/f")], [104, 101, 0, 0]);
    fs.truncateSync("/d/f");
    assert.equal(fs.statSync("/d/f").size, 0);
    throwsCode(() => fs.truncateSync("/d"), "EISDIR");
    throwsCode(() => fs.truncateSync("/d/missing"), "ENOENT");
  });
});

describe("block storage", () => {
  // Files are stored in 1 MiB blocks (vfs/inode.js): writes, sparse holes,
  // truncation and reads across block boundaries, against a flat model.
  test("random writes, truncates and reads across blocks match a flat array", () => {
    const fs = new MemFS();
    fs.writeFileSync("/f", "");
    const file = fs.root.entries.get("f");
    let model = new Uint8Array(0);
    let seed = 12345;
    const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const MiB = 1 << 20;
    const source = (bytes) => ({ check() {}, read(i, off, dst, dstOff, n) { dst.set(bytes.subarray(off, off + n), dstOff); } });
    for (let step = 0; step < 300; step++) {
      const op = rand(10);
      if (op < 6) {
        const pos = rand(4 * MiB), n = 1 + rand(op < 3 ? 64 : 2 * MiB);
        const bytes = new Uint8Array(n).map(() => 1 + rand(255));
        file.write(pos, n, source(bytes), 0);
        if (pos + n > model.length) { const m = new Uint8Array(pos + n); m.set(model); model = m; }
        model.set(bytes, pos);
      } else if (op < 8) {
        const n = rand(5 * MiB);
        file.resize(n);
        const m = new Uint8Array(n); m.set(model.subarray(0, n)); model = m;
      } else {
        const pos = rand(model.length + 1), n = rand(model.length - pos + 1);
        const got = new Uint8Array(n);
        file.read(pos, n, { write(i, off, src, srcOff, k) { got.set(src.subarray(srcOff, srcOff + k), off); } }, 0);
        assert.deepEqual(Buffer.from(got), Buffer.from(model.subarray(pos, pos + n)), `read ${pos}+${n} at step ${step}`);
      }
      assert.equal(file.size, model.length);
      assert.equal(fs.usage.bytes, model.length);
    }
    assert.ok(Buffer.from(fs.readFileSync("/f")).equals(Buffer.from(model)));
    // Bytes cut off and grown back are zeros (no stale data in a kept block).
    fs.truncateSync("/f", MiB + 10);
    fs.truncateSync("/f", 3 * MiB);
    const back = fs.readFileSync("/f");
    assert.ok(back.subarray(MiB + 10).every((b) => b === 0));
    assert.ok(Buffer.from(back.subarray(0, MiB + 10)).equals(Buffer.from(model.subarray(0, MiB + 10))));
  });

  // A file of at most 16 bytes keeps them in a slot of its filesystem's
  // slab (vfs/inode.js, TINY) until it grows, a block is made past it, or
  // it goes; a freed slot is given to the next tiny file.
  test("tiny files in shared slots: writes, truncates, growth, unlink and reuse match flat arrays", () => {
    const fs = new MemFS();
    fs.mkdirSync("/t");
    let seed = 777;
    const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / 2147483648 * n); };
    const source = (bytes) => ({ check() {}, read(i, off, dst, dstOff, n) { dst.set(bytes.subarray(off, off + n), dstOff); } });
    const N = 300; // more slots than the first slab holds (256)
    const models = [];
    const file = (k) => fs.root.entries.get("t").entries.get(`f${k}`);
    for (let k = 0; k < N; k++) { // each takes a slot: the slab grows while files are in it
      fs.writeFileSync(`/t/f${k}`, "");
      const bytes = new Uint8Array(1 + rand(3)).map(() => 1 + rand(255));
      file(k).write(0, bytes.length, source(bytes), 0);
      models.push(bytes);
    }
    assert.ok(fs._tinyNext === N && fs._slab.length >= N * 16);
    let tinySeen = 0, grownSeen = 0;
    for (let step = 0; step < 6000; step++) {
      const k = rand(N), op = rand(20);
      let model = models[k];
      if (op < 11) {
        const far = op === 0;
        const pos = far ? (1 << 20) + rand(10) : rand(op < 9 ? 14 : 40), n = 1 + rand(far ? 4 : 6);
        const bytes = new Uint8Array(n).map(() => 1 + rand(255));
        file(k).write(pos, n, source(bytes), 0);
        if (pos + n > model.length) { const m = new Uint8Array(pos + n); m.set(model); model = m; }
        model.set(bytes, pos);
      } else if (op < 15) {
        const n = rand(op === 14 ? 40 : 17);
        fs.truncateSync(`/t/f${k}`, n);
        const m = new Uint8Array(n); m.set(model.subarray(0, n)); model = m;
      } else if (op < 18) {
        fs.unlinkSync(`/t/f${k}`); // its slot is freed, zeroed, and taken by the next tiny file
        fs.writeFileSync(`/t/f${k}`, "");
        model = new Uint8Array(0);
      } else if (op === 18) {
        model = new Uint8Array(rand(20)).map(() => rand(256));
        fs.writeFileSync(`/t/f${k}`, model);
      } else {
        const f = file(k);
        if (f.tiny !== -1) { tinySeen++; assert.equal(f.capacity, 16); assert.ok(f.size <= 16); }
        else if (f.size > 16) grownSeen++;
      }
      models[k] = model;
      assert.equal(file(k).size, model.length);
      assert.ok(Buffer.from(fs.readFileSync(`/t/f${k}`)).equals(Buffer.from(model)), `f${k} at step ${step}`);
    }
    assert.ok(tinySeen > 50 && grownSeen > 10, `${tinySeen} tiny, ${grownSeen} grown`);
    for (let k = 0; k < N; k++) assert.ok(Buffer.from(fs.readFileSync(`/t/f${k}`)).equals(Buffer.from(models[k])));
    assert.equal(fs.usage.bytes, models.reduce((a, m) => a + m.length, 0));
    fs.rmSync("/t", { recursive: true });
    assert.equal(fs._tinyFreed.length, fs._tinyNext); // every slot given back
  });

  test("a sparse file holds only the blocks written", () => {
    const fs = new MemFS();
    fs.writeFileSync("/s", "");
    const file = fs.root.entries.get("s");
    file.write(10 << 20, 3, { check() {}, read(i, off, dst, dstOff, n) { dst.set([7, 8, 9].slice(off, off + n), dstOff); } }, 0);
    assert.equal(fs.statSync("/s").size, (10 << 20) + 3);
    assert.equal(file.capacity, 1 << 20);
    const bytes = fs.readFileSync("/s");
    assert.deepEqual([...bytes.subarray(-4)], [0, 7, 8, 9]);
    assert.ok(bytes.subarray(0, 10 << 20).every((b) => b === 0));
  });
});

describe("directories", () => {
  test("mkdirSync, recursive, errors", () => {
    const fs = new MemFS();
    assert.equal(fs.mkdirSync("/a"), undefined);
    throwsCode(() => fs.mkdirSync("/a"), "EEXIST", "mkdir");
    throwsCode(() => fs.mkdirSync("/x/y"), "ENOENT");
    assert.equal(fs.mkdirSync("/a/b/c", { recursive: true }), "/a/b");
    assert.equal(fs.mkdirSync("/a/b/c", { recursive: true }), undefined);
    fs.writeFileSync("/a/f", "");
    throwsCode(() => fs.mkdirSync("/a/f", { recursive: true }), "EEXIST");
    throwsCode(() => fs.mkdirSync("/a/f/g", { recursive: true }), "ENOTDIR");
    fs.mkdirSync("/a/trailing/");
    assert.ok(fs.statSync("/a/trailing").isDirectory());
  });

  test("readdirSync: names in creation order, withFileTypes", () => {
    const fs = new MemFS();
    fs.mkdirSync("/d");
    fs.writeFileSync("/d/z", "");
    fs.mkdirSync("/d/a");
    fs.symlinkSync("z", "/d/m");
    assert.deepEqual(fs.readdirSync("/d"), ["z", "a", "m"]);
    const ents = fs.readdirSync("/d", { withFileTypes: true });
    assert.deepEqual(ents.map((e) => [e.name, e.isFile(), e.isDirectory(), e.isSymbolicLink()]),
      [["z", true, false, false], ["a", false, true, false], ["m", false, false, true]]);
    assert.equal(ents[0].parentPath, "/d");
    throwsCode(() => fs.readdirSync("/d/z"), "ENOTDIR");
    throwsCode(() => fs.readdirSync("/nope"), "ENOENT");
  });

  test("rmdirSync", () => {
    const fs = fixture();
    throwsCode(() => fs.rmdirSync("/d"), "ENOTEMPTY");
    throwsCode(() => fs.rmdirSync("/d/f"), "ENOTDIR");
    throwsCode(() => fs.rmdirSync("/nope"), "ENOENT");
    fs.mkdirSync("/e");
    fs.rmdirSync("/e");
    assert.equal(fs.existsSync("/e"), false);
    fs.rmdirSync("/d", { recursive: true });
    assert.equal(fs.existsSync("/d"), false);
  });

  test("rmSync: files, recursive, force", () => {
    const fs = fixture();
    fs.mkdirSync("/d/sub/deeper", { recursive: true });
    fs.writeFileSync("/d/sub/deeper/x", "x");
    throwsCode(() => fs.rmSync("/d"), "EISDIR");
    throwsCode(() => fs.rmSync("/missing"), "ENOENT");
    fs.rmSync("/missing", { force: true });
    fs.rmSync("/d/f");
    assert.equal(fs.existsSync("/d/f"), false);
    fs.rmSync("/d", { recursive: true });
    assert.equal(fs.existsSync("/d"), false);
    assert.deepEqual(fs.usage, { bytes: 0, inodes: 1 });
  });

  test("directory nlink is 2 + subdirectories", () => {
    const fs = new MemFS();
    fs.mkdirSync("/d");
    assert.equal(fs.statSync("/d").nlink, 2);
    fs.mkdirSync("/d/a");
    fs.mkdirSync("/d/b");
    fs.writeFileSync("/d/f", "");
    assert.equal(fs.statSync("/d").nlink, 4);
    fs.renameSync("/d/a", "/a");
    assert.equal(fs.statSync("/d").nlink, 3);
    assert.equal(fs.statSync("/").nlink, 4);
    fs.rmdirSync("/d/b");
    assert.equal(fs.statSync("/d").nlink, 2);
  });
});

describe("links", () => {
  test("hard links share the inode and count nlink", () => {
    const fs = fixture();
    fs.linkSync("/d/f", "/d/g");
    const a = fs.statSync("/d/f"), b = fs.statSync("/d/g");
    assert.equal(a.ino, b.ino);
    assert.equal(a.nlink, 2);
    fs.writeFileSync("/d/g", "changed");
    assert.equal(fs.readFileSync("/d/f", "utf8"), "changed");
    fs.unlinkSync("/d/f");
    assert.equal(fs.statSync("/d/g").nlink, 1);
    throwsCode(() => fs.linkSync("/d", "/d2"), "EPERM");
    throwsCode(() => fs.linkSync("/d/g", "/d/g"), "EEXIST");
    throwsCode(() => fs.linkSync("/d/missing", "/d/h"), "ENOENT");
  });

  test("symlinks: relative, absolute, dangling, readlink, lstat", () => {
    const fs = fixture();
    fs.symlinkSync("f", "/d/rel");
    fs.symlinkSync("/d/f", "/abs");
    fs.symlinkSync("nowhere", "/d/dangling");
    assert.equal(fs.readFileSync("/d/rel", "utf8"), "hello");
    assert.equal(fs.readFileSync("/abs", "utf8"), "hello");
    assert.equal(fs.readlinkSync("/d/rel"), "f");
    assert.equal(fs.lstatSync("/abs").isSymbolicLink(), true);
    assert.equal(fs.lstatSync("/abs").size, 4);
    assert.equal(fs.statSync("/abs").isFile(), true);
    throwsCode(() => fs.statSync("/d/dangling"), "ENOENT");
    assert.equal(fs.lstatSync("/d/dangling").isSymbolicLink(), true);
    assert.equal(fs.existsSync("/d/dangling"), false);
    throwsCode(() => fs.readlinkSync("/d/f"), "EINVAL", "readlink");
    throwsCode(() => fs.symlinkSync("x", "/d/f"), "EEXIST");
    fs.symlinkSync("..", "/d/up");
    assert.equal(fs.readFileSync("/d/up/d/f", "utf8"), "hello");
    fs.symlinkSync("/", "/d/root");
    assert.ok(fs.statSync("/d/root/d").isDirectory());
  });

  test("symlink loops: ELOOP", () => {
    const fs = new MemFS();
    fs.symlinkSync("b", "/a");
    fs.symlinkSync("a", "/b");
    throwsCode(() => fs.readFileSync("/a"), "ELOOP");
    throwsCode(() => fs.statSync("/a/x"), "ELOOP");
    fs.symlinkSync("self/x", "/self");
    throwsCode(() => fs.statSync("/self"), "ELOOP");
    // 40 links in a chain resolve; 41 do not.
    for (let i = 0; i < 41; i++) fs.symlinkSync(i === 0 ? "/target" : `/c${i - 1}`, `/c${i}`);
    fs.writeFileSync("/target", "t");
    assert.equal(fs.readFileSync("/c39", "utf8"), "t");
    throwsCode(() => fs.readFileSync("/c40"), "ELOOP");
  });

  test("unlinkSync", () => {
    const fs = fixture();
    throwsCode(() => fs.unlinkSync("/d"), "EISDIR", "unlink");
    throwsCode(() => fs.unlinkSync("/d/missing"), "ENOENT");
    throwsCode(() => fs.unlinkSync("/d/f/"), "ENOTDIR");
    fs.symlinkSync("/d", "/ld");
    fs.unlinkSync("/ld");
    assert.ok(fs.existsSync("/d"));
    fs.unlinkSync("/d/f");
    assert.equal(fs.existsSync("/d/f"), false);
  });
});

/** Every entry under "/" as "path kind[:contents]#ino", sorted: the whole tree, exactly. */
function treeOf(fs, dir = "/", out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = dir === "/" ? `/${e.name}` : `${dir}/${e.name}`;
    const ino = fs.lstatSync(path).ino;
    if (e.isDirectory()) {
      out.push(`${path} dir#${ino}`);
      treeOf(fs, path, out);
    } else out.push(`${path} file:${fs.readFileSync(path, "utf8")}#${ino}`);
  }
  return out.sort();
}

describe("rename", () => {
  const cases = [
    // [from, to, error or the paths that change: {old path: new path, or null: gone}]
    ["/d/f", "/d/g", { "/d/f": "/d/g" }],
    ["/d/f", "/e", "EISDIR"],
    ["/e", "/d/f", "ENOTDIR"],
    ["/e", "/empty", { "/e": "/empty", "/empty": null }],
    ["/empty", "/d", "ENOTEMPTY"],
    ["/d", "/d/sub/x", "EINVAL"],
    ["/d", "/d", {}],
    ["/d/f", "/d/f", {}],
    ["/missing", "/x", "ENOENT"],
    ["/d/f", "/nodir/x", "ENOENT"],
    ["/d/f", "/d/x/", "ENOTDIR"],
    ["/d/f/", "/d/x", "ENOTDIR"],
    ["/e/", "/e2/", { "/e": "/e2" }],
  ];
  for (const [from, to, expected] of cases) {
    const code = typeof expected === "string" ? expected : null;
    test(`${from} -> ${to}: ${code ?? "ok"}`, () => {
      const fs = fixture();
      fs.mkdirSync("/d/sub");
      fs.mkdirSync("/e");
      fs.mkdirSync("/empty");
      const before = treeOf(fs);
      if (code) {
        throwsCode(() => fs.renameSync(from, to), code, "rename");
        assert.deepEqual(treeOf(fs), before, "a failed rename changes nothing");
        return;
      }
      fs.renameSync(from, to);
      // the expected tree: each moved entry (and what is under it) under its new
      // name with the same inode; a replaced one (null) gone
      const want = [];
      for (const line of before) {
        const path = line.slice(0, line.indexOf(" "));
        const moved = Object.keys(expected).find((p) => path === p || path.startsWith(`${p}/`));
        if (moved === undefined) want.push(line);
        else if (expected[moved] !== null) want.push(expected[moved] + line.slice(moved.length));
      }
      assert.deepEqual(treeOf(fs), want.sort());
    });
  }

  test("replacing a file keeps the moved inode, drops the old one", () => {
    const fs = fixture();
    fs.writeFileSync("/d/g", "other");
    const ino = fs.statSync("/d/f").ino;
    fs.renameSync("/d/f", "/d/g");
    assert.equal(fs.statSync("/d/g").ino, ino);
    assert.equal(fs.readFileSync("/d/g", "utf8"), "hello");
    assert.equal(fs.existsSync("/d/f"), false);
    assert.equal(fs.usage.inodes, 3);
  });

  test("a directory moves with its contents; .. follows", () => {
    const fs = fixture();
    fs.mkdirSync("/x");
    fs.renameSync("/d", "/x/d");
    assert.equal(fs.readFileSync("/x/d/f", "utf8"), "hello");
    assert.ok(fs.statSync("/x/d/..").ino === fs.statSync("/x").ino);
  });

  test("renaming one hard link onto another is a no-op", () => {
    const fs = fixture();
    fs.linkSync("/d/f", "/d/h");
    fs.renameSync("/d/f", "/d/h");
    assert.ok(fs.existsSync("/d/f"));
    assert.equal(fs.statSync("/d/h").nlink, 2);
  });
});

describe("stat and times", () => {
  test("Stats fields", () => {
    const fs = new MemFS({ dev: 7 });
    fs.writeFileSync("/f", "abc");
    const st = fs.statSync("/f");
    assert.equal(st.dev, 7);
    assert.equal(st.size, 3);
    assert.equal(st.nlink, 1);
    assert.equal(st.isFile(), true);
    assert.equal(st.isDirectory(), false);
    assert.equal(typeof st.mtimeNs, "bigint");
    assert.equal(st.mtime instanceof Date, true);
    assert.equal(st.isFIFO(), false);
    assert.equal(fs.statSync("/").isDirectory(), true);
    assert.equal(fs.statSync("/missing", { throwIfNoEntry: false }), undefined);
    throwsCode(() => fs.statSync("/missing"), "ENOENT", "stat");
    throwsCode(() => fs.lstatSync("/missing"), "ENOENT", "lstat");
  });

  test("inode numbers are per MemFS", () => {
    const a = new MemFS(), b = new MemFS();
    a.writeFileSync("/x", "");
    b.writeFileSync("/y", "");
    assert.equal(a.statSync("/x").ino, b.statSync("/y").ino);
    a.writeFileSync("/z", "");
    assert.notEqual(a.statSync("/x").ino, a.statSync("/z").ino);
  });

  test("a deterministic clock; writes stamp mtim and ctim; utimes", () => {
    let now = 1000000000123456789n;
    const fs = new MemFS({ clock: () => now });
    fs.writeFileSync("/f", "a");
    assert.equal(fs.statSync("/f").mtimeNs, now);
    now += 5n;
    fs.appendFileSync("/f", "b");
    const st = fs.statSync("/f");
    assert.equal(st.mtimeNs, now);
    assert.equal(st.ctimeNs, now);
    assert.equal(st.atimeNs, now - 5n);
    fs.utimesSync("/f", 1.5, new Date(2000));
    const u = fs.statSync("/f");
    assert.equal(u.atimeNs, 1500000000n);
    assert.equal(u.mtimeNs, 2000000000n);
    assert.equal(u.ctimeNs, now);
    fs.utimesSync("/f", 12345678901234567890n, "3");
    assert.equal(fs.statSync("/f").atimeNs, 12345678901234567890n);
    assert.equal(fs.statSync("/f").mtimeNs, 3000000000n);
    fs.symlinkSync("f", "/l");
    fs.lutimesSync("/l", 1, 1);
    assert.equal(fs.lstatSync("/l").mtimeNs, 1000000000n);
    assert.equal(fs.statSync("/f").mtimeNs, 3000000000n);
    assert.throws(() => fs.utimesSync("/f", "soon", 1), TypeError);
  });

  test("the default clock is the wall clock", () => {
    const fs = new MemFS();
    const before = BigInt(Date.now()) * 1000000n;
    fs.writeFileSync("/f", "");
    const m = fs.statSync("/f").mtimeNs;
    assert.ok(m >= before - 1000000n && m <= BigInt(Date.now()) * 1000000n + 1000000n);
  });

  test("creating and removing entries stamps the directory", () => {
    let now = 10n;
    const fs = new MemFS({ clock: () => now });
    fs.mkdirSync("/d");
    now = 20n;
    fs.writeFileSync("/d/f", "");
    assert.equal(fs.statSync("/d").mtimeNs, 20n);
    now = 30n;
    fs.unlinkSync("/d/f");
    assert.equal(fs.statSync("/d").mtimeNs, 30n);
  });

  test("create, rename and unlink read the clock once; an error in between releases it", () => {
    let reads = 0, now = 0n;
    const fs = new MemFS({ clock: () => { reads++; return (now += 1000n); }, maxInodes: 3 });
    fs.mkdirSync("/d");
    const dir = fs.root.entries.get("d");
    reads = 0;
    const file = fs.createFile(dir, "f");
    assert.equal(reads, 1);
    assert.equal(file.mtim, dir.mtim); // the file and its directory: one reading
    reads = 0;
    fs.renameAt(fs.root, "d/f", fs.root, "d/g", false);
    assert.equal(reads, 1);
    assert.equal(file.ctim, dir.mtim);
    assert.ok(file.ctim > file.mtim);
    // the root, d and f are the 3 inodes allowed: the next create fails inside the held reading
    throwsCode(() => fs.createFile(dir, "x"), "ENOSPC");
    reads = 0;
    const t = now;
    fs.utimesSync("/d/g", 1, 1); // ctim becomes now: a fresh reading, not the failed create's
    assert.equal(reads, 1);
    assert.equal(file.ctim, t + 1000n);
    reads = 0;
    fs.unlink(dir, "g", file);
    assert.equal(reads, 1);
    assert.equal(file.ctim, dir.mtim);
  });
});

describe("capacity", () => {
  test("maxBytes: ENOSPC", () => {
    const fs = new MemFS({ maxBytes: 10 });
    fs.writeFileSync("/a", "12345");
    throwsCode(() => fs.writeFileSync("/b", "123456"), "ENOSPC");
    fs.writeFileSync("/a", "1234567890");
    throwsCode(() => fs.appendFileSync("/a", "x"), "ENOSPC");
    fs.unlinkSync("/a");
    fs.writeFileSync("/c", "1234567890");
  });

  test("maxInodes: ENOSPC", () => {
    const fs = new MemFS({ maxInodes: 3 });
    fs.mkdirSync("/a");
    fs.writeFileSync("/b", "");
    throwsCode(() => fs.writeFileSync("/c", ""), "ENOSPC");
    throwsCode(() => fs.symlinkSync("b", "/c"), "ENOSPC");
    fs.unlinkSync("/b");
    fs.symlinkSync("a", "/c");
  });

  test("maxFileSize: EFBIG", () => {
    const fs = new MemFS({ maxFileSize: 100 });
    fs.writeFileSync("/a", "");
    throwsCode(() => fs.truncateSync("/a", 101), "EFBIG");
    fs.truncateSync("/a", 100);
  });

  test("options are checked", () => {
    assert.throws(() => new MemFS(5), TypeError);
    assert.throws(() => new MemFS({ clock: 5 }), TypeError);
  });
});

describe("paths", () => {
  test("., .., repeated and trailing slashes", () => {
    const fs = fixture();
    assert.equal(fs.readFileSync("/d/./f", "utf8"), "hello");
    assert.equal(fs.readFileSync("//d///f", "utf8"), "hello");
    assert.equal(fs.readFileSync("/../../d/f", "utf8"), "hello");
    assert.ok(fs.statSync("/d/").isDirectory());
    throwsCode(() => fs.statSync("/d/f/"), "ENOTDIR");
    throwsCode(() => fs.statSync(""), "ENOENT");
    throwsCode(() => fs.statSync("/d/f\0"), "EINVAL");
    throwsCode(() => fs.writeFileSync("/" + "n".repeat(256), ""), "ENAMETOOLONG");
    fs.writeFileSync("/" + "n".repeat(255), "");
    throwsCode(() => fs.writeFileSync("/" + "é".repeat(128), ""), "ENAMETOOLONG");
  });

  test("a path must be a string", () => {
    const fs = fixture();
    assert.throws(() => fs.statSync(5), TypeError);
    assert.ok(fs.existsSync("/d"));
    assert.equal(fs.existsSync(5), false);
  });
});
