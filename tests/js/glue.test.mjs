// The generated glue (polyfill/src/generated/imports.js, trace.js) against
// the glue contract of polyfill/README.md, case by case, on a stub runtime
// (helpers/glue_env.mjs): iovecs, strings, empty and wrapping ranges, output
// buffers, memory growth, shared memory, 64-bit params and results,
// poll_oneoff, args_get, exceptions and the golden trace. The sweeps over
// every preview1 function (good calls, bad pointers, bad enums/flags, bad
// UTF-8) are derived from spec/ in tests/test_glue.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createImports } from "../../polyfill/src/generated/imports.js";
import { errno } from "../../polyfill/src/generated/constants.js";
import { GuestMemory } from "../../polyfill/src/memory.js";
import { WasiError } from "../../polyfill/src/errors.js";
import { attempt, glueEnv } from "./helpers/glue_env.mjs";

// errno values of spec/ (preview1's errno enum), written out: the glue's
// answers are checked against the spec, not against its own constants.
const EBADF = 8, EINVAL = 28, ENOMEM = 48;

test("valid enum and flags values pass", () => {
  const { imports, returns, calls, setup } = glueEnv();
  setup(); returns.fd_seek = 0; returns.path_open = 5;
  assert.deepEqual(
    [imports.fd_seek(3, 0n, 2, 8192), imports.path_open(3, 1, 1536, 5, 0xf, 0x3fffffffn, 0n, 0x1f, 8200),
     calls.map((c) => c.slice(0, 2))],
    [0, 0, [["fd_seek", 3], ["path_open", 3]]]);
});

test("strings are decoded exactly", () => {
  const { imports, returns, calls, setup, u8, dv } = glueEnv();
  setup(); returns.path_open = 9;
  const bytes = new TextEncoder().encode("\ufeffdir/h\u00e9llo\u{1F600}");
  u8().set(bytes, 8000);
  const r = imports.path_open(3, 1, 8000, bytes.length, 1, 2n, 0n, 1, 8192);
  assert.deepEqual([r, calls[0], dv().getUint32(8192, true)],
    [0, ["path_open", 3, 1, "\ufeffdir/h\u00e9llo\u{1F600}", 1, 2n, 0n, 1], 9]);
});

test("empty ranges", () => {
  // As in wasmtime: empty arrays and buffers are not checked (poll_oneoff
  // with no subscriptions reaches the runtime, which returns EINVAL;
  // random_get(ptr, 0) anywhere succeeds), but an empty string is.
  const { imports, returns, calls, setup } = glueEnv();
  setup();
  returns.poll_oneoff = () => { throw new WasiError(errno.inval); };
  returns.random_get = () => new Uint8Array(0);
  returns.path_create_directory = undefined;
  returns.fd_write = () => 0;
  const got = [imports.poll_oneoff(0xffffff01, 0xffffff03, 0, 8192),
    imports.random_get(0xfffffff0, 0),
    imports.fd_write(1, 0xfffffff1, 0, 8192),
    imports.path_create_directory(3, 65536, 0),
    attempt(() => imports.path_create_directory(3, 65537, 0)),
    calls.map((c) => c[0])];
  assert.deepEqual(got.slice(0, 4), [EINVAL, 0, 0, 0]);
  assert.ok(got[4].startsWith("trap: path_create_directory(path): out of bounds"), got[4]);
  assert.deepEqual(got[5], ["poll_oneoff", "random_get", "fd_write", "path_create_directory"]);
});

test("ranges wrapping past 4 GiB are ENOMEM", () => {
  // wasmtime: ENOMEM, not a trap, for a string or an array whose end wraps.
  const { imports, calls, setup } = glueEnv();
  setup();
  assert.deepEqual(
    [imports.path_create_directory(3, 0x9000, 0xfffffff0),
     imports.fd_write(1, 0x1800, 0x20000000, 8192),
     imports.poll_oneoff(0x3000, 0x3100, 0x10000000, 8192),
     attempt(() => imports.fd_write(1, 0x1800, 0x1000000, 8192)).slice(0, 5),
     calls.length],
    [ENOMEM, ENOMEM, ENOMEM, "trap:", 0]);
});

test("iovecs read and write through the runtime", () => {
  const { imports, returns, setup, dv } = glueEnv();
  setup();
  // two iovecs at 1024: [2048, +3) and [3000, +4)
  dv().setUint32(1024, 2048, true); dv().setUint32(1028, 3, true);
  dv().setUint32(1032, 3000, true); dv().setUint32(1036, 4, true);
  returns.fd_read = (fd, iovs) => {
    const src = new TextEncoder().encode("abcdefg");
    iovs.write(0, 0, src, 0, 3);
    iovs.write(1, 1, src, 3, 3);
    return 6;
  };
  const r1 = imports.fd_read(0, 1024, 2, 8192);
  const got = [];
  returns.fd_write = (fd, iovs) => {
    const dst = new Uint8Array(iovs.length(0) + iovs.length(1));
    iovs.read(0, 0, dst, 0, iovs.length(0));
    iovs.read(1, 0, dst, iovs.length(0), iovs.length(1));
    got.push(new TextDecoder().decode(dst));
    let err = null;
    try { iovs.write(1, 2, dst, 0, 3); } catch (e) { err = e.constructor.name; }
    got.push(err);
    return dst.length;
  };
  const r2 = imports.fd_write(1, 1024, 2, 8196);
  assert.deepEqual([r1, dv().getUint32(8192, true), r2, dv().getUint32(8196, true), got],
    [0, 6, 0, 7, ["abc\x00def", "RangeError"]]);
});

test("iovec buffers are checked when used", () => {
  // As wasmtime, which moves data through the first non-empty iovec only:
  // an out-of-bounds buffer traps when the runtime touches it, not before.
  const { imports, returns, setup, dv } = glueEnv();
  setup();
  dv().setUint32(1024, 2048, true); dv().setUint32(1028, 4, true);
  dv().setUint32(1032, 65530, true); dv().setUint32(1036, 7, true);
  const firstOnly = (fd, iovs) => { const b = new Uint8Array(4); iovs.read(0, 0, b, 0, 4); return 4; };
  const both = (fd, iovs) => { const b = new Uint8Array(11); iovs.read(0, 0, b, 0, 4); iovs.read(1, 0, b, 4, 7); return 11; };
  const out = [];
  returns.fd_write = firstOnly; out.push(attempt(() => imports.fd_write(1, 1024, 2, 8192)));
  returns.fd_write = both; out.push(attempt(() => imports.fd_write(1, 1024, 2, 8196)));
  returns.fd_read = (fd, iovs) => { iovs.write(1, 0, new Uint8Array(7), 0, 7); return 7; };
  out.push(attempt(() => imports.fd_read(0, 1024, 2, 8200)));
  assert.equal(out[0], 0);
  assert.equal(out[1], "trap: iovec 1: out of bounds memory access (ptr=65530, len=7, memory=65536)");
  assert.ok(out[2].startsWith("trap: iovec 1: out of bounds"), out[2]);
  assert.deepEqual([dv().getUint32(8192, true), dv().getUint32(8196, true), dv().getUint32(8200, true)], [4, 0, 0]);
});

test("output buffers are checked after the call, and only what is written", () => {
  // wasmtime looks the fd up first (EBADF) and checks only the bytes it writes.
  const { imports, returns, setup, dv } = glueEnv();
  setup();
  const out = [];
  returns.fd_readdir = () => { throw new WasiError(errno.badf); };
  out.push(attempt(() => imports.fd_readdir(99, 0xff00, 0x200, 0n, 8192)));
  returns.fd_readdir = () => new Uint8Array(0x100).fill(1);
  out.push(attempt(() => imports.fd_readdir(3, 0xff00, 0x200, 0n, 8192)));
  out.push(dv().getUint32(8192, true));
  returns.fd_readdir = () => new Uint8Array(0x101).fill(1);
  out.push(attempt(() => imports.fd_readdir(3, 0xff00, 0x200, 0n, 8192)).slice(0, 5));
  assert.deepEqual(out, [EBADF, 0, 0x100, "trap:"]);
});

test("memory growth between calls is seen", () => {
  const { imports, returns, setup, dv, memory } = glueEnv();
  setup();
  returns.fd_write = (fd, iovs) => iovs.length(iovs.firstNonEmpty());
  const before = attempt(() => imports.fd_write(1, 65536, 1, 65536 + 16));
  memory.grow(1);
  dv().setUint32(65536, 65536 + 100, true); dv().setUint32(65536 + 4, 50, true);
  const after = imports.fd_write(1, 65536, 1, 65536 + 16);
  assert.deepEqual([before.slice(0, 5), after, dv().getUint32(65536 + 16, true)], ["trap:", 0, 50]);
});

test("shared memory", () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
  const mem = new GuestMemory(memory);
  const seen = [];
  const imports = createImports({
    path_unlink_file: (fd, path) => { seen.push(path); },
    fd_write: (fd, iovs) => iovs.length(iovs.firstNonEmpty()),
  }, mem, null);
  new Uint8Array(memory.buffer).set(new TextEncoder().encode("caf\u00e9"), 100);
  const r1 = imports.path_unlink_file(3, 100, 5);
  memory.grow(1);
  const dv = new DataView(memory.buffer);
  dv.setUint32(70000, 70100, true); dv.setUint32(70004, 9, true);
  const r2 = imports.fd_write(1, 70000, 1, 70008);
  assert.deepEqual([mem.shared, r1, seen, r2, new DataView(memory.buffer).getUint32(70008, true)],
    [true, 0, ["caf\u00e9"], 0, 9]);
});

test("output byte buffers are truncated to their length", () => {
  const { imports, returns, calls, setup, u8, dv } = glueEnv();
  setup();
  returns.fd_readdir = (fd, len, cookie) => new Uint8Array(40).fill(7);
  const r = imports.fd_readdir(3, 2048, 16, 5n, 8192);
  assert.deepEqual([r, calls[0], dv().getUint32(8192, true), Array.from(u8().slice(2048, 2049 + 16))],
    [0, ["fd_readdir", 3, 16, 5], 16, [...new Array(16).fill(7), 0]]);
});

test("args_get lays out pointers and NUL-terminated strings", () => {
  const { imports, returns, setup, u8, dv } = glueEnv();
  setup();
  returns.args_get = () => [new TextEncoder().encode("prog"), new Uint8Array(0), new TextEncoder().encode("x")];
  const r = imports.args_get(3584, 2048);
  const d = dv();
  assert.deepEqual(
    [r, [d.getUint32(3584, true), d.getUint32(3588, true), d.getUint32(3592, true)], Array.from(u8().slice(2048, 2056))],
    [0, [2048, 2053, 2054], [112, 114, 111, 103, 0, 0, 120, 0]]);
});

test("poll_oneoff decodes subscriptions and writes events", () => {
  {
    const { imports, returns, calls, setup, dv } = glueEnv();
    setup();
    const d = dv();
    // subscription 0: userdata 7, fd_read on fd 5; subscription 1: clock monotonic, timeout 1000, abstime
    d.setBigUint64(3072, 7n, true); d.setUint8(3080, 1); d.setUint32(3088, 5, true);
    d.setBigUint64(3120, 8n, true); d.setUint8(3128, 0); d.setUint32(3136, 1, true);
    d.setBigUint64(3144, 1000n, true); d.setUint16(3160, 1, true);
    returns.poll_oneoff = (subs) => [{ userdata: subs[1].userdata, error: 0, type: 0,
                                       fd_readwrite: { nbytes: 0, flags: 0 } }];
    const r = imports.poll_oneoff(3072, 4096, 2, 8192);
    const event = [d.getBigUint64(4096, true), d.getUint8(4106), d.getUint32(8192, true)];
    d.setUint8(3128, 3);  // subscription 1: unknown eventtype
    calls.length = 0;
    const bad = [imports.poll_oneoff(3072, 4096, 2, 8192), calls.length];
    assert.deepEqual([r, event, bad], [0, [8n, 0, 1], [EINVAL, 0]]);
  }
  {
    const { imports, returns, calls, setup, dv } = glueEnv();
    setup();
    const d = dv();
    d.setBigUint64(3072, 7n, true); d.setUint8(3080, 1); d.setUint32(3088, 5, true);
    returns.poll_oneoff = () => [];
    imports.poll_oneoff(3072, 4096, 1, 8192);
    assert.deepEqual(calls[0], ["poll_oneoff", [{ userdata: 7n, u: { tag: 1, value: { file_descriptor: 5 } } }]]);
  }
});

test("64-bit params are converted per the contract", () => {
  // filesize: Number (u64 >= 2^63 arrive as negative i64: rounded, >= 2^53);
  // filedelta: signed Number; timestamp: unsigned BigInt.
  const { imports, returns, calls, setup } = glueEnv();
  setup();
  returns.fd_pwrite = 0; returns.fd_seek = 0; returns.clock_time_get = 0n;
  const seen = [];
  imports.fd_pwrite(3, 1024, 1, -1n, 8192); seen.push(calls.at(-1)[3]);
  imports.fd_pwrite(3, 1024, 1, 4096n, 8192); seen.push(calls.at(-1)[3]);
  imports.fd_seek(3, -5n, 1, 8192); seen.push(calls.at(-1)[2]);
  imports.clock_time_get(1, -1n, 8192); seen.push(calls.at(-1)[2]);
  assert.deepEqual(seen.map((v) => [typeof v, String(v)]), [
    ["number", "18446744073709552000"],
    ["number", "4096"],
    ["number", "-5"],
    ["bigint", String(2n ** 64n - 1n)],
  ]);
});

test("u64 results accept a Number or a BigInt", () => {
  const { imports, returns, setup, dv } = glueEnv();
  setup();
  returns.fd_tell = 2 ** 40 + 3; imports.fd_tell(3, 8192);
  returns.clock_time_get = 1700000000123456789n; imports.clock_time_get(0, 0n, 8200);
  assert.deepEqual([dv().getBigUint64(8192, true), dv().getBigUint64(8200, true)],
    [2n ** 40n + 3n, 1700000000123456789n]);
});

test("other exceptions propagate", () => {
  const { imports, returns, calls, setup } = glueEnv();
  setup();
  class Exit extends Error {}
  returns.proc_exit = (code) => { throw new Exit(String(code)); };
  returns.fd_close = () => { throw new TypeError("bug"); };
  const out = [];
  for (const f of [() => imports.proc_exit(3), () => imports.fd_close(3)]) {
    try { f(); out.push("returned"); } catch (e) { out.push(e.constructor.name + ":" + e.message); }
  }
  assert.deepEqual([out, calls], [["Exit:3", "TypeError:bug"], [["proc_exit", 3], ["fd_close", 3]]]);
});

test("unbound memory fails clearly", () => {
  const imports = createImports({ fd_write: () => 0, fd_close: () => {} }, new GuestMemory(), null);
  let msg = null;
  try { imports.fd_write(1, 0, 0, 0); } catch (e) { msg = e.message; }
  assert.ok(msg.includes("no memory bound"), msg);
  assert.equal(imports.fd_close(3), 0);
});

const TRACE_GOLDEN = `\
==> args_sizes_get()
<== (argc=2,argv_len=7,errno=ESUCCESS)
==> fd_prestat_get(fd=3)
<== (prestat={tag=dir,value={pr_name_len=1}},errno=ESUCCESS)
==> fd_prestat_get(fd=4)
<== errno=EBADF
==> path_open(fd=3,dirflags=1,path=1536,path_len=5,oflags=9,fs_rights_base=64,fs_rights_inheriting=0,fdflags=0)
<== (opened_fd=4,errno=ESUCCESS)
==> fd_write(fd=1,iovs=1024,iovs_len=1)
<== (nwritten=16,errno=ESUCCESS)
==> fd_seek(fd=4,offset=-2,whence=2)
<== (newoffset=18446744073709551615,errno=ESUCCESS)
==> fd_read(fd=4,iovs=1024,iovs_len=1)
<== errno=EINVAL
==> fd_filestat_get(fd=4)
<== (buf={dev=1,ino=42,filetype=regular_file,nlink=1,size=16,atim=0,mtim=1700000000000000000,ctim=0},errno=ESUCCESS)
==> fd_pread(fd=4,iovs=1024,iovs_len=1,offset=18446744073709551615)
<== (nread=0,errno=ESUCCESS)
==> sock_recv(fd=4,ri_data=1024,ri_data_len=1,ri_flags=0)
<== (ro_datalen=3,ro_flags=1,errno=ESUCCESS)
==> clock_time_get(id=1,precision=1000)
<== (timestamp=123456789,errno=ESUCCESS)
==> fd_close(fd=4)
<== errno=ESUCCESS
==> fd_write(fd=1,iovs=1023,iovs_len=1)
==> proc_exit(rval=3)
`;

test("trace golden", () => {
  const { traced: t, returns, lines, setup } = glueEnv();
  setup();
  Object.assign(returns, {
    args_sizes_get: [2, 7],
    fd_prestat_get: (fd) => { if (fd !== 3) throw new WasiError(errno.badf); return { tag: 0, value: { pr_name_len: 1 } }; },
    path_open: 4,
    fd_write: (fd, iovs) => iovs.length(iovs.firstNonEmpty()),
    fd_seek: 2n ** 64n - 1n,
    fd_filestat_get: { dev: 1n, ino: 42n, filetype: 4, nlink: 1n, size: 16, atim: 0n, mtim: 1700000000000000000n, ctim: 0 },
    fd_read: () => { throw new WasiError(errno.inval); },
    fd_pread: 0,
    sock_recv: [3, 1],
    clock_time_get: 123456789n,
    fd_close: undefined,
    proc_exit: () => { throw new Error("exit"); },
  });
  t.args_sizes_get(8192, 8196);
  t.fd_prestat_get(3, 8200);
  t.fd_prestat_get(4, 8200);
  t.path_open(3, 1, 1536, 5, 9, 64n, 0n, 0, 8208);
  t.fd_write(1, 1024, 1, 8212);
  t.fd_seek(4, -2n, 2, 8216);
  t.fd_read(4, 1024, 1, 8224);
  t.fd_filestat_get(4, 8256);
  t.fd_pread(4, 1024, 1, -1n, 8320);
  t.sock_recv(4, 1024, 1, 0, 8324, 8328);
  t.clock_time_get(1, 1000n, 8336);
  t.fd_close(4);
  attempt(() => t.fd_write(1, 1023, 1, 8212));
  try { t.proc_exit(3); } catch {}
  assert.equal(lines.join("\n") + "\n", TRACE_GOLDEN);
});

test("untraced imports are the raw functions", () => {
  const { imports } = glueEnv();
  assert.equal(imports.fd_write.toString().includes("trace"), false);
});
