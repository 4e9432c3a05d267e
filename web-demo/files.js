// The file panel: the page's MemFS as a tree, with upload (files and
// folders), create, rename, delete (with undo), view/edit and download (a
// file, or any folder as a .zip). During a run the program's worker has the
// files; the panel is read-only until they come back (see app.js).

import { zipTree } from "./archive.js";
import { icon } from "./icons.js";
import { $, decodeText, escapeHtml, formatBytes, hexdump, saveBytes, toast } from "./ui.js";
import { basename, dirname, joinPath } from "./tree.js";

const TOOLBAR = [
  { action: "new-file", icon: "file-plus", label: "New file", title: "New file in the selected folder" },
  { action: "new-dir", icon: "folder-plus", label: "New folder", title: "New folder in the selected folder" },
  { action: "reset", icon: "reset", label: "Reset", title: "Back to the sample files" },
  { action: "upload-files", icon: "upload", label: "Upload", title: "Upload files into the selected folder" },
  { action: "upload-dir", icon: "folder-upload", label: "Upload folder", title: "Upload a folder into the selected folder" },
  { action: "download-all", icon: "archive", label: "Download all", title: "Download every file as one .zip" },
];

export class FilePanel {
  /**
   * fs: the page's MemFS. onReset(): returns a fresh MemFS with the sample
   * files.
   */
  /**
   * @param fs the page's MemFS
   * @param onReset makes a fresh MemFS (the samples, or the tree given)
   * @param trees the package's tree snapshots ({ loadTree, dumpTree }: polyfill/src/run/tree.js)
   */
  constructor(fs, { onReset, trees }) {
    this.fs = fs;
    this.onReset = onReset;
    this.trees = trees;
    this.expanded = new Set(["/", "/data"]);
    this.selected = "/data";
    this.editing = null; // { mode: "rename", path } | { mode: "create", dir, type }
    this.viewing = null; // path in the viewer
    this.busy = false;

    this.treeEl = $("tree");
    this.card = $("files-card");
    this.#buildToolbar();
    this.#bindTree();
    this.#bindViewer();
    this.#bindDrop();
    this.render();
  }

  /** Replaces the filesystem (after a run) and redraws. */
  setFs(fs) {
    this.fs = fs;
    if (!this.#exists(this.selected)) this.selected = "/";
    this.render();
    if (this.viewing) {
      if (this.#exists(this.viewing)) this.open(this.viewing, { keepFocus: true });
      else this.closeViewer();
    }
  }

  setBusy(busy) {
    this.busy = busy;
    this.card.classList.toggle("busy", busy);
    $("files-busy").hidden = !busy;
    this.editing = null;
    for (const id of ["viewer-save", "viewer-text"]) $(id).disabled = busy;
    this.render();
  }

  /** The folder new files go into: the selection, or the selected file's folder. */
  get targetDir() {
    const st = this.#lstat(this.selected);
    return st && st.isDirectory() ? this.selected : dirname(this.selected);
  }

  // --- rendering -----------------------------------------------------------

  render() {
    const rows = [];
    let dirs = 0;
    let files = 0;
    let bytes = 0;
    const walk = (path, name, depth) => {
      const st = this.#lstat(path);
      if (!st) return;
      const isDir = st.isDirectory();
      const isLink = st.isSymbolicLink();
      if (path !== "/") {
        if (isDir) dirs++;
        else files++;
        if (!isDir && !isLink) bytes += st.size;
      }
      const open = isDir && this.expanded.has(path);
      const children = isDir ? this.#children(path) : [];
      rows.push(this.#row({ path, name, depth, isDir, isLink, st, open, count: children.length }));
      if (isDir && open) {
        if (this.editing?.mode === "create" && this.editing.dir === path) {
          rows.push(this.#createRow(depth + 1));
        }
        for (const child of children) walk(joinPath(path, child), child, depth + 1);
      }
    };
    walk("/", "/", 0);
    this.treeEl.innerHTML = rows.join("");
    $("files-summary").textContent =
      `${dirs} folder${dirs === 1 ? "" : "s"} · ${files} file${files === 1 ? "" : "s"} · ${formatBytes(bytes)}`;
    const input = this.treeEl.querySelector("input");
    if (input) {
      input.focus();
      if (this.editing?.mode === "rename") {
        const dot = input.value.lastIndexOf(".");
        input.setSelectionRange(0, dot > 0 ? dot : input.value.length);
      }
    }
  }

  #row({ path, name, depth, isDir, isLink, st, open, count }) {
    const kind = isLink ? "symlink" : isDir ? "dir" : "file";
    const selected = path === this.selected;
    const pad = 8 + depth * 16;
    const attrs = `class="row${selected ? " selected" : ""}" role="treeitem" tabindex="${selected ? 0 : -1}"
      data-path="${escapeHtml(path)}" data-kind="${kind}" aria-level="${depth + 1}" aria-selected="${selected}"
      ${isDir ? `aria-expanded="${open}"` : ""} style="padding-left:${pad}px"`;
    const twisty = `<span class="twisty${open ? " open" : ""}">${isDir && count ? "▶" : ""}</span>`;
    const kindIcon = icon(isDir ? "folder" : isLink ? "symlink" : "file", `kind ${kind}`);
    let label;
    if (this.editing?.mode === "rename" && this.editing.path === path) {
      label = `<input type="text" value="${escapeHtml(name)}" data-edit="rename" aria-label="New name">`;
    } else {
      label = `<span class="name">${escapeHtml(name)}</span>`;
      if (isLink) label += `<span class="target">→ ${escapeHtml(this.fs.readlinkSync(path))}</span>`;
    }
    const meta = isDir ? `${count} item${count === 1 ? "" : "s"}` : isLink ? "link" : formatBytes(st.size);
    const actions = [];
    if (!this.busy && !this.editing) {
      if (path !== "/") actions.push(["rename", "rename", "Rename"]);
      actions.push(["download", isDir ? "archive" : "download", isDir ? "Download as .zip" : "Download"]);
      if (path !== "/") actions.push(["delete", "trash", "Delete", "danger"]);
    }
    const buttons = actions
      .map(([a, ic, title, cls = ""]) =>
        `<button type="button" class="${cls}" data-action="${a}" title="${title}" aria-label="${title} ${escapeHtml(name)}">${icon(ic)}</button>`)
      .join("");
    return `<div ${attrs}>${twisty}${kindIcon}${label}<span class="meta">${meta}</span><span class="row-actions">${buttons}</span></div>`;
  }

  #createRow(depth) {
    const type = this.editing.type;
    return `<div class="row" style="padding-left:${8 + depth * 16}px"><span class="twisty"></span>${icon(type === "dir" ? "folder" : "file", `kind ${type}`)}
      <input type="text" data-edit="create" placeholder="${type === "dir" ? "folder name" : "file name"}" aria-label="Name of the new ${type === "dir" ? "folder" : "file"}"></div>`;
  }

  // --- events --------------------------------------------------------------

  #buildToolbar() {
    const bar = $("files-toolbar");
    bar.innerHTML = TOOLBAR.map(
      (b) => `<button type="button" class="btn" data-action="${b.action}" title="${b.title}">${icon(b.icon)}${b.label}</button>`,
    ).join("");
    const fileInput = Object.assign(document.createElement("input"), { type: "file", multiple: true, hidden: true });
    const dirInput = Object.assign(document.createElement("input"), { type: "file", multiple: true, hidden: true });
    dirInput.webkitdirectory = true;
    fileInput.id = "upload-files-input";
    dirInput.id = "upload-dir-input";
    bar.append(fileInput, dirInput);
    const upload = async (input) => {
      const files = [...input.files].map((f) => ({ path: f.webkitRelativePath || f.name, file: f }));
      input.value = "";
      await this.upload(files);
    };
    fileInput.onchange = () => upload(fileInput);
    dirInput.onchange = () => upload(dirInput);

    bar.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (!button || this.busy) return;
      switch (button.dataset.action) {
        case "new-file": return this.startCreate("file");
        case "new-dir": return this.startCreate("dir");
        case "upload-files": return fileInput.click();
        case "upload-dir": return dirInput.click();
        case "download-all": return this.downloadZip("/");
        case "reset": return this.reset();
      }
    });
  }

  #bindTree() {
    this.treeEl.addEventListener("click", (event) => {
      if (this.busy) return;
      const row = event.target.closest(".row[data-path]");
      if (!row || event.target.closest("input")) return;
      const path = row.dataset.path;
      const button = event.target.closest("button[data-action]");
      if (button) {
        event.stopPropagation();
        if (button.dataset.action === "rename") this.startRename(path);
        if (button.dataset.action === "download") this.download(path);
        if (button.dataset.action === "delete") this.delete(path);
        return;
      }
      this.#activate(path, row.dataset.kind);
    });

    this.treeEl.addEventListener("keydown", (event) => {
      const input = event.target.closest("input[data-edit]");
      if (input) {
        if (event.key === "Enter") this.#commitEdit(input);
        if (event.key === "Escape") this.#cancelEdit();
        return;
      }
      const row = event.target.closest(".row[data-path]");
      if (!row || this.busy) return;
      const rows = [...this.treeEl.querySelectorAll(".row[data-path]")];
      const i = rows.indexOf(row);
      const move = (j) => {
        const next = rows[Math.max(0, Math.min(rows.length - 1, j))];
        next.focus();
      };
      switch (event.key) {
        case "ArrowDown": move(i + 1); break;
        case "ArrowUp": move(i - 1); break;
        case "Enter": case " ": this.#activate(row.dataset.path, row.dataset.kind); break;
        case "F2": this.startRename(row.dataset.path); break;
        case "Delete": this.delete(row.dataset.path); break;
        default: return;
      }
      event.preventDefault();
    });

    // Leaving the name field commits a rename and drops an empty create.
    this.treeEl.addEventListener("focusout", (event) => {
      const input = event.target.closest?.("input[data-edit]");
      if (!input) return;
      setTimeout(() => {
        if (this.editing && document.activeElement !== input) {
          if (input.value.trim()) this.#commitEdit(input);
          else this.#cancelEdit();
        }
      });
    });
  }

  #activate(path, kind) {
    this.selected = path;
    if (kind === "dir") {
      if (this.expanded.has(path) && path !== "/") this.expanded.delete(path);
      else this.expanded.add(path);
      this.render();
    } else {
      this.render();
      this.open(path);
    }
    this.treeEl.querySelector(".row.selected")?.focus();
  }

  #bindViewer() {
    $("viewer-close").onclick = () => this.closeViewer();
    $("viewer-download").onclick = () => this.viewing && this.download(this.viewing);
    $("viewer-save").onclick = () => this.save();
    $("viewer-text").addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") {
        event.preventDefault();
        this.save();
      }
    });
    $("viewer-text").addEventListener("input", () => {
      $("viewer-info").textContent = "edited — Save (Ctrl-S) writes it";
    });
  }

  #bindDrop() {
    const card = this.card;
    card.addEventListener("dragover", (event) => {
      if (this.busy || !event.dataTransfer.types.includes("Files")) return;
      event.preventDefault();
      event.stopPropagation();
      card.classList.add("drop-target");
    });
    card.addEventListener("dragleave", (event) => {
      if (!card.contains(event.relatedTarget)) card.classList.remove("drop-target");
    });
    card.addEventListener("drop", async (event) => {
      if (this.busy) return;
      event.preventDefault();
      event.stopPropagation();
      card.classList.remove("drop-target");
      const files = await filesFromDrop(event.dataTransfer);
      await this.upload(files);
    });
  }

  // --- operations ----------------------------------------------------------

  startCreate(type) {
    const dir = this.targetDir;
    this.expanded.add(dir);
    this.editing = { mode: "create", dir, type };
    this.render();
  }

  startRename(path) {
    if (path === "/") return;
    this.editing = { mode: "rename", path };
    this.render();
  }

  #cancelEdit() {
    this.editing = null;
    this.render();
  }

  #commitEdit(input) {
    const editing = this.editing;
    if (!editing) return;
    const name = input.value.trim();
    const problem = checkName(name);
    if (problem) {
      toast(problem);
      input.focus();
      return;
    }
    const dir = editing.mode === "create" ? editing.dir : dirname(editing.path);
    const path = joinPath(dir, name);
    if (editing.mode === "rename" && path === editing.path) return this.#cancelEdit();
    if (this.#exists(path)) {
      toast(`${path} already exists`);
      input.focus();
      return;
    }
    this.editing = null;
    try {
      if (editing.mode === "rename") {
        this.fs.renameSync(editing.path, path);
        this.#renamed(editing.path, path);
      } else if (editing.type === "dir") {
        this.fs.mkdirSync(path);
        this.expanded.add(path);
      } else {
        this.fs.writeFileSync(path, new Uint8Array(0));
      }
    } catch (err) {
      toast(err.message);
    }
    this.selected = path;
    this.render();
    if (editing.mode === "create" && editing.type === "file") this.open(path, { focus: true });
  }

  #renamed(from, to) {
    const re = (p) => (p === from ? to : p.startsWith(from + "/") ? to + p.slice(from.length) : p);
    this.expanded = new Set([...this.expanded].map(re));
    if (this.viewing) this.viewing = re(this.viewing);
    if (this.viewing) $("viewer-path").textContent = this.viewing;
  }

  delete(path) {
    if (path === "/") return;
    const st = this.#lstat(path);
    if (!st) return;
    // The entry as a tree of its parent with only it in it, to put back on Undo.
    const parent = this.trees.dumpTree(this.fs, dirname(path));
    const saved = { type: "dir", entries: { [basename(path)]: parent.entries[basename(path)] } };
    try {
      if (st.isDirectory()) this.fs.rmSync(path, { recursive: true });
      else this.fs.unlinkSync(path);
    } catch (err) {
      toast(err.message);
      return;
    }
    if (this.viewing === path || this.viewing?.startsWith(path + "/")) this.closeViewer();
    if (this.selected === path) this.selected = dirname(path);
    this.render();
    toast(`Deleted ${path}`, {
      label: "Undo",
      run: () => {
        this.trees.loadTree(this.fs, dirname(path), saved);
        this.selected = path;
        this.render();
      },
    });
  }

  /** Writes uploaded files ({path: relative path, file: File}) under the target folder. */
  async upload(files) {
    if (!files.length) return;
    const dir = this.targetDir;
    let bytes = 0;
    try {
      for (const { path, file } of files) {
        const dest = joinPath(dir, path.replace(/^\/+/, ""));
        this.fs.mkdirSync(dirname(dest), { recursive: true });
        const data = new Uint8Array(await file.arrayBuffer());
        this.fs.writeFileSync(dest, data);
        bytes += data.length;
        for (let d = dirname(dest); d !== dir && d !== "/"; d = dirname(d)) this.expanded.add(d);
      }
    } catch (err) {
      toast(`Upload failed: ${err.message}`);
    }
    this.expanded.add(dir);
    this.render();
    toast(`Uploaded ${files.length} file${files.length === 1 ? "" : "s"} (${formatBytes(bytes)}) to ${dir}`);
  }

  download(path) {
    const st = this.fs.statSync(path);
    if (st.isDirectory()) return this.downloadZip(path);
    saveBytes(basename(path), this.fs.readFileSync(path));
  }

  /** The folder at `path` as a .zip that unpacks as one folder (the root's entries at the top). */
  downloadZip(path) {
    const tree = this.trees.dumpTree(this.fs, path);
    const zip = path === "/" ? zipTree(tree) : zipTree({ type: "dir", entries: { [basename(path)]: tree } });
    saveBytes(path === "/" ? "files.zip" : `${basename(path)}.zip`, zip, "application/zip");
  }

  reset() {
    const before = this.trees.dumpTree(this.fs, "/");
    this.fs = this.onReset();
    this.expanded = new Set(["/", "/data"]);
    this.selected = "/data";
    this.closeViewer();
    this.render();
    toast("Files reset to the samples", {
      label: "Undo",
      run: () => {
        this.fs = this.onReset(before);
        this.render();
      },
    });
  }

  open(path, { focus = false, keepFocus = false } = {}) {
    let data;
    try {
      data = this.fs.readFileSync(path);
    } catch (err) {
      toast(`${path}: ${err.message}`);
      return;
    }
    this.viewing = path;
    const text = decodeText(data);
    $("viewer").hidden = false;
    $("viewer-path").textContent = path;
    const link = this.#lstat(path)?.isSymbolicLink() ? ` · link to ${this.fs.readlinkSync(path)}` : "";
    $("viewer-info").textContent = `${formatBytes(data.length)}${text === null ? " · binary" : ""}${link}`;
    const area = $("viewer-text");
    const hex = $("viewer-hex");
    area.hidden = text === null;
    hex.hidden = text !== null;
    $("viewer-save").hidden = text === null;
    if (text === null) hex.textContent = hexdump(data);
    else if (!(keepFocus && document.activeElement === area)) area.value = text;
    if (focus) area.focus();
  }

  save() {
    if (!this.viewing || this.busy) return;
    this.fs.writeFileSync(this.viewing, new TextEncoder().encode($("viewer-text").value));
    this.render();
    this.open(this.viewing, { keepFocus: true });
    toast(`Saved ${this.viewing}`);
  }

  closeViewer() {
    this.viewing = null;
    $("viewer").hidden = true;
  }

  // --- helpers -------------------------------------------------------------

  #lstat(path) {
    try {
      return this.fs.lstatSync(path);
    } catch {
      return null;
    }
  }

  #exists(path) {
    return this.#lstat(path) !== null;
  }

  #children(path) {
    return this.fs.readdirSync(path).map(String).sort();
  }
}

function checkName(name) {
  if (!name) return "A name is needed";
  if (name.includes("/")) return "A name cannot contain '/'";
  if (name === "." || name === "..") return `'${name}' is not a usable name`;
  return null;
}

/** Files of a drop, folders included (webkitGetAsEntry), as {path, file}. */
async function filesFromDrop(dataTransfer) {
  const out = [];
  const entries = [...dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...dataTransfer.files].map((file) => ({ path: file.name, file }));
  const walk = async (entry, prefix) => {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      out.push({ path: prefix + entry.name, file });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const entry of entries) await walk(entry, "");
  return out;
}
