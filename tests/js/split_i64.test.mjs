// The i64 trampoline forced off and on gives the same transcript (helpers/split_i64.mjs),
// and where it is on the imports with an i64 param are wasm functions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SPLIT, transcript } from "./helpers/split_i64.mjs";
import { wantSplitI64 } from "../../polyfill/src/generated/imports.js";

test("the i64 trampoline changes nothing observable, and is used when on", () => {
  const off = transcript(false);
  const on = transcript(true);
  assert.deepEqual(off[0], ["wasm", SPLIT.map((n) => [n, false])]);
  assert.deepEqual(on[0], ["wasm", SPLIT.map((n) => [n, true])]);
  assert.equal(on.length, off.length);
  for (let i = 1; i < on.length; i++) assert.deepEqual(on[i], off[i], JSON.stringify(off[i]));
});

test("V8 goes without the trampoline unless forced", () => {
  assert.equal(wantSplitI64(), false);
});
