// The spec-driven glue sweeps of tests/test_glue.py: Python derives the cases
// from spec/ (every function's core arguments, each pointer out of bounds and
// misaligned, each bad enum/flags value, each bad string) and hands them over
// as JSON on stdin; this runs them on glue_env.mjs's stub runtime and emits
// what happened. The assertions stay in Python, next to the spec they come from.
//
//   node tests/js/helpers/glue_harness.mjs arity
//     -> {plain: [[name, length]...], traced: [...]}
//   node tests/js/helpers/glue_harness.mjs sweep  < {layout, functions: [...]}
//     -> {good, fails, failsOob, oob, misaligned}, as test_glue.py's `sweep`
//   node tests/js/helpers/glue_harness.mjs calls  < {cases: [...]}
//     -> [[errno or "trap: ...", calls the runtime saw]...], one per case
//
// Arguments and stub results are in emit.mjs's input form (BigInts, bytes).
import { WasiError } from "../../../polyfill/src/errors.js";
import { errno } from "../../../polyfill/src/generated/constants.js";
import { decode, emit, readInput } from "./emit.mjs";
import { BUF, IOVEC, STRING, attempt, glueEnv } from "./glue_env.mjs";

const g = glueEnv();
const call = (name, args) => () => g.imports[name](...decode(args));
const answer = (value) => () => decode(value);
const failWith = (code) => () => { throw new WasiError(errno[code]); };

const modes = {
  arity() {
    return {
      plain: Object.entries(g.imports).map(([k, f]) => [k, f.length]),
      traced: Object.entries(g.traced).map(([k, f]) => [k, f.length]),
    };
  },

  // For each function: a good call; the runtime failing (errno returned,
  // memory untouched), even with out-of-bounds result pointers (they are
  // checked after the call); then each pointer out of bounds (the memory
  // image compared with a clean one) and, where it has an alignment, misaligned.
  sweep({ layout, functions }) {
    const ours = { IOVEC, STRING, BUF };
    if (JSON.stringify(layout) !== JSON.stringify(ours)) {
      throw new Error(`test_glue.py's layout ${JSON.stringify(layout)} is not glue_env.mjs's ${JSON.stringify(ours)}`);
    }
    const out = { good: {}, fails: {}, failsOob: {}, oob: {}, misaligned: {} };
    g.setup();
    const clean = g.snapshot();
    for (const f of functions) {
      g.returns[f.name] = answer(f.ret);
      g.setup(); out.good[f.name] = [attempt(call(f.name, f.args)), g.calls.length];
      g.setup();
      const before = g.snapshot();
      g.returns[f.name] = failWith("badf");
      const r = attempt(call(f.name, f.args));
      out.fails[f.name] = [r, g.snapshot() === before];
      g.setup(); out.failsOob[f.name] = attempt(call(f.name, f.failsOobArgs));
      g.returns[f.name] = answer(f.ret);
      for (const p of f.pointers) {
        g.setup(); out.oob[p.key] = [attempt(call(f.name, p.oob)), g.snapshot() === clean];
        if (p.misaligned) { g.setup(); out.misaligned[p.key] = attempt(call(f.name, p.misaligned)); }
      }
    }
    return out;
  },

  // Each case on its own (no runtime answers left from the one before):
  // `poke` [[address, bytes]...] into the set-up memory, the runtime answers
  // `ret` or fails with errno `throws`, then the call.
  calls({ cases }) {
    return cases.map((c) => {
      for (const k of Object.keys(g.returns)) delete g.returns[k];
      g.setup();
      for (const [at, bytes] of c.poke ?? []) g.u8().set(bytes, at);
      if ("throws" in c) g.returns[c.name] = failWith(c.throws);
      else if ("ret" in c) g.returns[c.name] = answer(c.ret);
      return [attempt(call(c.name, c.args)), g.calls.slice()];
    });
  },
};

const mode = process.argv[2];
if (!(mode in modes)) throw new Error(`glue_harness.mjs: mode ${mode}? (${Object.keys(modes).join(", ")})`);
emit(modes[mode](await readInput()));
