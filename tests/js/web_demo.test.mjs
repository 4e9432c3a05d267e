// The web demo's page-independent modules: the .zip writer, the line diff,
// the form parsers and the tree comparison (web-demo/*.js are plain ESM that
// Node can import too). The page itself is tested in Chromium by
// tests/test_web_demo.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { crc32, zipTree } from "../../web-demo/archive.js";
import { diffLines, unifiedDiff } from "../../web-demo/diff.js";
import { parseArgs, parseEnv, parsePreopens, quoteArg } from "../../web-demo/cmdline.js";

const bytes = (s) => new TextEncoder().encode(s);

test("crc32 matches the standard check value", () => {
  assert.equal(crc32(bytes("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test("zipTree writes an archive Python's zipfile reads back", () => {
  const zip = zipTree({ type: "dir", entries: { d: { type: "dir", entries: {
    "a.txt": { type: "file", data: bytes("hello\n") },
    "ünï.bin": { type: "file", data: new Uint8Array(70000).fill(7) },
    l: { type: "symlink", target: "a.txt" },
  } } } }, { date: new Date(2024, 0, 2, 3, 4, 6) });
  const dir = mkdtempSync(join(tmpdir(), "zip-"));
  writeFileSync(join(dir, "t.zip"), zip);
  const script = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, i.file_size, i.external_attr >> 16, list(i.date_time), z.read(i).decode('latin-1')[:8]] for i in z.infolist()]))`;
  const out = JSON.parse(execFileSync("python3", ["-c", script, join(dir, "t.zip")], { encoding: "utf8" }));
  assert.deepEqual(out.map((e) => e.slice(0, 3)), [
    ["d/", 0, 0o40755],
    ["d/a.txt", 6, 0o100644],
    ["d/l", 5, 0o120777],
    ["d/ünï.bin", 70000, 0o100644],
  ]);
  assert.deepEqual(out[1][3], [2024, 1, 2, 3, 4, 6]);
  assert.equal(out[1][4], "hello\n");
  assert.equal(out[2][4], "a.txt");
});

test("diffLines is an edit script from a to b", () => {
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let t = 0; t < 500; t++) {
    const gen = () => Array.from({ length: Math.floor(rand() * 9) }, () => "abc"[Math.floor(rand() * 3)]);
    const a = gen();
    const b = gen();
    const ops = diffLines(a, b);
    assert.deepEqual(ops.filter((o) => o.op !== "+").map((o) => o.line), a);
    assert.deepEqual(ops.filter((o) => o.op !== "-").map((o) => o.line), b);
  }
});

test("unifiedDiff keeps context and elides equal runs", () => {
  assert.deepEqual(unifiedDiff("a\nb\n", "a\nb\n"), []);
  const ops = unifiedDiff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\n5\n6\n7\nX\n", 1);
  assert.deepEqual(ops, [
    { op: "@", line: "… 6 equal lines" },
    { op: " ", line: "7" },
    { op: "-", line: "8" },
    { op: "+", line: "X" },
  ]);
});

test("parseArgs splits like a shell, quoteArg writes it back", () => {
  assert.deepEqual(parseArgs(`a "b c" d\\ e 'f g' "x\\"y" ""`), ["a", "b c", "d e", "f g", 'x"y', ""]);
  assert.deepEqual(parseArgs("   "), []);
  assert.throws(() => parseArgs("'open"), /not closed/);
  for (const words of [["plain", "with space", "it's", ""]]) {
    assert.deepEqual(parseArgs(words.map(quoteArg).join(" ")), words);
  }
});

test("parseEnv and parsePreopens", () => {
  assert.deepEqual(parseEnv("A=1\n\n# comment\nB=x=y\n"), { A: "1", B: "x=y" });
  assert.throws(() => parseEnv("NOEQUALS"), /line 1: expected NAME=value/);
  const dirs = new Set(["/data", "/x"]);
  assert.deepEqual(parsePreopens("/data /x::/sandbox", (p) => dirs.has(p)), { "/data": "/data", "/sandbox": "/x" });
  assert.throws(() => parsePreopens("/nope", (p) => dirs.has(p)), /not a folder/);
  assert.throws(() => parsePreopens("rel", () => true), /absolute/);
});

