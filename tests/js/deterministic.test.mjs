// Deterministic mode (spec/RATIONALE.md, "Deterministic mode"): clocks as
// counters, SplitMix64 random bytes, file times from the realtime counter,
// poll_oneoff that never sleeps, inode numbers in loading order.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MemFS, clockid, eventtype, subclockflags, lookupflags, oflags, rights } from "../../polyfill/src/index.js";
import { Preview1Runtime } from "../../polyfill/src/runtime.js";
import { DeterministicClocks } from "../../polyfill/src/clocks.js";
import { SplitMix64 } from "../../polyfill/src/random.js";
import { loadHostDir } from "../../polyfill/src/node/hostfs.js";

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, "..", "..", "polyfill", "src", "node", "cli.js");
const START = 1700000000000000000n;

function runtime() {
  const clocks = new DeterministicClocks();
  const memfs = new MemFS({ clock: () => clocks.peekRealtime() });
  memfs.mkdirSync("/d");
  const rt = new Preview1Runtime({
    fs: memfs, clocks, random: new SplitMix64(0n), preopens: [["/d", "/d"]],
    stdin: { isatty: false, read: () => new Uint8Array(0) },
    stdout: { isatty: false, write() {} }, stderr: { isatty: false, write() {} },
  });
  return { rt, memfs, clocks };
}

const clock = (userdata, id, timeout, flags = 0) => ({ userdata, u: { tag: eventtype.clock, value: { id, timeout, precision: 0n, flags } } });

describe("clocks", () => {
  test("each read returns the counter, then steps it by 1 ms; clocks are independent", () => {
    const { rt } = runtime();
    assert.equal(rt.clock_time_get(clockid.realtime, 0n), START);
    assert.equal(rt.clock_time_get(clockid.realtime, 0n), START + 1000000n);
    assert.equal(rt.clock_time_get(clockid.monotonic, 0n), 1000000000n);
    assert.equal(rt.clock_time_get(clockid.monotonic, 0n), 1001000000n);
    assert.equal(rt.clock_time_get(clockid.realtime, 0n), START + 2000000n);
  });

  test("resolution is the step; cputime clocks stay EBADF", () => {
    const { rt } = runtime();
    assert.equal(rt.clock_res_get(clockid.realtime), 1000000n);
    assert.equal(rt.clock_res_get(clockid.monotonic), 1000000n);
    assert.throws(() => rt.clock_res_get(clockid.process_cputime_id), { errno: 8 });
    assert.throws(() => rt.clock_time_get(clockid.thread_cputime_id, 0n), { errno: 8 });
    assert.equal(rt.clock_time_get(clockid.realtime, 0n), START); // res_get moved nothing
  });
});

describe("random_get", () => {
  test("SplitMix64 seed 0: the spec's test vectors", () => {
    const g = new SplitMix64(0n);
    assert.deepEqual([g.next(), g.next(), g.next()], [0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn]);
    const { rt } = runtime();
    assert.deepEqual([...rt.random_get(10)], [0xaf, 0xcd, 0x1d, 0x7b, 0x39, 0xa8, 0x20, 0xe2, 0xf4, 0x65]);
    assert.deepEqual([...rt.random_get(3)], [0x4f, 0x45, 0x09]);
    assert.equal(rt.random_get(0).length, 0);
  });
});

describe("poll_oneoff never sleeps", () => {
  test("the smallest timeouts fire together; both clocks advance by it", () => {
    const { rt, clocks } = runtime();
    const t0 = performance.now();
    const ev = rt.poll_oneoff([clock(1n, clockid.monotonic, 5000000000n), clock(2n, clockid.realtime, 3000000000n), clock(3n, clockid.monotonic, 3000000000n)]);
    assert.ok(performance.now() - t0 < 1000);
    assert.deepEqual(ev.map((e) => e.userdata), [2n, 3n]);
    assert.equal(clocks.peekRealtime(), START + 3000000000n);
    assert.equal(clocks.peekMonotonic(), 1000000000n + 3000000000n);
  });

  test("absolute timeouts count from the counter, read without stepping", () => {
    const { rt, clocks } = runtime();
    rt.poll_oneoff([clock(1n, clockid.realtime, START + 7n, subclockflags.subscription_clock_abstime)]);
    assert.equal(clocks.peekRealtime(), START + 7n);
    rt.poll_oneoff([clock(1n, clockid.monotonic, 0n, subclockflags.subscription_clock_abstime)]);
    assert.equal(clocks.peekRealtime(), START + 7n); // a past deadline: timeout 0
  });

  test("a ready fd: only fd events, no clock moves", () => {
    const { rt, clocks } = runtime();
    const ev = rt.poll_oneoff([clock(1n, clockid.monotonic, 0n), { userdata: 2n, u: { tag: eventtype.fd_write, value: { file_descriptor: 1 } } }]);
    assert.deepEqual(ev.map((e) => e.userdata), [2n]);
    assert.equal(clocks.peekMonotonic(), 1000000000n);
  });
});

test("file times come from the realtime counter, not stepped by the runtime", () => {
  const { rt, memfs } = runtime();
  rt.clock_time_get(clockid.realtime, 0n);
  const fd = rt.path_open(3, lookupflags.symlink_follow, "f", oflags.creat, rights.fd_write, 0n, 0);
  assert.equal(rt.fd_filestat_get(fd).mtim, START + 1000000n);
  assert.equal(memfs.statSync("/d/f").ctimeNs, START + 1000000n);
  assert.equal(rt.clock_time_get(clockid.realtime, 0n), START + 1000000n);
});

test("WASI option: deterministic (type-checked)", async () => {
  const { WASI } = await import("../../polyfill/src/index.js");
  assert.throws(() => new WASI({ version: "preview1", deterministic: 1 }), { code: "ERR_INVALID_ARG_TYPE" });
  const memfs = new MemFS();
  new WASI({ version: "preview1", deterministic: true, fs: memfs, stdout: () => {} });
  memfs.writeFileSync("/x", "");
  assert.equal(memfs.statSync("/x").mtimeNs, START);
});

test("CLI --deterministic: inode numbers in loading order, host times replaced, times written back", () => {
  const a = fs.mkdtempSync(join(tmpdir(), "det-a-"));
  const b = fs.mkdtempSync(join(tmpdir(), "det-b-"));
  fs.mkdirSync(join(a, "sub"));
  fs.writeFileSync(join(a, "sub", "z"), "z");
  fs.writeFileSync(join(a, "b"), "b");
  fs.writeFileSync(join(a, "é"), "e");
  fs.symlinkSync("b", join(a, "Link"));
  fs.writeFileSync(join(b, "only"), "o");
  const probe = join(here, "probe", "tool.wasm");
  const r = spawnSync(process.execPath, [CLI, "run", "--deterministic", "--write-back", "--dir", `${a}::/a`, "--dir", `${b}::/b`, "--dir", `${a}::/again`, probe,
    "write", "/b/new", "n"], { encoding: "utf8" });
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
  const st = fs.statSync(join(b, "new"), { bigint: true });
  assert.equal(st.mtimeNs, START);
  assert.equal(fs.statSync(join(a, "b"), { bigint: true }).mtimeNs, START);
  assert.equal(fs.lstatSync(join(a, "Link"), { bigint: true }).mtimeNs, START);
});

test("loading numbers inodes depth-first, a directory before its contents, names in UTF-8 byte order", () => {
  const a = fs.mkdtempSync(join(tmpdir(), "det-ino-"));
  fs.mkdirSync(join(a, "sub"));
  fs.writeFileSync(join(a, "sub", "z"), "z");
  fs.writeFileSync(join(a, "b"), "b");
  fs.writeFileSync(join(a, "é"), "e");
  fs.writeFileSync(join(a, "\u{1F600}"), "astral"); // after U+FFFD-range names in UTF-8 order
  fs.writeFileSync(join(a, "\uFB01"), "ligature");
  fs.symlinkSync("b", join(a, "Link"));
  const memfs = new MemFS({ clock: () => START });
  memfs._nextIno = 1; // as the CLI does: the MemFS root takes no number
  loadHostDir(memfs, a, "/0", { times: false });
  const ino = (p) => memfs.lstatSync(p).ino;
  assert.deepEqual(
    ["/0", "/0/Link", "/0/b", "/0/sub", "/0/sub/z", "/0/é", "/0/\uFB01", "/0/\u{1F600}"].map(ino),
    [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(memfs.statSync("/0/b").mtimeNs, START);
});
