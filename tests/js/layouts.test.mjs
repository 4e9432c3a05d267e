// polyfill/src/generated/layouts.js by hand: 64-bit fields and the
// validators. (Every writer's byte image against spec/ is tests/test_layouts.py.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFilestat, validFdstat, validPrestat, validSubscription, writeFilestat, writeU64 } from "../../polyfill/src/generated/layouts.js";

test("u64 writers accept a Number and a BigInt", () => {
  const dv = new DataView(new ArrayBuffer(64));
  writeFilestat(dv, 0, { dev: 1, ino: 2n ** 60n, filetype: 4, nlink: 3, size: 2 ** 40 + 5,
    atim: 1700000000123456789n, mtim: 0, ctim: 2 ** 53 - 1 });
  const a = new DataView(new ArrayBuffer(8)); writeU64(a, 0, 2 ** 32 * 3 + 7);
  assert.deepEqual(readFilestat(dv, 0), {
    dev: 1n, ino: 2n ** 60n, filetype: 4, nlink: 3n, size: 2 ** 40 + 5,
    atim: 1700000000123456789n, mtim: 0n, ctim: 2n ** 53n - 1n,
  });
  assert.equal(a.getBigUint64(0, true), 2n ** 32n * 3n + 7n);
});

test("validators", () => {
  const clock = (id, flags) => ({ userdata: 1n, u: { tag: 0, value: { id, timeout: 0n, precision: 0n, flags } } });
  assert.deepEqual([
    validSubscription(clock(1, 1)), validSubscription(clock(4, 0)), validSubscription(clock(0, 2)),
    validSubscription({ userdata: 0n, u: { tag: 2, value: { file_descriptor: 1 } } }),
    validSubscription({ userdata: 0n, u: { tag: 3, value: null } }),
    validPrestat({ tag: 0, value: { pr_name_len: 1 } }), validPrestat({ tag: 1, value: null }),
    validFdstat({ fs_filetype: 4, fs_flags: 0, fs_rights_base: 1n << 30n, fs_rights_inheriting: 0n }),
  ], [true, false, false, true, false, true, false, false]);
});
