// Blocking the calling thread for poll_oneoff's clock subscriptions.
//
// preview1 is synchronous: when poll_oneoff has to wait for a clock, the guest
// cannot continue until then. Atomics.wait on a private shared cell sleeps
// without burning CPU; it works in Node and in workers (of isolated pages or
// not: see sharedCell), but throws on a browser's main thread, where only
// async mode (sleepAsync) avoids spinning.
const timeNow = typeof performance !== "undefined" ? () => performance.now() : () => Date.now();

/**
 * A shared Int32 to wait on. Without cross-origin isolation there is no
 * SharedArrayBuffer constructor, but a shared WebAssembly.Memory still gives
 * one (Chromium, in workers), so a Worker of a plain page sleeps too.
 */
function sharedCell() {
  if (typeof SharedArrayBuffer === "function") return new Int32Array(new SharedArrayBuffer(4));
  return new Int32Array(new WebAssembly.Memory({ shared: true, initial: 1, maximum: 1 }).buffer, 0, 1);
}

export class Sleeper {
  constructor() {
    /** @type {Int32Array | null} */
    this.cell = null;
    try {
      const cell = sharedCell();
      Atomics.wait(cell, 0, 1, 0); // value mismatch: returns at once where waiting is allowed, throws where not
      this.cell = cell;
    } catch {
      this.cell = null;
    }
  }

  /** Block for `ms` milliseconds (a Number, may be fractional). */
  sleep(ms) {
    if (!(ms > 0)) return;
    const until = timeNow() + ms;
    if (this.cell !== null) {
      for (let left = ms; left > 0; left = until - timeNow()) Atomics.wait(this.cell, 0, 0, left);
      return;
    }
    // No way to block here (a browser's main thread): spin. This keeps the
    // semantics (poll_oneoff returns only once the clock fired) at the price
    // of a busy CPU; run the guest in a worker to avoid it.
    while (timeNow() < until) { /* spin */ }
  }
}

/**
 * Async mode: a Promise that settles after `ms` milliseconds, on a timer (the
 * event loop runs meanwhile). `cancel()` clears the timer, so a wait that
 * ended early (stdin had data) does not hold a Node process open.
 * @returns {Promise<void> & {cancel(): void}}
 */
export function sleepAsync(ms) {
  let id;
  const p = new Promise((resolve) => { id = setTimeout(resolve, Math.max(0, Math.ceil(ms))); });
  p.cancel = () => clearTimeout(id);
  return p;
}

/**
 * Async mode: let the event loop run once (sched_yield, a zero-timeout
 * poll_oneoff): `scheduler.yield()` where there is one, else a macrotask
 * (setImmediate in Node, a MessageChannel message in browsers). setTimeout(0)
 * would do, but browsers clamp nested timeouts to 4 ms.
 */
export function yieldToEventLoop() {
  if (typeof scheduler !== "undefined" && typeof scheduler.yield === "function") return scheduler.yield();
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === "function") {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
