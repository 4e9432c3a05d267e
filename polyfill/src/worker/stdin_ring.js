// The page-to-worker stdin channel of the Worker runner's shared-memory mode:
// one SharedArrayBuffer holding a byte ring and one control word, written
// by the page, read by the worker (which blocks in Atomics.wait until bytes
// or the end arrive, so the guest's fd_read blocks as a native read does).
//
// The control word is the number of unread bytes, with END set once the
// page has called end(): the reader waits on the exact value it saw, so any
// change (bytes added or the end) wakes it, with no lost wake-up between its
// check and its wait.
const END = 1 << 30;
export const RING_SIZE = 1 << 16;

export function makeRing() {
  return new SharedArrayBuffer(16 + RING_SIZE);
}

/** The page's end: push bytes in (as many as fit), then mark the end. */
export class RingWriter {
  constructor(sab) {
    this.ctl = new Int32Array(sab, 0, 4);
    this.data = new Uint8Array(sab, 16);
    this.pos = 0;
  }

  /** Copies as much of `bytes` as fits; returns how many bytes it took. */
  push(bytes) {
    const room = RING_SIZE - (Atomics.load(this.ctl, 0) & ~END);
    const n = Math.min(room, bytes.length);
    for (let done = 0; done < n;) {
      const k = Math.min(n - done, RING_SIZE - this.pos);
      this.data.set(bytes.subarray(done, done + k), this.pos);
      this.pos = (this.pos + k) % RING_SIZE;
      done += k;
    }
    if (n > 0) {
      Atomics.add(this.ctl, 0, n);
      Atomics.notify(this.ctl, 0);
    }
    return n;
  }

  end() {
    Atomics.or(this.ctl, 0, END);
    Atomics.notify(this.ctl, 0);
  }
}

/** The worker's end: a stdin stream whose read blocks until bytes or the end. */
export class RingReader {
  constructor(sab, onRoom) {
    this.ctl = new Int32Array(sab, 0, 4);
    this.data = new Uint8Array(sab, 16);
    this.pos = 0;
    this.onRoom = onRoom;
    this.isatty = false;
  }

  read(max) {
    let v;
    while (((v = Atomics.load(this.ctl, 0)) & ~END) === 0) {
      if (v & END) return new Uint8Array(0);
      Atomics.wait(this.ctl, 0, v);
    }
    const n = Math.min(max, v & ~END);
    const out = new Uint8Array(n);
    for (let done = 0; done < n;) {
      const k = Math.min(n - done, RING_SIZE - this.pos);
      out.set(this.data.subarray(this.pos, this.pos + k), done);
      this.pos = (this.pos + k) % RING_SIZE;
      done += k;
    }
    Atomics.sub(this.ctl, 0, n);
    this.onRoom();
    return out;
  }
}
