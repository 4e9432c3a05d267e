// A stand-in for @xterm/xterm's Terminal in the docs example's test: what
// the example uses (open, onData, write), plus type() for the test to type.
const decoder = new TextDecoder();

export class Terminal {
  constructor(options) {
    this.options = options;
    this.written = "";
    window.term = this;
  }

  open(element) { this.element = element; }

  onData(listener) { this.listener = listener; }

  write(data) { this.written += typeof data === "string" ? data : decoder.decode(data); }

  /** The test types, as a user would (Enter is "\r"). */
  type(text) { this.listener(text); }
}
