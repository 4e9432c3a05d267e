// The runtime object the generated glue calls: state (descriptor table,
// MemFS, stdio, clocks) plus the 46 syscalls, grouped by file as wazero does
// (syscalls/*.js) and assembled on one prototype.
import { errno, filetype } from "./generated/constants.js";
import { WasiError } from "./errors.js";
import { Clocks } from "./clocks.js";
import { CryptoRandom } from "./random.js";
import { Descriptor, FdTable } from "./fd_table.js";
import { Sleeper } from "./sleep.js";
import { argsSyscalls } from "./syscalls/args.js";
import { clockSyscalls } from "./syscalls/clock.js";
import { fdSyscalls, STDIO_CHUNK } from "./syscalls/fd.js";
import { pathSyscalls } from "./syscalls/path.js";
import { pollSyscalls } from "./syscalls/poll.js";
import { procSyscalls, WasiExit } from "./syscalls/proc.js";
import { randomSyscalls } from "./syscalls/random.js";
import { sockSyscalls } from "./syscalls/sock.js";
import { DIRENT_SIZE } from "./generated/layouts.js";

const encoder = new TextEncoder();

/**
 * A preview1 runtime for one guest.
 *
 * @param {object} o
 * @param {import("./vfs/memfs.js").MemFS} o.fs
 * @param {string[]} [o.args]
 * @param {[string, string][]} [o.env] name/value pairs
 * @param {[string, string][]} [o.preopens] [guest path, path in `fs`], given fds 3, 4, ... in order
 * @param {object} o.stdin an input stream (stdio.js)
 * @param {object} o.stdout an output stream
 * @param {object} o.stderr an output stream
 * @param {Clocks} [o.clocks]
 * @param {(code: number) => never} [o.exit] proc_exit's action (default: throw WasiExit)
 * @param {{getRandomValues(a: Uint8Array): unknown}} [o.crypto]
 * @param {{fill(bytes: Uint8Array): Uint8Array}} [o.random] random_get's source (default: o.crypto)
 * @param {number} [o.maxFds] open descriptors allowed (EMFILE beyond; default 2^20)
 */
export class Preview1Runtime {
  constructor(o) {
    this.fs = o.fs;
    this.fds = new FdTable(o.maxFds);
    this.args = (o.args ?? []).map((s) => encoder.encode(s));
    this.environ = (o.env ?? []).map(([k, v]) => encoder.encode(`${k}=${v}`));
    this.clocks = o.clocks ?? new Clocks();
    this.exit = o.exit ?? ((code) => { throw new WasiExit(code); });
    this.random = o.random ?? new CryptoRandom(o.crypto);
    this.sleeper = new Sleeper();
    this.encoder = encoder;
    this.stdioScratch = new Uint8Array(STDIO_CHUNK);
    this.randomScratch = new Uint8Array(256);
    const header = new Uint8Array(DIRENT_SIZE);
    this.direntScratch = { u8: header, dv: new DataView(header.buffer) };
    this.fds.insert(Descriptor.stdin(o.stdin));
    this.fds.insert(Descriptor.stdout(o.stdout));
    this.fds.insert(Descriptor.stdout(o.stderr));
    for (const [guestPath, fsPath] of o.preopens ?? []) {
      let dir;
      try {
        dir = this.fs.statAt(this.fs.root, fsPath, true, false);
      } catch (e) {
        if (e instanceof WasiError) throw new WasiError(e.errno, `preopen ${JSON.stringify(guestPath)}: ${JSON.stringify(fsPath)} is not in the MemFS`);
        throw e;
      }
      if (dir.type !== filetype.directory) throw new WasiError(errno.notdir, `preopen ${JSON.stringify(guestPath)}: ${JSON.stringify(fsPath)} is not a directory`);
      this.fds.insert(Descriptor.preopen(dir, guestPath));
    }
  }

  /** Flush buffered stdio (console output keeps a partial last line). */
  flush() {
    for (const d of this.fds.slots) if (d !== null && d.stream !== null) d.stream.flush?.();
  }
}

Object.assign(
  Preview1Runtime.prototype,
  argsSyscalls,
  clockSyscalls,
  fdSyscalls,
  pathSyscalls,
  pollSyscalls,
  procSyscalls,
  randomSyscalls,
  sockSyscalls,
);
