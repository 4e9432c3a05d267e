// Page-side helpers of tests/test_web_demo_engines.py: the web demo's smoke
// set in Firefox and WebKit, driven through harness/browsers/ (whose tabs only
// evaluate JS). Evaluated once in a loaded demo page as one expression; it
// sets `window.demoDrive`, and the Python side calls it:
// tab.evaluate("demoDrive.state()").
//
// What a person does is done to the page's own elements: clicks, typed
// values with their input events, a file given to the page's upload <input>
// (through a DataTransfer, as a picked file arrives), a form submitted.
// Downloads: the page saves bytes through an <a download href=blob:...>
// (web-demo/ui.js saveBytes); the anchor's click is caught here, its blob
// read back through fetch(), and the browser's download UI never opens.
window.demoDrive = (() => {
  const $ = (selector) => {
    const el = document.querySelector(selector);
    if (!el) throw new Error(`no element ${selector}`);
    return el;
  };
  const text = (cls) => [...document.querySelectorAll(`#terminal .${cls}`)].map((e) => e.textContent).join("");

  // Problems the page reports from here on (the Chromium tests read the
  // console through Playwright; these adapters have no console).
  const errors = [];
  addEventListener("error", (e) => errors.push(`uncaught: ${e.message}`));
  addEventListener("unhandledrejection", (e) => errors.push(`unhandled rejection: ${e.reason}`));
  for (const level of ["error", "warn"]) {
    const original = console[level];
    console[level] = (...args) => {
      errors.push(`console.${level}: ${args.join(" ")}`);
      original.apply(console, args);
    };
  }

  // Saved files: {name, type, bytes (base64)}, in order.
  const downloads = [];
  const pending = [];
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (!this.download || !this.href.startsWith("blob:")) return click.call(this);
    const name = this.download;
    pending.push(fetch(this.href).then((r) => r.blob()).then(async (blob) => {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = "";
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      downloads.push({ name, type: blob.type, bytes: btoa(binary) });
    }));
  };

  return {
    errors,

    /** What the tests read after each step. */
    state() {
      const status = document.getElementById("run-status");
      const pill = document.getElementById("isolation");
      return {
        ready: document.documentElement.dataset.ready ?? null,
        mode: pill.dataset.mode ?? null,
        label: pill.textContent.trim(),
        title: pill.title,
        crossOriginIsolated: globalThis.crossOriginIsolated === true,
        runState: status.dataset.state ?? null,
        exitCode: status.dataset.exitCode ?? null,
        stdout: text("t-out"),
        stderr: text("t-err"),
        stdin: text("t-in"),
        terminal: document.getElementById("terminal").textContent,
        stdinForm: !document.getElementById("stdin-form").hidden && getComputedStyle($("#stdin-form")).display !== "none",
        stdinFallback: !document.getElementById("stdin-fallback").hidden &&
          getComputedStyle($("#stdin-fallback")).display !== "none",
        xcheck: document.getElementById("xcheck").dataset.verdict ?? null,
        xcheckText: document.getElementById("xcheck").innerText,
        xcheckRowsOk: document.querySelectorAll("#xcheck tbody tr[data-ok=true]").length,
        blurb: document.getElementById("program-blurb").textContent,
        rows: [...document.querySelectorAll("#tree .row[data-path]")].map((e) => e.dataset.path),
        homeKind: document.getElementById("home-status").dataset.kind ?? null,
        homeStatus: document.getElementById("home-status").textContent,
        homeState: document.getElementById("home-list").dataset.state ?? null,
        errors: errors.slice(),
      };
    },

    /** "Forget…" on the home folder, its confirmation answered yes (a dialog would block these adapters). */
    forgetHome() {
      const confirm = window.confirm;
      window.confirm = () => true;
      try {
        $("#home-forget").click();
      } finally {
        window.confirm = confirm;
      }
      return true;
    },

    click(selector) {
      $(selector).click();
      return true;
    },

    /** Choose an example, as a click on its card does. */
    select(example) {
      $(`[data-example=${example}]`).click();
      return $(`[data-example=${example}]`).getAttribute("aria-checked") === "true";
    },

    /** Type `value` into the field at `selector` (its input event fires). */
    fill(selector, value) {
      const el = $(selector);
      el.value = value;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
      return true;
    },

    /** Press Cross-check, the last verdict forgotten first. */
    crosscheck() {
      delete document.getElementById("xcheck").dataset.verdict;
      $("#crosscheck").click();
      return true;
    },

    /** Clear the terminal and press Run. */
    run() {
      $("#clear").click();
      $("#run").click();
      return true;
    },

    /** A line typed into the stdin box and sent (Enter submits the form). */
    typeLine(line) {
      $("#stdin-input").value = line;
      $("#stdin-form").requestSubmit();
      return true;
    },

    /** Files picked in the page's upload <input> at `selector`: [[name, base64 bytes], ...]. */
    upload(selector, files) {
      const dt = new DataTransfer();
      for (const [name, b64] of files) {
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
      }
      const input = $(selector);
      input.files = dt.files;
      const given = input.files.length; // the page empties the input once it took the files
      input.dispatchEvent(new Event("change", { bubbles: true }));
      return given;
    },

    /** The files the page saved so far (each read back from its blob). */
    async downloads() {
      await Promise.all(pending);
      return downloads.slice();
    },
  };
})()
