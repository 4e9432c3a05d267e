// Page-side helpers of tests/test_web_demo.py, added to every demo page the
// tests open (Playwright's add_init_script) as `window.demoTest`; the Python
// side only calls them: page.evaluate("demoTest.loadTiming()").
window.demoTest = {
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
