// Loads the docs example named by ?example= (docs/examples/*.js), as a page would;
// the xterm example's function is run on a stand-in terminal (fake_xterm.js).
import { Terminal } from "@xterm/xterm";

const name = new URLSearchParams(location.search).get("example");
try {
  const example = await import(`/docs/examples/${name}`);
  if (example.runInTerminal) {
    const term = new Terminal({ convertEol: true });
    term.open(document.getElementById("terminal"));
    const status = await example.runInTerminal(term, "calc.wasm", ["calc"]);
    term.write(`\n[exit status ${status}]\n`);
  }
} catch (e) {
  window.exampleError = String(e?.message ?? e);
}
