// Firefox for harness/browsers/firefox.py: Debian's firefox-esr, headless,
// over WebDriver BiDi through puppeteer-core (no geckodriver). Python talks to
// this process with one JSON object per line:
//
//   first line out:  {"ready": true, "version": "Firefox/153.0"}  or  {"error": "..."}
//   in:   {"id": 1, "op": "open", "url": "http://127.0.0.1:.../"}
//   out:  {"id": 1, "ok": true, "value": 1}          (the new tab's number)
//   in:   {"id": 2, "op": "alive" | "close", "tab": 1}
//   in:   {"id": 3, "op": "evaluate", "tab": 1, "expression": "document.title"}
//   out:  {"id": 3, "ok": false, "error": "one line"}   (any op can fail so)
//   in:   {"id": 4, "op": "quit"}    (or end of input) closes the browser and exits
//
// usage: node firefox_driver.mjs EXECUTABLE [PREFS_JSON]
//   PREFS_JSON: more Firefox preferences for this browser's fresh profile, e.g.
//   {"dom.quotaManager.temporaryStorage.fixedLimit": 10240} (a storage quota, KiB)
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

const executablePath = process.argv[2] ?? "/usr/bin/firefox-esr";
const prefs = JSON.parse(process.argv[3] ?? "{}");
const send = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
const oneLine = (e) => String(e?.message ?? e).split("\n")[0];

let browser;
try {
  browser = await puppeteer.launch({
    browser: "firefox",
    executablePath,
    headless: true,
    // a 127.0.0.1 page must not wait on the network for anything else
    extraPrefsFirefox: { "network.proxy.type": 0, "browser.shell.checkDefaultBrowser": false, ...prefs },
  });
} catch (e) {
  send({ error: `firefox did not start: ${oneLine(e)}` });
  process.exit(1);
}

const tabs = new Map(); // number -> { page, crashed }
let nextTab = 1;

const ops = {
  async open({ url }) {
    const page = await browser.newPage();
    const tab = { page, crashed: false };
    page.on("error", () => { tab.crashed = true; }); // the page crashed
    const n = nextTab++;
    tabs.set(n, tab);
    await page.goto(url, { waitUntil: "load" });
    return n;
  },
  alive({ tab }) {
    const t = tabs.get(tab);
    return Boolean(t && !t.crashed && !t.page.isClosed() && browser.connected);
  },
  async evaluate({ tab, expression }) {
    const t = tabs.get(tab);
    if (!t || t.page.isClosed()) throw new Error("the tab is closed");
    // a string is evaluated as an expression; a promise is awaited
    const value = await t.page.evaluate(expression);
    return value === undefined ? null : value;
  },
  async close({ tab }) {
    const t = tabs.get(tab);
    tabs.delete(tab);
    if (t && !t.page.isClosed()) await t.page.close();
    return null;
  },
};

async function quit() {
  try {
    await browser.close();
  } finally {
    process.exit(0);
  }
}

browser.on("disconnected", () => {
  for (const t of tabs.values()) t.crashed = true;
});

send({ ready: true, version: await browser.version() });

// One request at a time, in order: the Python side waits for each answer.
let queue = Promise.resolve();
const input = createInterface({ input: process.stdin });
input.on("line", (line) => {
  queue = queue.then(async () => {
    let req;
    try {
      req = JSON.parse(line);
    } catch {
      send({ ok: false, error: `not a JSON request: ${line.slice(0, 80)}` });
      return;
    }
    if (req.op === "quit") return quit();
    const op = ops[req.op];
    try {
      if (!op) throw new Error(`unknown op ${JSON.stringify(req.op)}`);
      send({ id: req.id, ok: true, value: await op(req) });
    } catch (e) {
      send({ id: req.id, ok: false, error: oneLine(e) });
    }
  });
});
input.on("close", () => { queue = queue.then(quit); });
