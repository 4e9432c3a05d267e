// Builds the package: ESM bundles for browsers and Node (minified, with
// source maps) and the type declarations.
//
//   dist/browser/index.js   "wasi-polyfill" in browsers: no trace code (the size target)
//   dist/browser/trace.js   "wasi-polyfill/trace" in browsers: the same API plus `trace`
//   dist/browser/run.js     "wasi-polyfill/run" in browsers: the job runner and tree snapshots (run/)
//   dist/node/index.js      both entries in Node (tracing and the host-directory helpers)
//
//   node polyfill/build.mjs          build polyfill/dist/
//   node polyfill/build.mjs --size   also print the browser bundle's size, minified and gzipped
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, "src");
const dist = join(here, "dist");

const common = {
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: true,
  target: "es2022",
  legalComments: "none",
  logLevel: "warning",
};

rmSync(dist, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [join(src, "index.js")],
  outfile: join(dist, "browser", "index.js"),
  platform: "browser",
});
await build({
  ...common,
  entryPoints: [join(src, "trace.js")],
  outfile: join(dist, "browser", "trace.js"),
  platform: "browser",
});
await build({
  ...common,
  entryPoints: [join(src, "run", "index.js")],
  outfile: join(dist, "browser", "run.js"),
  platform: "browser",
});
await build({
  ...common,
  entryPoints: [join(src, "node", "index.js")],
  outfile: join(dist, "node", "index.js"),
  platform: "node",
});
mkdirSync(join(dist, "generated"), { recursive: true });
copyFileSync(join(src, "index.d.ts"), join(dist, "index.d.ts"));
copyFileSync(join(src, "trace.d.ts"), join(dist, "trace.d.ts"));
copyFileSync(join(src, "generated", "preview1.d.ts"), join(dist, "generated", "preview1.d.ts"));

if (process.argv.includes("--size")) {
  const bytes = readFileSync(join(dist, "browser", "index.js"));
  const gz = gzipSync(bytes, { level: 9 });
  console.log(`dist/browser/index.js: ${bytes.length} bytes minified, ${gz.length} bytes min+gz`);
}
