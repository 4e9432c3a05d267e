// The one place errors become errno (see polyfill/README.md, "The glue contract").
//
// Hand-written behaviour throws WasiError(errno.X); the generated glue turns it
// into the return value with toErrno(). Anything else is not a WASI error (a
// bug, or proc_exit unwinding) and keeps propagating.
import { errno, errnoCode } from "./generated/constants.js";

export class WasiError extends Error {
  /** @param {number} errnoValue a value of `errno` @param {string} [message] */
  constructor(errnoValue, message) {
    const code = errnoCode[errnoValue] ?? `E${errnoValue}`;
    super(message ? `${code}: ${message}` : code);
    this.name = "WasiError";
    /** The WASI errno (a number), as the guest sees it. */
    this.errno = errnoValue;
    /** The POSIX name ("ENOENT"), as Node's fs errors carry it. */
    this.code = code;
  }
}

/** The errno a thrown value stands for; rethrows what is not a WasiError. */
export function toErrno(e) {
  if (e instanceof WasiError) return e.errno;
  throw e;
}

export { errno };
