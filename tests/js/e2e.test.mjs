// End to end: real wasm through the generated glue and the runtime.
// - probe.wasm (tests/js/probe/probe.c) against its wasmtime golden output;
// - tool.wasm (a small C multi-tool) through the library API and the CLI;
// - hand-written WAT for glue-level corners (traps, memory growth, exit codes).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, symlinkSync, readdirSync, lstatSync, readlinkSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WASI, MemFS, InvalidExitStatus, WasiExit } from "../../polyfill/src/index.js";
import { WASI as TracingWASI } from "../../polyfill/src/trace.js";
import { watAvailable, wat } from "./helpers/wat.mjs";
import { benchPwrite } from "./bench_pwrite.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, "..", "..", "polyfill", "src", "node", "cli.js");
const TOOL = new WebAssembly.Module(readFileSync(join(here, "probe", "tool.wasm")));
const decoder = new TextDecoder();

/** Run a module with the library API; returns {code, stdout, stderr, fs}. */
function run(module, { args = ["prog"], env, fs = new MemFS(), preopens, stdin } = {}) {
  const out = [], err = [];
  const wasi = new WASI({
    version: "preview1", args, env, fs, preopens, stdin,
    stdout: (b) => out.push(b), stderr: (b) => err.push(b),
  });
  const instance = new WebAssembly.Instance(module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module), wasi.getImportObject());
  const code = wasi.start(instance);
  return { code, stdout: decoder.decode(Buffer.concat(out)), stderr: decoder.decode(Buffer.concat(err)), fs };
}

function cli(args, options = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", ...options });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const name of ["probe", "probe_paths"]) {
  describe(`${name}.wasm matches wasmtime's output`, () => {
    const wasm = join(here, "probe", `${name}.wasm`);
    const expected = readFileSync(join(here, "probe", `${name}.expected`), "utf8");

    test("library API", () => {
      const fs = new MemFS();
      fs.mkdirSync("/sandbox");
      const r = run(readFileSync(wasm), { args: ["probe.wasm", "a", "b"], fs, preopens: { "/sandbox": "/sandbox" } });
      const want = expected.split("\n");
      const got = r.stdout.split("\n");
      for (let i = 0; i < Math.max(want.length, got.length); i++) assert.equal(got[i], want[i], `line ${i + 1}`);
      assert.equal(r.code, 0);
    });

    for (const flags of [[], ["--write-back"]]) {
      test(`CLI ${flags.length ? "(in memory, --write-back)" : "(live host dir)"}`, () => {
        const dir = mkdtempSync(join(tmpdir(), "probe-"));
        const r = cli(["run", ...flags, "--dir", `${dir}::/sandbox`, wasm, "a", "b"]);
        const want = expected.split("\n");
        const got = r.stdout.split("\n");
        for (let i = 0; i < Math.max(want.length, got.length); i++) assert.equal(got[i], want[i], `line ${i + 1}`);
        assert.equal(r.status, 0);
      });
    }
  });
}

describe("tool.wasm through the library API", () => {
  const withDir = () => { const fs = new MemFS(); fs.mkdirSync("/d"); return fs; };

  test("args and environment", () => {
    const r = run(TOOL, { args: ["tool", "args", "x", "y z", "", "+", "env"], env: { A: "1", B: "two words" } });
    assert.equal(r.stdout, "[tool]\n[args]\n[x]\n[y z]\n[]\n[+]\n[env]\nA=1\nB=two words\n");
    assert.equal(r.code, 0);
  });

  test("files: write, append, cat, ls, stat, mv, rm", () => {
    const fs = withDir();
    fs.writeFileSync("/d/pre", "from host\n");
    const r = run(TOOL, {
      fs, preopens: { "/work": "/d" },
      args: ["tool", "cat", "/work/pre", "+", "write", "/work/a", "one", "+", "append", "/work/a", "+two", "+", "cat", "/work/a",
        "+", "mkdir", "/work/sub", "+", "mv", "/work/a", "/work/sub/b", "+", "ls", "/work/sub", "+", "stat", "/work/sub/b",
        "+", "ln", "-s", "sub/b", "/work/l", "+", "stat", "/work/l", "+", "cat", "/work/l"],
    });
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "from host\none+two.\n..\nb\n/work/sub/b: size=7 nlink=1 file\n/work/l: size=5 nlink=1 symlink\none+two");
    assert.equal(fs.readFileSync("/d/sub/b", "utf8"), "one+two");
    assert.equal(fs.readlinkSync("/d/l"), "sub/b");
  });

  test("errors reach the guest as errno", () => {
    const r = run(TOOL, { fs: withDir(), preopens: { "/work": "/d" }, args: ["tool", "cat", "/work/missing"] });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "cat /work/missing: No such file or directory\n");
    const r2 = run(TOOL, { fs: withDir(), preopens: { "/work": "/d" }, args: ["tool", "cat", "/etc/passwd"] });
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /^cat \/etc\/passwd: /);
  });

  test("stdin as bytes, string and function", () => {
    assert.equal(run(TOOL, { args: ["tool", "stdin"], stdin: new TextEncoder().encode("bytes in") }).stdout, "bytes in");
    assert.equal(run(TOOL, { args: ["tool", "stdin"], stdin: "string in" }).stdout, "string in");
    const chunks = ["fun", "ction", " in"];
    const r = run(TOOL, { args: ["tool", "stdin"], stdin: () => chunks.shift() ?? null });
    assert.equal(r.stdout, "function in");
    assert.equal(r.stderr, "stdin: 11 bytes\n");
  });

  test("large writes grow the file geometrically and come back intact", () => {
    const fs = withDir();
    const r = run(TOOL, { fs, preopens: { "/w": "/d" }, args: ["tool", "bigwrite", "/w/big", "300000"] });
    assert.equal(r.code, 0);
    const data = fs.readFileSync("/d/big");
    assert.equal(data.length, 300000);
    assert.equal(data[0], 97);
    assert.equal(data[299999], 97 + (299999 % 26));
  });

  test("exit codes, invalid exit status, trap", () => {
    assert.equal(run(TOOL, { args: ["tool", "exit", "42"] }).code, 42);
    assert.equal(run(TOOL, { args: ["tool", "exit", "0"] }).code, 0);
    assert.throws(() => run(TOOL, { args: ["tool", "exit", "126"] }), InvalidExitStatus);
    assert.throws(() => run(TOOL, { args: ["tool", "trap"] }), WebAssembly.RuntimeError);
  });

  test("nanosleep blocks through poll_oneoff", () => {
    assert.equal(run(TOOL, { args: ["tool", "sleep", "30"] }).stdout, "slept>=30: 1\n");
  });
});

describe("CLI", () => {
  const tool = join(here, "probe", "tool.wasm");

  test("stdio are the process's fds, argv[0] is the program as given, exit status", () => {
    const r = cli(["run", "--env", "X=1", "--env=Y=2", tool, "args", "+", "env", "+", "stdin", "+", "exit", "9"], { input: "piped" });
    assert.equal(r.stdout, `[${tool}]\n[args]\n[+]\n[env]\n[+]\n[stdin]\n[+]\n[exit]\n[9]\nX=1\nY=2\npiped`);
    assert.equal(r.stderr, "stdin: 5 bytes\n");
    assert.equal(r.status, 9);
  });

  test("-- ends the flags", () => {
    const r = cli(["run", "--", tool, "args", "--dir"]);
    assert.equal(r.stdout, `[${tool}]\n[args]\n[--dir]\n`);
  });

  test("trap: one line, status 134; what was done before stays done (write-back)", () => {
    const dir = mkdtempSync(join(tmpdir(), "trap-"));
    const r = cli(["run", "--write-back", "--dir", `${dir}::/w`, tool, "write", "/w/f", "x", "+", "trap"]);
    assert.equal(r.status, 134);
    assert.match(r.stderr, /^wasi-polyfill: trap: [^\n]+\n$/);
    assert.equal(readFileSync(join(dir, "f"), "utf8"), "x");
  });

  test("write-back of a name of 255 bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), "long-"));
    const name = "n".repeat(255);
    const r = cli(["run", "--write-back", "--dir", `${dir}::/w`, tool, "write", `/w/${name}`, "long"]);
    assert.equal(r.stderr, "");
    assert.equal(readFileSync(join(dir, name), "utf8"), "long");
  });

  test("exit status ≥ 126 fails like wasmtime: status 1", () => {
    const r = cli(["run", tool, "exit", "200"]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "wasi-polyfill: error: exit with invalid exit status outside of [0..126)\n");
  });

  test("usage mistakes: one line, status 2", () => {
    const notWasm = join(mkdtempSync(join(tmpdir(), "nw-")), "x.wasm");
    writeFileSync(notWasm, "not wasm at all");
    for (const args of [
      ["run", "/nonexistent.wasm"],
      ["run", "--bogus", tool],
      ["run", notWasm],
      ["run", "--dir", "/nonexistent-dir", tool],
      ["run"],
      ["frobnicate"],
      [],
      ["run", "--env"],
    ]) {
      const r = cli(args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /^wasi-polyfill: error: [^\n]+\n$/, args.join(" "));
    }
  });

  test("--dir loads the host tree; --write-back makes the host match", () => {
    const dir = mkdtempSync(join(tmpdir(), "wb-"));
    mkdirSync(join(dir, "keep"));
    writeFileSync(join(dir, "keep", "k"), "kept");
    writeFileSync(join(dir, "gone"), "to delete");
    writeFileSync(join(dir, "edit"), "old");
    symlinkSync("keep/k", join(dir, "link"));
    const outside = mkdtempSync(join(tmpdir(), "outside-"));
    writeFileSync(join(outside, "precious"), "do not touch");
    symlinkSync(outside, join(dir, "escape"));
    const r = cli(["run", "--write-back", "--dir", `${dir}::/w`, tool,
      "cat", "/w/link", "+", "rm", "/w/gone", "+", "write", "/w/edit", "new", "+", "mkdir", "/w/newdir",
      "+", "write", "/w/newdir/f", "fresh", "+", "rm", "/w/escape", "+", "mkdir", "/w/escape", "+", "write", "/w/escape/precious", "mine",
      "+", "exit", "3"]);
    assert.equal(r.stdout, "kept");
    assert.equal(r.stderr, "");
    assert.equal(r.status, 3);
    assert.equal(existsSync(join(dir, "gone")), false);
    assert.equal(readFileSync(join(dir, "edit"), "utf8"), "new");
    assert.equal(readFileSync(join(dir, "newdir", "f"), "utf8"), "fresh");
    assert.equal(readlinkSync(join(dir, "link")), "keep/k");
    assert.equal(lstatSync(join(dir, "escape")).isDirectory(), true);
    assert.equal(readFileSync(join(dir, "escape", "precious"), "utf8"), "mine");
    assert.equal(readFileSync(join(outside, "precious"), "utf8"), "do not touch");
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith(".tmp")), []);
  });

  test("without --write-back the guest works on the live host dir, as wasmtime", () => {
    const dir = mkdtempSync(join(tmpdir(), "live-"));
    writeFileSync(join(dir, "pre"), "from host");
    // the guest sees its own write at once (cat), and a trap leaves what was done
    const r = cli(["run", "--dir", `${dir}::/w`, tool, "write", "/w/f", "x", "+", "cat", "/w/f", "+", "cat", "/w/pre", "+", "trap"]);
    assert.equal(r.stdout, "xfrom host");
    assert.equal(r.status, 134);
    assert.deepEqual(readdirSync(dir).sort(), ["f", "pre"]);
    assert.equal(readFileSync(join(dir, "f"), "utf8"), "x");
  });

  test("--trace prints the syscall trace on stderr", () => {
    const r = cli(["run", "--trace", tool, "exit", "0"]);
    assert.match(r.stderr, /^==> proc_exit\(rval=0\)$/m);
    assert.equal(r.status, 0);
  });
});

describe("WAT", { skip: !watAvailable() && "the wasmtime Python package (for wat2wasm) is not installed" }, () => {
  const HELLO = `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "\\10\\00\\00\\00\\06\\00\\00\\00")
    (data (i32.const 16) "hello\\n")
    (func (export "_start")
      (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (call $exit (i32.load (i32.const 8)))))`;

  test("fd_write to stdout, nwritten, proc_exit", () => {
    const r = run(wat(HELLO));
    assert.equal(r.stdout, "hello\n");
    assert.equal(r.code, 6); // exits with nwritten
  });

  test("an out-of-bounds iovec traps (no errno.fault)", () => {
    const m = wat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 0) "\\00\\00\\01\\00\\06\\00\\00\\00")
      (func (export "_start") (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`);
    assert.throws(() => run(m), WebAssembly.RuntimeError);
  });

  test("memory growth between calls is seen by the glue", () => {
    const m = wat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start")
        (drop (memory.grow (i32.const 1)))
        (i32.store (i32.const 0) (i32.const 70000))
        (i32.store (i32.const 4) (i32.const 3))
        (i32.store8 (i32.const 70000) (i32.const 111))
        (i32.store8 (i32.const 70001) (i32.const 107))
        (i32.store8 (i32.const 70002) (i32.const 10))
        (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`);
    assert.equal(run(m).stdout, "ok\n");
  });

  test("proc_exit from a reactor export unwinds as WasiExit", () => {
    const m = wat(`(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_initialize"))
      (func (export "quit") (call $exit (i32.const 5))))`);
    const wasi = new WASI({ version: "preview1", stdout: () => {}, stderr: () => {} });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(m), wasi.getImportObject());
    assert.equal(wasi.initialize(instance), undefined);
    assert.throws(() => instance.exports.quit(), (e) => e instanceof WasiExit && e.code === 5);
  });

  test("fd_pwrite through the glue is fast (16 bytes, 200k calls)", () => {
    const r = benchPwrite(200000);
    assert.equal(r.size, 65536);
    assert.ok(r.usPerCall < 5, `${r.usPerCall} µs per call`);
  });

  test("trace option receives the glue's trace lines (the wasi-polyfill/trace entry)", () => {
    const lines = [];
    const wasi = new TracingWASI({ version: "preview1", stdout: () => {}, trace: (l) => lines.push(l) });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wat(HELLO)), wasi.getImportObject());
    assert.equal(wasi.start(instance), 6);
    assert.ok(lines.some((l) => l.startsWith("==> fd_write(fd=1,")), lines.join("\n"));
    assert.ok(lines.some((l) => l.includes("nwritten=6")), lines.join("\n"));
  });

  test("the default entry has no tracing: a clear error, not a silent no-op", () => {
    assert.throws(() => new WASI({ version: "preview1", trace: () => {} }), (e) => {
      assert.equal(e.code, "ERR_WASI_TRACE_NOT_INCLUDED");
      assert.match(e.message, /wasi-polyfill\/trace/);
      return true;
    });
    assert.ok(new WASI({ version: "preview1", trace: null }));
    assert.ok(new TracingWASI({ version: "preview1" }).wasiImport.fd_write);
  });
});
