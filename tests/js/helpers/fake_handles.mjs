// An in-memory model of the File System Access handle API, as much as
// vfs/handledir.js uses of it, for Node tests: directory and file handles,
// exclusive sync access handles (NoModificationAllowedError on a second),
// a byte quota (QuotaExceededError, nothing written), getFile().text() (a
// File is a snapshot: read after the file changed it fails with
// NotReadableError, as Chromium's does; `storage.afterGetFile(handle)`, when
// set, runs between getFile() and the read, to change it meanwhile).
// It follows the spec's behaviour for what HandleDirectory relies on; the
// browsers themselves are tested in tests/test_handledir.py.

function domError(name, message) {
  const e = new DOMException(message, name);
  return e;
}

export class FakeStorage {
  constructor({ quota = Infinity } = {}) {
    this.quota = quota;
    /**
     * Chromium's way past a size (measured in Chromium 156: ~1.5 GiB, quota
     * free): a truncate that would grow a file beyond it returns, and the
     * file keeps its size. Infinity: every truncate within the quota happens.
     */
    this.silentTruncateLimit = Infinity;
    /** @type {((handle: FakeFileHandle) => Promise<void> | void) | null} */
    this.afterGetFile = null;
    /** A method name ("createSyncAccessHandle") whose calls do not answer until resume(). */
    this.stall = null;
    this._stalled = [];
    this.root = new FakeDirectoryHandle(this, "");
  }

  /** Let the stalled calls answer now. */
  resume() {
    for (const go of this._stalled.splice(0)) go();
  }

  /** `f()`'s result, or later (at resume()) while `method` stalls. */
  _maybeStall(method, f) {
    if (this.stall !== method) return f();
    return new Promise((resolve, reject) => this._stalled.push(() => f().then(resolve, reject)));
  }

  get used() {
    let n = 0;
    const walk = (d) => {
      for (const e of d._entries.values()) {
        if (e.kind === "file") n += e._data.length;
        else walk(e);
      }
    };
    walk(this.root);
    return n;
  }
}

export class FakeFileHandle {
  constructor(storage, name) {
    this.kind = "file";
    this.name = name;
    this._storage = storage;
    this._data = new Uint8Array(0);
    this._locked = false;
    /** Changed by every write and truncate (a File taken before is stale). */
    this._version = 0;
  }

  async getFile() {
    const data = this._data.slice(), version = this._version;
    await this._storage.afterGetFile?.(this);
    const check = () => {
      if (this._version !== version) throw domError("NotReadableError", "The requested file could not be read");
    };
    return { size: data.length, text: async () => { check(); return new TextDecoder().decode(data); } };
  }

  createSyncAccessHandle() {
    return this._storage._maybeStall("createSyncAccessHandle", () => this._createSyncAccessHandle());
  }

  async _createSyncAccessHandle() {
    if (this._locked) throw domError("NoModificationAllowedError", "locked");
    this._locked = true;
    const file = this;
    let open = true;
    const check = () => { if (!open) throw domError("InvalidStateError", "closed"); };
    return {
      getSize() { check(); return file._data.length; },
      read(dst, { at = 0 } = {}) {
        check();
        const n = Math.max(0, Math.min(dst.length, file._data.length - at));
        dst.set(file._data.subarray(at, at + n));
        return n;
      },
      write(src, { at = 0 } = {}) {
        check();
        const end = Math.max(file._data.length, at + src.length);
        if (file._storage.used - file._data.length + end > file._storage.quota) throw domError("QuotaExceededError", "quota");
        if (end > file._data.length) {
          const grown = new Uint8Array(end);
          grown.set(file._data);
          file._data = grown;
        }
        file._data.set(src, at);
        file._version++;
        return src.length;
      },
      truncate(n) {
        check();
        if (file._storage.used - file._data.length + n > file._storage.quota) throw domError("QuotaExceededError", "quota");
        if (n > file._data.length && n > file._storage.silentTruncateLimit) return;
        const next = new Uint8Array(n);
        next.set(file._data.subarray(0, Math.min(n, file._data.length)));
        file._data = next;
        file._version++;
      },
      flush() { check(); },
      close() { if (open) { open = false; file._locked = false; } },
    };
  }
}

export class FakeDirectoryHandle {
  constructor(storage, name) {
    this.kind = "directory";
    this.name = name;
    this._storage = storage;
    this._entries = new Map();
  }

  async getDirectoryHandle(name, { create = false } = {}) {
    let e = this._entries.get(name);
    if (e === undefined) {
      if (!create) throw domError("NotFoundError", name);
      e = new FakeDirectoryHandle(this._storage, name);
      this._entries.set(name, e);
    }
    if (e.kind !== "directory") throw domError("TypeMismatchError", name);
    return e;
  }

  async getFileHandle(name, { create = false } = {}) {
    let e = this._entries.get(name);
    if (e === undefined) {
      if (!create) throw domError("NotFoundError", name);
      e = new FakeFileHandle(this._storage, name);
      this._entries.set(name, e);
    }
    if (e.kind !== "file") throw domError("TypeMismatchError", name);
    return e;
  }

  async* entries() {
    for (const e of [...this._entries]) yield e;
  }
}

/**
 * Web Locks (`navigator.locks`) as much as HandleDirectory uses: exclusive
 * locks, `ifAvailable`. As in Chromium, a lock is free only a while after
 * its callback's promise settles (the release goes to another process); the
 * request's promise settles once it is.
 */
export class FakeLocks {
  constructor() {
    this.held = new Set();
  }

  async request(name, options, callback) {
    if (this.held.has(name)) {
      if (!options.ifAvailable) throw new Error("FakeLocks: only ifAvailable requests are modelled");
      return callback(null);
    }
    this.held.add(name);
    try {
      return await callback({ name, mode: "exclusive" });
    } finally {
      await new Promise((resolve) => setTimeout(resolve, 5));
      this.held.delete(name);
    }
  }
}
