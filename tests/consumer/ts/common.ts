// Valid under every resolution mode, with the browser's or Node's declarations.
import { WASI, MemFS, MemFSCore, WasiError, WasiExit, InvalidExitStatus, errno, errnoCode, filetype, rights } from "wasi-polyfill";
import type { Preview1Imports, WASIOptions, StdinOption } from "wasi-polyfill";

export async function run(bytes: BufferSource): Promise<number> {
  const fs = new MemFS({ maxBytes: 1 << 20 });
  fs.mkdirSync("/data", { recursive: true });
  fs.writeFileSync("/data/in.txt", "hello");
  const options: WASIOptions = {
    version: "preview1",
    args: ["prog", "--flag"],
    env: { HOME: "/data", MAYBE: undefined },
    preopens: { "/data": "/data" },
    stdin: "typed input",
    stdout: (chunk: Uint8Array) => { chunk.length; },
    returnOnExit: true,
    deterministic: false,
    maxFds: 64,
  };
  const wasi = new WASI({ ...options, fs });
  // getImportObject() is a WebAssembly.Imports (the README's own snippet)
  const { instance } = await WebAssembly.instantiate(bytes, wasi.getImportObject());
  const imports: WebAssembly.Imports = wasi.getImportObject();
  const raw: Preview1Imports = wasi.wasiImport;
  const n: number = raw.fd_write(1, 0, 0, 0);
  void imports; void n;
  // wasi.fs is the MemFS given, with its Node-style methods
  const text: string = wasi.fs.readFileSync("/data/in.txt", "utf8");
  const bytesOut: Uint8Array = wasi.fs.readFileSync("/data/in.txt");
  const names: string[] = wasi.fs.readdirSync("/data");
  const isFile: boolean = wasi.fs.statSync("/data/in.txt").isFile();
  void text; void bytesOut; void names; void isFile;
  try {
    return wasi.start(instance);
  } catch (e) {
    if (e instanceof WasiError) { const code: string = e.code; const no: errno = e.errno; void code; void no; }
    if (e instanceof WasiExit || e instanceof InvalidExitStatus) return e.code;
    throw e;
  }
}

// Without `fs`, the WASI's own filesystem has no Node-style methods.
const bare = new WASI({ version: "preview1" });
const core: MemFSCore = bare.fs;
const usage: number = core.usage.bytes;
// @ts-expect-error MemFSCore has no readFileSync: pass a MemFS as `fs` to read files
bare.fs.readFileSync("/x");
void usage;

// Spec constants keep their literal types.
const badf: 8 = errno.badf;
const regular: 4 = filetype.regular_file;
const readRight: bigint = rights.fd_read;
const ebadf: string | undefined = errnoCode[errno.badf];
void badf; void regular; void readRight; void ebadf;

// Exact options: misuse does not compile.
const stdinFn: StdinOption = (max: number) => new Uint8Array(max);
void stdinFn;
// @ts-expect-error version must be "preview1"
new WASI({ version: "preview2" });
// @ts-expect-error version is required
new WASI({});
// @ts-expect-error args are strings
new WASI({ version: "preview1", args: [1, 2] });
// @ts-expect-error env values are strings
new WASI({ version: "preview1", env: { N: 1 } });
// @ts-expect-error an async stdin function needs async mode (a TypeError at run time)
new WASI({ version: "preview1", stdin: async () => "late" });
// @ts-expect-error fs must be a MemFS
new WASI({ version: "preview1", fs: {} });
// @ts-expect-error preopens map guest paths to MemFS paths (strings)
new WASI({ version: "preview1", preopens: { "/": 3 } });
// @ts-expect-error an unknown option is a mistake, not ignored
new WASI({ version: "preview1", stdio: [] });
// @ts-expect-error MemFS limits are numbers
new MemFS({ maxBytes: "1MB" });
