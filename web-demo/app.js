// The demo page: pick a program, give it arguments, environment, files and
// stdin, run it with the polyfill, and show what it did. How it runs depends
// on what the engine has (runs.js, shown in the header's pill): in the
// package's Worker runner when the page is cross-origin isolated; on this
// page's main thread in async mode (JSPI) when it is not; with stdin given up
// front (a text box) where the engine has neither SharedArrayBuffer nor JSPI.
//
//   app.js          this file: the program form, runs, stdin, the inspector tabs
//   runs.js         the three ways to run (wasi-polyfill/worker, or runJob in async mode)
//   files.js        the file panel (the page's own MemFS)
//   storage.js      the storage card: a persistent /home (OPFS), a picked folder, a lazily fetched /lib
//   terminal.js     the terminal pane
//   crosscheck.js   the same run on the Python reference host, compared
//   tree.js         path helpers (trees move as the package's snapshots: run/tree.js)
//   archive.js      the .zip writer; cmdline.js the form's parsers

import { parseArgs, parseEnv, parsePreopens, quoteArg } from "./cmdline.js";
import { EXAMPLES, sampleTree } from "./examples.js";
import { FilePanel } from "./files.js";
import { demoMode, startRun } from "./runs.js";
import { StoragePanel } from "./storage.js";
import { Terminal } from "./terminal.js";
import { $, escapeHtml, formatMs, toast } from "./ui.js";

const BUNDLE = "../polyfill/dist/browser/run.js"; // MemFS, tree snapshots, the job runner
const WORKER_BUNDLE = "../polyfill/dist/browser/worker.js"; // the Worker runner (wasi-polyfill/worker)
const TRACE_MAX_LINES = 20_000;

const encoder = new TextEncoder();
const term = new Terminal($("terminal"));
const mode = demoMode(); // {mode: "worker" | "jspi" | "upfront", label, reason}
const interactive = mode.mode !== "upfront";

let polyfill;           // the bundles' exports
let files;              // FilePanel
let storage;            // StoragePanel
let program = null;     // { name, label, bytes, module, example }
let selecting = null;   // the example picked and still loading: Run waits for it
let current = null;     // the run in progress: { run, transcript, input, program, waitingSince, waitedMs }
const lastInput = new Map(); // program name -> the stdin its last run read (for the cross-check)
let crossCheck = null;     // crosscheck.js, loaded on first use
const modules = new Map(); // example name -> Promise<program>

// --- start-up ----------------------------------------------------------------

async function init() {
  showIsolation();
  renderExamples();
  bindForm();
  bindStdin();
  bindInspector();
  bindProgramDrop();

  // The first example and the bundle load in parallel.
  loadExample(EXAMPLES[0].name).catch(() => {}); // reported by selectExample below
  try {
    polyfill = { ...(await import(BUNDLE)), ...(await import(WORKER_BUNDLE)) };
  } catch (err) {
    fatal(`Could not load the polyfill bundles (${BUNDLE}, ${WORKER_BUNDLE}): ${err.message}. ` +
      "Build it with `make build` (node polyfill/build.mjs), then reload.");
    return;
  }
  files = new FilePanel(newFs(sampleTree()), { onReset: (tree = sampleTree()) => newFs(tree), trees: polyfill });
  storage = new StoragePanel(mode.mode, { memoryHome, busy: () => current !== null });

  term.welcome(
    "Pick a program and press Run. Its stdout appears here, stderr in red;\n" +
    (interactive
      ? "when it reads stdin, type a line below and press Enter (EOF ends the input).\n"
      : "stdin is the text box below, given to the program when it starts.\n"),
  );

  const first = selectExample(EXAMPLES[0].name);
  try {
    await first;
  } catch (err) {
    fatal(err.message);
    return;
  }
  $("run").disabled = false;
  $("crosscheck").disabled = false;
  ready();
}

function ready() {
  const ms = performance.now(); // since navigation start
  performance.mark("demo-ready");
  document.documentElement.dataset.ready = "true";
  $("load-time").textContent = `ready in ${formatMs(ms)}`;
  // inFlight: runs not yet ended, a stopped one included until it has unwound
  window.wasiDemo = { files, storage, term, loadMs: ms, inFlight: 0 };
  preloadWhenIdle();
}

// The cross-check's Python starts while the page is idle after loading (from
// the demo's snapshot: about a second of a worker's time), so that a first
// click waits for little; the button's pointerenter/focus start it too, if it
// has not begun. `?preload=0` leaves it to the first use (the page's tests,
// which do not all need Python, use it).
function preloadWhenIdle() {
  if (new URLSearchParams(location.search).get("preload") === "0") return;
  const start = () => loadCrossCheck().then((c) => c.preload(), () => {});
  if (typeof requestIdleCallback === "function") requestIdleCallback(start, { timeout: 2000 });
  else setTimeout(start, 500);
}

function fatal(message) {
  term.system(message, "bad");
  document.documentElement.dataset.ready = "error";
}

function newFs(tree) {
  const fs = new polyfill.MemFS();
  polyfill.loadTree(fs, "/", tree);
  return fs;
}

/** The in-memory /home where the persistent one is not available (storage.js). */
function memoryHome() {
  try {
    files.fs.statSync("/home");
  } catch {
    files.fs.mkdirSync("/home");
    files.setFs(files.fs);
  }
}

function showIsolation() {
  const pill = $("isolation");
  pill.dataset.mode = mode.mode;
  pill.textContent = mode.label;
  pill.title = mode.reason;
  pill.className = `pill ${interactive ? "ok" : "warn"}`;
  if (interactive) return;
  $("stdin-form").hidden = true;
  $("stdin-fallback").hidden = false;
  $("stdin-fallback-why").textContent = mode.reason;
}

// --- programs ----------------------------------------------------------------

function renderExamples() {
  $("examples").innerHTML = EXAMPLES.map(
    (ex) => `<button type="button" class="example" role="radio" aria-checked="false" data-example="${ex.name}">
        <span class="name">${escapeHtml(ex.title)}${ex.interactive ? ' <span class="tag">stdin</span>' : ""}</span>
        <span class="file">${ex.name}.wasm</span>
      </button>`,
  ).join("");
  $("examples").addEventListener("click", (event) => {
    const button = event.target.closest("[data-example]");
    if (button && !current) selectExample(button.dataset.example).catch((err) => term.system(err.message, "bad"));
  });
}

function loadExample(name) {
  if (!modules.has(name)) {
    const url = `examples/${name}.wasm`;
    modules.set(name, (async () => {
      const response = await fetch(url);
      if (!response.ok) {
        throw new Error(`${url}: ${response.status} ${response.statusText}. The examples are built by ` +
          "`python -m harness.web_demo` (`wasi-polyfill serve` runs it).");
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { name, label: `${name}.wasm`, bytes, module: await WebAssembly.compile(bytes) };
    })());
    modules.get(name).catch(() => modules.delete(name));
  }
  return modules.get(name);
}

async function selectExample(name) {
  const example = EXAMPLES.find((ex) => ex.name === name);
  markSelected(name);
  $("args").value = example.args;
  $("env").value = example.env;
  $("program-blurb").textContent = example.blurb;
  $("argv0").textContent = `argv[0] is "${name}"`;
  if (!interactive) $("stdin-text").value = example.input ?? "";
  const loading = loadExample(name);
  selecting = loading;
  try {
    const loaded = await loading;
    if (selecting === loading) program = { ...loaded, example }; // not if another was picked meanwhile
  } finally {
    if (selecting === loading) selecting = null;
  }
}

function markSelected(name) {
  for (const el of $("examples").querySelectorAll("[data-example]")) {
    el.setAttribute("aria-checked", String(el.dataset.example === name));
  }
}

/** A .wasm the user opened or dropped. */
async function openWasm(file) {
  if (current) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  let module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (err) {
    toast(`${file.name} is not a WebAssembly module: ${err.message}`);
    return;
  }
  const exports = WebAssembly.Module.exports(module);
  if (!exports.some((e) => e.name === "_start" && e.kind === "function")) {
    toast(`${file.name} has no _start export: it is not a WASI command`);
    return;
  }
  const foreign = [...new Set(WebAssembly.Module.imports(module).map((i) => i.module))]
    .filter((m) => m !== "wasi_snapshot_preview1");
  const name = file.name.replace(/\.wasm$/i, "");
  selecting = null; // an example still loading no longer replaces this
  program = { name, label: file.name, bytes, module, example: null };
  markSelected(null);
  $("env").value = "";
  $("program-blurb").textContent =
    `${file.name} (${bytes.length.toLocaleString()} bytes), opened from your computer.` +
    (foreign.length ? ` It also imports ${foreign.join(", ")}, which this page does not provide.` : "");
  $("argv0").textContent = `argv[0] is "${name}"`;
  $("args").value = "";
  toast(`Opened ${file.name}`);
}

function bindProgramDrop() {
  const card = $("program-card");
  const input = $("wasm-file");
  $("open-wasm").onclick = () => input.click();
  input.onchange = () => {
    if (input.files[0]) openWasm(input.files[0]);
    input.value = "";
  };
  card.addEventListener("dragover", (event) => {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    card.classList.add("drop-target");
  });
  card.addEventListener("dragleave", (event) => {
    if (!card.contains(event.relatedTarget)) card.classList.remove("drop-target");
  });
  card.addEventListener("drop", (event) => {
    event.preventDefault();
    card.classList.remove("drop-target");
    const file = [...event.dataTransfer.files].find((f) => /\.wasm$/i.test(f.name)) ?? event.dataTransfer.files[0];
    if (file) openWasm(file);
  });
}

// --- running -----------------------------------------------------------------

/** The form, read into a run's settings; throws with a message for the user. */
function readForm() {
  const argv = [program.name, ...parseArgs($("args").value)];
  const env = parseEnv($("env").value);
  const preopens = parsePreopens($("preopens").value, (path) => {
    try {
      return files.fs.statSync(path).isDirectory();
    } catch {
      return false;
    }
  });
  return { argv, env, preopens };
}

function run() {
  if (selecting) {
    selecting.then(run, () => {}); // Run pressed as an example loads runs that example
    return;
  }
  if (current || !program || !files) return;
  let form;
  try {
    form = readForm();
  } catch (err) {
    term.system(err.message, "bad");
    return;
  }
  const extra = storage.mounts();
  const twice = [...Object.keys(extra.opfs), ...Object.keys(extra.urls), ...Object.keys(extra.preopens)]
    .find((guest) => guest in form.preopens);
  if (twice) {
    term.system(`Preopens: ${twice} is given twice (the Storage card mounts it; untick it there or remove it here)`, "bad");
    return;
  }
  Object.assign(form.preopens, extra.preopens);
  const input = interactive ? null : $("stdin-text").value;
  const traceOn = $("trace").checked;
  term.command(form.argv.map(quoteArg).join(" "));
  resetTrace(traceOn);
  if (traceOn) selectTab("trace");
  setRunning(true);
  setStatus("running", "running…");

  const started = performance.now();
  const job = { module: program.module, argv: form.argv, env: form.env, preopens: form.preopens,
    fs: files.fs, stdin: interactive ? undefined : encoder.encode(input), opfs: extra.opfs, urls: extra.urls };
  const entry = { run: null, transcript: [], input, program, waitingSince: null, waitedMs: 0 };
  // a stopped run's late messages are dropped
  const ours = (f) => (...args) => { if (current === entry) f(...args); };
  const on = {
    stdout: ours((bytes) => output("stdout", bytes)),
    stderr: ours((bytes) => output("stderr", bytes)),
    trace: traceOn ? ours(queueTrace) : null,
    wait: ours(() => waiting(entry)),
  };
  current = entry;
  try {
    entry.run = startRun(mode.mode, job, on, polyfill);
  } catch (err) {
    failed(err);
    return;
  }
  window.wasiDemo.inFlight++;
  entry.run.done.finally(() => window.wasiDemo.inFlight--).then(
    ours((result) => finish(result, performance.now() - started)),
    ours(failed),
  );
}

/** Output as it comes; the trace lines before it first, so the two stay in order. */
function output(stream, bytes) {
  flushTrace();
  term.write(stream, bytes);
}

/** The guest waits for stdin with nothing left to read. */
function waiting(run) {
  flushTrace();
  run.waitingSince ??= performance.now();
  setStatus("waiting", "waiting for input…");
  $("stdin-form").classList.add("waiting");
  $("stdin-input").placeholder = "Waiting for input: type a line, then Enter";
  if (!document.activeElement?.matches("input, textarea")) $("stdin-input").focus();
}

/** The page gave the guest input (or the end of it): no longer waiting. */
function answered(run) {
  if (run.waitingSince !== null) run.waitedMs += performance.now() - run.waitingSince;
  run.waitingSince = null;
  setStatus("running", "running…");
  $("stdin-form").classList.remove("waiting");
}

function failed(err) {
  term.system(err.message.replace(/^wasi-polyfill: /, ""), "bad");
  if (storage.opfsFailed(err.message)) term.system("/home is in memory from now on: run again", "bad");
  setStatus("failed", "could not start");
  endRun();
}

function finish({ status, trap, tree, mounted }, ms) {
  const done = current;
  flushTrace();
  storage.update(mounted);
  answered(done);
  if (tree) files.setFs(newFs(tree));
  else files.setFs(files.fs); // written back in place
  lastInput.set(done.program.name, interactive ? done.transcript.join("") : done.input);
  const waitedMs = done.waitedMs;
  const time = waitedMs > 1 ? `${formatMs(ms - waitedMs)} running, ${formatMs(waitedMs)} waiting for input` : formatMs(ms);
  if (trap !== null) {
    term.system(`── trap: ${trap} (after ${time})`, "bad");
    setStatus("trapped", `trap · ${formatMs(ms)}`);
  } else {
    term.system(`── exited with status ${status} in ${time}`, status === 0 ? "good" : "bad");
    setStatus(status === 0 ? "ok" : "failed", `exit ${status} · ${formatMs(ms)}`);
  }
  // the output is on screen before the run is marked as ended (the terminal
  // otherwise paints at the next frame, which a busy or hidden page delays)
  term.flush();
  $("run-status").dataset.exitCode = trap !== null ? "trap" : String(status);
  endRun();
}

function stop() {
  if (!current) return;
  current.run.stop();
  flushTrace();
  term.system(`── stopped; the program's changes to the files are lost${storage.persistent() ? " (what it saved under /home stays)" : ""}`, "bad");
  setStatus("stopped", "stopped");
  endRun();
}

function endRun() {
  current = null;
  setRunning(false);
  $("stdin-form").classList.remove("waiting");
  $("stdin-input").placeholder = "Run a program to type into its stdin";
}

function setRunning(running) {
  $("run").disabled = running;
  $("stop").disabled = !running;
  $("crosscheck").disabled = running;
  for (const id of ["stdin-input", "stdin-send", "stdin-eof"]) $(id).disabled = !running;
  $("examples").classList.toggle("locked", running);
  files.setBusy(running);
  storage.setBusy(running);
}

function setStatus(state, text) {
  const el = $("run-status");
  el.dataset.state = state;
  el.textContent = text;
  if (state === "running") delete el.dataset.exitCode;
}

function bindForm() {
  $("run").onclick = run;
  $("stop").onclick = stop;
  $("clear").onclick = () => term.clear();
  $("crosscheck").onclick = runCrossCheck;
  // Pyodide takes seconds to load: start when the pointer heads for the button.
  for (const type of ["pointerenter", "focus"]) {
    $("crosscheck").addEventListener(type, () => loadCrossCheck().then((c) => c.preload()), { once: true });
  }
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });
}

// --- stdin -------------------------------------------------------------------

function bindStdin() {
  const input = $("stdin-input");
  const send = (text) => {
    if (!current || !interactive) return;
    term.echo(text);
    current.transcript.push(text);
    current.run.write(encoder.encode(text));
    answered(current);
  };
  const eof = () => {
    if (!current || !interactive) return;
    if (input.value) send(input.value);
    input.value = "";
    term.echo("^D\n");
    current.run.end();
    answered(current);
    $("stdin-eof").disabled = true;
  };
  $("stdin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    send(`${input.value}\n`);
    input.value = "";
  });
  $("stdin-eof").onclick = eof;
  input.addEventListener("keydown", (event) => {
    if (event.ctrlKey && event.key === "d") {
      event.preventDefault();
      eof();
    }
  });
  // Typing in the terminal types into stdin, as in a real one.
  $("terminal").addEventListener("keydown", (event) => {
    if (current && interactive && event.key.length === 1 && !event.ctrlKey && !event.metaKey) input.focus();
  });
}

// --- inspector: trace and cross-check ----------------------------------------

let traceLines = 0;
let traceCalls = 0;
let traceQueue = [];
let traceFrame = 0;

/** A trace line, shown with the others at the next frame (or before the next output). */
function queueTrace(line) {
  traceQueue.push(line);
  traceFrame ||= requestAnimationFrame(flushTrace);
}

function flushTrace() {
  cancelAnimationFrame(traceFrame);
  traceFrame = 0;
  if (traceQueue.length === 0) return;
  const lines = traceQueue;
  traceQueue = [];
  appendTrace(lines);
}

function resetTrace(on) {
  flushTrace();
  traceLines = 0;
  traceCalls = 0;
  $("trace-log").replaceChildren();
  $("trace-count").textContent = "";
  $("trace-empty").hidden = on;
}

function appendTrace(lines) {
  const log = $("trace-log");
  const stick = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  const fragment = document.createDocumentFragment();
  for (const line of lines) {
    traceLines++;
    if (line.startsWith("==>")) traceCalls++;
    if (traceLines > TRACE_MAX_LINES) continue;
    const span = document.createElement("span");
    span.className = line.startsWith("<==") ? (/errno=(?!ESUCCESS)/.test(line) ? "ret err" : "ret") : "call";
    span.textContent = `${line}\n`;
    fragment.append(span);
  }
  if (traceLines > TRACE_MAX_LINES) {
    log.querySelector(".more")?.remove();
    const more = document.createElement("span");
    more.className = "more";
    more.textContent = `… ${(traceLines - TRACE_MAX_LINES).toLocaleString()} more lines not shown\n`;
    fragment.append(more);
  }
  log.append(fragment);
  $("trace-count").textContent = `${traceCalls.toLocaleString()} call${traceCalls === 1 ? "" : "s"}`;
  if (stick) log.scrollTop = log.scrollHeight;
}

function bindInspector() {
  $("tab-trace").onclick = () => selectTab("trace");
  $("tab-xcheck").onclick = () => selectTab("xcheck");
}

function selectTab(name) {
  for (const tab of ["trace", "xcheck"]) {
    $(`tab-${tab}`).setAttribute("aria-selected", String(tab === name));
    $(`panel-${tab}`).hidden = tab !== name;
  }
}

async function loadCrossCheck() {
  crossCheck ??= new (await import("./crosscheck.js")).CrossCheck($("xcheck"), $("xcheck-dot"));
  return crossCheck;
}

async function runCrossCheck() {
  if (selecting) await selecting.catch(() => {}); // the example just picked, not the one before
  if (current || !program) return;
  let form;
  try {
    form = readForm();
  } catch (err) {
    term.system(err.message, "bad");
    return;
  }
  const input = interactive
    ? (lastInput.get(program.name) ?? program.example?.input ?? "")
    : $("stdin-text").value;
  selectTab("xcheck");
  $("xcheck").dataset.verdict = "running";
  $("crosscheck").disabled = true;
  $("run").disabled = true;
  try {
    await (await loadCrossCheck()).run({ program, ...form, tree: polyfill.dumpTree(files.fs, "/"), input });
  } catch (err) {
    if (crossCheck) crossCheck.showError(err);
    else term.system(err.message, "bad");
  } finally {
    $("crosscheck").disabled = false;
    $("run").disabled = false;
  }
}

init();
