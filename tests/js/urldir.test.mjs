// UrlDirectory (issue #15): a read-only tree served over HTTP, in Node over
// fetch. The server is helpers/url_server.mjs in its own process (the
// guest's synchronous reads block this thread), which logs every request:
// the tests count what was fetched. Its files fail on purpose by name
// (fail500*, drop*, stall*). The index is written by the CLI
// (`wasi-polyfill index`), the one writer of the format.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, linkSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { WASI, MemFS, UrlDirectory } from "../../polyfill/src/node/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, "..", "..");
const NODE26 = join(ROOT, "build", "node-lines", "26", "node_modules", ".bin", "node"); // a Node with JSPI (make node-lines)
const TOOL = new WebAssembly.Module(readFileSync(join(here, "probe", "tool.wasm")));
const decoder = new TextDecoder();

function run(fs, ...args) {
  const out = [], err = [];
  const wasi = new WASI({ version: "preview1", args: ["tool", ...args], fs, preopens: { "/lib": "/lib" },
    stdout: (b) => out.push(b), stderr: (b) => err.push(b), returnOnExit: true });
  const code = wasi.start(new WebAssembly.Instance(TOOL, wasi.getImportObject()));
  return { code, stdout: Buffer.concat(out), stderr: decoder.decode(Buffer.concat(err)) };
}

/** A pseudo-random but fixed content of `n` bytes. */
function bytes(n, seed) {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** `wasi-polyfill index DIR [flags]`: the index's text. */
function index(dir, ...flags) {
  const r = spawnSync(join(ROOT, ".venv", "bin", "python"), ["-m", "harness", "index", dir, ...flags], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Start url_server.mjs on `root`; resolves to {url, log(), stop()}. */
function serve(root, ...flags) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(here, "helpers", "url_server.mjs"), root, ...flags], { stdio: ["ignore", "pipe", "inherit"] });
    p.on("error", reject);
    p.stdout.once("data", (d) => {
      const url = `http://${flags.includes("--ipv6") ? "[::1]" : "127.0.0.1"}:${String(d).trim()}/`;
      resolve({
        url,
        log: async () => (await fetch(url + "_log")).json(),
        stop: () => p.kill(),
      });
    });
  });
}

async function mounted(url, options) {
  const fs = new MemFS();
  fs.mkdirSync("/lib");
  const dir = new UrlDirectory(url, options);
  await fs.mount("/lib", dir);
  return { fs, dir };
}

let tmp, server, plain;
const BIG = bytes(300000, 7);
const TAMPERBIG = bytes(300000, 11);

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "urldir-"));
  const tree = join(tmp, "tree");
  mkdirSync(join(tree, "many"), { recursive: true });
  for (let i = 0; i < 2000; i++) writeFileSync(join(tree, "many", `f${String(i).padStart(4, "0")}.txt`), `file ${i}\n`);
  writeFileSync(join(tree, "hello.txt"), "hello, world\n");
  writeFileSync(join(tree, "big.bin"), BIG);
  writeFileSync(join(tree, "fail500.txt"), "never served\n");
  writeFileSync(join(tree, "drop.bin"), bytes(100000, 3));
  writeFileSync(join(tree, "dropbig.bin"), bytes(300000, 5));
  writeFileSync(join(tree, "stall.txt"), "never finished\n");
  writeFileSync(join(tree, "tampered.txt"), "the indexed bytes\n");
  mkdirSync(join(tree, "dir"));
  writeFileSync(join(tree, "dir", "inner.txt"), "inner\n");
  symlinkSync("hello.txt", join(tree, "link"));
  linkSync(join(tree, "hello.txt"), join(tree, "hard.txt"));
  writeFileSync(join(tree, "tamperbig.bin"), TAMPERBIG);
  const [plainIndex, chunked] = [index(tree), index(tree, "--chunk-size", "65536")];
  writeFileSync(join(tree, "index.json"), plainIndex); // 1 MiB chunks: no file here has chunk hashes (as an older index)
  writeFileSync(join(tree, "index-chunked.json"), chunked);
  writeFileSync(join(tree, "tampered.txt"), "other bytes, same len\n".slice(0, 18)); // same size, other bytes
  const tampered = Buffer.from(TAMPERBIG);
  tampered[150000] ^= 1; // in its third 64 KiB chunk
  writeFileSync(join(tree, "tamperbig.bin"), tampered);
  server = await serve(tree);
  plain = await serve(tree, "--no-ranges");
});

after(() => {
  server?.stop();
  plain?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("UrlDirectory", () => {
  test("a program that opens 5 of 2,000 files fetches the index and those 5, once each", async () => {
    const before = (await server.log()).length;
    const { fs, dir } = await mounted(server.url);
    const names = ["f0007", "f0420", "f1000", "f1999", "f0000"].map((n) => `/lib/many/${n}.txt`);
    const r = run(fs, ...names.flatMap((n) => ["+", "cat", n]).slice(1));
    assert.equal(r.stderr, "");
    assert.equal(String(r.stdout), "file 7\nfile 420\nfile 1000\nfile 1999\nfile 0\n");
    // Again, on the same mount: nothing more is fetched (ls and stat need only the index).
    const again = run(fs, ...names.flatMap((n) => ["+", "cat", n]).slice(1), "+", "ls", "/lib/many", "+", "stat", "/lib/many/f1234.txt");
    assert.equal(again.code, 0);
    const log = (await server.log()).slice(before);
    assert.deepEqual(log.map((e) => e.path).sort(), [...names.map((n) => n.replace("/lib", "")), "/index.json"].sort());
    assert.deepEqual(dir.stats.requests, 6);
  });

  test("metadata comes from the index: types, sizes, a symlink, a hard link, listing", async () => {
    const { fs } = await mounted(server.url);
    const r = run(fs, "stat", "/lib/hello.txt", "+", "stat", "/lib/link", "+", "stat", "/lib/dir", "+", "stat", "/lib/big.bin",
      "+", "cat", "/lib/link", "+", "cat", "/lib/hard.txt", "+", "ls", "/lib/dir");
    assert.equal(r.stderr, "");
    assert.equal(String(r.stdout), "/lib/hello.txt: size=13 nlink=2 file\n/lib/link: size=9 nlink=1 symlink\n/lib/dir: size=0 nlink=2 dir\n"
      + "/lib/big.bin: size=300000 nlink=1 file\nhello, world\nhello, world\n.\n..\ninner.txt\n");
    // The MemFS facade reads through the mount too, and cannot change it.
    assert.equal(fs.readFileSync("/lib/dir/inner.txt", "utf8"), "inner\n");
    assert.deepEqual(fs.readdirSync("/lib/dir"), ["inner.txt"]);
    assert.equal(fs.readlinkSync("/lib/link"), "hello.txt");
    assert.throws(() => fs.writeFileSync("/lib/dir/inner.txt", "x"), (e) => e.code === "EIO");
    assert.equal(fs.readFileSync("/lib/dir/inner.txt", "utf8"), "inner\n");
  });

  test("a large file is fetched by ranges, each once; a server that ignores Range sends it whole", async () => {
    for (const [srv, expect] of [[server, "206"], [plain, "200"]]) {
      const { fs, dir } = await mounted(srv.url, { rangeThreshold: 65536, chunkSize: 65536 });
      const before = (await srv.log()).length;
      const r = run(fs, "cat", "/lib/big.bin", "+", "cat", "/lib/big.bin");
      assert.equal(r.stderr, "");
      assert.ok(r.stdout.equals(Buffer.concat([BIG, BIG])), "the bytes as served, twice");
      const log = (await srv.log()).slice(before);
      if (expect === "206") {
        assert.deepEqual(log.map((e) => [e.range, e.status]), [0, 1, 2, 3, 4].map((k) => [`bytes=${k * 65536}-${Math.min(300000, (k + 1) * 65536) - 1}`, 206]));
        assert.equal(dir.stats.bytes - readFileSync(join(tmp, "tree", "index.json")).length, 300000);
      } else {
        assert.deepEqual(log.map((e) => [e.range, e.status]), [["bytes=0-65535", 200]]); // asked for a range, got it all, once
      }
    }
  });

  test("each range of a large file is checked against the index's chunk hashes: wrong bytes are EIO", async () => {
    const index = JSON.parse(readFileSync(join(tmp, "tree", "index-chunked.json"), "utf8"));
    assert.equal(index.entries["big.bin"].chunkSize, 65536);
    assert.equal(index.entries["big.bin"].chunkSha256.length, 5);
    assert.equal(index.entries["big.bin"].chunkSha256[4], createHash("sha256").update(BIG.subarray(262144)).digest("hex"));
    assert.equal(index.entries["hello.txt"].chunkSha256, undefined); // one chunk or less: the file's hash is enough
    const before = (await server.log()).length;
    const { fs } = await mounted(server.url, { index: "index-chunked.json", rangeThreshold: 65536 }); // (ranges: the index's chunks)
    const r = run(fs, "read", "/lib/tamperbig.bin");
    assert.equal(r.stderr, "read /lib/tamperbig.bin: I/O error\n");
    // the two good chunks (less what libc's last read took with the bad one), nothing of the bad one
    assert.ok(r.stdout.length > 131072 - 8192 && r.stdout.length <= 131072, `${r.stdout.length} bytes`);
    assert.ok(r.stdout.equals(TAMPERBIG.subarray(0, r.stdout.length)));
    const good = run(fs, "cat", "/lib/big.bin");
    assert.ok(good.stdout.equals(BIG));
    const log = (await server.log()).slice(before).filter((e) => e.path === "/big.bin");
    assert.deepEqual(log.map((e) => e.range), [0, 1, 2, 3, 4].map((k) => `bytes=${k * 65536}-${Math.min(300000, (k + 1) * 65536) - 1}`));
    // An index without chunk hashes is still read (its ranges checked for length only, as before)
    const old = await mounted(server.url, { rangeThreshold: 65536, chunkSize: 65536 });
    assert.equal(run(old.fs, "read", "/lib/big.bin").stdout.equals(BIG), true);
  });

  test("async: true (a WASI in async mode): reads wait through JSPI for fetch, never the synchronous transport", async (t) => {
    const node = typeof WebAssembly.Suspending === "function" ? process.execPath : NODE26;
    if (!existsSync(node)) {
      if (process.env.CI === "true") assert.fail(`${NODE26} is missing: make node-lines`);
      t.skip(`no Node with JSPI: make node-lines installs one at ${NODE26}`);
      return;
    }
    const before = (await server.log()).length;
    const r = spawnSync(node, [join(here, "helpers", "urldir_async.mjs"), server.url], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const { runs, refused, stats, ticked } = JSON.parse(r.stdout);
    const out = runs.map((x) => ({ ...x, stdout: Buffer.from(x.stdout, "base64") }));
    assert.deepEqual([out[0].code, out[0].stderr], [0, ""]);
    assert.ok(out[0].stdout.equals(Buffer.concat([BIG, Buffer.from("hello, world\n")])));
    assert.deepEqual([out[1].code, out[1].stderr], [1, "read /lib/tamperbig.bin: I/O error\n"]); // a chunk's hash differs
    assert.ok(out[1].stdout.equals(TAMPERBIG.subarray(0, out[1].stdout.length)) && out[1].stdout.length <= 131072);
    assert.deepEqual([out[2].code, out[2].stderr], [1, "read /lib/fail500.txt: I/O error\n"]);
    assert.ok(out[3].stdout.equals(BIG)); // fetched once: the second cat is served from memory
    assert.ok(ticked, "the event loop ran while the guest waited");
    assert.match(refused, /asynchronous backend mounted .*needs async: true/);
    const log = (await server.log()).slice(before);
    assert.deepEqual(log.filter((e) => e.path === "/big.bin").map((e) => e.range),
      [0, 1, 2, 3, 4].map((k) => `bytes=${k * 65536}-${Math.min(300000, (k + 1) * 65536) - 1}`));
    assert.equal(stats.requests, log.length);
  });

  test("HTTP 500, a dropped connection, a stall, wrong bytes: EIO, and the mount stays usable", async () => {
    const { fs } = await mounted(server.url, { timeout: 1500, rangeThreshold: 65536, chunkSize: 65536 });
    for (const name of ["fail500.txt", "drop.bin", "dropbig.bin", "stall.txt", "tampered.txt"]) {
      const r = run(fs, "read", `/lib/${name}`);
      assert.equal(r.code, 1, name);
      assert.equal(String(r.stdout), "", `${name}: no byte reaches the guest`);
      assert.equal(r.stderr, `read /lib/${name}: I/O error\n`);
      const ok = run(fs, "cat", "/lib/dir/inner.txt");
      assert.equal(String(ok.stdout), "inner\n");
    }
  });

  test("every change fails as on a read-only mount under wasmtime (EIO, Linux's order of checks)", async () => {
    const { fs } = await mounted(server.url);
    const cases = [
      [["write", "/lib/hello.txt", "x"], "write /lib/hello.txt: I/O error\n"],
      [["write", "/lib/new", "x"], "write /lib/new: I/O error\n"],
      [["append", "/lib/hello.txt", "x"], "append /lib/hello.txt: I/O error\n"],
      [["mkdir", "/lib/dir"], "mkdir /lib/dir: File exists\n"],
      [["mkdir", "/lib/new"], "mkdir /lib/new: I/O error\n"],
      [["rm", "/lib/hello.txt"], "rm /lib/hello.txt: I/O error\n"],
      [["rm", "/lib/missing"], "rm /lib/missing: I/O error\n"],
      [["rmdir", "/lib/dir"], "rmdir /lib/dir: I/O error\n"],
      [["rmdir", "/lib/."], "rmdir /lib/.: Invalid argument\n"],
      [["rm", "/lib/."], "rm /lib/.: Is a directory\n"],
      [["mv", "/lib/hello.txt", "/lib/x"], "mv /lib/hello.txt: I/O error\n"],
      [["mv", "/lib/missing", "/lib/x"], "mv /lib/missing: I/O error\n"],
      [["mv", "/lib/.", "/lib/x"], "mv /lib/.: Resource busy\n"],
      [["ln", "-s", "hello.txt", "/lib/link"], "ln /lib/link: File exists\n"],
      [["ln", "-s", "hello.txt", "/lib/new"], "ln /lib/new: I/O error\n"],
      [["ln", "-s", "/abs", "/lib/new"], "ln /lib/new: Operation not permitted\n"],
    ];
    for (const [args, stderr] of cases) assert.equal(run(fs, ...args).stderr, stderr, args.join(" "));
    assert.equal(String(run(fs, "cat", "/lib/hello.txt").stdout), "hello, world\n");
  });

  test("a missing index is one line naming the URL; a bad transport is refused at construction", async () => {
    await assert.rejects(mounted(server.url + "nowhere/"), (e) => e.code === "EIO" && e.message === `EIO: UrlDirectory ${server.url}nowhere/index.json: HTTP 404`);
    assert.throws(() => new UrlDirectory("not a url"), /UrlDirectory: not a URL/);
  });

  test("the CLI mounts an http:// --dir read-only", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "polyfill", "src", "node", "cli.js"), "run", "--dir", `${server.url}::/lib`,
      join(here, "probe", "tool.wasm"), "cat", "/lib/dir/inner.txt", "+", "rm", "/lib/hello.txt"], { encoding: "utf8" });
    assert.equal(r.stdout, "inner\n");
    assert.equal(r.stderr, "rm /lib/hello.txt: I/O error\n");
    assert.equal(r.status, 1);
    const bad = spawnSync(process.execPath, [join(ROOT, "polyfill", "src", "node", "cli.js"), "run", "--dir", `${server.url}nowhere/::/lib`,
      join(here, "probe", "tool.wasm"), "ls", "/lib"], { encoding: "utf8" });
    assert.equal(bad.stderr, `wasi-polyfill: error: --dir: EIO: UrlDirectory ${server.url}nowhere/index.json: HTTP 404\n`);
    assert.equal(bad.status, 2);
  });

  test("a --dir URL with an IPv6 host: the separator is the \"::\" after its \"]\" (node CLI and wasi-polyfill run)", async () => {
    const v6 = await serve(join(tmp, "tree"), "--ipv6");
    try {
      assert.match(v6.url, /^http:\/\/\[::1\]:\d+\/$/);
      const args = ["--dir", `${v6.url}::/lib`, join(here, "probe", "tool.wasm"), "cat", "/lib/dir/inner.txt"];
      for (const [cmd, argv] of [[process.execPath, [join(ROOT, "polyfill", "src", "node", "cli.js"), "run", ...args]],
        [join(ROOT, ".venv", "bin", "python"), ["-m", "harness", "run", "--host", "node", ...args]]]) {
        const r = spawnSync(cmd, argv, { encoding: "utf8", cwd: ROOT });
        assert.deepEqual([r.status, r.stdout, r.stderr], [0, "inner\n", ""], `${cmd} ${argv.join(" ")}`);
      }
    } finally {
      v6.stop();
    }
  });

  test("sha256 of the sizes around a block boundary agrees with node:crypto", async () => {
    const { sha256Hex } = await import("../../polyfill/src/vfs/sha256.js");
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const b = bytes(n, n);
      assert.equal(sha256Hex(b), createHash("sha256").update(b).digest("hex"), `${n} bytes`);
    }
  });
});
