// Page-side helpers of tests/test_web_demo.py, added to every demo page the
// tests open (Playwright's add_init_script) as `window.demoTest`; the Python
// side only calls them: page.evaluate("demoTest.loadTiming()").
window.demoTest = {
  /** How many Workers the page has started (the page's Worker constructor, counted). */
  workersStarted: 0,

  /** The responsiveness probe: a 10 ms timer, from now on. */
  startTicks() {
    this.ticks = [];
    this.ticking ??= setInterval(() => this.ticks.push(performance.now()), 10);
  },

  /** The ticks between two times (ms): how many, and the largest gap between them. */
  ticksBetween(from, to) {
    const ts = [from, ...this.ticks.filter((t) => t > from && t < to), to];
    let maxGap = 0;
    for (let i = 1; i < ts.length; i++) maxGap = Math.max(maxGap, ts[i] - ts[i - 1]);
    return { count: ts.length - 2, maxGap };
  },

  /** When the terminal's stdout first contained `text` (ms since navigation), polled every 5 ms. */
  watch(text) {
    this.seen ??= {};
    this.seen[text] = null;
    const poll = setInterval(() => {
      const out = [...document.querySelectorAll("#terminal .t-out")].map((e) => e.textContent).join("");
      if (out.includes(text)) { this.seen[text] = performance.now(); clearInterval(poll); }
    }, 5);
  },

  /** navigationStart -> ready (the demo's "demo-ready" mark), DOMContentLoaded and load, in ms. */
  loadTiming() {
    const nav = performance.getEntriesByType("navigation")[0];
    const ready = performance.getEntriesByName("demo-ready")[0];
    return { ready: ready.startTime, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
  },

  /** Send each of `values` as a stdin line at once, without waiting for the program to ask. */
  submitLines(values) {
    const form = document.getElementById("stdin-form");
    const input = document.getElementById("stdin-input");
    for (const v of values) { input.value = v; form.requestSubmit(); }
  },

  /** The names in the origin-private file system's root, or in its directory `dir` ([] if it is missing), sorted. */
  async opfsNames(dir) {
    let handle = await navigator.storage.getDirectory();
    if (dir === undefined) {
      const names = [];
      for await (const name of handle.keys()) names.push(name);
      return names.filter((name) => name === "wasi-demo-home").sort(); // the demo's home, if there
    }
    try {
      handle = await handle.getDirectoryHandle(dir);
    } catch {
      return [];
    }
    const names = [];
    for await (const name of handle.keys()) names.push(name);
    return names.sort();
  },

  /** Is a picked folder's handle kept for the next load (web-demo/storage.js, IndexedDB "wasi-demo")? */
  async folderKept() {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open("wasi-demo", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("handles");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const value = await new Promise((resolve, reject) => {
      const req = db.transaction("handles").objectStore("handles").get("folder");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    return value !== undefined;
  },

  /** Drop a file `name` holding `bytes` (a list of numbers) on the element at `selector`. */
  drop(selector, name, bytes) {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name));
    const target = document.querySelector(selector);
    for (const type of ["dragover", "drop"]) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  },
};

// Count the Workers the page starts (a run on the page's main thread starts none).
window.Worker = class extends window.Worker {
  constructor(...args) {
    super(...args);
    window.demoTest.workersStarted++;
  }
};
