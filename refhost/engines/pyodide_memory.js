// Guest memory access for the reference host under Pyodide (pyodide.py,
// `_memory_helper`): evaluated in Pyodide's JS context, this expression is
// a function of (the guest's WebAssembly.Memory, Pyodide's Emscripten module,
// the scratch buffer's address in its heap, the scratch buffer's size).
(memory, heap, scratch, room) => {
  let u8 = new Uint8Array(memory.buffer);
  const view = () => (u8.buffer === memory.buffer ? u8 : (u8 = new Uint8Array(memory.buffer)));
  const u32 = (v, p) => (v[p] | (v[p + 1] << 8) | (v[p + 2] << 16) | (v[p + 3] << 24)) >>> 0;
  return {
    size: () => memory.buffer.byteLength,
    // Fast (Pyodide's heap reachable): copies straight between guest memory
    // and a Python buffer at address `addr` (by default `scratch`), so only
    // numbers cross; every argument costs, so the constant ones are bound here.
    readScratch: (ptr, n) => { heap.HEAPU8.set(view().subarray(ptr, ptr + n), scratch); },
    writeScratch: (ptr, n) => { view().set(heap.HEAPU8.subarray(scratch, scratch + n), ptr); },
    readInto: (ptr, n, addr) => { heap.HEAPU8.set(view().subarray(ptr, ptr + n), addr); },
    writeFrom: (ptr, n, addr) => { view().set(heap.HEAPU8.subarray(addr, addr + n), ptr); },
    // A list of n bytes of (u32 pointer, u32 length) entries to scratch, and
    // after it the bytes of the first entry of non-zero length if in bounds
    // and they fit: its index, else -1. (Python checks and decides; this
    // only copies.)
    gatherer: (entry, bufAt, lenAt) => (ptr, n) => {
      const v = view(), heap8 = heap.HEAPU8;
      heap8.set(v.subarray(ptr, ptr + n), scratch);
      for (let p = ptr; p < ptr + n; p += entry) {
        const len = u32(v, p + lenAt);
        if (len === 0) continue;
        const buf = u32(v, p + bufAt);
        if (len > room - n || buf + len > v.length) return -1;
        heap8.set(v.subarray(buf, buf + len), scratch + n);
        return (p - ptr) / entry;
      }
      return -1;
    },
    // Portable: bytes cross as a copy each way.
    read: (ptr, n) => view().slice(ptr, ptr + n),
    write: (ptr, bytes) => { view().set(bytes, ptr); },
  };
}
