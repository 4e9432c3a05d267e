// polyfill/src/memory.js: GuestMemory and IoVecs on their own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GuestMemory, IoVecs } from "../../polyfill/src/memory.js";

/** undefined, or "<error class>: <message>". */
const attempt = (f) => { try { return f(); } catch (e) { return e.constructor.name + ": " + e.message; } };

test("views are re-derived only when memory grows", () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const mem = new GuestMemory(memory);
  const u8 = mem.u8, dv = mem.dv;
  mem.refresh();
  const same = mem.u8 === u8 && mem.dv === dv;
  memory.grow(1);
  mem.refresh();
  assert.deepEqual([same, mem.u8 !== u8, mem.u8.length, mem.dv.byteLength, mem.buffer === memory.buffer, mem.shared],
    [true, true, 131072, 131072, true, false]);
});

test("shared memory growth is seen", () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
  const mem = new GuestMemory(memory);
  memory.grow(2);
  mem.refresh();
  assert.deepEqual([mem.shared, mem.u8.length], [true, 3 * 65536]);
});

test("bounds and alignment checks", () => {
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  const end = 65536;
  const got = [
    attempt(() => mem.check(end - 4, 4)),
    attempt(() => mem.check(end - 4, 5, "f(p)")),
    attempt(() => mem.check(end + 100, 0)),
    attempt(() => mem.check(0xffffffff, 0xffffffff)),
    attempt(() => mem.checkAligned(8, 8, 8)),
    attempt(() => mem.checkAligned(12, 8, 8, "f(result.x)")),
    attempt(() => mem.checkAligned(13, 0, 8)),
    attempt(() => mem.checkAligned(end, 8, 8)),
  ];
  assert.equal(got[0] ?? null, null);
  assert.equal(got[1], "RuntimeError: f(p): out of bounds memory access (ptr=65532, len=5, memory=65536)");
  assert.equal(got[2] ?? null, null);  // length 0: nothing dereferenced
  assert.ok(got[3].startsWith("RuntimeError: out of bounds"), got[3]);
  assert.equal(got[4] ?? null, null);
  assert.equal(got[5], "RuntimeError: f(result.x): misaligned pointer (ptr=12, alignment=8)");
  assert.equal(got[6] ?? null, null);
  assert.ok(got[7].startsWith("RuntimeError: out of bounds"), got[7]);
});

test("strings and bytes", () => {
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  mem.u8.set([0x68, 0x69, 0xc3, 0xa9, 0xff], 10);
  const copy = mem.bytes(10, 2);
  copy[0] = 0;
  mem.copyIn(100, new Uint8Array([1, 2, 3]));
  const got = [mem.decodeString(10, 4), mem.decodeString(10, 5), mem.decodeString(10, 3), mem.decodeString(5, 0),
    mem.u8[10], Array.from(mem.u8.slice(100, 103)),
    attempt(() => mem.copyIn(65535, new Uint8Array(2))), attempt(() => mem.decodeString(65535, 2))];
  assert.deepEqual(got.slice(0, 6), ["hi\u00e9", null, null, "", 0x68, [1, 2, 3]]);
  assert.ok(got[6].startsWith("RuntimeError") && got[7].startsWith("RuntimeError"), got.slice(6));
});

test("strings of every short length, ASCII or not, decode as TextDecoder does", () => {
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  const dec = new TextDecoder("utf-8", { fatal: true });
  const ascii = Array.from("d12/f34ab-_.~Zq\0", (c) => c.charCodeAt(0)); // 16 distinct bytes, a NUL last
  for (let len = 1; len <= 16; len++) {
    for (let at = -1; at < len; at++) { // at: where "é" (2 bytes) replaces two ASCII bytes, -1: nowhere
      const bytes = ascii.slice(0, len);
      if (at >= 0 && at + 1 < len) bytes.splice(at, 2, 0xc3, 0xa9);
      mem.u8.set(bytes, 300 + len);
      assert.equal(mem.decodeString(300 + len, len), dec.decode(new Uint8Array(bytes)), `${len} bytes ${bytes}`);
    }
  }
});

test("iovecs read lazily and check their ranges", () => {
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  mem.fuel = 1 << 27;
  const v = new IoVecs(mem);
  const dv = new DataView(mem.u8.buffer);
  for (let i = 0; i < 100; i++) { dv.setUint32(i * 8, 1000 + i * 10, true); dv.setUint32(i * 8 + 4, i, true); }
  v.reset(0, 100, 8, 4, "iovs");
  mem.u8.set([9, 8, 7, 6], 1020);
  const dst = new Uint8Array(4);
  const first = v.firstNonEmpty();
  v.read(2, 0, dst, 1, 2);
  const big = new Uint8Array(200).map((_, i) => i);
  dv.setUint32(2000, 4000, true); dv.setUint32(2004, 200, true);
  v.reset(2000, 1, 8, 4, "iovs");
  v.write(0, 0, big, 0, 200);
  const back = new Uint8Array(200); v.read(0, 0, back, 0, 200);
  const got = [first, v.count, Array.from(dst), back.every((b, i) => b === i),
    attempt(() => v.length(1)), attempt(() => v.read(0, 199, dst, 0, 2)),
    attempt(() => v.write(0, 0, big, 199, 2)), attempt(() => v.read(0, 0, dst, 3, 2))];
  assert.deepEqual(got.slice(0, 4), [1, 1, [0, 9, 8, 0], true]);
  assert.ok(got.slice(4).every((e) => e.startsWith("RangeError")), got.slice(4));
});

test("iovecs: fuel and bad entries", () => {
  // fuel: the array, then the first non-empty buffer (ENOMEM, a WasiError);
  // an entry out of memory traps when it is read, not before.
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  const v = new IoVecs(mem);
  const dv = new DataView(mem.u8.buffer);
  const code = (f) => { try { return f(); } catch (e) { return e.code ?? e.constructor.name; } };
  mem.fuel = 1 << 27; v.reset(0, 1 << 24, 8, 4, "iovs");
  const a = code(() => v.firstNonEmpty());          // zeros, then off the end: trap
  dv.setUint32(65528, 100, true); dv.setUint32(65532, 1 << 27, true);
  mem.fuel = 1 << 27; v.reset(0, (1 << 24) + 1, 8, 4, "iovs");
  const b = code(() => v.firstNonEmpty());          // the array alone is past the fuel
  mem.fuel = 1 << 27; v.reset(65528, 1, 8, 4, "iovs");
  const c = code(() => v.firstNonEmpty());          // 8 + 2^27 bytes: past the fuel
  mem.fuel = 1 << 27; v.reset(65530, 1, 8, 4, "iovs");
  const d = code(() => v.firstNonEmpty());          // misaligned entry
  assert.deepEqual([a, b, c, d], ["RuntimeError", "ENOMEM", "ENOMEM", "RuntimeError"]);
});

test("unbound memory", () => {
  const got = attempt(() => new GuestMemory().refresh());
  assert.ok(got.startsWith("Error: GuestMemory: no memory bound yet"), got);
});

test("an empty string is still bounds-checked", () => {
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  const got = [mem.decodeString(65536, 0), attempt(() => mem.decodeString(65537, 0))];
  assert.equal(got[0], "");
  assert.ok(got[1].startsWith("RuntimeError: out of bounds"), got[1]);
});

test("iovec buffers trap when used outside memory", () => {
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  mem.fuel = 1 << 27;
  const v = new IoVecs(mem);
  const dv = new DataView(mem.u8.buffer);
  dv.setUint32(0, 65530, true); dv.setUint32(4, 10, true);
  dv.setUint32(8, 0xfffffff0, true); dv.setUint32(12, 0x20, true);
  v.reset(0, 2, 8, 4, "iovs");
  const b = new Uint8Array(100);
  const got = [attempt(() => v.read(0, 0, b, 0, 6)), attempt(() => v.read(0, 0, b, 0, 7)),
    attempt(() => v.write(1, 0, b, 0, 1)), attempt(() => v.write(1, 0, b, 0, 0)),
    attempt(() => v.checkWhole(0))];
  assert.ok((got[0] ?? null) === null && (got[3] ?? null) === null, got);
  assert.equal(got[1], "RuntimeError: iovec 0: out of bounds memory access (ptr=65530, len=7, memory=65536)");
  assert.ok(got[2].startsWith("RuntimeError: iovec 1: out of bounds"), got[2]);
  assert.ok(got[4].startsWith("RuntimeError: iovec 0: out of bounds"), got[4]);
});

test("a lazy bind makes the views at the first refresh (WASI.start binds so), shared memory included", () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 2 })).bind(memory, true);
  const before = [mem.u8.length, mem.memory === memory];
  mem.refresh();
  assert.deepEqual([...before, mem.u8.length, mem.u8.buffer === memory.buffer, mem.dv.buffer === memory.buffer, mem.shared],
    [0, true, 65536, true, true, false]);
  const shared = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
  mem.bind(shared, true);
  mem.refresh();
  assert.deepEqual([mem.u8.buffer === shared.buffer, mem.shared], [true, true]);
});
