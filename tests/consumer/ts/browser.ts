// The browser's declarations ("browser" condition, or bundler resolution):
// what the browser build rejects at run time does not compile.
import { WASI, MemFS } from "wasi-polyfill";
import * as Traced from "wasi-polyfill/trace";

// @ts-expect-error host fd numbers are Node-only
new WASI({ version: "preview1", stdout: 1 });
// @ts-expect-error host fd numbers are Node-only
new WASI({ version: "preview1", stdin: 0 });
// @ts-expect-error `trace` needs the "wasi-polyfill/trace" entry in browsers
new WASI({ version: "preview1", trace: (line: string) => console.log(line) });
// @ts-expect-error loadHostDir is Node-only
import("wasi-polyfill").then((m) => m.loadHostDir);

// The trace entry takes `trace`, and a MemFS from either entry (they are one class).
const fs = new MemFS();
const traced = new Traced.WASI({ version: "preview1", fs, trace: (line) => console.log(line) });
const sameFs: MemFS = traced.fs;
const sameClass: typeof MemFS = Traced.MemFS;
void sameFs; void sameClass;
