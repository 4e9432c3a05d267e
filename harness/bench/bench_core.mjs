// One benchmark run on one host, timed in-process; browser-safe, shared by
// node_driver.mjs (Node) and page.html (Chromium, Firefox).
//
//   await runJob(job, hosts)
//     job   = {workload, host, argv, preopen, instances, module (a compiled
//              WebAssembly.Module)}
//     hosts = {name: factory}; factory(job) gives a fresh host instance
//             {imports, start(instance) -> exit code, finish() -> {stderr,
//              stdout_bytes, stdout_lines}}
//   -> {ms, cold_ms (the process's first run: job.warmup runs come before
//      the timed one), exit_code, stderr, stdout_bytes, stdout_lines} or, for the
//      startup workload (issue #17's shape: job.untimed instances first, then
//      job.instances each timed alone), {ms (the median instance), min_ms,
//      max_ms, cold_ms (the first untimed instance), instances,
//      instantiate_ms (the median instance's part in `new
//      WebAssembly.Instance`), ran (the timed instances whose _start returned
//      0 after main() had run)}
//
// The clock (performance.now()) runs around instantiate + _start only:
// compiling the module is done before, and the verification values (the
// guest's `BENCH ...` line on stderr, the stdout byte and line counts) are
// checked by the Python runner afterwards. Creating the host's WASI object
// (and its in-memory filesystem) is inside the clock: a real embedder pays it
// for every run.

/**
 * A stdout that keeps a copy of each chunk it is given (`chunk.slice()`, as
 * a user who stores output must: issue #17) and counts bytes and lines after
 * the run, in `count()`: the timed part does O(1) work per write besides the
 * copy, as node:wasi's stdout (a file under /dev/shm, counted after the run)
 * does none. runno hands its callbacks strings (immutable: kept as they are).
 */
export function countingSink() {
  const chunks = [];
  const sink = {
    bytes: 0,
    lines: 0,
    write(chunk) { chunks.push(chunk.slice()); },
    count() {
      for (const c of chunks) {
        if (typeof c === "string") {
          sink.bytes += new TextEncoder().encode(c).length;
          for (let i = c.indexOf("\n"); i !== -1; i = c.indexOf("\n", i + 1)) sink.lines++;
          continue;
        }
        sink.bytes += c.length;
        for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) sink.lines++;
      }
      chunks.length = 0;
      return sink;
    },
  };
  return sink;
}

/** A stderr that keeps the text (the guest's one `BENCH ...` line). */
export function textSink() {
  const decoder = new TextDecoder();
  const sink = {
    text: "",
    write(chunk) { sink.text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }); },
  };
  return sink;
}

/** The polyfill (either entry: `P` is the imported module), over a fresh MemFS. */
export function polyfillHost(P) {
  return (job) => {
    const fs = new P.MemFS();
    fs.mkdirSync("/bench");
    const out = countingSink(), err = textSink();
    const wasi = new P.WASI({
      version: "preview1",
      args: job.argv,
      env: {},
      fs,
      preopens: { [job.preopen]: "/bench" },
      stdin: new Uint8Array(0),
      stdout: out.write,
      stderr: err.write,
      returnOnExit: true,
    });
    return {
      imports: wasi.getImportObject(),
      start: (instance) => wasi.start(instance),
      finish: () => ({ stderr: err.text, stdout_bytes: out.count().bytes, stdout_lines: out.lines }),
    };
  };
}

/**
 * @bjorn3/browser_wasi_shim (`S` is the imported module) with its in-memory
 * files: stdin an empty OpenFile, stdout/stderr ConsoleStdout, the preopen a
 * PreopenDirectory. Its ConsoleStdout says it is a character device without
 * seek rights, so wasi-libc treats it as a terminal and line-buffers stdout.
 * Its debug log (on unless `debug: false`) is turned off.
 */
export function shimHost(S) {
  return (job) => {
    const out = countingSink(), err = textSink();
    const fds = [
      new S.OpenFile(new S.File([])),
      new S.ConsoleStdout(out.write),
      new S.ConsoleStdout(err.write),
      new S.PreopenDirectory(job.preopen, new Map()),
    ];
    const wasi = new S.WASI(job.argv, [], fds, { debug: false }); // its default logs every call
    return {
      imports: { wasi_snapshot_preview1: wasi.wasiImport },
      start: (instance) => wasi.start(instance),
      finish: () => ({ stderr: err.text, stdout_bytes: out.count().bytes, stdout_lines: out.lines }),
    };
  };
}

/**
 * @runno/wasi (`R` is the imported module), driven as its README drives it
 * outside a Worker: `new WASI({args, env, fs, stdout, stderr})` over its
 * in-memory `fs` (a flat object of files; its one preopen, fd 3, is "/",
 * under which the guest's "/bench/..." paths land), `getImportObject()`,
 * `start({instance, module})` giving `{exitCode}`. Its stdout and stderr
 * callbacks get strings, decoded per write.
 */
export function runnoHost(R) {
  return (job) => {
    const out = countingSink(), err = textSink();
    const wasi = new R.WASI({ args: job.argv, env: {}, fs: {}, stdout: out.write, stderr: err.write });
    return {
      imports: wasi.getImportObject(),
      start: (instance) => wasi.start({ instance, module: job.module }).exitCode,
      finish: () => ({ stderr: err.text, stdout_bytes: out.count().bytes, stdout_lines: out.lines }),
    };
  };
}

export async function runJob(job, hosts) {
  const make = hosts[job.host];
  if (!make) throw new Error(`host ${job.host} is not available here`);
  if (job.workload === "startup") return startup(job, make); // its untimed instances are its warm-up
  const once = run;
  // Warm-up runs (job.warmup, untimed for the result): the same work on fresh
  // hosts in this process first, so that the timed run measures the host,
  // not V8 compiling and tiering up the guest's and the host's code. The
  // first run's time is reported as cold_ms.
  let cold = null;
  for (let i = 0; i < (job.warmup ?? 0); i++) {
    const r = await once(job, make);
    if (r.exit_code !== 0) return { ...r, warmup_failed: true };
    cold ??= r.ms;
  }
  const result = await once(job, make);
  return { ...result, cold_ms: cold ?? result.ms, warmup_runs: job.warmup ?? 0 };
}

async function run(job, make) {
  const t0 = performance.now();
  const host = make(job);
  const instance = await WebAssembly.instantiate(job.module, host.imports);
  const code = host.start(instance);
  const ms = performance.now() - t0;
  return { ms, exit_code: code, ...host.finish() };
}

/**
 * Startup, shaped as issue #17 says: per instance a fresh host (for the
 * polyfill: a new MemFS, one mkdirSync, a WASI with that directory
 * preopened and stdout/stderr callbacks that keep a copy of each chunk), a
 * synchronous `new WebAssembly.Instance` of the precompiled module, and
 * `start()`; `job.untimed` instances untimed, then `job.instances`, each
 * timed alone; the median instance is the result.
 */
function startup(job, make) {
  const n = job.instances, untimed = job.untimed ?? 0;
  const times = [], inst = [];
  let ok = 0, stderr = "", cold = null;
  for (let i = -untimed; i < n; i++) {
    const t0 = performance.now();
    const host = make(job);
    const ti = performance.now();
    const instance = new WebAssembly.Instance(job.module, host.imports);
    const tInst = performance.now() - ti;
    const code = host.start(instance);
    const ms = performance.now() - t0;
    cold ??= ms;
    // main() of startup.c marks its instance; a host that skips _start is caught
    const ran = code === 0 && instance.exports.bench_ran() === 1;
    if (!ran) stderr = host.finish().stderr || `exit code ${code}, main() did not run`;
    if (i < 0) continue;
    if (ran) ok++;
    times.push(ms);
    inst.push(tInst);
  }
  const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
  const mid = order[(n - 1) >> 1];
  return {
    ms: times[mid], min_ms: times[order[0]], max_ms: times[order[n - 1]], cold_ms: cold, instances: n,
    instantiate_ms: inst[mid], ran: ok, exit_code: ok === n ? 0 : 1, stderr, warmup_runs: untimed,
  };
}
