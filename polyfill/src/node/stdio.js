// Stdio on host file descriptors (Node only): `stdin: 0`, `stdout: 1`, ...
import { readSync, writeSync } from "node:fs";
import { isatty } from "node:tty";
import { errno } from "../generated/constants.js";
import { WasiError } from "../errors.js";

const EMPTY = new Uint8Array(0);

/** Sleep a little while a non-blocking host fd has nothing (EAGAIN). */
let cell = null;
function backoff() {
  cell ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(cell, 0, 0, 1);
}

function hostErrno(e) {
  switch (e?.code) {
    case "EPIPE": return errno.pipe;
    case "EBADF": return errno.badf;
    case "ENOSPC": return errno.nospc;
    default: return errno.io;
  }
}

// Both streams ask the host whether the fd is a terminal, and allocate their
// buffer, only when first needed: most runs never read stdin, and starting
// an instance should cost little.
export class FdInput {
  constructor(fd) {
    this.fd = fd;
    this._isatty = undefined;
    this.buf = null;
  }

  get isatty() {
    return (this._isatty ??= isatty(this.fd));
  }

  read(max) {
    this.buf ??= new Uint8Array(65536);
    const n = Math.min(max, this.buf.length);
    for (;;) {
      try {
        const got = readSync(this.fd, this.buf, 0, n, null);
        return got === 0 ? EMPTY : this.buf.subarray(0, got);
      } catch (e) {
        if (e.code === "EAGAIN") { backoff(); continue; }
        if (e.code === "EOF") return EMPTY; // Windows pipes
        throw new WasiError(hostErrno(e), e.message);
      }
    }
  }
}

export class FdOutput {
  constructor(fd) {
    this.fd = fd;
    this._isatty = undefined;
  }

  get isatty() {
    return (this._isatty ??= isatty(this.fd));
  }

  write(src, offset, n) {
    while (n > 0) {
      let k;
      try {
        k = writeSync(this.fd, src, offset, n);
      } catch (e) {
        if (e.code === "EAGAIN") { backoff(); continue; }
        throw new WasiError(hostErrno(e), e.message);
      }
      offset += k;
      n -= k;
    }
  }

  flush() {}
}
