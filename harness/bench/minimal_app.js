// The bundle-size workload (issue #17): the smallest page that runs a WASI
// command over the default in-memory filesystem. `make bench` bundles it
// with esbuild (minified, metafile) and reports its min+gz size and the
// polyfill modules it pulls in (bundle_size.mjs); tests/js/build.test.mjs
// holds it under a ceiling.
import { WASI } from "wasi-polyfill";

const out = [];
const wasi = new WASI({
  version: "preview1",
  args: ["app"],
  preopens: { "/": "/" },
  stdout: (chunk) => out.push(chunk.slice()),
  stderr: (chunk) => out.push(chunk.slice()),
});
const { instance } = await WebAssembly.instantiateStreaming(fetch("app.wasm"), wasi.getImportObject());
const code = wasi.start(instance);
document.body.textContent = `exit ${code}: ${new TextDecoder().decode(out.at(-1))}`;
