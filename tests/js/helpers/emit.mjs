// The JSON bridge between a Python test and a JS program it runs
// (tests/jsrun.py's run_node): the program reads its input with
// `readInput()` and answers with `emit(value)`.
//
// On the wire, both ways: BigInts as {"$bigint": "<decimal>"} in the input,
// and as decimal strings in the output; Uint8Arrays as {"$bytes": [...]} in
// the input and as lists of numbers in the output. `undefined` in the input
// is {"$undefined": true} (JSON has no such value).

export const MARK = "@@emit ";

/** Print `value` as one "@@emit <json>" line (the Python side keeps only those lines). */
export function emit(value) {
  process.stdout.write(MARK + JSON.stringify(value, (key, v) =>
    typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Array.from(v) : v) + "\n");
}

/** A fresh JS value from the input's JSON form (a new object on every call). */
export function decode(v) {
  if (Array.isArray(v)) return v.map(decode);
  if (v === null || typeof v !== "object") return v;
  if ("$bigint" in v) return BigInt(v.$bigint);
  if ("$bytes" in v) return new Uint8Array(v.$bytes);
  if ("$undefined" in v) return undefined;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
}

/** The JSON document on stdin, as is (`decode` the parts that are JS values). */
export async function readInput() {
  let text = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += chunk;
  return text.trim() ? JSON.parse(text) : null;
}
