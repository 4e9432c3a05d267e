// HandleDirectory's main-thread data file (PagedData, vfs/handledir.js): the
// sync access handle's methods over a page cache, loaded by getFile().slice()
// and written back by createWritable({keepExistingData: true}). Random
// writes, cuts, reads and write-backs against a plain byte array: every read
// gives the model's bytes, and after each write-back the file on "disk" is
// the model exactly. The corpus runs on it in the browsers' own OPFS
// (tests/test_handledir.py, hosts *-opfs-main).
import { test } from "node:test";
import assert from "node:assert/strict";
import { PagedData } from "../../polyfill/src/vfs/handledir.js";

/** A FileSystemFileHandle's async half, in memory: a write-back is applied whole at close(), as the browsers' swap file. */
class AsyncFileHandle {
  constructor(bytes) {
    this.data = bytes;
    this.loads = 0;
    this.writeBacks = 0;
  }

  async getFile() {
    return new Blob([this.data]);
  }

  async createWritable({ keepExistingData }) {
    let swap = keepExistingData ? this.data.slice() : new Uint8Array(0);
    const grow = (n) => {
      if (n <= swap.length) return;
      const g = new Uint8Array(n);
      g.set(swap);
      swap = g;
    };
    return {
      write: async ({ type, position, data }) => {
        assert.equal(type, "write");
        const bytes = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data;
        grow(position + bytes.length);
        swap.set(bytes, position);
      },
      truncate: async (n) => {
        if (n < swap.length) swap = swap.slice(0, n);
        else grow(n);
      },
      close: async () => {
        this.data = swap;
        this.writeBacks++;
      },
      abort: async () => {},
    };
  }
}

function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** Call `prepare` until it says the range is there, as the glue retries. */
async function ready(d, pos, n, write) {
  for (let w; (w = d.prepare(pos, n, write)) !== null;) await w;
}

test("random writes, cuts, reads and write-backs give the model's bytes, on disk too", async () => {
  for (const seed of [1, 2, 3]) {
    const next = rng(seed);
    const initial = new Uint8Array(200000).map((_, i) => (i * 7) & 0xff);
    const handle = new AsyncFileHandle(initial.slice());
    let model = initial.slice();
    const d = new PagedData(handle, initial.length);
    const span = 400000;
    for (let op = 0; op < 600; op++) {
      const k = next(10);
      if (k < 4) { // write
        const pos = next(span), n = 1 + next(k === 0 ? 150000 : 3000);
        const src = new Uint8Array(n).map(() => next(256));
        await ready(d, pos, n, true);
        assert.equal(d.write(src, { at: pos }), n);
        if (pos + n > model.length) { const g = new Uint8Array(pos + n); g.set(model); model = g; }
        model.set(src, pos);
      } else if (k < 6) { // truncate
        const n = next(span);
        d.truncate(n);
        const g = new Uint8Array(n);
        g.set(model.subarray(0, n));
        model = g;
      } else if (k < 9) { // read
        const pos = next(span), n = 1 + next(k === 6 ? 200000 : 5000);
        await ready(d, pos, Math.min(n, Math.max(0, d.getSize() - pos)), false);
        const dst = new Uint8Array(n);
        const got = d.read(dst, { at: pos });
        assert.equal(got, Math.max(0, Math.min(n, model.length - pos)), `seed ${seed} op ${op}: count`);
        assert.deepEqual(dst.subarray(0, got), model.subarray(pos, pos + got), `seed ${seed} op ${op}: bytes at ${pos}`);
      } else {
        await d.flush();
        assert.deepEqual(handle.data, model, `seed ${seed} op ${op}: on disk after a write-back`);
      }
      assert.equal(d.getSize(), model.length);
    }
    await d.flush();
    assert.deepEqual(handle.data, model);
    assert.ok(handle.writeBacks > 10);
  }
});

test("a read loads its pages once (read-ahead), a write of whole pages loads nothing", async () => {
  const handle = new AsyncFileHandle(new Uint8Array(4 << 20));
  let slices = 0;
  const getFile = handle.getFile.bind(handle);
  handle.getFile = async () => {
    const f = await getFile();
    const slice = f.slice.bind(f);
    f.slice = (...a) => { slices++; return slice(...a); };
    return f;
  };
  const d = new PagedData(handle, 4 << 20);
  assert.equal(d.prepare(0, 1 << 20, true), null, "whole pages overwritten: nothing to load");
  const loading = d.prepare(1 << 20, 4096, false);
  assert.notEqual(loading, null);
  await loading;
  assert.equal(slices, 1);
  for (let pos = 1 << 20; pos < 2 << 20; pos += 4096) assert.equal(d.prepare(pos, 4096, false), null, `at ${pos}`);
  assert.equal(slices, 1, "1 MiB read ahead in one slice");
  assert.equal(handle.writeBacks, 0, "nothing written back before flush");
});

test("a synchronous WASI refuses a MemFS with an async backend mounted, in one line", async () => {
  const { WASI, MemFS, MemFSCore } = await import("../../polyfill/src/index.js");
  const fs = new MemFS();
  fs.mkdirSync("/m");
  const backend = new MemFSCore({ dev: 5 });
  backend.async = true; // what HandleDirectory is on a main thread
  assert.equal(fs.hasAsyncMount(), false);
  await fs.mount("/m", backend);
  assert.equal(fs.hasAsyncMount(), true);
  assert.throws(() => new WASI({ version: "preview1", fs, preopens: { "/m": "/m" } }),
    { code: "ERR_INVALID_ARG_VALUE", message: /asynchronous backend mounted .*needs async: true/ });
  fs.unmount("/m");
  assert.equal(fs.hasAsyncMount(), false);
  new WASI({ version: "preview1", fs, preopens: { "/m": "/m" } }); // eslint-disable-line no-new
});
