// tests/test_web_demo.py's stand-in for the folder picker and its
// permissions (Playwright cannot drive the native picker), added to a demo
// page with add_init_script: showDirectoryPicker() gives the OPFS directory
// "picked"; a handle's access is "prompt" on a fresh page load (as in
// Chromium after a reload, without a persistent grant) until picked or
// granted by requestPermission(), which — as Chromium's — refuses without a
// user activation (a click). window.permissionAsks: each request, with
// whether the page had that activation.
let granted = false;
window.permissionAsks = [];
window.showDirectoryPicker = async () => {
  granted = true;
  return (await navigator.storage.getDirectory()).getDirectoryHandle("picked", { create: true });
};
FileSystemHandle.prototype.queryPermission = async function queryPermission() {
  return granted ? "granted" : "prompt";
};
FileSystemHandle.prototype.requestPermission = async function requestPermission({ mode } = {}) {
  const active = navigator.userActivation?.isActive === true;
  window.permissionAsks.push({ mode, active });
  if (!active) throw new DOMException("User activation is required to request permissions.", "SecurityError");
  granted = true;
  return "granted";
};
