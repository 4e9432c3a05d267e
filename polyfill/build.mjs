// Builds the standalone bundles. The package itself ships the ES modules of
// polyfill/src (what bundlers and Node import: package.json "exports"), so
// these are for pages that load one file without a bundler, and for the size
// figure.
//
//   dist/browser/index.js   "wasi-polyfill" as one file: no trace code (the size target)
//   dist/browser/trace.js   the same API plus `trace`, as one file (its classes are its own)
//   dist/browser/run.js     the job runner and tree snapshots (run/) as one file, for the hosts' workers
//   dist/node/index.js      the Node entry as one unminified file (the benchmarks measure it)
//
// Minified bundles keep their class and function names (esbuild keepNames),
// so a user's error reads `WasiError`, not `l`; their source maps are
// separate files next to them.
//
//   node polyfill/build.mjs          build polyfill/dist/
//   node polyfill/build.mjs --size   also print the browser bundle's size, minified and gzipped
import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";
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
  keepNames: true,
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
  minify: false,
  keepNames: false, // unminified: the names are the source's
  entryPoints: [join(src, "node", "index.js")],
  outfile: join(dist, "node", "index.js"),
  platform: "node",
});

if (process.argv.includes("--size")) {
  const bytes = readFileSync(join(dist, "browser", "index.js"));
  const gz = gzipSync(bytes, { level: 9 });
  console.log(`dist/browser/index.js: ${bytes.length} bytes minified, ${gz.length} bytes min+gz`);
}
