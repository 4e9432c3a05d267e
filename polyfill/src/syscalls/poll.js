// poll_oneoff (the twin of uvwasi's poll_oneoff.c).
//
// Readiness, as wasmtime reports it:
// - fd_read on a regular file or stdin, fd_write on a regular file or
//   stdout/stderr: always ready, `nbytes` 1; a file read at or past the end
//   also sets `fd_readwrite_hangup`. Any other descriptor (a directory, stdin
//   for writing, stdout for reading) fails the whole call with EBADF.
// - clocks (realtime and monotonic, relative or absolute): ready once their
//   time has come. If any fd subscription is ready, only fd events are
//   reported (wasmtime's timers do not fire within the same poll); otherwise
//   the call blocks until the earliest clock and reports every clock whose
//   time has come by then (spec/RATIONALE.md, "poll_oneoff").
// Events are reported in subscription order.
//
// In deterministic mode (spec/RATIONALE.md, "Deterministic mode") nothing
// sleeps: the clocks with the smallest timeout fire together and the
// realtime and monotonic clocks advance by that timeout.
//
// In async mode (spec/RATIONALE.md, "Async mode") poll_oneoff returns a
// Promise instead of blocking: a clock waits on a timer while the event loop
// runs, and an fd_read subscription on a stdin that can wait (an
// AsyncInput) is ready only once it has bytes or its end; the call wakes on
// the first subscription that becomes ready and reports every one ready then.
import { clockid, errno, eventrwflags, eventtype, subclockflags } from "../generated/constants.js";
import { WasiError } from "../errors.js";
import { KIND_FILE, KIND_STDIN, KIND_STDOUT } from "../fd_table.js";
import { sleepAsync, yieldToEventLoop } from "../sleep.js";

const ABSTIME = subclockflags.subscription_clock_abstime;

export const pollSyscalls = {
  /**
   * Errors: EINVAL (no subscriptions; a CPU-time clock), EBADF (an fd
   * subscription on a descriptor that is not open or cannot be polled that way).
   * (The glue returns EINVAL for an unknown event type or clock id.)
   * Async mode: a Promise of the events when something must be waited for.
   */
  poll_oneoff(subscriptions) {
    const count = subscriptions.length;
    if (count === 0) throw new WasiError(errno.inval);
    const fdEvents = [];
    /** @type {object[]} the clock subscriptions */
    const clocks = [];
    /** @type {object[]} fd_read subscriptions on an async stdin with nothing to read yet */
    let notReady = null;
    for (let i = 0; i < count; i++) {
      const sub = subscriptions[i];
      const u = sub.u;
      if (u.tag === eventtype.clock) {
        const id = u.value.id;
        if (id !== clockid.realtime && id !== clockid.monotonic) throw new WasiError(errno.inval);
        clocks.push(sub);
        continue;
      }
      const fd = u.value.file_descriptor;
      const d = this.fds.peek(fd);
      let flags = 0;
      if (u.tag === eventtype.fd_read) {
        if (d === null || (d.kind !== KIND_FILE && d.kind !== KIND_STDIN)) throw new WasiError(errno.badf);
        if (d.kind === KIND_FILE && d.position >= d.inode.size) flags = eventrwflags.fd_readwrite_hangup;
        if (d.kind === KIND_STDIN && d.stream.whenReadable !== undefined && !d.stream.readable) {
          (notReady ??= []).push(sub);
          continue;
        }
      } else {
        if (d === null || (d.kind !== KIND_FILE && d.kind !== KIND_STDOUT)) throw new WasiError(errno.badf);
      }
      fdEvents.push(event(sub, u.tag, 1, flags));
    }
    if (fdEvents.length > 0) return fdEvents;
    if (this.clocks.deterministic && clocks.length > 0) return fireDeterministic(this.clocks, clocks);
    if (notReady !== null) return waitForStdinOrClocks(this, notReady, clocks);
    return this.async ? waitForClocksAsync(this, clocks) : waitForClocks(this, clocks);
  },
};

/** Each clock's deadline on the monotonic clock, in ms. */
function deadlinesOf(clocks, subs) {
  const start = nsToMs(clocks.peekMonotonic());
  return subs.map((sub) => {
    const c = sub.u.value;
    if (!(c.flags & ABSTIME)) return start + nsToMs(c.timeout);
    if (c.id === clockid.monotonic) return nsToMs(c.timeout);
    return start + nsToMs(c.timeout) - nsToMs(clocks.peekRealtime());
  });
}

/** The clock events due at `now` (ms). */
function dueClocks(subs, deadlines, now) {
  const out = [];
  for (let i = 0; i < subs.length; i++) if (deadlines[i] <= now) out.push(event(subs[i], eventtype.clock, 0, 0));
  return out;
}

/** Async mode: wait on a timer (the event loop runs), then report the clocks due. */
async function waitForClocksAsync(runtime, subs) {
  const clocks = runtime.clocks;
  const deadlines = deadlinesOf(clocks, subs);
  const earliest = Math.min(...deadlines);
  let now = nsToMs(clocks.peekMonotonic());
  if (earliest > now) {
    while (now < earliest) {
      await sleepAsync(earliest - now);
      now = nsToMs(clocks.peekMonotonic());
    }
  } else {
    await yieldToEventLoop(); // a zero timeout still lets the page breathe, as a sleep(0) would
  }
  return dueClocks(subs, deadlines, Math.max(now, earliest));
}

/**
 * Async mode, stdin not readable yet: wait for its bytes or for the earliest
 * clock, whichever comes first; then stdin's events if it is readable, else
 * the clocks due.
 */
async function waitForStdinOrClocks(runtime, stdinSubs, clockSubs) {
  const clocks = runtime.clocks;
  const deadlines = deadlinesOf(clocks, clockSubs);
  const earliest = clockSubs.length > 0 ? Math.min(...deadlines) : Infinity;
  const stream = runtime.fds.peek(stdinSubs[0].u.value.file_descriptor).stream;
  for (;;) {
    const now = nsToMs(clocks.peekMonotonic());
    if (stream.readable) return stdinSubs.map((sub) => event(sub, eventtype.fd_read, 1, 0));
    if (now >= earliest) return dueClocks(clockSubs, deadlines, now);
    const timer = earliest === Infinity ? null : sleepAsync(earliest - now);
    try {
      await (timer === null ? stream.whenReadable() : Promise.race([stream.whenReadable(), timer]));
    } finally {
      timer?.cancel();
    }
  }
}

/** Block until the earliest clock, then report every clock whose time has come. */
function waitForClocks(runtime, subs) {
  const clocks = runtime.clocks;
  const deadlines = deadlinesOf(clocks, subs);
  const earliest = Math.min(...deadlines);
  let now = nsToMs(clocks.peekMonotonic());
  if (earliest > now) {
    runtime.sleeper.sleep(earliest - now);
    now = Math.max(earliest, nsToMs(clocks.peekMonotonic()));
  }
  return dueClocks(subs, deadlines, now);
}

/** Deterministic mode: the smallest timeouts fire at once and time moves on by it. */
function fireDeterministic(clocks, subs) {
  const timeouts = subs.map((sub) => {
    const c = sub.u.value;
    if (!(c.flags & ABSTIME)) return c.timeout;
    const now = c.id === clockid.realtime ? clocks.peekRealtime() : clocks.peekMonotonic();
    return c.timeout > now ? c.timeout - now : 0n;
  });
  let min = timeouts[0];
  for (const t of timeouts) if (t < min) min = t;
  clocks.advance(min);
  const out = [];
  for (let i = 0; i < subs.length; i++) if (timeouts[i] === min) out.push(event(subs[i], eventtype.clock, 0, 0));
  return out;
}

function event(sub, type, nbytes, flags) {
  return { userdata: sub.userdata, error: errno.success, type, fd_readwrite: { nbytes, flags } };
}

/** ns (BigInt) → ms (Number); precise to well under a µs for any realistic value. */
function nsToMs(ns) {
  return Number(ns / 1000n) / 1000;
}

