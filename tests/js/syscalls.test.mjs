// The runtime's 46 syscalls called directly with typed values (the glue
// contract), table-driven: for each function, its success cases and every
// errno path we know (the wasmtime-observed ones are also in probe.expected).
// A final test checks that every preview1 function has a table here.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { MemFS, WasiError, errno as E, rights, oflags, fdflags, fstflags, whence, filetype, clockid, eventtype, lookupflags, subclockflags, advice } from "../../polyfill/src/index.js";
import { Preview1Runtime } from "../../polyfill/src/runtime.js";
import { GuestMemory, HOSTCALL_FUEL, IoVecs } from "../../polyfill/src/memory.js";
import { createImports } from "../../polyfill/src/generated/imports.js";
import { WasiExit, InvalidExitStatus } from "../../polyfill/src/syscalls/proc.js";
import { readDirent, DIRENT_SIZE } from "../../polyfill/src/generated/layouts.js";
import { GCProfiler, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

const ALL = 0x3fffffffn;
const RW = rights.fd_read | rights.fd_write;
const DIR_ALL = ALL & ~rights.fd_write; // every right a directory can be opened with (fd_write: EISDIR)
const FOLLOW = lookupflags.symlink_follow;
const enc = new TextEncoder();
const dec = new TextDecoder();

/** A runtime over a small tree, with a guest memory for iovecs. */
function setup({ stdin = "", clock, realClock = false } = {}) {
  let now = 1000000000000000000n;
  const fs = new MemFS(realClock ? {} : { clock: clock ?? (() => now) });
  fs.mkdirSync("/sb/sub", { recursive: true });
  fs.writeFileSync("/sb/file", "hello world");
  fs.symlinkSync("file", "/sb/link");
  fs.symlinkSync("sub", "/sb/dirlink");
  fs.symlinkSync("nowhere", "/sb/dangling");
  const out = [], err = [];
  const input = enc.encode(stdin);
  let inPos = 0;
  const rt = new Preview1Runtime({
    fs,
    args: ["prog", "a b", "é"],
    env: [["HOME", "/sb"], ["EMPTY", ""]],
    preopens: [["/sandbox", "/sb"]],
    stdin: { isatty: false, read: (max) => { const c = input.subarray(inPos, inPos + max); inPos += c.length; return c; } },
    stdout: { isatty: false, write: (b, o, n) => out.push(b.slice(o, o + n)) },
    stderr: { isatty: true, write: (b, o, n) => err.push(b.slice(o, o + n)) },
  });
  const memory = new WebAssembly.Memory({ initial: 1 });
  const mem = new GuestMemory(memory);
  const iovs = new IoVecs(mem);
  const ctx = {
    rt, fs, mem, iovs,
    stdout: () => dec.decode(Buffer.concat(out)),
    stderr: () => dec.decode(Buffer.concat(err)),
    tick: (ns = 1n) => { now += ns; return now; },
    /** Fill `iovs` with buffers at 1024, 2048, ... holding `parts` (strings) or of given lengths (numbers). */
    vecs(...parts) {
      const dv = new DataView(memory.buffer);
      parts.forEach((p, i) => {
        const at = 1024 * (i + 1);
        const bytes = typeof p === "string" ? enc.encode(p) : new Uint8Array(p);
        mem.u8.set(bytes, at);
        dv.setUint32(512 + 8 * i, at, true);
        dv.setUint32(512 + 8 * i + 4, bytes.length, true);
      });
      mem.fuel = 128 * 1024 * 1024;
      iovs.reset(512, parts.length, 8, 4, "iovs");
      return iovs;
    },
    /** The bytes of buffer i (first n). */
    got(i, n) { return dec.decode(mem.u8.subarray(1024 * (i + 1), 1024 * (i + 1) + n)); },
    open(path, o = 0, base = ALL, flags = 0, dirflags = FOLLOW) { return rt.path_open(3, dirflags, path, o, base, 0n, flags); },
  };
  return ctx;
}

/** The errno `f` fails with, or 0. */
function errnoOf(f) {
  try {
    f();
    return 0;
  } catch (e) {
    if (e instanceof WasiError) return e.errno;
    throw e;
  }
}

/**
 * cases[name] = [[description, (ctx) => call, expected errno (or a check function)]...]
 * Each case runs on a fresh setup().
 */
const cases = {
  args_get: [
    ["the arguments as UTF-8", (c) => c.rt.args_get().map((b) => dec.decode(b)), (r) => assert.deepEqual(r, ["prog", "a b", "é"])],
  ],
  args_sizes_get: [
    ["count and bytes with NULs", (c) => c.rt.args_sizes_get(), (r) => assert.deepEqual(r, [3, 5 + 4 + 3])],
  ],
  environ_get: [
    ["NAME=value strings", (c) => c.rt.environ_get().map((b) => dec.decode(b)), (r) => assert.deepEqual(r, ["HOME=/sb", "EMPTY="])],
  ],
  environ_sizes_get: [
    ["count and bytes", (c) => c.rt.environ_sizes_get(), (r) => assert.deepEqual(r, [2, 9 + 7])],
  ],
  clock_res_get: [
    ["realtime 1ns", (c) => c.rt.clock_res_get(clockid.realtime), (r) => assert.equal(r, 1n)],
    ["monotonic 1ns", (c) => c.rt.clock_res_get(clockid.monotonic), (r) => assert.equal(r, 1n)],
    ["process cputime: EBADF", (c) => c.rt.clock_res_get(clockid.process_cputime_id), E.badf],
    ["thread cputime: EBADF", (c) => c.rt.clock_res_get(clockid.thread_cputime_id), E.badf],
  ],
  clock_time_get: [
    ["realtime near Date.now()", (c) => c.rt.clock_time_get(clockid.realtime, 1n), (r) => assert.ok(Math.abs(Number(r / 1000000n) - Date.now()) < 1000)],
    ["monotonic never goes back", (c) => [c.rt.clock_time_get(clockid.monotonic, 0n), c.rt.clock_time_get(clockid.monotonic, 0n)], ([a, b]) => assert.ok(b >= a && typeof a === "bigint")],
    ["process cputime: EBADF", (c) => c.rt.clock_time_get(clockid.process_cputime_id, 0n), E.badf],
    ["thread cputime: EBADF", (c) => c.rt.clock_time_get(clockid.thread_cputime_id, 0n), E.badf],
  ],
  fd_advise: [
    ["a file", (c) => c.rt.fd_advise(c.open("file"), 0, 10, advice.sequential), 0],
    ["a directory: EBADF", (c) => c.rt.fd_advise(3, 0, 10, advice.normal), E.badf],
    // an opened directory reports fd_advise in fd_fdstat_get's rights (a preopen does not), still EBADF
    ["a directory with the right: EBADF", (c) => c.rt.fd_advise(c.open("sub", oflags.directory, DIR_ALL), 0, 10, advice.normal), E.badf],
    ["stdout: EBADF", (c) => c.rt.fd_advise(1, 0, 10, advice.normal), E.badf],
    ["closed: EBADF", (c) => c.rt.fd_advise(9, 0, 10, advice.normal), E.badf],
  ],
  fd_allocate: [
    ["a file: ENOTSUP", (c) => c.rt.fd_allocate(c.open("file"), 0, 10), E.notsup],
    ["a directory: EBADF", (c) => c.rt.fd_allocate(3, 0, 10), E.badf],
    ["a directory with the right: EBADF", (c) => c.rt.fd_allocate(c.open("sub", oflags.directory, DIR_ALL), 0, 10), E.badf],
    ["closed: EBADF", (c) => c.rt.fd_allocate(9, 0, 10), E.badf],
  ],
  fd_close: [
    ["a file, then again: EBADF", (c) => { const fd = c.open("file"); c.rt.fd_close(fd); c.rt.fd_close(fd); }, E.badf],
    ["a preopen", (c) => { c.rt.fd_close(3); return errnoOf(() => c.rt.fd_prestat_get(3)); }, (r) => assert.equal(r, E.badf)],
    ["stdout", (c) => c.rt.fd_close(1), 0],
    ["closed: EBADF", (c) => c.rt.fd_close(100), E.badf],
  ],
  fd_datasync: [
    ["a file", (c) => c.rt.fd_datasync(c.open("file")), 0],
    ["a read-only file", (c) => c.rt.fd_datasync(c.open("file", 0, rights.fd_read)), 0],
    ["a directory: EBADF", (c) => c.rt.fd_datasync(3), E.badf],
    ["stdout: EBADF", (c) => c.rt.fd_datasync(1), E.badf],
  ],
  fd_fdstat_get: [
    ["stdin (not a tty)", (c) => c.rt.fd_fdstat_get(0), (r) => assert.deepEqual(r, { fs_filetype: filetype.unknown, fs_flags: 0, fs_rights_base: rights.fd_read, fs_rights_inheriting: rights.fd_read })],
    ["stdout", (c) => c.rt.fd_fdstat_get(1), (r) => assert.deepEqual(r, { fs_filetype: filetype.unknown, fs_flags: 0, fs_rights_base: rights.fd_write, fs_rights_inheriting: rights.fd_write })],
    ["stderr is a tty here", (c) => c.rt.fd_fdstat_get(2).fs_filetype, (r) => assert.equal(r, filetype.character_device)],
    ["a preopen", (c) => c.rt.fd_fdstat_get(3), (r) => assert.deepEqual(r, { fs_filetype: filetype.directory, fs_flags: 0, fs_rights_base: 0x7b7fe00n, fs_rights_inheriting: 0xff7ffffn })],
    ["an opened directory", (c) => c.rt.fd_fdstat_get(c.open("sub", oflags.directory, rights.fd_read)), (r) => assert.deepEqual(r, { fs_filetype: filetype.directory, fs_flags: 0, fs_rights_base: 0x3fb7ffbbn, fs_rights_inheriting: 0x3fb7ffbbn })],
    ["a read-write file, append", (c) => c.rt.fd_fdstat_get(c.open("file", 0, ALL, fdflags.append)), (r) => assert.deepEqual(r, { fs_filetype: filetype.regular_file, fs_flags: fdflags.append, fs_rights_base: ALL, fs_rights_inheriting: ALL })],
    ["a read-only file", (c) => c.rt.fd_fdstat_get(c.open("file", 0, rights.fd_read)).fs_rights_base, (r) => assert.equal(r, 0x3fffffbfn)],
    ["a write-only file", (c) => c.rt.fd_fdstat_get(c.open("file", 0, rights.fd_write)).fs_rights_base, (r) => assert.equal(r, 0x3fffbffdn)],
    ["closed: EBADF", (c) => c.rt.fd_fdstat_get(4), E.badf],
  ],
  fd_fdstat_set_flags: [
    ["append then nonblock", (c) => { const fd = c.open("file"); c.rt.fd_fdstat_set_flags(fd, fdflags.append | fdflags.nonblock); return c.rt.fd_fdstat_get(fd).fs_flags; }, (r) => assert.equal(r, fdflags.append | fdflags.nonblock)],
    ["sync: EINVAL", (c) => c.rt.fd_fdstat_set_flags(c.open("file"), fdflags.sync), E.inval],
    ["dsync: EINVAL", (c) => c.rt.fd_fdstat_set_flags(c.open("file"), fdflags.dsync), E.inval],
    ["rsync: EINVAL", (c) => c.rt.fd_fdstat_set_flags(c.open("file"), fdflags.rsync), E.inval],
    ["a directory: EBADF", (c) => c.rt.fd_fdstat_set_flags(3, 0), E.badf],
    ["stdout: EBADF", (c) => c.rt.fd_fdstat_set_flags(1, fdflags.append), E.badf],
  ],
  fd_fdstat_set_rights: [
    ["a file: ENOTSUP", (c) => c.rt.fd_fdstat_set_rights(c.open("file"), 0n, 0n), E.notsup],
    ["a directory: ENOTSUP", (c) => c.rt.fd_fdstat_set_rights(3, 0n, 0n), E.notsup],
    ["stdout: EBADF", (c) => c.rt.fd_fdstat_set_rights(1, 0n, 0n), E.badf],
    ["closed: EBADF", (c) => c.rt.fd_fdstat_set_rights(7, 0n, 0n), E.badf],
  ],
  fd_filestat_get: [
    ["a file", (c) => c.rt.fd_filestat_get(c.open("file")), (r) => {
      assert.equal(r.dev, 1n); assert.equal(r.filetype, filetype.regular_file); assert.equal(r.nlink, 1); assert.equal(r.size, 11);
      assert.equal(r.mtim, 1000000000000000000n);
    }],
    ["stdio: zeros but the filetype", (c) => c.rt.fd_filestat_get(2), (r) => assert.deepEqual(r, { dev: 0, ino: 0, filetype: filetype.character_device, nlink: 0, size: 0, atim: 0n, mtim: 0n, ctim: 0n })],
    ["a preopen", (c) => c.rt.fd_filestat_get(3), (r) => { assert.equal(r.filetype, filetype.directory); assert.equal(r.nlink, 3); assert.equal(r.size, 0); }],
    ["closed: EBADF", (c) => c.rt.fd_filestat_get(5), E.badf],
  ],
  fd_filestat_set_size: [
    ["grow with zeros, then cut", (c) => { const fd = c.open("file"); c.rt.fd_filestat_set_size(fd, 13); const a = c.fs.readFileSync("/sb/file"); c.rt.fd_filestat_set_size(fd, 2); return [a, c.fs.readFileSync("/sb/file", "utf8")]; },
      ([a, b]) => { assert.deepEqual([...a.subarray(10)], [100, 0, 0]); assert.equal(b, "he"); }],
    ["stamps mtim", (c) => { const fd = c.open("file"); const t = c.tick(); c.rt.fd_filestat_set_size(fd, 1); return [t, c.fs.statSync("/sb/file").mtimeNs]; }, ([t, m]) => assert.equal(m, t)],
    ["read-only: EINVAL", (c) => c.rt.fd_filestat_set_size(c.open("file", 0, rights.fd_read), 0), E.inval],
    ["too big: EFBIG", (c) => c.rt.fd_filestat_set_size(c.open("file"), 2 ** 40), E.fbig],
    ["2^63 - 1 (arrives as 2^63): EFBIG", (c) => c.rt.fd_filestat_set_size(c.open("file"), 2 ** 63), E.fbig],
    ["2^64 - 1: EINVAL", (c) => c.rt.fd_filestat_set_size(c.open("file"), 2 ** 64), E.inval],
    ["a directory: EBADF", (c) => c.rt.fd_filestat_set_size(3, 0), E.badf],
    ["stdout: EBADF", (c) => c.rt.fd_filestat_set_size(1, 0), E.badf],
  ],
  fd_filestat_set_times: [
    ["values", (c) => { const fd = c.open("file"); c.rt.fd_filestat_set_times(fd, 5n, 6n, fstflags.atim | fstflags.mtim); return c.rt.fd_filestat_get(fd); }, (r) => { assert.equal(r.atim, 5n); assert.equal(r.mtim, 6n); }],
    ["now", (c) => { const fd = c.open("file"); const t = c.tick(100n); c.rt.fd_filestat_set_times(fd, 0n, 0n, fstflags.mtim_now); return [t, c.rt.fd_filestat_get(fd)]; }, ([t, r]) => { assert.equal(r.mtim, t); assert.equal(r.ctim, t); assert.notEqual(r.atim, t); }],
    ["a directory", (c) => c.rt.fd_filestat_set_times(3, 1n, 2n, fstflags.atim), 0],
    ["atim + atim_now: EINVAL, even on a closed fd", (c) => c.rt.fd_filestat_set_times(99, 0n, 0n, fstflags.atim | fstflags.atim_now), E.inval],
    ["mtim + mtim_now: EINVAL", (c) => c.rt.fd_filestat_set_times(3, 0n, 0n, fstflags.mtim | fstflags.mtim_now), E.inval],
    ["stdout: EBADF", (c) => c.rt.fd_filestat_set_times(1, 0n, 0n, fstflags.mtim_now), E.badf],
  ],
  fd_pread: [
    ["at an offset, position unchanged", (c) => { const fd = c.open("file"); const n = c.rt.fd_pread(fd, c.vecs(5), 6); return [n, c.got(0, n), c.rt.fd_tell(fd)]; }, (r) => assert.deepEqual(r, [5, "world", 0])],
    ["first non-empty iovec only", (c) => { const fd = c.open("file"); return c.rt.fd_pread(fd, c.vecs(0, 3, 10), 0); }, (r) => assert.equal(r, 3)],
    ["past the end: 0", (c) => c.rt.fd_pread(c.open("file"), c.vecs(4), 100), (r) => assert.equal(r, 0)],
    ["all empty: 0", (c) => c.rt.fd_pread(c.open("file"), c.vecs(0, 0), 0), (r) => assert.equal(r, 0)],
    ["write-only: EBADF", (c) => c.rt.fd_pread(c.open("file", 0, rights.fd_write), c.vecs(4), 0), E.badf],
    ["stdin: ESPIPE", (c) => c.rt.fd_pread(0, c.vecs(4), 0), E.spipe],
    ["stdout: EBADF", (c) => c.rt.fd_pread(1, c.vecs(4), 0), E.badf],
    ["a directory: EBADF", (c) => c.rt.fd_pread(3, c.vecs(4), 0), E.badf],
    ["offset 2^64 - 1: EINVAL", (c) => c.rt.fd_pread(c.open("file"), c.vecs(4), 2 ** 64), E.inval],
    ["offset 2^63: EINVAL", (c) => c.rt.fd_pread(c.open("file"), c.vecs(4), 2 ** 63), E.inval],
  ],
  fd_prestat_get: [
    ["the preopen", (c) => c.rt.fd_prestat_get(3), (r) => assert.deepEqual(r, { tag: 0, value: { pr_name_len: 8 } })],
    ["stdio: EBADF", (c) => c.rt.fd_prestat_get(0), E.badf],
    ["an opened directory: EBADF", (c) => c.rt.fd_prestat_get(c.open("sub", 0, rights.fd_read)), E.badf],
    ["closed: EBADF", (c) => c.rt.fd_prestat_get(4), E.badf],
  ],
  fd_prestat_dir_name: [
    ["the name", (c) => dec.decode(c.rt.fd_prestat_dir_name(3, 8)), (r) => assert.equal(r, "/sandbox")],
    ["a longer buffer", (c) => c.rt.fd_prestat_dir_name(3, 100).length, (r) => assert.equal(r, 8)],
    ["too short: ENAMETOOLONG", (c) => c.rt.fd_prestat_dir_name(3, 7), E.nametoolong],
    ["not a preopen: ENOTDIR", (c) => c.rt.fd_prestat_dir_name(1, 100), E.notdir],
    ["closed: EBADF", (c) => c.rt.fd_prestat_dir_name(50, 100), E.badf],
  ],
  fd_pwrite: [
    ["at an offset, position unchanged", (c) => { const fd = c.open("file"); const n = c.rt.fd_pwrite(fd, c.vecs("HE"), 0); return [n, c.fs.readFileSync("/sb/file", "utf8"), c.rt.fd_tell(fd)]; }, (r) => assert.deepEqual(r, [2, "HEllo world", 0])],
    ["past the end zero-fills", (c) => { c.rt.fd_pwrite(c.open("file"), c.vecs("!"), 13); return [...c.fs.readFileSync("/sb/file").subarray(10)]; }, (r) => assert.deepEqual(r, [100, 0, 0, 33])],
    ["append mode ignores the offset", (c) => { c.rt.fd_pwrite(c.open("file", 0, ALL, fdflags.append), c.vecs("!"), 0); return c.fs.readFileSync("/sb/file", "utf8"); }, (r) => assert.equal(r, "hello world!")],
    ["first non-empty iovec only", (c) => c.rt.fd_pwrite(c.open("file"), c.vecs("", "ab", "cd"), 0), (r) => assert.equal(r, 2)],
    ["read-only: EBADF", (c) => c.rt.fd_pwrite(c.open("file", 0, rights.fd_read), c.vecs("x"), 0), E.badf],
    ["read-only, offset 2^63: EINVAL (the offset before writability, as wasmtime)", (c) => c.rt.fd_pwrite(c.open("file", 0, rights.fd_read), c.vecs("x"), 2 ** 63), E.inval],
    ["read-only, append mode, offset 2^63: EBADF (append ignores the offset)", (c) => c.rt.fd_pwrite(c.open("file", 0, rights.fd_read, fdflags.append), c.vecs("x"), 2 ** 63), E.badf],
    ["closed: EBADF", (c) => c.rt.fd_pwrite(9, c.vecs("x"), 0), E.badf],
    ["stdout: ESPIPE", (c) => c.rt.fd_pwrite(1, c.vecs("x"), 0), E.spipe],
    ["stdin: EBADF", (c) => c.rt.fd_pwrite(0, c.vecs("x"), 0), E.badf],
    ["a directory: EBADF", (c) => c.rt.fd_pwrite(3, c.vecs("x"), 0), E.badf],
    ["offset 2^64 - 1: EINVAL", (c) => c.rt.fd_pwrite(c.open("file"), c.vecs("x"), 2 ** 64), E.inval],
    ["offset 2^63: EINVAL", (c) => c.rt.fd_pwrite(c.open("file"), c.vecs("x"), 2 ** 63), E.inval],
    ["beyond the file size limit: EFBIG", (c) => c.rt.fd_pwrite(c.open("file"), c.vecs("x"), 2 ** 40), E.fbig],
  ],
  fd_read: [
    ["advances the position", (c) => { const fd = c.open("file"); const a = c.rt.fd_read(fd, c.vecs(5)); const s = c.got(0, 5); const b = c.rt.fd_read(fd, c.vecs(100)); return [a, s, b, c.got(0, b), c.rt.fd_read(fd, c.vecs(4))]; },
      (r) => assert.deepEqual(r, [5, "hello", 6, " world", 0])],
    ["first non-empty iovec only", (c) => c.rt.fd_read(c.open("file"), c.vecs(0, 2, 5)), (r) => assert.equal(r, 2)],
    ["stdin", (c) => { const n = c.rt.fd_read(0, c.vecs(3)); return [n, c.got(0, n), c.rt.fd_read(0, c.vecs(10)), c.rt.fd_read(0, c.vecs(10))]; }, (r) => assert.deepEqual(r, [3, "inp", 2, 0])],
    ["stdin, zero bytes: EINTR", (c) => c.rt.fd_read(0, c.vecs(0)), E.intr],
    ["a file, zero bytes: 0", (c) => c.rt.fd_read(c.open("file"), c.vecs(0)), (r) => assert.equal(r, 0)],
    ["write-only: EBADF", (c) => c.rt.fd_read(c.open("file", 0, rights.fd_write), c.vecs(4)), E.badf],
    ["no rights at all reads", (c) => c.rt.fd_read(c.open("file", 0, 0n), c.vecs(4)), (r) => assert.equal(r, 4)],
    ["stdout: EBADF", (c) => c.rt.fd_read(1, c.vecs(4)), E.badf],
    ["a directory: EBADF", (c) => c.rt.fd_read(3, c.vecs(4)), E.badf],
  ],
  fd_readdir: [
    [". and .. first, then creation order", (c) => parseDirents(c.rt.fd_readdir(3, 4096, 0)), (r) => assert.deepEqual(r.map((d) => [d.name, d.d_next, d.d_type]), [
      [".", 1, filetype.directory], ["..", 2, filetype.directory], ["sub", 3, filetype.directory], ["file", 4, filetype.regular_file],
      ["link", 5, filetype.symbolic_link], ["dirlink", 6, filetype.symbolic_link], ["dangling", 7, filetype.symbolic_link]])],
    ["from a cookie", (c) => parseDirents(c.rt.fd_readdir(3, 4096, 5)).map((d) => d.name), (r) => assert.deepEqual(r, ["dirlink", "dangling"])],
    ["past the end: empty", (c) => c.rt.fd_readdir(3, 4096, 7).length, (r) => assert.equal(r, 0)],
    ["cut at buf_len", (c) => { const full = c.rt.fd_readdir(3, 4096, 0); const cut = c.rt.fd_readdir(3, 30, 0); return [cut.length, Buffer.compare(cut, full.subarray(0, 30))]; }, (r) => assert.deepEqual(r, [30, 0])],
    ["buf_len 0", (c) => c.rt.fd_readdir(3, 0, 0).length, (r) => assert.equal(r, 0)],
    ["d_ino of . and .. is the directory's", (c) => parseDirents(c.rt.fd_readdir(3, 4096, 0)).slice(0, 2).map((d) => d.d_ino), (r) => assert.equal(r[0], r[1])],
    ["sees later changes", (c) => { c.fs.writeFileSync("/sb/new", ""); c.fs.unlinkSync("/sb/file"); return parseDirents(c.rt.fd_readdir(3, 4096, 2)).map((d) => d.name); }, (r) => assert.deepEqual(r, ["sub", "link", "dirlink", "dangling", "new"])],
    ["an opened directory without read rights", (c) => parseDirents(c.rt.fd_readdir(c.open("sub", oflags.directory, rights.path_open), 4096, 0)).length, (r) => assert.equal(r, 2)],
    ["a file: EBADF", (c) => c.rt.fd_readdir(c.open("file"), 100, 0), E.badf],
    ["stdout: EBADF", (c) => c.rt.fd_readdir(1, 100, 0), E.badf],
  ],
  fd_renumber: [
    ["onto an open fd: moves, closes the old one", (c) => { const a = c.open("file"), b = c.open("sub", 0, rights.fd_read); c.rt.fd_seek(a, 3, whence.set); c.rt.fd_renumber(a, b); return [c.rt.fd_tell(b), errnoOf(() => c.rt.fd_tell(a))]; }, (r) => assert.deepEqual(r, [3, E.badf])],
    ["onto a free number: EBADF", (c) => c.rt.fd_renumber(c.open("file"), 40), E.badf],
    ["from a closed fd: EBADF", (c) => c.rt.fd_renumber(40, 1), E.badf],
    ["onto itself", (c) => c.rt.fd_renumber(3, 3), 0],
    ["the freed number is reused first", (c) => { const a = c.open("file"), b = c.open("file"); c.rt.fd_renumber(a, b); return [a, c.open("file")]; }, ([a, n]) => assert.equal(n, a)],
  ],
  fd_seek: [
    ["set, cur, end", (c) => { const fd = c.open("file"); return [c.rt.fd_seek(fd, 4, whence.set), c.rt.fd_seek(fd, 2, whence.cur), c.rt.fd_seek(fd, -1, whence.end), c.rt.fd_seek(fd, 100, whence.end)]; }, (r) => assert.deepEqual(r, [4, 6, 10, 111])],
    ["before 0: EINVAL", (c) => c.rt.fd_seek(c.open("file"), -1, whence.set), E.inval],
    ["cur before 0: EINVAL", (c) => c.rt.fd_seek(c.open("file"), -1, whence.cur), E.inval],
    ["end before 0: EINVAL", (c) => c.rt.fd_seek(c.open("file"), -12, whence.end), E.inval],
    ["stdout: ESPIPE", (c) => c.rt.fd_seek(1, 0, whence.cur), E.spipe],
    ["stdin: ESPIPE", (c) => c.rt.fd_seek(0, 0, whence.cur), E.spipe],
    ["a directory: EBADF", (c) => c.rt.fd_seek(3, 0, whence.cur), E.badf],
    ["closed: EBADF", (c) => c.rt.fd_seek(9, 0, whence.cur), E.badf],
  ],
  fd_sync: [
    ["a file", (c) => c.rt.fd_sync(c.open("file")), 0],
    ["a directory: EBADF", (c) => c.rt.fd_sync(3), E.badf],
    ["stdout: EBADF", (c) => c.rt.fd_sync(1), E.badf],
  ],
  fd_tell: [
    ["a file", (c) => { const fd = c.open("file"); c.rt.fd_read(fd, c.vecs(3)); return c.rt.fd_tell(fd); }, (r) => assert.equal(r, 3)],
    ["stdin: ESPIPE", (c) => c.rt.fd_tell(0), E.spipe],
    ["a directory: EBADF", (c) => c.rt.fd_tell(3), E.badf],
  ],
  fd_write: [
    ["stdout gets the bytes at once", (c) => [c.rt.fd_write(1, c.vecs("out")), c.stdout()], (r) => assert.deepEqual(r, [3, "out"])],
    ["stderr", (c) => [c.rt.fd_write(2, c.vecs("err")), c.stderr()], (r) => assert.deepEqual(r, [3, "err"])],
    ["stdout: first non-empty iovec only", (c) => [c.rt.fd_write(1, c.vecs("", "ab", "cd")), c.stdout()], (r) => assert.deepEqual(r, [2, "ab"])],
    ["a file: at the position, which advances", (c) => { const fd = c.open("file"); c.rt.fd_seek(fd, 6, whence.set); c.rt.fd_write(fd, c.vecs("WORLD!")); return [c.rt.fd_tell(fd), c.fs.readFileSync("/sb/file", "utf8")]; }, (r) => assert.deepEqual(r, [12, "hello WORLD!"])],
    ["append: at the end; position becomes the end", (c) => { const fd = c.open("file", 0, ALL, fdflags.append); c.rt.fd_write(fd, c.vecs("!")); return [c.rt.fd_tell(fd), c.fs.readFileSync("/sb/file", "utf8")]; }, (r) => assert.deepEqual(r, [12, "hello world!"])],
    ["zero iovecs: 0", (c) => c.rt.fd_write(1, c.vecs()), (r) => assert.equal(r, 0)],
    ["read-only: EBADF", (c) => c.rt.fd_write(c.open("file", 0, rights.fd_read), c.vecs("x")), E.badf],
    ["stdin: EBADF", (c) => c.rt.fd_write(0, c.vecs("x")), E.badf],
    ["a directory: EBADF", (c) => c.rt.fd_write(3, c.vecs("x")), E.badf],
    ["stamps mtim and ctim", (c) => { const fd = c.open("file"); const t = c.tick(); c.rt.fd_write(fd, c.vecs("x")); const st = c.rt.fd_filestat_get(fd); return [t, st.mtim, st.ctim]; }, ([t, m, ct]) => { assert.equal(m, t); assert.equal(ct, t); }],
  ],
  path_create_directory: [
    ["creates", (c) => { c.rt.path_create_directory(3, "new"); return c.fs.statSync("/sb/new").isDirectory(); }, (r) => assert.equal(r, true)],
    ["trailing slash", (c) => c.rt.path_create_directory(3, "new/"), 0],
    ["exists: EEXIST", (c) => c.rt.path_create_directory(3, "sub"), E.exist],
    ["a dangling symlink: EEXIST", (c) => c.rt.path_create_directory(3, "dangling"), E.exist],
    [".: EEXIST", (c) => c.rt.path_create_directory(3, "."), E.exist],
    ["/ (trailing slashes stripped, the root kept): EPERM", (c) => c.rt.path_create_directory(3, "/"), E.perm],
    ["// : EPERM", (c) => c.rt.path_create_directory(3, "//"), E.perm],
    ["missing parent: ENOENT", (c) => c.rt.path_create_directory(3, "a/b"), E.noent],
    ["under a file: ENOTDIR", (c) => c.rt.path_create_directory(3, "file/x"), E.notdir],
    ["empty: ENOENT", (c) => c.rt.path_create_directory(3, ""), E.noent],
    ["..: EPERM", (c) => c.rt.path_create_directory(3, "../x"), E.perm],
    ["absolute: EPERM", (c) => c.rt.path_create_directory(3, "/x"), E.perm],
    ["on a file fd: EBADF", (c) => c.rt.path_create_directory(c.open("file"), "x"), E.badf],
    ["on stdout: EBADF", (c) => c.rt.path_create_directory(1, "x"), E.badf],
  ],
  path_filestat_get: [
    ["follow a symlink", (c) => c.rt.path_filestat_get(3, FOLLOW, "link"), (r) => { assert.equal(r.filetype, filetype.regular_file); assert.equal(r.size, 11); }],
    ["the symlink itself", (c) => c.rt.path_filestat_get(3, 0, "link"), (r) => { assert.equal(r.filetype, filetype.symbolic_link); assert.equal(r.size, 4); }],
    ["trailing slash follows", (c) => c.rt.path_filestat_get(3, 0, "dirlink/").filetype, (r) => assert.equal(r, filetype.directory)],
    ["a dangling symlink followed: ENOENT", (c) => c.rt.path_filestat_get(3, FOLLOW, "dangling"), E.noent],
    // PATH_MAX counts the terminating NUL: 4095 bytes resolve, 4096 do not (wasmtime, corpus adv-names)
    ["a path of 4095 bytes", (c) => c.rt.path_filestat_get(3, 0, "./".repeat(2045) + "/file").size, (r) => assert.equal(r, 11)],
    ["2732 UTF-16 units, 4098 bytes: ENAMETOOLONG (bytes count, before the lookup's ENOENT)", (c) => c.rt.path_filestat_get(3, 0, "é/".repeat(1366)), E.nametoolong],
    ["a path of 4096 bytes: ENAMETOOLONG", (c) => c.rt.path_filestat_get(3, 0, "./".repeat(2046) + "file"), E.nametoolong],
    ["trailing slash on a file: ENOTDIR", (c) => c.rt.path_filestat_get(3, 0, "file/"), E.notdir],
    [".", (c) => c.rt.path_filestat_get(3, 0, ".").filetype, (r) => assert.equal(r, filetype.directory)],
    ["..: EPERM", (c) => c.rt.path_filestat_get(3, 0, ".."), E.perm],
    ["sub/..", (c) => c.rt.path_filestat_get(3, 0, "sub/..").ino, (r) => assert.equal(r, 1 + 1)],
    ["missing: ENOENT", (c) => c.rt.path_filestat_get(3, 0, "nope"), E.noent],
  ],
  path_filestat_set_times: [
    ["follow", (c) => { c.rt.path_filestat_set_times(3, FOLLOW, "link", 7n, 8n, fstflags.atim | fstflags.mtim); return c.fs.statSync("/sb/file").mtimeNs; }, (r) => assert.equal(r, 8n)],
    ["no follow: the link", (c) => { c.rt.path_filestat_set_times(3, 0, "link", 7n, 8n, fstflags.mtim); return [c.fs.lstatSync("/sb/link").mtimeNs, c.fs.statSync("/sb/file").mtimeNs]; }, ([l, f]) => { assert.equal(l, 8n); assert.notEqual(f, 8n); }],
    ["both: EINVAL before the path", (c) => c.rt.path_filestat_set_times(3, 0, "missing", 0n, 0n, fstflags.mtim | fstflags.mtim_now), E.inval],
    ["missing: ENOENT", (c) => c.rt.path_filestat_set_times(3, 0, "missing", 0n, 0n, fstflags.mtim_now), E.noent],
  ],
  path_link: [
    ["links, nlink 2", (c) => { c.rt.path_link(3, 0, "file", 3, "hard"); return c.fs.statSync("/sb/hard").nlink; }, (r) => assert.equal(r, 2)],
    ["a symlink itself", (c) => { c.rt.path_link(3, 0, "link", 3, "hard"); return c.fs.lstatSync("/sb/hard").isSymbolicLink(); }, (r) => assert.equal(r, true)],
    ["symlink_follow: EINVAL", (c) => c.rt.path_link(3, FOLLOW, "file", 3, "hard"), E.inval],
    ["a directory: EPERM", (c) => c.rt.path_link(3, 0, "sub", 3, "hard"), E.perm],
    ["exists: EEXIST", (c) => c.rt.path_link(3, 0, "file", 3, "link"), E.exist],
    ["missing: ENOENT", (c) => c.rt.path_link(3, 0, "nope", 3, "hard"), E.noent],
    ["trailing slash on the new path: ENOENT", (c) => c.rt.path_link(3, 0, "file", 3, "hard/"), E.noent],
    ["trailing slash on the old path: ENOTDIR", (c) => c.rt.path_link(3, 0, "file/", 3, "hard"), E.notdir],
    ["out of the sandbox: EPERM", (c) => c.rt.path_link(3, 0, "file", 3, "../hard"), E.perm],
    ["bad old fd: EBADF", (c) => c.rt.path_link(9, 0, "file", 3, "hard"), E.badf],
    ["bad new fd: EBADF", (c) => c.rt.path_link(3, 0, "file", 1, "hard"), E.badf],
  ],
  path_open: [
    ["creat", (c) => { const fd = c.open("new", oflags.creat); return [fd, c.fs.statSync("/sb/new").size]; }, (r) => assert.deepEqual(r, [4, 0])],
    ["creat|excl on an existing file: EEXIST", (c) => c.open("file", oflags.creat | oflags.excl), E.exist],
    ["creat|excl on a dangling symlink: EEXIST", (c) => c.open("dangling", oflags.creat | oflags.excl), E.exist],
    ["excl alone is ignored", (c) => c.open("file", oflags.excl), 0],
    ["trunc", (c) => { c.open("file", oflags.trunc); return c.fs.statSync("/sb/file").size; }, (r) => assert.equal(r, 0)],
    ["trunc read-only still truncates", (c) => { c.open("file", oflags.trunc, rights.fd_read); return c.fs.statSync("/sb/file").size; }, (r) => assert.equal(r, 0)],
    ["directory on a file: ENOTDIR", (c) => c.open("file", oflags.directory), E.notdir],
    ["directory|creat: EINVAL", (c) => c.open("x", oflags.directory | oflags.creat), E.inval],
    ["directory|trunc: EINVAL", (c) => c.open("sub", oflags.directory | oflags.trunc), E.inval],
    ["directory|excl: EINVAL", (c) => c.open("sub", oflags.directory | oflags.excl), E.inval],
    ["a directory for writing: EISDIR", (c) => c.open("sub", 0, ALL), E.isdir],
    ["a directory with creat: EISDIR", (c) => c.open("sub", oflags.creat, rights.fd_read), E.isdir],
    ["a directory for reading", (c) => c.rt.fd_fdstat_get(c.open("sub", 0, rights.fd_read)).fs_filetype, (r) => assert.equal(r, filetype.directory)],
    ["trailing slash on a file: ENOTDIR", (c) => c.open("file/"), E.notdir],
    ["trailing slash with creat: EISDIR", (c) => c.open("new/", oflags.creat), E.isdir],
    ["trailing slash with creat, missing parent: ENOENT", (c) => c.open("no/new/", oflags.creat), E.noent],
    ["a symlink without follow: ELOOP", (c) => c.open("link", 0, ALL, 0, 0), E.loop],
    ["a symlink followed", (c) => c.rt.fd_filestat_get(c.open("link")).size, (r) => assert.equal(r, 11)],
    ["creat through a dangling symlink creates its target", (c) => { c.open("dangling", oflags.creat); return c.fs.existsSync("/sb/nowhere"); }, (r) => assert.equal(r, true)],
    ["a symlink loop: ELOOP", (c) => { c.fs.symlinkSync("l2", "/sb/l1"); c.fs.symlinkSync("l1", "/sb/l2"); return c.open("l1"); }, E.loop],
    ["missing: ENOENT", (c) => c.open("nope"), E.noent],
    ["empty path: ENOENT", (c) => c.open(""), E.noent],
    ["..: EPERM", (c) => c.open(".."), E.perm],
    ["sub/../file", (c) => c.open("sub/../file"), 0],
    ["sub/../../x: EPERM", (c) => c.open("sub/../../x"), E.perm],
    ["absolute: EPERM", (c) => c.open("/file"), E.perm],
    ["a symlink to an absolute path: EPERM", (c) => { c.fs.symlinkSync("/sb/file", "/sb/abs"); return c.open("abs"); }, E.perm],
    ["a symlink leading out: EPERM", (c) => { c.fs.symlinkSync("../sb/file", "/sb/out"); return c.open("out"); }, E.perm],
    [".. relative to an opened subdirectory: EPERM", (c) => c.rt.path_open(c.open("sub", 0, rights.fd_read), 0, "../file", 0, ALL, 0n, 0), E.perm],
    ["fdflags sync: ENOTSUP", (c) => c.open("file", 0, ALL, fdflags.sync), E.notsup],
    ["fdflags dsync: ENOTSUP", (c) => c.open("file", 0, ALL, fdflags.dsync), E.notsup],
    ["fdflags rsync: ENOTSUP", (c) => c.open("file", 0, ALL, fdflags.rsync), E.notsup],
    ["a name of 256 bytes: ENAMETOOLONG", (c) => c.open("n".repeat(256), oflags.creat), E.nametoolong],
    ["a NUL byte: EINVAL", (c) => c.open("a\0b", oflags.creat), E.inval],
    ["on a file fd: ENOTDIR", (c) => c.rt.path_open(c.open("file"), 0, "x", 0, ALL, 0n, 0), E.notdir],
    ["on stdout: EBADF", (c) => c.rt.path_open(1, 0, "x", 0, ALL, 0n, 0), E.badf],
    ["on a closed fd: EBADF", (c) => c.rt.path_open(30, 0, "x", 0, ALL, 0n, 0), E.badf],
    ["fd numbers: highest freed first", (c) => { const [a, b, d] = [c.open("file"), c.open("file"), c.open("file")]; c.rt.fd_close(a); c.rt.fd_close(b); return [a, b, d, c.open("file"), c.open("file"), c.open("file")]; }, (r) => assert.deepEqual(r, [4, 5, 6, 5, 4, 7])],
  ],
  path_readlink: [
    ["the target", (c) => dec.decode(c.rt.path_readlink(3, "link", 100)), (r) => assert.equal(r, "file")],
    ["cut to buf_len", (c) => dec.decode(c.rt.path_readlink(3, "link", 2)), (r) => assert.equal(r, "fi")],
    ["not a symlink: EINVAL", (c) => c.rt.path_readlink(3, "file", 100), E.inval],
    ["an absolute target (from a host tree): EPERM", (c) => { c.fs.symlinkSync("/sb/file", "/sb/abs"); return c.rt.path_readlink(3, "abs", 100); }, E.perm],
    ["trailing slash follows: EINVAL", (c) => c.rt.path_readlink(3, "dirlink/", 100), E.inval],
    ["missing: ENOENT", (c) => c.rt.path_readlink(3, "nope", 100), E.noent],
  ],
  path_remove_directory: [
    ["removes", (c) => { c.rt.path_remove_directory(3, "sub"); return c.fs.existsSync("/sb/sub"); }, (r) => assert.equal(r, false)],
    ["not empty: ENOTEMPTY", (c) => { c.fs.writeFileSync("/sb/sub/x", ""); return c.rt.path_remove_directory(3, "sub"); }, E.notempty],
    ["a file: ENOTDIR", (c) => c.rt.path_remove_directory(3, "file"), E.notdir],
    ["a symlink to a directory: ENOTDIR", (c) => c.rt.path_remove_directory(3, "dirlink"), E.notdir],
    ["trailing slash: EINVAL", (c) => c.rt.path_remove_directory(3, "sub/"), E.inval],
    ["trailing slash, missing: ENOENT", (c) => c.rt.path_remove_directory(3, "nope/"), E.noent],
    ["trailing slash on a file: ENOTDIR", (c) => c.rt.path_remove_directory(3, "file/"), E.notdir],
    [".: EINVAL", (c) => c.rt.path_remove_directory(3, "."), E.inval],
    ["sub/..: EINVAL", (c) => c.rt.path_remove_directory(3, "sub/.."), E.inval],
    ["..: EPERM", (c) => c.rt.path_remove_directory(3, ".."), E.perm],
    ["missing: ENOENT", (c) => c.rt.path_remove_directory(3, "nope"), E.noent],
    ["an open directory can be removed; creating in it is ENOENT", (c) => { const fd = c.open("sub", 0, rights.fd_read); c.rt.path_remove_directory(3, "sub"); return c.rt.path_open(fd, 0, "x", oflags.creat, ALL, 0n, 0); }, E.noent],
  ],
  path_rename: [
    ["a file", (c) => { c.rt.path_rename(3, "file", 3, "sub/moved"); return c.fs.readFileSync("/sb/sub/moved", "utf8"); }, (r) => assert.equal(r, "hello world")],
    ["over a file", (c) => { c.fs.writeFileSync("/sb/other", "o"); c.rt.path_rename(3, "file", 3, "other"); return c.fs.readFileSync("/sb/other", "utf8"); }, (r) => assert.equal(r, "hello world")],
    ["a file over a directory: EISDIR", (c) => c.rt.path_rename(3, "file", 3, "sub"), E.isdir],
    ["a directory over a file: ENOTDIR", (c) => c.rt.path_rename(3, "sub", 3, "file"), E.notdir],
    ["a directory over a non-empty one: ENOTEMPTY", (c) => { c.fs.mkdirSync("/sb/d2/x", { recursive: true }); return c.rt.path_rename(3, "sub", 3, "d2"); }, E.notempty],
    ["into its own subtree: EINVAL", (c) => c.rt.path_rename(3, "sub", 3, "sub/inner"), E.inval],
    [".: EBUSY", (c) => c.rt.path_rename(3, ".", 3, "x"), E.busy],
    ["onto .: EBUSY", (c) => c.rt.path_rename(3, "sub", 3, "."), E.busy],
    ["missing: ENOENT", (c) => c.rt.path_rename(3, "nope", 3, "x"), E.noent],
    ["a file with a trailing slash: ENOTDIR", (c) => c.rt.path_rename(3, "file", 3, "x/"), E.notdir],
    ["a symlink itself", (c) => { c.rt.path_rename(3, "link", 3, "link2"); return c.fs.readlinkSync("/sb/link2"); }, (r) => assert.equal(r, "file")],
    ["out of the sandbox: EPERM", (c) => c.rt.path_rename(3, "file", 3, "../file"), E.perm],
    ["a file fd: EBADF", (c) => c.rt.path_rename(c.open("file"), "a", 3, "b"), E.badf],
  ],
  path_symlink: [
    ["creates", (c) => { c.rt.path_symlink("sub/x", 3, "l"); return c.fs.readlinkSync("/sb/l"); }, (r) => assert.equal(r, "sub/x")],
    ["a target leading out is allowed", (c) => c.rt.path_symlink("../../etc", 3, "l"), 0],
    ["an absolute target: EPERM", (c) => c.rt.path_symlink("/etc/passwd", 3, "l"), E.perm],
    ["an empty target: ENOENT", (c) => c.rt.path_symlink("", 3, "l"), E.noent],
    ["exists: EEXIST", (c) => c.rt.path_symlink("x", 3, "file"), E.exist],
    ["trailing slash: ENOENT", (c) => c.rt.path_symlink("x", 3, "l/"), E.noent],
    ["on stdout: EBADF", (c) => c.rt.path_symlink("x", 1, "l"), E.badf],
  ],
  path_unlink_file: [
    ["a file", (c) => { c.rt.path_unlink_file(3, "file"); return c.fs.existsSync("/sb/file"); }, (r) => assert.equal(r, false)],
    ["a symlink, not its target", (c) => { c.rt.path_unlink_file(3, "link"); return c.fs.existsSync("/sb/file"); }, (r) => assert.equal(r, true)],
    ["an open file stays readable", (c) => { const fd = c.open("file"); c.rt.path_unlink_file(3, "file"); return [c.rt.fd_read(fd, c.vecs(5)), c.rt.fd_filestat_get(fd).nlink]; }, (r) => assert.deepEqual(r, [5, 0])],
    ["a directory: EISDIR", (c) => c.rt.path_unlink_file(3, "sub"), E.isdir],
    ["a directory, trailing slash: EISDIR", (c) => c.rt.path_unlink_file(3, "sub/"), E.isdir],
    ["a file, trailing slash: ENOTDIR", (c) => c.rt.path_unlink_file(3, "file/"), E.notdir],
    [".: EISDIR", (c) => c.rt.path_unlink_file(3, "."), E.isdir],
    ["missing: ENOENT", (c) => c.rt.path_unlink_file(3, "nope"), E.noent],
  ],
  poll_oneoff: [
    ["no subscriptions: EINVAL", (c) => c.rt.poll_oneoff([]), E.inval],
    ["a relative monotonic clock waits", (c) => { const t0 = performance.now(); const ev = c.rt.poll_oneoff([clockSub(1n, clockid.monotonic, 20000000n)]); return [ev, performance.now() - t0]; },
      ([ev, ms]) => { assert.deepEqual(ev, [{ userdata: 1n, error: 0, type: eventtype.clock, fd_readwrite: { nbytes: 0, flags: 0 } }]); assert.ok(ms >= 19, `${ms}`); }],
    ["an absolute clock in the past fires at once", (c) => c.rt.poll_oneoff([clockSub(2n, clockid.monotonic, 0n, subclockflags.subscription_clock_abstime)]).length, (r) => assert.equal(r, 1)],
    ["an absolute realtime clock", (c) => { const t = c.rt.clock_time_get(clockid.realtime, 0n) + 15000000n; /* the runtime's realtime (timeOrigin + the monotonic clock) drifts from Date.now() by ms in a long process */ const t0 = performance.now(); c.rt.poll_oneoff([clockSub(3n, clockid.realtime, t, subclockflags.subscription_clock_abstime)]); return performance.now() - t0; }, (ms) => assert.ok(ms >= 10, `${ms}`)],
    ["only the earliest of two clocks", (c) => c.rt.poll_oneoff([clockSub(1n, clockid.monotonic, 50000000n), clockSub(2n, clockid.monotonic, 1000000n)]).map((e) => e.userdata), (r) => assert.deepEqual(r, [2n])],
    ["a ready fd wins over clocks", (c) => c.rt.poll_oneoff([clockSub(1n, clockid.monotonic, 0n), fdSub(2n, eventtype.fd_write, 1)]).map((e) => [e.userdata, e.type, e.fd_readwrite.nbytes]), (r) => assert.deepEqual(r, [[2n, eventtype.fd_write, 1]])],
    ["a file: read and write ready; hangup at the end", (c) => { const fd = c.open("file"); const a = c.rt.poll_oneoff([fdSub(1n, eventtype.fd_read, fd), fdSub(2n, eventtype.fd_write, fd)]); c.rt.fd_seek(fd, 0, whence.end); const b = c.rt.poll_oneoff([fdSub(3n, eventtype.fd_read, fd)]); return [a.map((e) => e.fd_readwrite), b[0].fd_readwrite]; },
      ([a, b]) => { assert.deepEqual(a, [{ nbytes: 1, flags: 0 }, { nbytes: 1, flags: 0 }]); assert.deepEqual(b, { nbytes: 1, flags: 1 }); }],
    ["stdin readable", (c) => c.rt.poll_oneoff([fdSub(1n, eventtype.fd_read, 0)]).length, (r) => assert.equal(r, 1)],
    ["a CPU-time clock: EINVAL", (c) => c.rt.poll_oneoff([clockSub(1n, clockid.process_cputime_id, 0n)]), E.inval],
    ["a closed fd: EBADF", (c) => c.rt.poll_oneoff([fdSub(1n, eventtype.fd_read, 40)]), E.badf],
    ["a directory: EBADF", (c) => c.rt.poll_oneoff([fdSub(1n, eventtype.fd_read, 3)]), E.badf],
    ["stdout for reading: EBADF", (c) => c.rt.poll_oneoff([fdSub(1n, eventtype.fd_read, 1)]), E.badf],
    ["stdin for writing: EBADF", (c) => c.rt.poll_oneoff([fdSub(1n, eventtype.fd_write, 0)]), E.badf],
  ],
  proc_exit: [
    ["throws WasiExit", (c) => { try { c.rt.proc_exit(3); } catch (e) { return e; } }, (e) => { assert.ok(e instanceof WasiExit); assert.equal(e.code, 3); }],
    ["≥ 126: InvalidExitStatus", (c) => { try { c.rt.proc_exit(126); } catch (e) { return e; } }, (e) => { assert.ok(e instanceof InvalidExitStatus); assert.equal(e.message, "exit with invalid exit status outside of [0..126)"); }],
  ],
  proc_raise: [
    ["ENOTSUP", (c) => c.rt.proc_raise(15), E.notsup],
  ],
  random_get: [
    ["the length asked for", (c) => [c.rt.random_get(0).length, c.rt.random_get(10).length, c.rt.random_get(100000).length], (r) => assert.deepEqual(r, [0, 10, 100000])],
    ["not all zeros", (c) => c.rt.random_get(64).some((b) => b !== 0), (r) => assert.equal(r, true)],
  ],
  sched_yield: [
    ["succeeds", (c) => c.rt.sched_yield(), 0],
  ],
  sock_accept: [
    ["stdin: ENOTSOCK", (c) => c.rt.sock_accept(0, 0), E.notsock],
    ["a preopen: ENOTSOCK", (c) => c.rt.sock_accept(3, 0), E.notsock],
    ["closed: EBADF", (c) => c.rt.sock_accept(77, 0), E.badf],
  ],
  sock_recv: [
    ["stdout: ENOTSOCK", (c) => c.rt.sock_recv(1, c.vecs(4), 0), E.notsock],
    ["closed: EBADF", (c) => c.rt.sock_recv(77, c.vecs(4), 0), E.badf],
  ],
  sock_send: [
    ["stdout: ENOTSOCK", (c) => c.rt.sock_send(1, c.vecs("x"), 0), E.notsock],
    ["closed: EBADF", (c) => c.rt.sock_send(77, c.vecs("x"), 0), E.badf],
  ],
  sock_shutdown: [
    ["stdout: ENOTSOCK", (c) => c.rt.sock_shutdown(1, 1), E.notsock],
    ["closed: EBADF", (c) => c.rt.sock_shutdown(77, 1), E.badf],
  ],
};

function clockSub(userdata, id, timeout, flags = 0) {
  return { userdata, u: { tag: eventtype.clock, value: { id, timeout, precision: 0n, flags } } };
}

function fdSub(userdata, type, fd) {
  return { userdata, u: { tag: type, value: { file_descriptor: fd } } };
}

function parseDirents(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = [];
  for (let p = 0; p + DIRENT_SIZE <= bytes.length;) {
    const d = readDirent(dv, p);
    p += DIRENT_SIZE;
    d.name = dec.decode(bytes.subarray(p, p + d.d_namlen));
    p += d.d_namlen;
    out.push(d);
  }
  return out;
}

for (const [name, table] of Object.entries(cases)) {
  describe(name, () => {
    for (const [description, call, expected] of table) {
      test(description, () => {
        const c = setup({ stdin: "input" });
        if (typeof expected === "function") {
          expected(call(c));
        } else {
          assert.equal(errnoOf(() => call(c)), expected, `expected ${expected === 0 ? "success" : new WasiError(expected).code}`);
        }
      });
    }
  });
}

test("every preview1 function has a table", () => {
  const names = Object.keys(createImports(setup().rt, new GuestMemory(), null));
  assert.equal(names.length, 46);
  assert.deepEqual(names.filter((n) => !(n in cases)), []);
  for (const n of names) assert.ok(cases[n].length > 0, n);
});

test("the runtime implements exactly the 46 functions", () => {
  const names = Object.keys(createImports(setup().rt, new GuestMemory(), null));
  for (const n of names) assert.equal(typeof Preview1Runtime.prototype[n], "function", n);
});

/**
 * What `n` iterations of `step` allocate on V8's heap: its growth plus what
 * each collection during them freed (GCProfiler lists them synchronously),
 * so that garbage a scavenge already took is counted too. A round that
 * allocated more than `limit` is measured again, up to four rounds: a
 * one-off (V8 re-optimising, or code not yet optimised on a loaded machine:
 * seen as 4.8-5.0 MB) does not repeat, a per-call allocation does.
 */
function allocatedBy(step, n, limit) {
  const rounds = [];
  for (let round = 0; round < 4; round++) {
    gc();
    const profiler = new GCProfiler();
    const before = process.memoryUsage().heapUsed;
    profiler.start();
    step(n);
    const after = process.memoryUsage().heapUsed;
    const { statistics } = profiler.stop();
    let bytes = after - before;
    for (const { beforeGC, afterGC } of statistics) bytes += beforeGC.heapStatistics.usedHeapSize - afterGC.heapStatistics.usedHeapSize;
    rounds.push(bytes);
    if (bytes <= limit) break;
  }
  return rounds;
}

test("hot path: fd_seek and fd_read allocate nothing per call, fd_pwrite and fd_write only the clock's reading", () => {
  // the default clock (Date.now: a boxed double per reading, 16 B, which
  // every write pays for its mtime); a BigInt clock allocates more
  const c = setup({ realClock: true });
  const fd = c.open("file");
  const v = c.vecs("0123456789abcdef");
  const r = c.vecs(16);
  // 72 bytes of hostcall fuel per iteration: a round (<= 1M) fits in one charge
  const reads = (n) => {
    c.mem.fuel = HOSTCALL_FUEL;
    for (let i = 0; i < n; i++) {
      c.rt.fd_seek(fd, (i * 16) & 0xffff, whence.set);
      c.rt.fd_read(fd, r);
    }
  };
  const writes = (n) => {
    c.mem.fuel = HOSTCALL_FUEL;
    for (let i = 0; i < n; i++) {
      c.rt.fd_pwrite(fd, v, (i * 16) & 0xffff);
      c.rt.fd_write(fd, r);
    }
  };
  reads(1e5);
  writes(1e5);
  const n = 1e6;
  const read = allocatedBy(reads, n, n); // < 1 B per iteration
  assert.ok(read.at(-1) <= n, `${n} fd_seek + fd_read allocated ${read.join(", ")} bytes, in every round`);
  const written = allocatedBy(writes, n, 2 * 24 * n); // two clock readings, 16 B each, per iteration
  assert.ok(written.at(-1) <= 2 * 24 * n, `${n} fd_pwrite + fd_write allocated ${written.join(", ")} bytes, in every round`);
});

test("fd_renumber closes what it replaces: an unlinked file held only there frees its bytes", () => {
  const fs = new MemFS({ maxBytes: 20 });
  fs.mkdirSync("/sb");
  fs.writeFileSync("/sb/big", "x".repeat(15));
  fs.writeFileSync("/sb/small", "y");
  const rt = new Preview1Runtime({ fs, preopens: [["/sandbox", "/sb"]], args: [], env: [] });
  const big = rt.path_open(3, 0, "big", 0, rights.fd_read, 0n, 0);
  const small = rt.path_open(3, 0, "small", 0, rights.fd_read, 0n, 0);
  rt.path_unlink_file(3, "big");
  assert.throws(() => fs.writeFileSync("/sb/new", "z".repeat(10)), { code: "ENOSPC" }); // `big` still holds 15 bytes
  rt.fd_renumber(small, big);
  fs.writeFileSync("/sb/new", "z".repeat(10));
  assert.equal(fs.readFileSync("/sb/new").length, 10);
  assert.equal(errnoOf(() => rt.fd_close(small)), E.badf);
});

test("maxFds: exactly that many open descriptors (stdio and the preopen count), EMFILE after, room again after a close", () => {
  const fs = new MemFS();
  fs.mkdirSync("/sb");
  fs.writeFileSync("/sb/f", "x");
  const rt = new Preview1Runtime({ fs, preopens: [["/sandbox", "/sb"]], maxFds: 6 });
  const open = () => rt.path_open(3, 0, "f", 0, rights.fd_read, 0n, 0);
  assert.deepEqual([open(), open()], [4, 5]); // 0-2 stdio, 3 the preopen: six open
  assert.throws(open, (e) => e instanceof WasiError && e.errno === E.mfile);
  rt.fd_close(4);
  assert.equal(open(), 4);
  assert.throws(open, (e) => e instanceof WasiError && e.errno === E.mfile);
});

test("the descriptor table is made on first use; what it would refuse is refused by the constructor, in table order", () => {
  const fs = new MemFS();
  fs.mkdirSync("/sb");
  const make = (maxFds, preopen = "/sb") => () => new Preview1Runtime({ fs, preopens: [["/sandbox", preopen]], maxFds });
  const code = (f) => { try { f(); return "ok"; } catch (e) { return e.code; } };
  // stdio first (EMFILE before the preopen is looked at), then each preopen: looked up, then counted
  assert.deepEqual([code(make(2)), code(make(2, "/nope")), code(make(3)), code(make(3, "/nope")), code(make(4, "/nope")), code(make(4))],
    ["EMFILE", "EMFILE", "EMFILE", "ENOENT", "ENOENT", "ok"]);
  // the preopen is open on its filesystem from the constructor on (unmount: EBUSY), once, also after the table is made
  const busy = new MemFS();
  busy.mkdirSync("/sb");
  const rt = new Preview1Runtime({ fs: busy, preopens: [["/sandbox", "/sb"]] });
  const before = busy.busy;
  assert.equal(rt.fd_prestat_get(3).value.pr_name_len, 8); // (the table is made here)
  const after = busy.busy;
  rt.fd_close(3);
  assert.deepEqual([before, after, busy.busy], [1, 1, 0]);
});

test("fd_seek back from past 2^53: a position at or below 2^53 - 1 is a Number again (spec/RATIONALE.md, values in JS)", () => {
  const c = setup();
  const fd = c.open("file");
  assert.equal(c.rt.fd_seek(fd, 2n ** 60n, whence.set), 2n ** 60n);
  assert.equal(c.rt.fd_seek(fd, 2n ** 53n - 1n - 2n ** 60n, whence.cur), Number.MAX_SAFE_INTEGER); // strict: not 2n ** 53n - 1n
  assert.equal(c.rt.fd_tell(fd), Number.MAX_SAFE_INTEGER);
  assert.equal(c.rt.fd_seek(fd, 6 - Number.MAX_SAFE_INTEGER, whence.cur), 6); // Number arithmetic from here
  assert.equal(c.rt.fd_read(fd, c.vecs(5)), 5);
  assert.equal(c.got(0, 5), "world");
});

test("positions near 2^63: a read or write whose buffer would pass 2^63 - 1 is EINVAL, short of it EOF / EFBIG (rw_verify_area, as wasmtime)", () => {
  const c = setup();
  const fd = c.open("file");
  c.rt.fd_seek(fd, 2n ** 63n - 1n, whence.set);
  assert.deepEqual([errnoOf(() => c.rt.fd_read(fd, c.vecs(3))), errnoOf(() => c.rt.fd_write(fd, c.vecs("abc")))],
    [E.inval, E.inval]);
  assert.equal(c.rt.fd_read(fd, c.vecs(0)), 0); // nothing to read: no range to check
  c.rt.fd_seek(fd, -2, whence.cur); // 2^63 - 3: three bytes would end at 2^63
  assert.deepEqual([errnoOf(() => c.rt.fd_read(fd, c.vecs(3))), errnoOf(() => c.rt.fd_write(fd, c.vecs("abc")))],
    [E.inval, E.inval]);
  c.rt.fd_seek(fd, -1, whence.cur); // 2^63 - 4: three bytes end at 2^63 - 1
  assert.deepEqual([c.rt.fd_read(fd, c.vecs(3)), errnoOf(() => c.rt.fd_write(fd, c.vecs("abc")))], [0, E.fbig]);
});

test("fd_write to a function stdout: each chunk a fresh copy of the first non-empty iovec, in 64 KiB pieces", async () => {
  const { FunctionOutput, BytesInput } = await import("../../polyfill/src/stdio.js");
  const chunks = [];
  const rt = new Preview1Runtime({
    stdin: new BytesInput(new Uint8Array(0)),
    stdout: new FunctionOutput((chunk) => chunks.push(chunk)),
    stderr: new FunctionOutput(() => {}),
  });
  const memory = new WebAssembly.Memory({ initial: 4 });
  const mem = new GuestMemory(memory);
  const iovs = new IoVecs(mem);
  const u8 = new Uint8Array(memory.buffer);
  const dv = new DataView(memory.buffer);
  const at = (lens) => { // iovec array at 0, buffers from 1024 on
    let p = 1024;
    lens.forEach((n, i) => { dv.setUint32(i * 8, p, true); dv.setUint32(i * 8 + 4, n, true); p += n; });
    mem.fuel = HOSTCALL_FUEL; // as the glue does before each call
    iovs.reset(0, lens.length, 8, 4, "fd_write(iovs)");
  };
  u8.set(enc.encode("hello, world"), 1024);
  at([0, 5, 7]);
  assert.equal(rt.fd_write(1, iovs), 5);
  assert.equal(chunks.length, 1);
  const [c] = chunks;
  assert.equal(dec.decode(c), "hello");
  assert.ok(c instanceof Uint8Array && c.byteOffset === 0 && c.buffer.byteLength === 5 && c.buffer !== memory.buffer);
  u8.fill(0x7a, 1024, 1100); // the guest reuses its buffer: the chunk the callback kept does not change
  assert.equal(dec.decode(c), "hello");

  chunks.length = 0;
  const n = 150000;
  for (let i = 0; i < n; i++) u8[1024 + i] = i * 31;
  at([n]);
  assert.equal(rt.fd_write(1, iovs), n);
  assert.deepEqual(chunks.map((x) => x.length), [65536, 65536, n - 131072]);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(u8.subarray(1024, 1024 + n)));
  assert.equal(new Set(chunks.map((x) => x.buffer)).size, 3);
});
