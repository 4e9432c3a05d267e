// The storage card: directories a run gets besides the page's in-memory files.
//
//   /home  a persistent home folder: the OPFS directory HOME_DIR, mounted in
//          the run's worker by the Worker runner's `opfs` option (a
//          HandleDirectory: what the program writes survives a reload);
//          "Forget" removes that directory. Where the demo has no Worker run
//          (JSPI on the page's thread: sync access handles exist only in
//          workers) or the engine has no OPFS, /home is a folder of the
//          page's in-memory files instead, and the card says why.
//   /mnt   "Open folder…": a folder picked with showDirectoryPicker() (only
//          where the engine has it), mounted the same way, from its handle.
//          The handle is kept in IndexedDB (FOLDER_DB): after a reload the
//          folder is back, at once where the browser still grants access,
//          else behind a "Reopen" click (requestPermission needs a user
//          gesture). "Close" forgets it.
//   /lib   a large tree served beside the page (web-demo/lib/, built by
//          harness/web_demo.py) mounted read-only as a UrlDirectory by the
//          runner's `urls` option: only the files a program reads are
//          fetched; the card shows the bytes fetched against the tree's size.
//
// After a run the card shows what each mount holds or fetched, from the
// runner's `mounted` result (wasi-polyfill/worker).

import { $, escapeHtml, formatBytes, toast } from "./ui.js";

export const HOME_DIR = "wasi-demo-home"; // in the origin-private file system
const LIB_URL = "lib/";
/** Where the picked folder's handle is kept across reloads: IndexedDB database, object store, key. */
const FOLDER_DB = ["wasi-demo", "handles", "folder"];
const HOME_LIST_MAX = 200;

export class StoragePanel {
  /**
   * @param {"worker" | "jspi" | "upfront"} mode the demo's run mode (runs.js)
   * @param {object} hooks memoryHome(): makes /home in the page's MemFS; busy(): a run is in progress
   */
  constructor(mode, { memoryHome, busy }) {
    this.memoryHome = memoryHome;
    this.busy = busy;
    this.folder = null; // the picked FileSystemDirectoryHandle
    const worker = mode !== "jspi";
    const opfs = typeof navigator.storage?.getDirectory === "function";
    if (worker && opfs) this.home = { kind: "opfs", reason: "" };
    else {
      this.home = {
        kind: "memory",
        reason: !worker
          ? "Programs run on this page's thread here (JSPI), and OPFS files can be written synchronously only in a Worker"
          : "This engine has no origin-private file system (OPFS)",
      };
    }
    this.libReason = worker ? "" : "/lib needs the Worker runner: its files are fetched synchronously, which would freeze this page's thread";
    this.#render();
    $("home-forget").onclick = () => this.forget();
    $("folder-mount").hidden = typeof window.showDirectoryPicker !== "function"; // feature-detected: Chromium has it
    this.folderReason = worker ? "" : "A picked folder needs the Worker runner too (synchronous writes to its files)";
    if (this.folderReason) $("folder-status").textContent = this.folderReason;
    $("open-folder").onclick = () => this.openFolder();
    $("folder-close").onclick = () => this.closeFolder();
    $("folder-reopen").onclick = () => this.reopenFolder();
    this.asked = null; // a folder from before the reload, waiting for "Reopen"
    /** The picked folder of before the reload, back (or waiting for "Reopen"); settles either way. */
    this.restored = !$("folder-mount").hidden && !this.folderReason ? this.#restoreFolder() : Promise.resolve();
  }

  /** What a run adds: {opfs, urls} for the Worker runner, {preopens} into the page's MemFS. */
  mounts() {
    const out = { opfs: {}, urls: {}, preopens: {} };
    if ($("home-on").checked) {
      if (this.home.kind === "opfs") out.opfs["/home"] = HOME_DIR;
      else {
        this.memoryHome();
        out.preopens["/home"] = "/home";
      }
    }
    if (this.folder) out.opfs["/mnt"] = this.folder;
    if ($("lib-on").checked && !this.libReason) out.urls["/lib"] = LIB_URL;
    return out;
  }

  /** Do runs get the persistent (OPFS) /home? */
  persistent() {
    return this.home.kind === "opfs" && $("home-on").checked;
  }

  /** After a run: the runner's `mounted` ({guest: info}), if it gave one. */
  update(mounted) {
    if (!mounted) return;
    if (mounted["/home"]) this.#showEntries("home-list", mounted["/home"].entries);
    if (mounted["/mnt"]) this.#showEntries("folder-list", mounted["/mnt"].entries);
    const lib = mounted["/lib"];
    if (lib) {
      const el = $("lib-status");
      el.dataset.fetched = String(lib.bytes);
      el.dataset.size = String(lib.size);
      el.textContent = `Last run fetched ${formatBytes(lib.bytes)} in ${lib.requests} request${lib.requests === 1 ? "" : "s"} ` +
        `(the index included) of a ${lib.files.toLocaleString()}-file tree of ${formatBytes(lib.size)}.`;
    }
  }

  /** A run refused the OPFS home (e.g. the engine has getDirectory but no sync access handles): memory from now on. */
  opfsFailed(message) {
    if (this.home.kind !== "opfs" || !/options\.opfs/.test(message)) return false;
    this.home = { kind: "memory", reason: `OPFS could not be used here (${message.replace(/^wasi-polyfill: options\.opfs: /, "")})` };
    this.#render();
    return true;
  }

  setBusy(busy) {
    for (const id of ["home-forget", "open-folder", "folder-close", "folder-reopen", "home-on", "lib-on"]) $(id).disabled = busy;
    if (this.home.kind !== "opfs") $("home-forget").disabled = true;
    if (this.libReason) $("lib-on").disabled = true;
    if (this.folderReason) $("open-folder").disabled = true;
  }

  async forget() {
    if (this.busy() || this.home.kind !== "opfs") return;
    if (!window.confirm(`Forget the home folder? Every file under /home (the OPFS directory ${HOME_DIR}) is deleted.`)) return;
    try {
      const root = await navigator.storage.getDirectory();
      await root.removeEntry(HOME_DIR, { recursive: true });
    } catch (err) {
      if (err?.name !== "NotFoundError") {
        toast(`Could not forget the home folder: ${err.message}`);
        return;
      }
    }
    this.#showEntries("home-list", []);
    $("home-list").dataset.state = "forgotten";
    toast("Home folder forgotten");
  }

  async openFolder() {
    if (this.busy() || this.folderReason) return;
    let handle;
    try {
      handle = await window.showDirectoryPicker({ id: "wasi-demo", mode: "readwrite" });
    } catch (err) {
      if (err?.name !== "AbortError") toast(`Could not open the folder: ${err.message}`);
      return;
    }
    this.#useFolder(handle);
    keep(handle).catch((err) => toast(`The folder will not be remembered after a reload: ${err.message}`));
  }

  /** "Reopen" (a click: requestPermission needs the user's gesture) for the folder of before the reload. */
  async reopenFolder() {
    const handle = this.asked;
    if (handle === null || this.busy()) return;
    let state;
    try {
      state = await handle.requestPermission({ mode: "readwrite" });
    } catch (err) {
      toast(`Could not reopen the folder: ${err.message}`);
      return;
    }
    if (state !== "granted") {
      toast(`The browser did not give access to "${handle.name}": open it again, or close it`);
      return;
    }
    this.#useFolder(handle);
  }

  closeFolder() {
    this.folder = null;
    this.asked = null;
    $("folder-status").textContent = "";
    delete $("folder-status").dataset.name;
    delete $("folder-status").dataset.state;
    $("folder-close").hidden = true;
    $("folder-reopen").hidden = true;
    this.#showEntries("folder-list", null);
    keep(null).catch(() => {}); // (nothing kept, or no IndexedDB: nothing to forget)
  }

  /** The handle kept by the last "Open folder…", if any: mounted if access is still granted, else offered behind "Reopen". */
  async #restoreFolder() {
    let handle, state;
    try {
      handle = await kept();
      if (!handle) return;
      state = await handle.queryPermission({ mode: "readwrite" });
    } catch {
      return; // no IndexedDB here, or a handle the browser cannot read back: as if none was kept
    }
    if (this.folder !== null) return; // a folder was picked meanwhile
    if (state === "granted") {
      this.#useFolder(handle);
      return;
    }
    this.asked = handle;
    $("folder-status").textContent = `Your folder "${handle.name}" from before: the browser asks again for access to it after a reload.`;
    $("folder-status").dataset.name = handle.name;
    $("folder-status").dataset.state = "ask";
    $("folder-reopen").hidden = false;
    $("folder-close").hidden = false;
  }

  #useFolder(handle) {
    this.folder = handle;
    this.asked = null;
    $("folder-status").textContent = `/mnt is your folder "${handle.name}" for the next runs. The program's files are kept there ` +
      "in a store of ours (wasi-meta-0, wasi-meta-1 and wasi-data/), not as plain files, so that symlinks, hard links and " +
      "exact times survive; the folder's other files are not visible to the program.";
    $("folder-status").dataset.name = handle.name;
    $("folder-status").dataset.state = "open";
    $("folder-close").hidden = false;
    $("folder-reopen").hidden = true;
    this.#showEntries("folder-list", null);
  }

  #render() {
    const status = $("home-status");
    status.dataset.kind = this.home.kind;
    status.textContent = this.home.kind === "opfs"
      ? `/home is kept in this browser (the origin-private file system, ${HOME_DIR}): it survives a reload. Listed after each run.`
      : `${this.home.reason}: /home is a folder of the in-memory files below, lost on reload.`;
    $("home-forget").disabled = this.home.kind !== "opfs";
    $("open-folder").disabled = !!this.folderReason;
    const lib = $("lib-status");
    if (this.libReason) {
      lib.textContent = this.libReason;
      $("lib-on").checked = false;
      $("lib-on").disabled = true;
    }
  }

  /** The list `id`: entries ({path, type, size, target}), [] (empty) or null (unknown). */
  #showEntries(id, entries) {
    const el = $(id);
    delete el.dataset.state;
    if (entries === null) {
      el.replaceChildren();
      el.dataset.count = "";
      return;
    }
    el.dataset.count = String(entries.length);
    if (entries.length === 0) {
      el.innerHTML = '<li class="empty">(empty)</li>';
      return;
    }
    el.innerHTML = entries.slice(0, HOME_LIST_MAX).map((e) =>
      `<li data-path="${escapeHtml(e.path)}" data-type="${e.type}">${escapeHtml(e.path)}${e.type === "dir" ? "/" : ""}` +
      `<span class="hint">${e.type === "file" ? formatBytes(e.size) : e.type === "symlink" ? `→ ${escapeHtml(e.target)}` : ""}</span></li>`,
    ).join("") + (entries.length > HOME_LIST_MAX ? `<li class="empty">… ${entries.length - HOME_LIST_MAX} more</li>` : "");
  }
}

/** Open FOLDER_DB's database and run `fn(store)` in one transaction; resolves to the request's result. */
function folderStore(mode, fn) {
  const [db, store] = FOLDER_DB;
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(db, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(store);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(store, mode);
      const req = fn(tx.objectStore(store));
      tx.oncomplete = () => { open.result.close(); resolve(req.result); };
      tx.onerror = tx.onabort = () => { open.result.close(); reject(tx.error ?? req.error); };
    };
  });
}

/** The kept folder handle (undefined: none). */
function kept() {
  return folderStore("readonly", (s) => s.get(FOLDER_DB[2]));
}

/** Keep `handle` for the next page load (null: forget it). */
function keep(handle) {
  return folderStore("readwrite", (s) => (handle === null ? s.delete(FOLDER_DB[2]) : s.put(handle, FOLDER_DB[2])));
}
