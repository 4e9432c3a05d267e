// Nanosecond times as Node's utimes takes them: seconds in a double.
//
// A double near 1.7e9 s is exact to about 0.24 µs, and libuv turns it into a
// timespec as `nsec = trunc((d - trunc(d)) * 1e9)`; before libuv 1.52
// (Node 24) it also cut that to the microsecond. So the nearest double can
// land in the next or previous microsecond (about 6% of times). This picks,
// among the doubles next to the time, the one libuv turns into the time
// closest to it within the same microsecond: the host keeps the exact
// microsecond always, and the nanoseconds as closely as a double allows.

const [uvMajor, uvMinor] = process.versions.uv.split(".").map(Number);
/** libuv 1.52 stopped cutting utimes to the microsecond. */
export const UTIMES_KEEPS_NS = uvMajor > 1 || uvMinor >= 52;

const NS = 1000000000n;
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** What libuv sets for a double (in ns), as its uv__fs_to_timespec computes it. */
export function libuvTimespec(d, keepsNs = UTIMES_KEEPS_NS) {
  const s = Math.trunc(d);
  let n = BigInt(Math.trunc((d - s) * 1e9));
  if (!keepsNs) n -= n % 1000n;
  return BigInt(s) * NS + n;
}

/** The double to give utimes for a time in ns (a BigInt, at or after 1970). */
export function utimesSeconds(ns, keepsNs = UTIMES_KEEPS_NS) {
  const s = ns / NS, n = Number(ns % NS);
  if (!keepsNs) return Number(s) + (n - (n % 1000) + 500) / 1e9; // libuv cuts to the µs: aim at its middle
  const d0 = Number(s) + n / 1e9;
  const us = ns / 1000n;
  let best = d0, bestErr = null;
  f64[0] = d0;
  const bits = i64[0];
  for (let k = -4n; k <= 4n; k++) {
    i64[0] = bits + k; // the neighbouring doubles (positive: adjacent bit patterns)
    const d = f64[0];
    if (!Number.isFinite(d) || (d < 0) !== (d0 < 0)) continue; // past zero the bit patterns are NaNs or the other sign
    const got = libuvTimespec(d, true);
    if (got / 1000n !== us) continue;
    const err = got > ns ? got - ns : ns - got;
    if (bestErr === null || err < bestErr) { best = d; bestErr = err; }
  }
  return best;
}
