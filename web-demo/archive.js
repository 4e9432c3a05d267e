// A tiny ZIP writer: stored entries (no compression), no dependencies.
// Enough for "download the file tree": directories, files and symlinks, with
// UTF-8 names, readable by unzip, Python's zipfile, Windows and macOS.
//
// Format: APPNOTE.TXT 6.3 — local file header + data per entry, then the
// central directory and its end record. Sizes are 32-bit (no ZIP64), which
// is plenty for an in-memory filesystem in a tab.
import { bytesOf } from "./tree.js";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// Unix file modes in the high half of "external attributes", as Info-ZIP
// writes them, so unzip restores directories and symlinks.
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const VERSION_MADE_BY = (3 << 8) | 20; // Unix, spec 2.0
const VERSION_NEEDED = 20;
const FLAG_UTF8 = 1 << 11;

/** MS-DOS date and time of a Date, as ZIP stores them. */
function dosDateTime(date) {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** A tree's entries in path order, parents first: [relative path, node]. */
function entriesOf(tree, prefix = "") {
  const out = [];
  for (const name of Object.keys(tree.entries).sort()) {
    const node = tree.entries[name];
    const path = prefix + name;
    out.push([path, node]);
    if (node.type === "dir") out.push(...entriesOf(node, `${path}/`));
  }
  return out;
}

/**
 * Builds a .zip of a tree snapshot (polyfill/src/run/tree.js; the root's
 * entries at the top of the archive): directories end in "/", symlinks keep
 * their target and mode. Returns a Uint8Array.
 */
export function zipTree(tree, { date = new Date() } = {}) {
  const encoder = new TextEncoder();
  const { time, date: dosDate } = dosDateTime(date);
  const records = entriesOf(tree).map(([rel, e]) => {
    const name = encoder.encode(e.type === "dir" ? `${rel}/` : rel);
    const data =
      e.type === "file" ? bytesOf(e) : e.type === "symlink" ? encoder.encode(e.target) : new Uint8Array(0);
    const mode = e.type === "dir" ? S_IFDIR | 0o755 : e.type === "symlink" ? S_IFLNK | 0o777 : S_IFREG | 0o644;
    const external = ((mode << 16) | (e.type === "dir" ? 0x10 : 0)) >>> 0; // + MS-DOS directory bit
    return { name, data, crc: crc32(data), external };
  });

  let size = 22; // end of central directory
  for (const r of records) size += 30 + r.name.length + r.data.length + 46 + r.name.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let p = 0;
  const u16 = (v) => { view.setUint16(p, v, true); p += 2; };
  const u32 = (v) => { view.setUint32(p, v >>> 0, true); p += 4; };
  const bytes = (b) => { out.set(b, p); p += b.length; };

  for (const r of records) {
    r.offset = p;
    u32(0x04034b50); // local file header
    u16(VERSION_NEEDED); u16(FLAG_UTF8); u16(0 /* stored */); u16(time); u16(dosDate);
    u32(r.crc); u32(r.data.length); u32(r.data.length);
    u16(r.name.length); u16(0);
    bytes(r.name);
    bytes(r.data);
  }
  const centralStart = p;
  for (const r of records) {
    u32(0x02014b50); // central directory header
    u16(VERSION_MADE_BY); u16(VERSION_NEEDED); u16(FLAG_UTF8); u16(0); u16(time); u16(dosDate);
    u32(r.crc); u32(r.data.length); u32(r.data.length);
    u16(r.name.length); u16(0); u16(0); u16(0); u16(0);
    u32(r.external); u32(r.offset);
    bytes(r.name);
  }
  const centralSize = p - centralStart;
  u32(0x06054b50); // end of central directory
  u16(0); u16(0); u16(records.length); u16(records.length);
  u32(centralSize); u32(centralStart); u16(0);
  return out;
}
