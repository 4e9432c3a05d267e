// tests/test_split_i64.py's page: in this engine, whether the polyfill goes
// through the i64 trampoline by itself (wantSplitI64), whether the imports
// are then wasm functions, and split_i64.mjs's transcript with it forced off
// and on.
import { SPLIT, isWasm, transcript } from "./split_i64.mjs";
import { WASI } from "../../../polyfill/src/index.js";
import { wantSplitI64 } from "../../../polyfill/src/generated/imports.js";

function main() {
  const shipped = new WASI({ version: "preview1", stdout: () => {}, stderr: () => {} }).wasiImport;
  return {
    ua: navigator.userAgent,
    auto: wantSplitI64(),
    autoWasm: SPLIT.filter((n) => isWasm(shipped[n])),
    off: transcript(false),
    on: transcript(true),
  };
}

try {
  window.splitResult = main();
} catch (e) {
  window.splitResult = { error: String(e?.stack ?? e) };
}
