// wasi-polyfill/trace: the browser-safe API with the syscall trace
// (`new WASI({ trace })`). The default entry leaves the trace code out, to
// stay small; import everything from this entry instead of it when you want
// tracing (the two bundles do not share classes).
import { WASI as BaseWASI, browserPlatform } from "./wasi.js";
import { traceImports } from "./generated/trace.js";

export * from "./index.js";
export { traceImports };

const tracingPlatform = { ...browserPlatform, traceImports };

export class WASI extends BaseWASI {
  constructor(options = {}) {
    super(options, tracingPlatform);
  }
}
