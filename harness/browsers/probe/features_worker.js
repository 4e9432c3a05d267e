// The worker half of features.js (a module worker: that it runs at all is
// measured). Posts one message with what a worker can do here.

// A synchronous XMLHttpRequest for bytes, the way a browser host's worker
// pulls stdin: the reply must come back as an ArrayBuffer, byte for byte.
function syncXhr() {
  try {
    const xhr = new XMLHttpRequest();
    xhr.open("GET", new URL("bytes.bin", import.meta.url), false);
    xhr.responseType = "arraybuffer";
    xhr.send();
    const bytes = new Uint8Array(xhr.response);
    const good = xhr.status === 200 && bytes.length === 256 && bytes.every((b, i) => b === i);
    return good || `status ${xhr.status}, ${bytes.length} bytes`;
  } catch (e) {
    return `threw ${e.name}`;
  }
}

function atomicsWait() {
  if (typeof SharedArrayBuffer !== "function") return "no SharedArrayBuffer";
  try {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const answer = Atomics.wait(cell, 0, 0, 10);
    return answer === "timed-out" || `answered ${answer}`;
  } catch (e) {
    return `threw ${e.name}`;
  }
}

self.postMessage({
  syncXhr: syncXhr(),
  atomicsWait: atomicsWait(),
  opfsSyncAccess: typeof FileSystemSyncAccessHandle === "function",
});
