// UrlDirectory: a read-only tree served over HTTP, mounted in a MemFS.
//
// Its index (`wasi-polyfill index DIR > DIR/index.json`: the one tree format,
// files by size and SHA-256 instead of their bytes; docs/url-directory.md)
// is fetched when it is mounted (`await fs.mount(path, dir)`), so every
// metadata question (lookup, stat, readdir, readlink) is answered from
// memory. A file's bytes are fetched when the guest first reads it, and each
// byte at most once per mount: a file up to `rangeThreshold` bytes by one
// GET, checked against its SHA-256; a larger one in ranges as the guest
// reads them — the index's chunks, each checked against its SHA-256, or for
// an index without chunk hashes `chunkSize` ranges (a server that ignores
// Range answers 200 with the whole file, which is then checked and kept whole).
//
// preview1 reads are synchronous, so the bytes come through a synchronous
// transport (`get`): a synchronous XMLHttpRequest in browsers (a Worker, or
// the main thread in sync mode), a worker thread waited on with
// Atomics.wait in Node (node/urlfetch.js). With `async: true` (for a WASI in
// async mode) a read returns a Promise while its bytes are fetched by
// `fetch`, and the guest waits through JSPI. Any failure — an HTTP error, a
// dropped connection, a short body, a wrong hash, a timeout — is EIO for
// that read, and the next read tries again; nothing wrong reaches the guest.
// Every change fails as on a read-only mount under wasmtime: EIO where Linux
// says EROFS, which wasmtime does not pass on (spec/RATIONALE.md,
// "UrlDirectory: read-only").
//
// The backend interface it implements is described in vfs/memfs.js, "mounts".
import { errno, filetype } from "../generated/constants.js";
import { WasiError } from "../errors.js";
import { sha256Hex } from "./sha256.js";
import { READ_ONLY_ERRNO } from "./memfs.js";

const REGULAR_FILE = filetype.regular_file;
const DIRECTORY = filetype.directory;
const SYMBOLIC_LINK = filetype.symbolic_link;

/** A change refused: what wasmtime gives on a read-only mount (vfs/memfs.js READ_ONLY_ERRNO). */
function readOnly() { return new WasiError(READ_ONLY_ERRNO, "read-only file system"); }

/** A nanosecond time of the index (a decimal string), or `fallback`. */
function ns(value, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !/^[0-9]{1,20}$/.test(value)) throw new TypeError(`bad time ${JSON.stringify(value)}`);
  return BigInt(value);
}

class UrlInode {
  constructor(fs, type, node, ino) {
    this.fs = fs;
    this.type = type;
    this.ino = BigInt(ino);
    this.nlink = 1;
    this.opens = 0;
    this.mtim = ns(node.mtim, 0n);
    this.atim = ns(node.atim, this.mtim);
    this.ctim = this.mtim;
  }

  get dev() { return this.fs.dev; }
  get statSize() { return 0; }
  refresh() {}
  touchModified() {}
  touchChanged() {}
  isMountRoot() { return false; }
  sync(data) {} // nothing is ever unwritten (fsync on a read-only mount succeeds)
  setTimes(atim, mtim) { throw readOnly(); }
}

class UrlDir extends UrlInode {
  constructor(fs, node, ino, parent) {
    super(fs, DIRECTORY, node, ino);
    /** @type {Map<string, UrlInode>} in the index's order (bytewise by UTF-8 name) */
    this.entries = new Map();
    this.parent = parent ?? this;
    this.nlink = 2;
  }

  isMountRoot() { return this === this.fs.root; }
}

class UrlSymlink extends UrlInode {
  constructor(fs, node, ino) {
    super(fs, SYMBOLIC_LINK, node, ino);
    this.target = node.target;
    this.targetBytes = new TextEncoder().encode(node.target).length;
  }

  get statSize() { return this.targetBytes; }
}

class UrlFile extends UrlInode {
  constructor(fs, node, ino, url) {
    super(fs, REGULAR_FILE, node, ino);
    this.url = url;
    this.size = node.size;
    this.sha256 = node.sha256;
    /** The index's chunks (files above one chunk): their size and each one's SHA-256, checked per range; else null. */
    this.chunkSize = node.chunkSize ?? null;
    this.chunkSha256 = node.chunkSha256 ?? null;
    /** The whole content once fetched. */
    this.whole = null;
    /** A large file's chunks fetched so far (index → bytes). */
    this.chunks = null;
  }

  get statSize() { return this.size; }

  openFile(read, write) {
    if (write) throw readOnly();
  }

  /** The size of the ranges a large file is fetched in: the index's chunks, else options.chunkSize. */
  get rangeSize() { return this.chunkSize ?? this.fs.chunkSize; }

  readAt(pos, iovs, i, n) {
    const avail = this.size - pos;
    if (avail <= 0) return 0;
    iovs.checkWhole(i); // with data to give, the whole buffer is taken (as wasmtime); a trap before any fetch
    if (n > avail) n = avail;
    if (this.fs.async) { // the bytes fetched first (the glue waits, then calls again: all here then)
      const loading = this._load(pos, n);
      if (loading !== null) return loading;
    }
    if (this.whole === null && this.size <= this.fs.rangeThreshold) this.whole = this.fs._fetchWhole(this);
    if (this.whole !== null) {
      iovs.write(i, 0, this.whole, pos, n);
      return n;
    }
    // A large file: its chunks as the read reaches them (the first may turn out to be the whole file).
    const size = this.rangeSize;
    for (let done = 0; done < n;) {
      const k = Math.floor((pos + done) / size);
      const chunk = this._chunk(k);
      if (this.whole !== null) {
        iovs.write(i, done, this.whole, pos + done, n - done);
        return n;
      }
      const off = pos + done - k * size;
      const m = Math.min(n - done, chunk.length - off);
      iovs.write(i, done, chunk, off, m);
      done += m;
    }
    return n;
  }

  _chunk(k) {
    this.chunks ??= new Map();
    let chunk = this.chunks.get(k);
    if (chunk === undefined) {
      chunk = this.fs._judgeRange(this, k, this.fs._request(this, this._range(k)));
      if (chunk === null) return null; // the whole file came (this.whole)
      this.chunks.set(k, chunk);
    }
    return chunk;
  }

  /** The chunks of `[pos, pos + n)` not fetched yet (a large file). */
  _missing(pos, n) {
    const size = this.rangeSize, out = [];
    for (let k = Math.floor(pos / size); k <= Math.floor((pos + n - 1) / size); k++) {
      if (this.chunks?.get(k) === undefined) out.push(k);
    }
    return out;
  }

  /** Is `[pos, pos + n)` here (n > 0)? */
  _has(pos, n) {
    if (this.whole !== null || n <= 0) return true;
    return this.size > this.fs.rangeThreshold && this._missing(pos, n).length === 0;
  }

  /** Bytes [start, end) of chunk `k`. */
  _range(k) {
    const size = this.rangeSize;
    return [k * size, Math.min(this.size, (k + 1) * size)];
  }

  /**
   * Async mode: null when `[pos, pos + n)` is here, else a Promise that
   * fetches what is missing of it (through `fetch`, never the synchronous
   * transport). Errors (the Promise's): EIO, as the synchronous reads.
   */
  _load(pos, n) {
    if (this._has(pos, n)) return null;
    const fs = this.fs;
    if (this.size <= fs.rangeThreshold) {
      return fs._requestAsync(this, null).then((r) => { this.whole ??= fs._judgeWhole(this, r); });
    }
    const missing = this._missing(pos, n);
    return (async () => {
      for (const k of missing) {
        const chunk = fs._judgeRange(this, k, await fs._requestAsync(this, this._range(k)));
        if (chunk === null) return; // the whole file came
        (this.chunks ??= new Map()).set(k, chunk);
      }
    })();
  }

  writeAt(pos, iovs, i, n) { throw readOnly(); }
  resize(n) { throw readOnly(); }

  /** The whole content (the MemFS facade's readFileSync; in async mode once read: `preload`). */
  bytes() {
    if (this.fs.async && !this._has(0, this.size)) {
      throw new WasiError(errno.io, `UrlDirectory ${this.url}: not fetched yet (an async UrlDirectory fetches as a WASI in async mode reads)`);
    }
    if (this.whole === null) {
      const out = new Uint8Array(this.size);
      const sink = { checkWhole() {}, write: (_, offset, src, srcOffset, m) => out.set(src.subarray(srcOffset, srcOffset + m), offset) };
      if (this.size > 0) this.readAt(0, sink, 0, this.size);
      return out;
    }
    return this.whole.slice();
  }
}

/**
 * The browser's synchronous transport: a synchronous XMLHttpRequest (in a
 * Worker as binary; on a window's thread, where a synchronous request cannot
 * ask for an ArrayBuffer, as x-user-defined text, each char one byte).
 */
export function xhrGet(url, range, timeoutMs) {
  const xhr = new XMLHttpRequest();
  xhr.open("GET", url, false);
  let binary = true;
  try {
    xhr.responseType = "arraybuffer";
  } catch {
    binary = false;
    xhr.overrideMimeType("text/plain; charset=x-user-defined");
  }
  if (binary && timeoutMs > 0) xhr.timeout = timeoutMs; // (not allowed on a window's thread)
  if (range !== null) xhr.setRequestHeader("Range", `bytes=${range[0]}-${range[1] - 1}`);
  xhr.send();
  let body;
  if (binary) {
    body = new Uint8Array(xhr.response);
  } else {
    const text = xhr.responseText;
    body = new Uint8Array(text.length);
    for (let k = 0; k < text.length; k++) body[k] = text.charCodeAt(k) & 0xff;
  }
  return { status: xhr.status, contentRange: xhr.getResponseHeader("Content-Range"), body };
}

/**
 * A tree served over HTTP (read-only), to mount in a MemFS: `await
 * fs.mount("/lib", new UrlDirectory("https://example.org/tree/"))`.
 */
export class UrlDirectory {
  /**
   * @param {string | URL} baseUrl the tree's folder: its index is `index.json` there, file `a/b` is at `a/b` there
   * @param {object} [options]
   * @param {typeof fetch} [options.fetch] fetches the index (default: the global fetch)
   * @param {string} [options.index] the index's URL, relative to baseUrl (default "index.json")
   * @param {(url: string, range: [number, number] | null, timeoutMs: number) =>
   *   {status: number, contentRange: string | null, body: Uint8Array}} [options.get]
   *   the synchronous transport for file bytes (default: a synchronous XMLHttpRequest; in Node the
   *   node entry point's UrlDirectory passes a worker thread's fetch); it throws on a network error
   * @param {number} [options.rangeThreshold] files above this many bytes are fetched by ranges (default 4 MiB)
   * @param {number} [options.chunkSize] the size of those ranges (default 1 MiB)
   * @param {number} [options.timeout] ms a file request may take before it is EIO (default 30000)
   * @param {number|bigint} [options.dev] the device number stat reports (default 1, as HostDirectory)
   * @param {boolean} [options.async] for a WASI in async mode (JSPI): file bytes through `fetch`, the
   *   read waiting for them (an asynchronous backend: a synchronous WASI refuses it); default false
   *   (the synchronous transport `get`)
   */
  constructor(baseUrl, options = {}) {
    if (options === null || typeof options !== "object") throw new TypeError("UrlDirectory options must be an object");
    let base;
    try {
      base = new URL(String(baseUrl), globalThis.location?.href);
    } catch {
      throw new TypeError(`UrlDirectory: not a URL: ${String(baseUrl)}`);
    }
    if (!base.pathname.endsWith("/")) base.pathname += "/";
    this.baseUrl = base.href;
    this.indexUrl = new URL(options.index ?? "index.json", base).href;
    this._fetch = options.fetch ?? globalThis.fetch;
    this._get = options.get ?? (typeof XMLHttpRequest === "function" ? xhrGet : null);
    if (options.async !== undefined && typeof options.async !== "boolean") throw new TypeError("UrlDirectory options.async must be a boolean");
    /** Async mode: reads return a Promise while the bytes are fetched (vfs/memfs.js, "mounts"). */
    this.async = options.async === true;
    if (typeof this._fetch !== "function") throw new TypeError("UrlDirectory: no fetch function (give options.fetch)");
    if (typeof this._get !== "function" && !this.async) {
      throw new TypeError("UrlDirectory: this engine has no synchronous HTTP request (XMLHttpRequest) to read files with; "
        + "in Node import UrlDirectory from the package's node entry point, elsewhere give options.get");
    }
    for (const k of ["rangeThreshold", "chunkSize", "timeout"]) {
      const v = options[k];
      if (v !== undefined && !(Number.isSafeInteger(v) && v > 0)) throw new TypeError(`UrlDirectory options.${k} must be a positive integer`);
    }
    this.rangeThreshold = options.rangeThreshold ?? 4 << 20;
    this.chunkSize = options.chunkSize ?? 1 << 20;
    this.timeout = options.timeout ?? 30000;
    const dev = options.dev ?? 1;
    if (!((typeof dev === "number" && Number.isSafeInteger(dev) && dev >= 0) || (typeof dev === "bigint" && dev >= 0n && dev < 2n ** 64n))) {
      throw new TypeError(`UrlDirectory options.dev must be a non-negative integer; got ${String(dev)}`);
    }
    this.dev = BigInt(dev);
    this.core = null;
    this.covered = null;
    this.busy = 0;
    this.maxFileSize = 2 ** 63;
    /** Read-only: the core refuses changes where Linux checks a read-only mount (vfs/memfs.js READ_ONLY_ERRNO). */
    this.readOnly = true;
    /** @type {UrlDir | null} set by open() */
    this.root = null;
    /** What was fetched: requests made (index included) and body bytes received. */
    this.stats = { requests: 0, bytes: 0 };
  }

  /** Fetch and load the index (awaited by `fs.mount`). Errors: EIO (one line naming the URL and why). */
  async open() {
    if (this.root !== null) return;
    let index;
    try {
      this.stats.requests++;
      const fetchIndex = this._fetch; // called unbound: a browser's fetch refuses any `this` but the global one
      const r = await fetchIndex(this.indexUrl);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const text = await r.text();
      this.stats.bytes += text.length;
      index = JSON.parse(text);
    } catch (e) {
      const page = globalThis.location?.origin;
      const cors = page !== undefined && page !== new URL(this.indexUrl).origin && e instanceof TypeError
        ? ` (from ${page}, another origin's server must allow it: Access-Control-Allow-Origin)` : "";
      throw new WasiError(errno.io, `UrlDirectory ${this.indexUrl}: ${e?.message ?? e}${cors}`);
    }
    try {
      this.root = this._load(index);
    } catch (e) {
      throw new WasiError(errno.io, `UrlDirectory ${this.indexUrl}: not an index (${e?.message ?? e}; write one with \`wasi-polyfill index DIR\`)`);
    }
  }

  /** The inodes of the index's tree, numbered depth first in its order. */
  _load(index) {
    if (index === null || typeof index !== "object" || index.type !== "dir") throw new TypeError("the root is not a dir");
    let ino = 0;
    const links = new Map(); // index id -> UrlFile
    const walk = (node, parent, path) => {
      const dir = new UrlDir(this, node, ++ino, parent);
      if (node.entries === null || typeof node.entries !== "object") throw new TypeError(`${path || "/"}: no entries`);
      for (const [name, e] of Object.entries(node.entries)) {
        if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) throw new TypeError(`bad name ${JSON.stringify(name)}`);
        const p = path + "/" + name;
        let inode;
        if (e?.type === "dir") {
          inode = walk(e, dir, p);
          dir.nlink++;
        } else if (e?.type === "symlink") {
          if (typeof e.target !== "string") throw new TypeError(`${p}: no target`);
          inode = new UrlSymlink(this, e, ++ino);
        } else if (e?.type === "file") {
          if (!Number.isSafeInteger(e.size) || e.size < 0 || !/^[0-9a-f]{64}$/.test(e.sha256)) throw new TypeError(`${p}: no size or sha256`);
          if (e.chunkSize !== undefined || e.chunkSha256 !== undefined) { // (an index written before them has none)
            const ok = Number.isSafeInteger(e.chunkSize) && e.chunkSize > 0 && Array.isArray(e.chunkSha256)
              && e.chunkSha256.length === Math.ceil(e.size / e.chunkSize) && e.chunkSha256.every((h) => /^[0-9a-f]{64}$/.test(h));
            if (!ok) throw new TypeError(`${p}: bad chunkSize or chunkSha256`);
          }
          inode = e.id === undefined ? undefined : links.get(e.id);
          if (inode === undefined) {
            const url = new URL(p.slice(1).split("/").map(encodeURIComponent).join("/"), this.baseUrl).href;
            inode = new UrlFile(this, e, ++ino, url);
            if (e.id !== undefined) links.set(e.id, inode);
          } else {
            inode.nlink++;
          }
        } else {
          throw new TypeError(`${p}: unknown type ${JSON.stringify(e?.type)}`);
        }
        dir.entries.set(name, inode);
      }
      return dir;
    };
    return walk(index, null, "");
  }

  /** One request through the transport; EIO on a network error or a timeout. */
  _request(file, range) {
    let r;
    try {
      this.stats.requests++;
      r = this._get(file.url, range, this.timeout);
    } catch (e) {
      throw new WasiError(errno.io, `${file.url}: ${e?.message ?? e}`);
    }
    this.stats.bytes += r.body.length;
    return r;
  }

  /** The same through `fetch`, for async mode: a Promise of {status, contentRange, body}; rejects with EIO. */
  async _requestAsync(file, range) {
    this.stats.requests++;
    let r;
    try {
      const fetchFile = this._fetch; // (unbound, as in open())
      const res = await fetchFile(file.url, {
        headers: range === null ? {} : { Range: `bytes=${range[0]}-${range[1] - 1}` },
        signal: AbortSignal.timeout(this.timeout),
      });
      r = { status: res.status, contentRange: res.headers.get("Content-Range"), body: new Uint8Array(await res.arrayBuffer()) };
    } catch (e) {
      throw new WasiError(errno.io, `${file.url}: ${e?.name === "TimeoutError" ? `no answer in ${this.timeout} ms` : e?.message ?? e}`);
    }
    this.stats.bytes += r.body.length;
    return r;
  }

  /** A small file, whole, checked against the index. Errors: EIO. */
  _fetchWhole(file) {
    return this._judgeWhole(file, this._request(file, null));
  }

  /** The answer to a request for a whole file: its bytes, checked. Errors: EIO. */
  _judgeWhole(file, r) {
    if (r.status !== 200) throw new WasiError(errno.io, `${file.url}: HTTP ${r.status}`);
    return this._checked(file, r.body);
  }

  _checked(file, body) {
    if (body.length !== file.size) throw new WasiError(errno.io, `${file.url}: ${body.length} bytes, the index says ${file.size}`);
    if (sha256Hex(body) !== file.sha256) throw new WasiError(errno.io, `${file.url}: not the bytes the index names (SHA-256 differs)`);
    return body;
  }

  /**
   * The answer `r` to a Range request for chunk `k` of a large file: its
   * bytes, checked against the range asked for and, when the index has the
   * file's chunk hashes, against chunk `k`'s SHA-256; null when the server
   * sent the whole file instead (status 200: then `file.whole`, checked).
   * Errors: EIO.
   */
  _judgeRange(file, k, r) {
    const [start, end] = file._range(k);
    if (r.status === 200) {
      file.whole = this._checked(file, r.body);
      file.chunks = null;
      return null;
    }
    if (r.status !== 206) throw new WasiError(errno.io, `${file.url}: HTTP ${r.status}`);
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(r.contentRange ?? "");
    const wrong = m !== null
      ? Number(m[1]) !== start || Number(m[2]) !== end - 1 || (m[3] !== "*" && Number(m[3]) !== file.size)
      : false; // (a cross-origin server may not expose Content-Range: the length is still checked)
    if (wrong || r.body.length !== end - start) {
      throw new WasiError(errno.io, `${file.url}: asked for bytes ${start}-${end - 1}, got ${r.contentRange ?? `${r.body.length} bytes`}`);
    }
    if (file.chunkSha256 !== null && sha256Hex(r.body) !== file.chunkSha256[k]) {
      throw new WasiError(errno.io, `${file.url}: bytes ${start}-${end - 1} are not the ones the index names (SHA-256 differs)`);
    }
    return r.body;
  }

  /** fd_close's save on an async backend: nothing is ever unwritten here. */
  flush() {}

  _opened(inode) {
    inode.opens++;
    this.busy++;
  }

  _closed(inode) {
    inode.opens--;
    this.busy--;
  }

  // ---- the primitives: a read-only filesystem changes nothing ----

  createFile(dir, name) { throw readOnly(); }
  mkdir(dir, name) { throw readOnly(); }
  rmdir(dir, name, inode) { throw readOnly(); }
  unlink(dir, name, inode) { throw readOnly(); }
  link(dir1, name1, inode, dir2, name2) { throw readOnly(); }
  symlink(dir, name, target) { throw readOnly(); }
  rename(dir1, name1, inode, dir2, name2, old) { throw readOnly(); }
}
