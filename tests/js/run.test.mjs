// The job runner's tree snapshots (polyfill/src/run/tree.js): load, dump,
// diff, hard links, times — and the same format as harness/tree.py, checked
// both ways across the language boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync, linkSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemFS } from "../../polyfill/src/vfs/node_fs.js";
import { loadTree, dumpTree, diffTrees, countEntries, toBase64, fromBase64 } from "../../polyfill/src/run/tree.js";
import { readHostTree, applyHostTree } from "../../polyfill/src/node/hostfs.js";

const b64 = (s) => toBase64(new TextEncoder().encode(s));
const ROOT = new URL("../..", import.meta.url).pathname;
const PYTHON = join(ROOT, ".venv", "bin", "python");

const SAMPLE = {
  type: "dir", atim: "1700000000000000001", mtim: "1700000000000000002",
  entries: {
    "a.txt": { type: "file", data: b64("alpha\n"), id: 1, atim: "1700000000100000000", mtim: "1700000000200000000" },
    "b.txt": { type: "file", data: b64("alpha\n"), id: 1, atim: "1700000000100000000", mtim: "1700000000200000000" },
    "ünï": { type: "dir", atim: "1700000000300000000", mtim: "1700000000400000000", entries: {
      link: { type: "symlink", target: "../a.txt", atim: "1700000000500000000", mtim: "1700000000600000000" },
    } },
  },
};

test("a tree loads and dumps back the same, hard links and times kept", () => {
  const fs = new MemFS();
  loadTree(fs, "/at/x", SAMPLE);
  assert.equal(fs.lstatSync("/at/x/a.txt").ino, fs.lstatSync("/at/x/b.txt").ino, "one inode for one id");
  assert.equal(fs.lstatSync("/at/x/a.txt").nlink, 2);
  assert.equal(fs.readlinkSync("/at/x/ünï/link"), "../a.txt");
  assert.deepEqual(dumpTree(fs, "/at/x"), SAMPLE);
  assert.equal(countEntries(SAMPLE), 4);
});

test("without times the filesystem's clock stamps the entries", () => {
  const fs = new MemFS({ clock: () => 5_000_000_000n });
  loadTree(fs, "/", SAMPLE, { times: false });
  assert.equal(dumpTree(fs, "/")["entries"]["a.txt"].mtim, "5000000000");
});

test("bad trees are one readable TypeError", () => {
  const fs = new MemFS();
  assert.throws(() => loadTree(fs, "/", { type: "file", data: "" }), /the root of a tree must be a dir/);
  assert.throws(() => loadTree(fs, "/", { type: "dir", entries: { x: { type: "fifo" } } }), /tree \/x: unknown type "fifo"/);
  assert.throws(() => loadTree(fs, "/", { type: "dir", entries: { x: { type: "file" } } }), /tree \/x: a file needs "data"/);
});

test("diffTrees names every kind of difference, in path order", () => {
  const a = { type: "dir", entries: {
    a: { type: "file", data: b64("1") }, b: { type: "dir", entries: {} }, c: { type: "symlink", target: "a" },
    d: { type: "file", data: b64("same") }, e: { type: "file", data: b64("") },
    h: { type: "file", data: b64("x"), id: 1 }, i: { type: "file", data: b64("x"), id: 1 },
  } };
  const b = { type: "dir", entries: {
    a: { type: "file", data: b64("22") }, b: { type: "file", data: b64("") }, c: { type: "symlink", target: "b" },
    d: { type: "file", data: b64("same") }, f: { type: "dir", entries: {} },
    h: { type: "file", data: b64("x") }, i: { type: "file", data: b64("x") },
  } };
  assert.deepEqual(diffTrees(a, b).map((d) => d.text), [
    "/a: contents differ (1 bytes vs 2 bytes)", "/b: dir in a, file in b", '/c: symlink target "a" vs "b"',
    "/e: only in a", "/f: only in b", "/h: hard links differ", "/i: hard links differ",
  ]);
  assert.deepEqual(diffTrees(a, a), []);
  assert.deepEqual(diffTrees(SAMPLE, { ...SAMPLE, mtim: "1" }, { times: true }).map((d) => d.kind), ["mtim"]);
});

test("the same format as harness/tree.py: a host dir read in Python loads here, and back", () => {
  const dir = mkdtempSync(join(tmpdir(), "tree-"));
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "sub", "f.bin"), new Uint8Array([0, 1, 2, 255]));
  linkSync(join(dir, "sub", "f.bin"), join(dir, "g.bin"));
  symlinkSync("sub/f.bin", join(dir, "s"));
  const script = "import json, sys\nfrom harness.tree import read_host_tree, to_json\nprint(json.dumps(to_json(read_host_tree(sys.argv[1]))))";
  const fromPython = JSON.parse(execFileSync(PYTHON, ["-c", script, dir], { cwd: ROOT, encoding: "utf8" }));
  // (atimes move as the two readers read: the first read of a file updates it)
  assert.deepEqual(noAtime(fromPython), noAtime(readHostTree(dir)), "Python and Node read the host dir as the same tree");
  const fs = new MemFS();
  loadTree(fs, "/", fromPython);
  const out = mkdtempSync(join(tmpdir(), "tree-out-"));
  writeFileSync(join(out, "tree.json"), JSON.stringify(dumpTree(fs, "/")));
  const apply = "import json, sys\nfrom harness.tree import apply_tree, from_json\napply_tree(sys.argv[1] + '/w', from_json(json.load(open(sys.argv[1] + '/tree.json'))))";
  execFileSync(PYTHON, ["-c", apply, out], { cwd: ROOT });
  assert.deepEqual([...readFileSync(join(out, "w", "sub", "f.bin"))], [0, 1, 2, 255]);
  assert.equal(readlinkSync(join(out, "w", "s")), "sub/f.bin");
  assert.equal(statSync(join(out, "w", "g.bin")).mtimeMs, statSync(join(dir, "g.bin")).mtimeMs);
  applyHostTree(join(out, "w2"), fromPython);
  // written back: the bytes, the link, times to the microsecond (what Node's utimes keeps)
  const back = readHostTree(join(out, "w2"));
  const orig = readHostTree(dir);
  assert.equal(back.entries.sub.entries["f.bin"].data, "AAEC/w==");
  assert.equal(back.entries.s.target, "sub/f.bin");
  assert.equal(BigInt(back.entries["g.bin"].mtim) / 1000n, BigInt(orig.entries["g.bin"].mtim) / 1000n);
});

function noAtime(tree) {
  const { atim, ...rest } = tree;
  if (rest.type === "dir") rest.entries = Object.fromEntries(Object.entries(rest.entries).map(([k, v]) => [k, noAtime(v)]));
  return rest;
}

test("base64 both ways", () => {
  const all = new Uint8Array(256).map((_, i) => i);
  assert.deepEqual(fromBase64(toBase64(all)), all);
});
