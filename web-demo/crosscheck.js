// The cross-check: the same program, arguments, environment, files and stdin,
// run on the polyfill (the package's Worker runner) and on the Python
// reference host under Pyodide (pyodide-worker.js); then stdout, stderr, the
// exit status and the final file trees are compared and any difference shown
// as a diff. The two hosts share no code, so their agreement means something.

import { MemFS, countEntries, diffTrees, dumpTree, loadTree } from "../polyfill/dist/browser/run.js";
import { WasiWorker } from "../polyfill/dist/browser/worker.js";
import { unifiedDiff } from "./diff.js";
import { bytesOf } from "./tree.js";
import { decodeText, escapeHtml, formatBytes, formatMs } from "./ui.js";

const RUN_TIMEOUT_MS = 60_000;
const encoder = new TextEncoder();

/**
 * One run on the polyfill, in the package's Worker runner (on a MemFS of its
 * own, so the page's files are untouched), stdin given up front; resolves to
 * an outcome.
 */
async function runOnPolyfill({ program, argv, env, preopens, tree, input }) {
  const fs = new MemFS();
  loadTree(fs, "/", tree);
  const stdout = [];
  const stderr = [];
  const started = performance.now();
  const run = new WasiWorker(program.module, {
    args: argv, env, fs, preopens, writeBack: true, stdin: encoder.encode(input),
    onStdout: (bytes) => stdout.push(bytes), onStderr: (bytes) => stderr.push(bytes),
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      run.terminate();
      reject(new Error("the polyfill run took over a minute"));
    }, RUN_TIMEOUT_MS);
  });
  let result;
  try {
    result = await Promise.race([run.exited, timeout]);
  } catch (err) {
    throw new Error(`polyfill: ${err.message.replace(/^wasi-polyfill: /, "")}`);
  } finally {
    clearTimeout(timer);
  }
  return {
    code: result.trap === null ? result.status : null, trap: result.trap === null ? null : `trap: ${result.trap}`,
    ms: performance.now() - started, stdout: concat(stdout), stderr: concat(stderr), tree: dumpTree(fs, "/"),
  };
}

/** The Pyodide worker stays up once started: loading Python takes seconds. */
class RefHost {
  constructor() {
    this.worker = null;
    this.ready = null;
    this.pending = new Map();
    this.next = 0;
    this.loadMs = 0;
    this.fromSnapshot = false;
    this.stage = "Loading Python (Pyodide) and the reference host…"; // what the worker is doing while it loads
    this.onprogress = null;
  }

  start() {
    if (this.ready) return this.ready;
    const started = performance.now();
    const state = (value) => { document.documentElement.dataset.python = value; }; // (for tests and styles)
    state("loading");
    this.worker = new Worker(new URL("./pyodide-worker.js", import.meta.url), { type: "module" });
    this.ready = new Promise((resolve, reject) => {
      this.worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`the Pyodide worker failed: ${event.message || "could not load"}`));
      };
      this.worker.onmessage = ({ data: msg }) => {
        if (msg.type === "progress") {
          this.stage = msg.text;
          this.onprogress?.(msg.text);
        } else if (msg.type === "ready") {
          this.loadMs = performance.now() - started;
          this.fromSnapshot = msg.snapshot;
          resolve();
        } else if (msg.type === "load-error") {
          reject(new Error(msg.message));
        } else if (this.pending.has(msg.id)) {
          const { resolve: done, reject: fail } = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          if (msg.type === "exit") done(msg);
          else fail(new Error(`reference host: ${msg.message}`));
        }
      };
    });
    this.ready.then(() => state("ready"), () => {
      state("error");
      this.worker.terminate();
      this.ready = null;
    });
    return this.ready;
  }

  async run({ program, argv, env, preopens, tree, input }) {
    await this.start();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      // A program that never ends would keep Python busy: start afresh.
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.worker.terminate();
        this.ready = null;
        this.loadMs = 0;
        delete document.documentElement.dataset.python;
        reject(new Error("the reference host run took over a minute; it was stopped"));
      }, RUN_TIMEOUT_MS);
      const settle = (fn) => (value) => {
        clearTimeout(timer);
        fn(value);
      };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.worker.postMessage({ type: "run", id, wasm: program.bytes, argv, env, preopens, tree,
                                stdin: encoder.encode(input) });
    });
  }
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const TRAP_LINE = /wasi-polyfill: trap: [^\n]*\n$/;
const TRAPPED = new TextEncoder().encode("wasi-polyfill: trap: <trapped>\n");

/** A final trap line says only that it trapped: engines word traps differently (as the CLI's compare). */
function withoutTrapWords(bytes) {
  const text = new TextDecoder().decode(bytes);
  const m = TRAP_LINE.exec(text);
  if (!m) return bytes;
  const head = new TextEncoder().encode(text.slice(0, m.index));
  const out = new Uint8Array(head.length + TRAPPED.length);
  out.set(head);
  out.set(TRAPPED, head.length);
  return out;
}

/** Compares two outcomes: a list of rows { what, ok, detail (HTML) }. */
export function compareOutcomes(a, b) {
  const rows = [];
  const status = (o) => (o.trap !== null ? `trap (${o.trap.replace(/^trap: /, "")})` : `exit ${o.code}`);
  const sameStatus = a.trap !== null && b.trap !== null ? true : a.trap === null && b.trap === null && a.code === b.code;
  rows.push({
    what: "Exit status",
    ok: sameStatus,
    detail: sameStatus
      ? escapeHtml(status(a))
      : `polyfill: <code>${escapeHtml(status(a))}</code> · reference: <code>${escapeHtml(status(b))}</code>`,
  });
  for (const stream of ["stdout", "stderr"]) {
    const x = stream === "stderr" ? withoutTrapWords(a[stream]) : a[stream];
    const y = stream === "stderr" ? withoutTrapWords(b[stream]) : b[stream];
    const ok = sameBytes(x, y);
    rows.push({ what: stream, ok, detail: ok ? describeBytes(a[stream]) : textDiff(a[stream], b[stream]) });
  }
  const diffs = diffTrees(a.tree, b.tree);
  rows.push({
    what: "Files",
    ok: diffs.length === 0,
    detail: diffs.length === 0
      ? `${countEntries(a.tree)} entr${countEntries(a.tree) === 1 ? "y" : "ies"}, identical`
      : diffs.map(treeDifference).join(""),
  });
  return rows;
}

function describeBytes(bytes) {
  if (!bytes.length) return "empty on both";
  const lines = decodeText(bytes)?.split("\n").length - 1;
  return `identical (${formatBytes(bytes.length)}${lines > 0 ? `, ${lines} line${lines === 1 ? "" : "s"}` : ""})`;
}

function textDiff(a, b) {
  const ta = decodeText(a);
  const tb = decodeText(b);
  if (ta === null || tb === null) {
    return `differ: ${formatBytes(a.length)} (polyfill) vs ${formatBytes(b.length)} (reference), not text`;
  }
  const ops = unifiedDiff(ta, tb);
  const body = ops
    .map(({ op, line }) => {
      const cls = op === "+" ? "add" : op === "-" ? "del" : op === "@" ? "gap" : "ctx";
      return `<div class="${cls}">${op === "@" ? "" : op} ${escapeHtml(line)}</div>`;
    })
    .join("");
  const note = ops.every((o) => o.op !== "+" && o.op !== "-") ? "<div class=\"gap\">(only the final newline differs)</div>" : "";
  return `<span class="hint">− polyfill, + reference host</span><div class="diff">${body}${note}</div>`;
}

function treeDifference(d) {
  const path = `<code>${escapeHtml(d.path)}</code>`;
  const what = (e) => (e.type === "dir" ? "folder" : e.type === "symlink" ? `link → ${e.target}` : `file, ${formatBytes(bytesOf(e).length)}`);
  switch (d.kind) {
    case "only-a": return `<div>${path}: only on the polyfill (${escapeHtml(what(d.a))})</div>`;
    case "only-b": return `<div>${path}: only on the reference host (${escapeHtml(what(d.b))})</div>`;
    case "type": return `<div>${path}: ${escapeHtml(what(d.a))} vs ${escapeHtml(what(d.b))}</div>`;
    case "target": return `<div>${path}: link → <code>${escapeHtml(d.a.target)}</code> vs → <code>${escapeHtml(d.b.target)}</code></div>`;
    case "content": return `<div>${path}: contents differ${textDiff(bytesOf(d.a), bytesOf(d.b))}</div>`;
    default: return `<div>${escapeHtml(d.text)}</div>`;
  }
}

export class CrossCheck {
  constructor(el, dot) {
    this.el = el;
    this.dot = dot;
    this.refhost = new RefHost();
  }

  /** Starts loading Pyodide ahead of the first run (errors wait for that run). */
  preload() {
    this.refhost.start().catch(() => {});
  }

  async run(spec) {
    this.el.dataset.verdict = "running";
    this.dot.hidden = true;
    const firstLoad = !this.loadShown;
    this.loadShown = true;
    const clicked = performance.now();
    const loading = !this.refhost.loadMs;
    const show = (text) => this.el.dataset.verdict === "running" && this.#pending(text, loading ? clicked : null);
    show(loading ? this.refhost.stage : "Running on both hosts…");
    this.refhost.onprogress = show;
    this.refhost.start().then(() => { this.refhost.onprogress = null; show("Running on both hosts…"); }, () => {});
    const [a, b] = await Promise.all([runOnPolyfill(spec), this.refhost.run(spec)]);
    const rows = compareOutcomes(a, b);
    const agree = rows.every((r) => r.ok);
    this.el.dataset.verdict = agree ? "agree" : "differ";
    this.dot.hidden = false;
    this.dot.className = `badge-dot ${agree ? "ok" : "bad"}`;
    const load = firstLoad
      ? ` · Pyodide loaded in ${formatMs(this.refhost.loadMs)}${this.refhost.fromSnapshot ? " (from its snapshot)" : ""}`
      : "";
    this.el.innerHTML = `
      <div class="xcheck-summary">
        <span class="verdict ${agree ? "ok" : "bad"}" id="xcheck-verdict">${agree ? "✓ The hosts agree" : "✗ The hosts differ"}</span>
        <span class="hint"><code>${escapeHtml(spec.argv.join(" "))}</code> — polyfill ${formatMs(a.ms)}, reference host ${formatMs(b.ms)}${load}</span>
      </div>
      <table class="xcheck-table">
        <thead><tr><th></th><th>Compared</th><th>Result</th></tr></thead>
        <tbody>${rows.map((r) => `<tr data-ok="${r.ok}"><td class="mark ${r.ok ? "ok" : "bad"}">${r.ok ? "✓" : "✗"}</td><td>${r.what}</td><td>${r.detail}</td></tr>`).join("")}</tbody>
      </table>
      <div class="xcheck-input">${spec.input
        ? `Both runs started from the files in the panel, with this stdin:<pre>${escapeHtml(spec.input)}</pre>`
        : "Both runs started from the files in the panel, with an empty stdin."}</div>`;
    return { agree, rows };
  }

  showError(err) {
    this.el.dataset.verdict = "error";
    this.dot.hidden = false;
    this.dot.className = "badge-dot bad";
    this.el.innerHTML = `<div class="xcheck-summary"><span class="verdict bad">Cross-check failed</span></div>
      <pre class="error-text">${escapeHtml(err.message.trim())}</pre>`;
  }

  /** A pending state; `since` (a performance.now() time): the seconds waited so far are shown, ticking. */
  #pending(text, since = null) {
    clearInterval(this.ticker);
    this.el.innerHTML = `<div class="xcheck-summary"><span class="spinner" aria-hidden="true"></span><span class="verdict pending">${escapeHtml(text)}</span>${since === null ? "" : '<span class="hint" id="xcheck-waited"></span>'}</div>`;
    if (since === null) return;
    const waited = this.el.querySelector("#xcheck-waited");
    const tick = () => {
      if (!waited.isConnected) return clearInterval(this.ticker);
      waited.textContent = `${((performance.now() - since) / 1000).toFixed(1)} s`;
    };
    tick();
    this.ticker = setInterval(tick, 100);
  }
}
