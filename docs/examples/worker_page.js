// The Worker runner in a page: blocking stdin with or without COOP/COEP.
import { WasiWorker } from "wasi-polyfill/worker";

const bytes = await (await fetch("calc.wasm")).arrayBuffer();
const decoder = new TextDecoder();
let output = "";
const run = new WasiWorker(bytes, { args: ["calc"], onStdout: (b) => (output += decoder.decode(b)) });
console.log(`worker mode: ${run.mode} (${run.reason})`);
run.write("6 * 7\n");
run.end();
const { status } = await run.exited;
document.body.textContent = `${output}\nexit status ${status}`;
