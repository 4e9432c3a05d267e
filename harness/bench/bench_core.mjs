// One benchmark run on one host, timed in-process; browser-safe, shared by
// node_driver.mjs (Node) and page.html (Chromium).
//
//   await runJob(job, hosts)
//     job   = {workload, host, argv, preopen, instances, module (a compiled
//              WebAssembly.Module)}
//     hosts = {name: factory}; factory(job) gives a fresh host instance
//             {imports, start(instance) -> exit code, finish() -> {stderr,
//              stdout_bytes, stdout_lines}}
//   -> {ms, cold_ms (the process's first run: job.warmup runs come before
//      the timed one), exit_code, stderr, stdout_bytes, stdout_lines} or, for the
//      startup workload, {ms, instances, ms_per_instance, instantiate_ms
//      (the part of ms spent in WebAssembly.instantiate), ran (the instances
//      whose _start returned 0 after main() had run)}
//
// The clock (performance.now()) runs around instantiate + _start only:
// compiling the module is done before, and the verification values (the
// guest's `BENCH ...` line on stderr, the stdout byte and line counts) are
// checked by the Python runner afterwards. Creating the host's WASI object
// (and its in-memory filesystem) is inside the clock: a real embedder pays it
// for every run.

/**
 * A stdout that keeps the chunks it is given (both in-memory hosts hand the
 * sink a copy it may keep) and counts bytes and lines after the run, in
 * `count()`: the timed part does O(1) work per write, as node:wasi's stdout
 * (a file under /dev/shm, counted after the run) does none.
 */
export function countingSink() {
  const chunks = [];
  const sink = {
    bytes: 0,
    lines: 0,
    write(u8) { chunks.push(u8); },
    count() {
      for (const u8 of chunks) {
        sink.bytes += u8.length;
        for (let i = u8.indexOf(10); i !== -1; i = u8.indexOf(10, i + 1)) sink.lines++;
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
    write(u8) { sink.text += decoder.decode(u8, { stream: true }); },
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

export async function runJob(job, hosts) {
  const make = hosts[job.host];
  if (!make) throw new Error(`host ${job.host} is not available here`);
  const once = job.workload === "startup" ? startup : run;
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

/** N fresh hosts, each instantiating the compiled module and running _start. */
async function startup(job, make) {
  const n = job.instances;
  let ok = 0, stderr = "", instantiateMs = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const host = make(job);
    const ti = performance.now();
    const instance = await WebAssembly.instantiate(job.module, host.imports);
    instantiateMs += performance.now() - ti;
    const code = host.start(instance);
    // main() of startup.c marks its instance; a host that skips _start is caught
    if (code === 0 && instance.exports.bench_ran() === 1) ok++;
    else stderr = host.finish().stderr || `exit code ${code}, main() did not run`;
  }
  const ms = performance.now() - t0;
  return { ms, instances: n, ms_per_instance: ms / n, instantiate_ms: instantiateMs, ran: ok, exit_code: ok === n ? 0 : 1, stderr };
}
