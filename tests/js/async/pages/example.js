// Loads the docs example named by ?example= (docs/examples/*.js), as a page would.
const name = new URLSearchParams(location.search).get("example");
import(`/docs/examples/${name}`).catch((e) => { window.exampleError = String(e?.message ?? e); });
