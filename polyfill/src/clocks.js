// Clocks (the twin of uvwasi's clocks.c): realtime and monotonic in
// nanoseconds, read by the guest (clock_time_get) and peeked at by the
// runtime itself (poll_oneoff deadlines, file timestamps).
//
// As wasmtime: both report a resolution of 1 ns, and the CPU-time clocks are
// not provided (EBADF) — see spec/RATIONALE.md, "Clocks". DeterministicClocks
// implement spec/RATIONALE.md, "Deterministic mode".
const TIME_ORIGIN = typeof performance !== "undefined" && performance.timeOrigin ? performance.timeOrigin : Date.now();
const now = typeof performance !== "undefined" ? () => performance.now() : () => Date.now() - TIME_ORIGIN;

function msToNs(ms) {
  const whole = Math.floor(ms);
  return BigInt(whole) * 1000000n + BigInt(Math.floor((ms - whole) * 1e6));
}

export class Clocks {
  /**
   * @param {object} [hooks]
   * @param {() => bigint} [hooks.realtime] ns since the Unix epoch
   * @param {() => bigint} [hooks.monotonic] ns since an arbitrary origin (Node: process.hrtime.bigint)
   */
  constructor(hooks = {}) {
    if (hooks.realtime) this.realtime = this.peekRealtime = hooks.realtime;
    if (hooks.monotonic) this.monotonic = this.peekMonotonic = hooks.monotonic;
    /** What clock_res_get reports for realtime and monotonic (wasmtime on Linux: 1 ns). */
    this.resolution = 1n;
    this.deterministic = false;
  }

  /** ns since 1970-01-01T00:00:00Z (the guest's read). */
  realtime() { return msToNs(TIME_ORIGIN + now()); }

  /** ns since an arbitrary origin; never goes back (the guest's read). */
  monotonic() { return msToNs(now()); }

  /** The runtime's own reads: the same clocks. */
  peekRealtime() { return this.realtime(); }
  peekMonotonic() { return this.monotonic(); }
}

/** Deterministic mode: where the clocks start and how far each guest read moves them. */
export const DETERMINISTIC_REALTIME_START = 1700000000000000000n;
export const DETERMINISTIC_MONOTONIC_START = 1000000000n;
export const DETERMINISTIC_STEP = 1000000n;

/**
 * Clocks as counters (spec/RATIONALE.md, "Deterministic mode"): each guest
 * read returns the counter, then adds a 1 ms step; the runtime's own peeks
 * move nothing; poll_oneoff advances both by the time it would have slept.
 */
export class DeterministicClocks {
  constructor() {
    this.realtimeNs = DETERMINISTIC_REALTIME_START;
    this.monotonicNs = DETERMINISTIC_MONOTONIC_START;
    this.resolution = DETERMINISTIC_STEP;
    this.deterministic = true;
  }

  realtime() {
    const t = this.realtimeNs;
    this.realtimeNs = BigInt.asUintN(64, t + DETERMINISTIC_STEP); // a u64 counter: it wraps
    return t;
  }

  monotonic() {
    const t = this.monotonicNs;
    this.monotonicNs = BigInt.asUintN(64, t + DETERMINISTIC_STEP);
    return t;
  }

  peekRealtime() { return this.realtimeNs; }
  peekMonotonic() { return this.monotonicNs; }

  /** Time passes (a poll_oneoff that would have slept `ns`). */
  advance(ns) {
    // u64 counters, wrapping (spec/RATIONALE.md, "Deterministic mode")
    this.realtimeNs = BigInt.asUintN(64, this.realtimeNs + BigInt(ns));
    this.monotonicNs = BigInt.asUintN(64, this.monotonicNs + BigInt(ns));
  }
}
