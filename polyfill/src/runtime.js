// The runtime object the generated glue calls: state (descriptor table,
// MemFS, stdio, clocks) plus the 46 syscalls, grouped by file as wazero does
// (syscalls/*.js) and assembled on one prototype.
import { errno, filetype } from "./generated/constants.js";
import { WasiError } from "./errors.js";
import { Clocks } from "./clocks.js";
import { CryptoRandom } from "./random.js";
import { Descriptor, FdTable, utf8 } from "./fd_table.js";
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
import { MemFSCore } from "./vfs/memfs.js";

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
// The defaults hold no state of an instance's (a Clocks reads the host's
// clocks, a CryptoRandom the platform's CSPRNG): one of each for every
// instance, as the Node entry already shares its Clocks (startup, issue #17).
let defaultClocks = null;
const randoms = new Map(); // crypto (or undefined) -> CryptoRandom

/** The CryptoRandom over `crypto`, one per crypto object. */
function cryptoRandom(crypto) {
  let r = randoms.get(crypto);
  if (r === undefined) randoms.set(crypto, (r = new CryptoRandom(crypto)));
  return r;
}

/**
 * A preview1 runtime for one guest.
 *
 * @param {object} o
 * @param {MemFSCore} [o.fs] default: an empty MemFSCore, made when first used
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
 * @param {boolean} [o.async] async mode: poll_oneoff and sched_yield may return
 *   Promises (the glue's async variants wait for them; spec/RATIONALE.md, "Async mode")
 */
export class Preview1Runtime {
  constructor(o) {
    this._fs = o.fs ?? null;
    this.fds = new FdTable(o.maxFds);
    // loops rather than map(): the arrays keep one shape whichever tier of
    // V8 made them (map() in optimised code deoptimised this constructor)
    this.args = [];
    const args = o.args ?? [];
    for (let i = 0; i < args.length; i++) this.args.push(utf8(args[i]));
    this.environ = [];
    const env = o.env ?? [];
    for (let i = 0; i < env.length; i++) this.environ.push(utf8(`${env[i][0]}=${env[i][1]}`));
    this.clocks = o.clocks ?? (defaultClocks ??= new Clocks());
    this.exit = o.exit ?? ((code) => { throw new WasiExit(code); });
    this.random = o.random ?? cryptoRandom(o.crypto);
    this.async = o.async ?? false;
    this.encoder = encoder;
    // Made on first use (below): most programs never sleep, list a directory
    // or draw random bytes, and an instance should cost little to start.
    this._sleeper = null;
    this._stdioScratch = null;
    this._direntScratch = null;
    this.randomScratch = EMPTY;
    /** The three stdio streams, also once the guest has closed or moved them. */
    this.stdio = [o.stdin, o.stdout, o.stderr];
    this.fds.insert(Descriptor.stdin(o.stdin));
    this.fds.insert(Descriptor.stdout(o.stdout));
    this.fds.insert(Descriptor.stdout(o.stderr));
    const preopens = o.preopens ?? [];
    for (let i = 0; i < preopens.length; i++) {
      const guestPath = preopens[i][0], fsPath = preopens[i][1];
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

  /** @returns {MemFSCore} (without the Node-style facade unless the embedder gave a MemFS) */
  get fs() {
    return (this._fs ??= new MemFSCore());
  }

  get sleeper() {
    return (this._sleeper ??= new Sleeper());
  }

  /** Bounce buffer between guest memory and an output stream (fd_write on stdio). */
  get stdioScratch() {
    return (this._stdioScratch ??= new Uint8Array(STDIO_CHUNK));
  }

  /** One serialized dirent header (fd_readdir). */
  get direntScratch() {
    if (this._direntScratch === null) {
      const header = new Uint8Array(DIRENT_SIZE);
      this._direntScratch = { u8: header, dv: new DataView(header.buffer) };
    }
    return this._direntScratch;
  }

  /** Async mode, end of a run: wait for stream writes and let go of the streams' locks. */
  async settle() {
    for (const s of new Set(this.stdio)) {
      await s.settle?.();
      s.release?.();
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
