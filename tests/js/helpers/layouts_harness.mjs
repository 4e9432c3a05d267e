// The byte images of polyfill/src/generated/layouts.js's writers, for
// tests/test_layouts.py (which computes the expected images from spec/):
//
//   node tests/js/helpers/layouts_harness.mjs
//     < {cases: [{id, length, canary, at, writer, reader, value}]}
//     -> {id: [bytes of the whole buffer after writer(dv, at, value), reader(dv, at)]}
//
// Each buffer is `length` bytes of `canary`; `value` is in emit.mjs's input form.
import * as L from "../../../polyfill/src/generated/layouts.js";
import { decode, emit, readInput } from "./emit.mjs";

const { cases } = await readInput();
const out = {};
for (const c of cases) {
  const buf = new Uint8Array(c.length).fill(c.canary);
  const dv = new DataView(buf.buffer);
  L[c.writer](dv, c.at, decode(c.value));
  out[c.id] = [Array.from(buf), L[c.reader](dv, c.at)];
}
emit(out);
