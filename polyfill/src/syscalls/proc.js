// proc_exit, proc_raise and sched_yield.
import { errno } from "../generated/constants.js";
import { WasiError } from "../errors.js";
import { yieldToEventLoop } from "../sleep.js";

/**
 * Thrown by proc_exit to unwind the guest; WASI.start() catches it and
 * returns `code`. Not a WasiError: the glue lets it through.
 */
export class WasiExit extends Error {
  constructor(code) {
    // Without a stack trace: it is control flow, not a failure, and capturing
    // the guest's stack was most of what a short run's proc_exit cost (V8;
    // other engines ignore stackTraceLimit).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`wasi: exit(${code})`);
    Error.stackTraceLimit = limit;
    this.name = "WasiExit";
    this.code = code;
  }
}

/**
 * proc_exit with a status of 126 or more: wasmtime refuses it and fails the
 * run with this message (its CLI exits with status 1); see spec/RATIONALE.md.
 */
export class InvalidExitStatus extends Error {
  constructor(code) {
    super("exit with invalid exit status outside of [0..126)");
    this.name = "InvalidExitStatus";
    this.code = code;
  }
}

export const procSyscalls = {
  /** Never returns: throws WasiExit (or InvalidExitStatus for rval ≥ 126), or exits the host process. */
  proc_exit(rval) {
    this.flush();
    if (rval >= 126) throw new InvalidExitStatus(rval);
    this.exit(rval);
    throw new WasiExit(rval); // in case the exit hook returned
  },

  /** Errors: ENOTSUP (always, as wasmtime; an unknown signal traps in the glue). */
  proc_raise(sig) {
    throw new WasiError(errno.notsup);
  },

  /**
   * Sync mode: nothing to yield to in a single-threaded guest. Async mode: a
   * Promise that settles once the event loop has run (the page gets a turn).
   * Errors: none.
   */
  sched_yield() {
    if (this.async) return yieldToEventLoop();
  },
};
