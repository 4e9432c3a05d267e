// The guest's stdin in a browser host's worker: a read takes what the host
// has (a synchronous XHR to the host's server, answered as soon as the host's
// stdin has bytes — a line, on a terminal — or is at its end: an empty body),
// up to CHUNK bytes at a time; what the guest did not ask for yet is kept for
// its next read, so a program reading a few bytes at a time costs one round
// trip per chunk, not per read. Shared by both workers.
const CHUNK = 65536;

export function stdinReader(jobId, api = "") {
  let pending = new Uint8Array(0);
  return (max) => {
    if (pending.length === 0) {
      const xhr = new XMLHttpRequest();
      xhr.open("GET", `${api}/api/job/${jobId}/stdin?max=${CHUNK}`, false);
      xhr.responseType = "arraybuffer";
      xhr.send();
      if (xhr.status !== 200) throw new Error(`stdin: the host answered ${xhr.status}`);
      pending = new Uint8Array(xhr.response);
    }
    const n = Math.min(max, pending.length);
    const out = pending.subarray(0, n);
    pending = pending.subarray(n);
    return out;
  };
}
