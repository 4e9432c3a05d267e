// Tree-shaking: an app that uses WASI with its default filesystem (no MemFS facade, no trace).
import { WASI } from "wasi-polyfill";
const wasi = new WASI({ version: "preview1", stdout: (chunk) => console.log(chunk) });
console.log(wasi.getImportObject());
