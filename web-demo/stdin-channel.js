// Interactive stdin: the program runs in a worker and blocks in fd_read on
// stdin (Atomics.wait) until the page has a line for it. Needs
// SharedArrayBuffer, i.e. a cross-origin isolated page.
//
// One SharedArrayBuffer, shared by both sides:
//   Int32 [0]  state: IDLE, DATA (page filled `length` bytes) or EOF
//   Int32 [1]  length
//   bytes from 8: the data, at most CAPACITY per hand-over
// The worker asks (posts "stdin-wait"), then sleeps on state; the page answers
// only when asked, so the buffer has one writer at a time.

const IDLE = 0;
const DATA = 1;
const EOF = 2;
const HEADER = 8;
const CAPACITY = 64 * 1024;

export function stdinSupported() {
  return typeof SharedArrayBuffer === "function" && globalThis.crossOriginIsolated === true;
}

/** The page's half: queues what the user types, hands it over when asked. */
export class StdinWriter {
  constructor() {
    this.buffer = new SharedArrayBuffer(HEADER + CAPACITY);
    this.state = new Int32Array(this.buffer, 0, 2);
    this.data = new Uint8Array(this.buffer, HEADER);
    this.queue = [];      // Uint8Array chunks typed ahead
    this.eof = false;
    this.waiting = false; // the worker is asleep in fd_read
  }

  /** Queues bytes (a line with its "\n"); delivered at once if the program waits. */
  push(bytes) {
    if (bytes.length) this.queue.push(bytes);
    this.flush();
  }

  /** Ends the input: fd_read returns 0 once what is queued is read. */
  close() {
    this.eof = true;
    this.flush();
  }

  /** The worker has asked for input. */
  request() {
    this.waiting = true;
    this.flush();
  }

  flush() {
    if (!this.waiting) return;
    if (this.queue.length) {
      let n = 0;
      while (this.queue.length && n < CAPACITY) {
        const chunk = this.queue[0];
        const take = Math.min(chunk.length, CAPACITY - n);
        this.data.set(chunk.subarray(0, take), n);
        n += take;
        if (take === chunk.length) this.queue.shift();
        else this.queue[0] = chunk.subarray(take);
      }
      this.#wake(DATA, n);
    } else if (this.eof) {
      this.#wake(EOF, 0);
    }
  }

  #wake(state, length) {
    this.waiting = false;
    Atomics.store(this.state, 1, length);
    Atomics.store(this.state, 0, state);
    Atomics.notify(this.state, 0);
  }
}

/**
 * The worker's half: a `stdin` function for `new WASI({stdin})`, which
 * returns up to `maxBytes` bytes, blocking until there are some, or null at
 * end of input. `onWait()` is called before each sleep (to tell the page);
 * the time spent asleep is added up in `waitedMs`.
 */
export class StdinReader {
  constructor(buffer, onWait) {
    this.state = new Int32Array(buffer, 0, 2);
    this.data = new Uint8Array(buffer, HEADER);
    this.onWait = onWait;
    this.pending = new Uint8Array(0);
    this.eof = false;
    this.waitedMs = 0;
    this.read = this.read.bind(this);
  }

  read(maxBytes) {
    if (this.pending.length === 0 && !this.eof) this.#fill();
    if (this.pending.length === 0) return null;
    const out = this.pending.slice(0, maxBytes);
    this.pending = this.pending.subarray(out.length);
    return out;
  }

  #fill() {
    Atomics.store(this.state, 0, IDLE);
    this.onWait();
    const started = performance.now();
    while (Atomics.load(this.state, 0) === IDLE) Atomics.wait(this.state, 0, IDLE);
    this.waitedMs += performance.now() - started;
    if (Atomics.load(this.state, 0) === EOF) {
      this.eof = true;
    } else {
      this.pending = this.data.slice(0, Atomics.load(this.state, 1));
    }
    Atomics.store(this.state, 0, IDLE);
  }
}
