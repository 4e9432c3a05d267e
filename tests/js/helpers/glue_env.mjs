// The generated glue (polyfill/src/generated/imports.js) over a stub runtime
// and one guest memory: what tests/js/glue.test.mjs and the spec-driven
// sweeps of tests/test_glue.py (through glue_harness.mjs) call into.
import { createImports } from "../../../polyfill/src/generated/imports.js";
import { traceImports } from "../../../polyfill/src/generated/trace.js";
import { GuestMemory, IoVecs, UnreadableString } from "../../../polyfill/src/memory.js";

// Where setup() puts things (tests/test_glue.py builds its arguments on these).
export const IOVEC = 1024;   // one (c)iovec: buf=2048, buf_len=16
export const STRING = 1536;  // "hello"
export const BUF = 2048;     // byte buffers, 16 bytes

// The stub reads its memory arguments as behaviour does (glue contract): the
// first non-empty iovec, and each string (throwing an UnreadableString's error).
const describe = (a) => {
  if (a instanceof IoVecs) {
    const i = a.firstNonEmpty();
    return { count: a.count, first: i, length: i < 0 ? 0 : a.length(i) };
  }
  if (a instanceof UnreadableString) throw a.error;
  return a;
};

/** The errno, or "trap: <message>" for a WebAssembly.RuntimeError. */
export const attempt = (f) => {
  try { return f(); } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) return "trap: " + e.message;
    throw e;
  }
};

/**
 * A fresh glue over a recording stub runtime: each call lands in `calls` as
 * [name, ...args described]; the runtime answers `returns[name]`, or calls it
 * if it is a function. `imports` is the plain import object, `traced` the
 * traced one (its lines in `lines`).
 */
export function glueEnv() {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 8 });
  const mem = new GuestMemory(memory);
  const calls = [];
  const returns = {};  // name -> value, or function(...args) -> value
  const runtime = new Proxy({}, {
    get: (_, name) => (...args) => {
      calls.push([name, ...args.map(describe)]);
      const r = returns[name];
      return typeof r === "function" ? r(...args) : r;
    },
  });
  const lines = [];
  const imports = createImports(runtime, mem);
  const traced = traceImports(createImports(runtime, mem), mem, (line) => lines.push(line));
  const u8 = () => new Uint8Array(memory.buffer);
  const dv = () => new DataView(memory.buffer);
  const setup = () => {
    u8().fill(0);
    dv().setUint32(IOVEC, BUF, true);
    dv().setUint32(IOVEC + 4, 16, true);
    u8().set(new TextEncoder().encode("hello"), STRING);
    calls.length = 0;
  };
  const snapshot = () => Array.from(u8().slice(0, 16384)).join(",");
  return { memory, mem, calls, returns, lines, imports, traced, u8, dv, setup, snapshot };
}
