// A static HTTP server on 127.0.0.1 for the UrlDirectory tests, in its own
// process (the guest's synchronous reads block the test's thread, so the
// server cannot share it). It serves ROOT, honours Range (unless
// --no-ranges, as `python -m http.server`), logs every request, and fails
// on purpose by name: a file whose name starts with "fail500" answers 500,
// "drop" sends its headers and half its body then closes the connection,
// "stall" sends its headers and never the body. Every answer allows any
// origin (the browser host's page is another origin). --ipv6: on ::1
// rather than 127.0.0.1.
//
//   node url_server.mjs ROOT [--no-ranges] [--ipv6]   prints the port, then serves
//   GET /_log                                 the requests so far: [{path, range, status}]
import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { join, basename } from "node:path";

const [root, ...flags] = process.argv.slice(2);
const ranges = !flags.includes("--no-ranges");
const log = [];

const server = createServer((req, res) => {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Expose-Headers", "Content-Range");
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path === "/_log") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(log));
    return;
  }
  const entry = { path, range: req.headers.range ?? null, status: 0 };
  log.push(entry);
  let data;
  try {
    if (!statSync(join(root, path)).isFile()) throw new Error("not a file");
    data = readFileSync(join(root, path));
  } catch {
    entry.status = 404;
    res.writeHead(404).end();
    return;
  }
  const name = basename(path);
  if (name.startsWith("fail500")) {
    entry.status = 500;
    res.writeHead(500).end("no");
    return;
  }
  let status = 200, body = data, headers = {};
  const m = ranges ? /^bytes=(\d+)-(\d+)$/.exec(entry.range ?? "") : null;
  if (m) {
    const start = Number(m[1]), end = Math.min(Number(m[2]), data.length - 1);
    status = 206;
    body = data.subarray(start, end + 1);
    headers = { "Content-Range": `bytes ${start}-${end}/${data.length}` };
  }
  entry.status = status;
  res.writeHead(status, { ...headers, "Content-Length": body.length, "Content-Type": "application/octet-stream" });
  if (name.startsWith("drop")) {
    res.write(body.subarray(0, body.length >> 1), () => res.destroy());
  } else if (name.startsWith("stall")) {
    res.flushHeaders();
  } else {
    res.end(body);
  }
});
server.listen(0, flags.includes("--ipv6") ? "::1" : "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
