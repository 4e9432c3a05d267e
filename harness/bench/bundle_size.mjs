// The bundle-size row of `make bench` (issue #17): minimal_app.js bundled by
// esbuild as a page's bundler would (minified, ESM, browser platform,
// "wasi-polyfill" resolved through package.json's exports), with a metafile:
// the bundle's minified and min+gz (gzip level 9) bytes and the minified
// bytes each polyfill module contributes.
//
//   node harness/bench/bundle_size.mjs     prints {min_bytes, gz_bytes, modules} as JSON
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
export const MINIMAL_APP = join(here, "minimal_app.js");

/** {min_bytes, gz_bytes, modules: {"wasi.js": bytes, ...}} of `entry` bundled for the browser. */
export async function measureApp(entry = MINIMAL_APP) {
  const r = await build({
    entryPoints: [entry], absWorkingDir: root, bundle: true, minify: true, format: "esm", platform: "browser",
    target: "es2022", write: false, metafile: true, logLevel: "silent",
  });
  const bytes = r.outputFiles[0].contents;
  const inputs = Object.values(r.metafile.outputs)[0].inputs;
  const modules = {};
  for (const [file, v] of Object.entries(inputs).sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput)) {
    if (v.bytesInOutput > 0) modules[file.replace(/^polyfill\/src\//, "").replace(/^harness\/bench\//, "")] = v.bytesInOutput;
  }
  return { entry: entry.slice(root.length + 1), min_bytes: bytes.length, gz_bytes: gzipSync(bytes, { level: 9 }).length, modules };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(await measureApp()) + "\n");
}
