// A line diff for the cross-check panel: the shortest edit script (Myers'
// O(ND) algorithm), rendered as unified-diff hunks with context lines.

/** Splits text into lines, keeping a final line without "\n". */
export function splitLines(text) {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * Myers' diff of two arrays of lines. Returns ops in order:
 *   { op: " " | "-" | "+", line }
 */
export function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[max + k] = x;
      if (x >= n && y >= m) { done = true; break; }
    }
  }
  // Walk back through the saved frontiers.
  const ops = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1] < vd[max + k + 1]) ? k + 1 : k - 1;
    const prevX = vd[max + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ op: " ", line: a[--x] }), y--;
    if (d > 0) {
      if (x === prevX) ops.push({ op: "+", line: b[--y] });
      else ops.push({ op: "-", line: a[--x] });
    }
  }
  return ops.reverse();
}

/** Unified-diff-style hunks (context lines around changes); [] if equal. */
export function unifiedDiff(aText, bText, context = 3) {
  const ops = diffLines(splitLines(aText), splitLines(bText));
  if (ops.every((o) => o.op === " ")) return [];
  const keep = new Array(ops.length).fill(false);
  ops.forEach((o, i) => {
    if (o.op === " ") return;
    for (let j = Math.max(0, i - context); j <= Math.min(ops.length - 1, i + context); j++) keep[j] = true;
  });
  const out = [];
  let skipped = 0;
  ops.forEach((o, i) => {
    if (!keep[i]) { skipped++; return; }
    if (skipped) out.push({ op: "@", line: `… ${skipped} equal line${skipped === 1 ? "" : "s"}` });
    skipped = 0;
    out.push(o);
  });
  if (skipped) out.push({ op: "@", line: `… ${skipped} equal line${skipped === 1 ? "" : "s"}` });
  return out;
}
