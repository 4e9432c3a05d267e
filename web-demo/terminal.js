// The terminal pane: stdout, stderr (another colour), echoed stdin and the
// page's own lines, appended as they arrive and painted once per frame.

const MAX_CHARS = 400_000; // older output is dropped past this
const CLASS = { stdout: "t-out", stderr: "t-err" };

export class Terminal {
  constructor(el) {
    this.el = el;
    this.queue = [];   // [className, text] not yet painted
    this.frame = 0;
    this.chars = 0;
    this.decoders = {};
    this.atLineStart = true;
  }

  /** Bytes the program wrote on "stdout" or "stderr" (UTF-8, possibly split). */
  write(stream, bytes) {
    const decoder = (this.decoders[stream] ??= new TextDecoder("utf-8"));
    this.#add(CLASS[stream], decoder.decode(bytes, { stream: true }));
  }

  /** What the user typed into stdin, echoed as a tty would. */
  echo(text) {
    this.#add("t-in", text);
  }

  /** The command line of a run, on a line of its own. */
  command(text) {
    this.#endDecoders();
    const first = this.chars === 0 && this.queue.length === 0;
    this.#line("t-cmd", `${first ? "" : "\n"}$ ${text}`);
  }

  /** A line from the page itself (not the program): kind "", "good" or "bad". */
  system(text, kind = "") {
    this.#endDecoders();
    this.#line(`t-sys ${kind}`.trim(), text.trimEnd());
  }

  welcome(text) {
    this.#line("t-welcome", text.trimEnd());
  }

  clear() {
    this.queue = [];
    this.el.replaceChildren();
    this.chars = 0;
    this.atLineStart = true;
  }

  /** Everything shown, as plain text (for tests and copying). */
  text() {
    this.flush();
    return this.el.textContent;
  }

  /** Paint what is queued now rather than at the next frame (a run's end). */
  flush() {
    this.#paint();
  }

  #endDecoders() {
    for (const [stream, decoder] of Object.entries(this.decoders)) {
      const rest = decoder.decode();
      if (rest) this.#add(CLASS[stream], rest);
    }
  }

  #line(cls, text) {
    this.#add(cls, (this.atLineStart ? "" : "\n") + text + "\n");
  }

  #add(cls, text) {
    if (!text) return;
    this.atLineStart = text.endsWith("\n");
    this.queue.push([cls, text]);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.#paint());
  }

  #paint() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.queue.length) return;
    const el = this.el;
    const stick = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    for (const [cls, text] of this.queue) {
      const last = el.lastElementChild;
      if (last && last.className === cls) {
        last.firstChild.appendData(text);
      } else {
        const span = document.createElement("span");
        span.className = cls;
        span.textContent = text;
        el.append(span);
      }
      this.chars += text.length;
    }
    this.queue = [];
    while (this.chars > MAX_CHARS && el.firstElementChild) {
      this.chars -= el.firstElementChild.textContent.length;
      el.firstElementChild.remove();
    }
    if (stick) el.scrollTop = el.scrollHeight;
  }
}
