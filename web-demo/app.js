// The demo page: pick a program, give it arguments, environment, files and
// stdin, run it in a worker with the polyfill, and show what it did.
//
//   app.js          this file: the program form, runs, the inspector tabs
//   worker.js       runs one program with the package's job runner (polyfill/src/run)
//   stdin-channel   interactive stdin over a SharedArrayBuffer
//   files.js        the file panel (the page's own MemFS)
//   terminal.js     the terminal pane
//   crosscheck.js   the same run on the Python reference host, compared
//   tree.js         path helpers (trees move as the package's snapshots: run/tree.js)
//   archive.js      the .zip writer; cmdline.js the form's parsers

import { parseArgs, parseEnv, parsePreopens, quoteArg } from "./cmdline.js";
import { EXAMPLES, sampleTree } from "./examples.js";
import { FilePanel } from "./files.js";
import { StdinWriter, stdinSupported } from "./stdin-channel.js";
import { Terminal } from "./terminal.js";
import { $, escapeHtml, formatMs, toast } from "./ui.js";

const BUNDLE = "../polyfill/dist/browser/run.js"; // MemFS and tree snapshots (the worker runs programs with it)
const TRACE_MAX_LINES = 20_000;

const encoder = new TextEncoder();
const term = new Terminal($("terminal"));
const interactive = stdinSupported();

let polyfill;           // the bundle's exports
let files;              // FilePanel
let program = null;     // { name, label, bytes, module, example }
let runner = null;      // { worker, ready }
let current = null;     // the run in progress: { id, writer, transcript, waiting }
let runs = 0;
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

  // The worker, the first example and the bundle load in parallel.
  runner = startWorker();
  loadExample(EXAMPLES[0].name).catch(() => {}); // reported by selectExample below
  try {
    polyfill = await import(BUNDLE);
  } catch (err) {
    fatal(`Could not load the polyfill bundle (${BUNDLE}): ${err.message}. ` +
      "Build it with `make build` (node polyfill/build.mjs), then reload.");
    return;
  }
  files = new FilePanel(newFs(sampleTree()), { onReset: (tree = sampleTree()) => newFs(tree), trees: polyfill });

  term.welcome(
    "Pick a program and press Run. Its stdout appears here, stderr in red;\n" +
    (interactive
      ? "when it reads stdin, type a line below and press Enter (EOF ends the input).\n"
      : "stdin is the text box below, given to the program when it starts.\n"),
  );

  const first = selectExample(EXAMPLES[0].name);
  try {
    await Promise.all([runner.ready, first]);
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
  window.wasiDemo = { files, term, loadMs: ms };
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

function showIsolation() {
  const pill = $("isolation");
  if (interactive) {
    pill.className = "pill ok";
    pill.textContent = "Cross-origin isolated · interactive stdin";
    pill.title = "SharedArrayBuffer is available: a program blocks in fd_read until you type a line.";
    return;
  }
  pill.className = "pill warn";
  pill.textContent = "Not isolated · stdin up front";
  $("stdin-form").hidden = true;
  $("stdin-fallback").hidden = false;
  $("stdin-fallback-why").textContent =
    "This page is not cross-origin isolated: " +
    (location.protocol === "file:"
      ? "it was opened from a file, "
      : "the server did not send the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers, ") +
    "so there is no SharedArrayBuffer and a program cannot wait while you type. " +
    "Its stdin is this text instead. (`wasi-polyfill serve` sends the headers.)";
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
  program = { ...(await loadExample(name)), example };
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

function startWorker() {
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const ready = new Promise((resolve, reject) => {
    worker.addEventListener("message", (event) => event.data.type === "ready" && resolve());
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      reject(new Error(`The worker did not start: ${event.message || "its script failed to load"}`));
    });
  });
  worker.addEventListener("message", onWorkerMessage);
  return { worker, ready };
}

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
  if (current || !program || !files) return;
  let form;
  try {
    form = readForm();
  } catch (err) {
    term.system(err.message, "bad");
    return;
  }
  const tree = polyfill.dumpTree(files.fs, "/");
  const id = ++runs;
  const writer = interactive ? new StdinWriter() : null;
  const input = interactive ? null : $("stdin-text").value;
  const traceOn = $("trace").checked;
  current = { id, writer, transcript: [], input, program, waiting: false };

  term.command(form.argv.map(quoteArg).join(" "));
  resetTrace(traceOn);
  if (traceOn) selectTab("trace");
  setRunning(true);
  setStatus("running", "running…");

  runner.worker.postMessage(
    {
      type: "run",
      id,
      module: program.module,
      ...form,
      tree,
      stdin: interactive ? { kind: "interactive", buffer: writer.buffer } : { kind: "bytes", data: encoder.encode(input) },
      trace: traceOn,
    },
  );
}

function onWorkerMessage(event) {
  const msg = event.data;
  if (!current || msg.id !== current.id) return;
  switch (msg.type) {
    case "stdout":
    case "stderr":
      term.write(msg.type, msg.data);
      break;
    case "trace":
      appendTrace(msg.lines);
      break;
    case "stdin-wait":
      current.waiting = true;
      current.writer.request();
      if (current.writer.waiting) {
        setStatus("waiting", "waiting for input…");
        $("stdin-form").classList.add("waiting");
        $("stdin-input").placeholder = "Waiting for input: type a line, then Enter";
        if (!document.activeElement?.matches("input, textarea")) $("stdin-input").focus();
      }
      break;
    case "exit":
      finish(msg);
      break;
    case "error":
      term.system(msg.message, "bad");
      setStatus("failed", "could not start");
      endRun();
      break;
  }
}

function finish({ code, trap, ms, waitedMs, tree }) {
  const done = current;
  files.setFs(newFs(tree));
  lastInput.set(done.program.name, interactive ? done.transcript.join("") : done.input);
  const time = waitedMs > 1 ? `${formatMs(ms - waitedMs)} running, ${formatMs(waitedMs)} waiting for input` : formatMs(ms);
  if (trap !== null) {
    term.system(`── ${trap} (after ${time})`, "bad");
    setStatus("trapped", `trap · ${formatMs(ms)}`);
  } else {
    term.system(`── exited with status ${code} in ${time}`, code === 0 ? "good" : "bad");
    setStatus(code === 0 ? "ok" : "failed", `exit ${code} · ${formatMs(ms)}`);
  }
  // the output is on screen before the run is marked as ended (the terminal
  // otherwise paints at the next frame, which a busy or hidden page delays)
  term.flush();
  $("run-status").dataset.exitCode = trap !== null ? "trap" : String(code);
  endRun();
}

function stop() {
  if (!current) return;
  runner.worker.terminate();
  term.system("── stopped; the program's changes to the files are lost", "bad");
  setStatus("stopped", "stopped");
  endRun();
  runner = startWorker();
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
    if (!current?.writer) return;
    term.echo(text);
    current.transcript.push(text);
    current.writer.push(encoder.encode(text));
    if (!current.writer.waiting) {
      current.waiting = false;
      setStatus("running", "running…");
      $("stdin-form").classList.remove("waiting");
    }
  };
  const eof = () => {
    if (!current?.writer) return;
    if (input.value) send(input.value);
    input.value = "";
    term.echo("^D\n");
    current.writer.close();
    $("stdin-eof").disabled = true;
    $("stdin-form").classList.remove("waiting");
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
    if (current?.writer && event.key.length === 1 && !event.ctrlKey && !event.metaKey) input.focus();
  });
}

// --- inspector: trace and cross-check ----------------------------------------

let traceLines = 0;
let traceCalls = 0;

function resetTrace(on) {
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
