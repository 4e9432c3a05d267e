// The guest's stdin in a browser host's worker: each read is a synchronous
// XHR to the host's server, answered when the host has bytes (an empty body:
// end of input). Shared by both workers.
export function readStdin(jobId, max) {
  const xhr = new XMLHttpRequest();
  xhr.open("GET", `/api/job/${jobId}/stdin?max=${max}`, false);
  xhr.responseType = "arraybuffer";
  xhr.send();
  if (xhr.status !== 200) throw new Error(`stdin: the host answered ${xhr.status}`);
  return new Uint8Array(xhr.response);
}
