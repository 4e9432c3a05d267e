// A mistake left uncaught: Node prints our file and line and a one-line
// message, not a line of minified bundle.
import { WASI } from "wasi-polyfill";

new WASI({ version: "preview1", args: "x" });
