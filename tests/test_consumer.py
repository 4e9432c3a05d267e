"""The package as a new user gets it (issue #16): `npm pack`, the tarball
installed into a scratch app under build/consumer/app, then

- what ships: LICENSE (Apache-2.0), README, types, source maps as separate
  files, no tests, and every file `exports` names;
- Node: ESM (both entries, host fd numbers, host directories, stacks that name
  the package's files) and CommonJS `require()` (of the ES modules);
- the browser: the same page (tests/consumer/page) built by esbuild and by
  Vite, served from 127.0.0.1 and run in Debian's Chromium: real WASI programs
  whose output is checked;
- TypeScript: `tsc` over tests/consumer/ts and every code block of README.md,
  under `nodenext`, `node16` and `bundler` resolution with `--strict`
  (misuse lines carry `@ts-expect-error`, so they must fail to compile);
- tree-shaking against the installed package: `{ errno }` alone ≤ 3 KB
  minified; `WASI` alone without the MemFS facade or the trace.

The app's tools (tsc, esbuild, vite) are the repository's devDependencies;
the app's node_modules holds only the installed tarball. Page code lives in
tests/consumer/, never here. `make consumer` runs this module alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from harness.paths import BUILD, ROOT

CONSUMER = ROOT / "tests" / "consumer"
PROBE = ROOT / "tests" / "js" / "probe"
BIN = ROOT / "node_modules" / ".bin"
NODE = os.environ.get("NODE", "node")
NPM = os.environ.get("NPM", "npm")
CI = os.environ.get("CI") == "true"
WORK = BUILD / "consumer"
APP = WORK / "app"

# The TypeScript projects: the consumer files each one checks, per resolution mode.
COMMON_OPTIONS = {"strict": True, "noEmit": True, "target": "es2022", "lib": ["es2022", "dom"],
                  "types": ["node"], "skipLibCheck": False, "allowJs": True, "checkJs": True,
                  "moduleDetection": "force", "noUnusedLocals": False}
MODES = {
    # Node's declarations: the "node" condition
    "nodenext": {"module": "nodenext", "moduleResolution": "nodenext"},
    "node16": {"module": "node16", "moduleResolution": "node16"},
    # a bundler's view: the browser's declarations
    "bundler": {"module": "esnext", "moduleResolution": "bundler"},
    # Node's resolution with the "browser" condition first (a browser app type-checked by nodenext)
    "nodenext-browser": {"module": "nodenext", "moduleResolution": "nodenext", "customConditions": ["browser"]},
}
NODE_FILES = ["ts/common.ts", "ts/node.ts", "readme/*"]  # Node accepts all the browser does: every README block
BROWSER_FILES = ["ts/common.ts", "ts/browser.ts", "readme/browser-*"]  # no node: imports there


def run(cmd: list[str], cwd: Path = APP, timeout: int = 240, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def readme_blocks() -> list[tuple[str, str]]:
    """README.md's ```js and ```ts blocks as (file name, code): a block that imports
    from "node:..." is Node code, the rest is browser code (page or Worker)."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"^```(js|ts)\n(.*?)^```$", text, flags=re.M | re.S)
    out = []
    for i, (lang, code) in enumerate(blocks):
        kind = "node" if re.search(r"""from ["']node:""", code) else "browser"
        out.append((f"{kind}-{i:02d}.{lang}", code))
    return out


@pytest.fixture(scope="module")
def app() -> dict:
    """Pack, install into a fresh app; returns the `npm pack --json` report."""
    for tool in ("tsc", "esbuild", "vite"):
        assert (BIN / tool).exists(), f"{BIN / tool} is missing: run `make setup` (npm ci)"
    shutil.rmtree(WORK, ignore_errors=True)
    APP.mkdir(parents=True)
    report = json.loads(run([NPM, "pack", "--json", "--pack-destination", WORK], cwd=ROOT).stdout)[0]
    (APP / "package.json").write_text(json.dumps({"name": "consumer-app", "private": True, "type": "module"}))
    run([NPM, "install", "--offline", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error",
         WORK / report["filename"]])
    for item in CONSUMER.iterdir():
        (shutil.copytree if item.is_dir() else shutil.copy)(item, APP / item.name)
    for name in ("probe.wasm", "probe.expected", "tool.wasm"):
        assert (PROBE / name).exists(), f"{PROBE / name} is missing: run `make probes`"
        shutil.copy(PROBE / name, APP / name)
        shutil.copy(PROBE / name, APP / "page" / name)
    (APP / "readme").mkdir()
    for name, code in readme_blocks():
        (APP / "readme" / name).write_text(code)
    report["tarball"] = WORK / report["filename"]
    return report


# --- what ships -------------------------------------------------------------

def test_what_ships(app):
    files = {f["path"] for f in app["files"]}
    for f in ("LICENSE", "README.md", "package.json", "polyfill/src/index.js", "polyfill/src/index.d.ts",
              "polyfill/src/trace.d.ts", "polyfill/src/node/index.d.ts", "polyfill/src/generated/preview1.d.ts",
              "polyfill/dist/browser/index.js", "polyfill/dist/browser/index.js.map",
              "polyfill/dist/browser/trace.js", "polyfill/dist/browser/trace.js.map"):
        assert f in files, f
    for f in files:
        assert not re.search(r"(^|/)tests?/|\.test\.|(^|/)node/cli\.js$|\.py$", f), f"should not ship: {f}"
    with tarfile.open(app["tarball"]) as tar:
        license_text = tar.extractfile("package/LICENSE").read().decode()
        pkg = json.load(tar.extractfile("package/package.json"))
        for f in files:
            if f.endswith(".js"):
                assert "sourceMappingURL=data:" not in tar.extractfile(f"package/{f}").read().decode(), f
    assert "Apache License" in license_text and "Version 2.0, January 2004" in license_text
    assert pkg["license"] == "Apache-2.0"
    # every file the exports name is in the tarball
    def targets(node):
        if isinstance(node, str):
            yield node
        else:
            for v in node.values():
                yield from targets(v)
    for target in targets(pkg["exports"]):
        assert target.removeprefix("./") in files, target
    # dev-only packages stay dev-only; the runtime package has no dependencies
    assert "dependencies" not in pkg


def test_readme_links_resolve_in_the_tarball(app):
    """Relative links in the README point to files that ship; the rest are absolute."""
    files = {f["path"] for f in app["files"]}
    text = (ROOT / "README.md").read_text()
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links, "no links found"
    for link in links:
        if re.match(r"[a-z]+:", link) or link.startswith("#"):
            continue
        assert link.split("#")[0] in files, f"README links to {link}, which does not ship"
    assert "make demo" in text and "make test" in text


# --- Node -----------------------------------------------------------------------

def test_node_esm(app):
    got = json.loads(run([NODE, "node_esm.mjs"]).stdout)
    assert got["stdout"] == (PROBE / "probe.expected").read_text()
    assert got["code"] == 0
    assert got["sameClasses"], "wasi-polyfill and wasi-polyfill/trace must share classes in Node"
    assert got["hostFiles"] == ["in.txt", "out.txt"] and got["out"] == "from the guest"
    assert got["tree"] == ["in.txt", "out.txt"]  # tree snapshots from the main entry
    assert got["traced"]
    assert got["errorName"] == "WasiError"
    # a stack names the package's own files, unminified
    assert "node_modules/wasi-polyfill/polyfill/src/vfs/node_fs.js:" in got["stack"], got["stack"]


def test_node_cjs(app):
    got = json.loads(run([NODE, "node_cjs.cjs"]).stdout)
    assert got["stdout"] == (PROBE / "probe.expected").read_text()
    assert (got["code"], got["badf"]) == (0, 8)


def test_uncaught_error_in_node_is_readable(app):
    """An uncaught error prints our file and line, not a minified bundle line."""
    proc = subprocess.run([NODE, "uncaught.mjs"], cwd=APP, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert len(proc.stderr) < 4000, proc.stderr
    assert 'TypeError: The "options.args" property must be an instance of Array. Received type string (\'x\')' in proc.stderr
    assert "node_modules/wasi-polyfill/polyfill/src/wasi.js:" in proc.stderr


# --- TypeScript -------------------------------------------------------------------

@pytest.mark.parametrize("mode", sorted(MODES))
def test_tsc(app, mode):
    include = BROWSER_FILES if mode in ("bundler", "nodenext-browser") else NODE_FILES
    config = {"compilerOptions": {**COMMON_OPTIONS, **MODES[mode]}, "include": include}
    (APP / f"tsconfig.{mode}.json").write_text(json.dumps(config, indent=2))
    proc = subprocess.run([BIN / "tsc", "-p", f"tsconfig.{mode}.json", "--listFilesOnly"], cwd=APP,
                          capture_output=True, text=True, timeout=120)
    listed = proc.stdout
    # the package's declarations are among the files checked (not skipped, not `any`)
    for f in ("wasi-polyfill/polyfill/src/index.d.ts", "wasi-polyfill/polyfill/src/generated/preview1.d.ts"):
        assert f in listed, f"{f} not checked under {mode}:\n{listed}"
    want = "node/index.d.ts" if include is NODE_FILES else "polyfill/src/trace.d.ts"
    assert want in listed
    run([BIN / "tsc", "-p", f"tsconfig.{mode}.json"], timeout=180)


def test_readme_has_examples_for_both(app):
    kinds = {name.split("-")[0] for name, _ in readme_blocks()}
    assert kinds == {"node", "browser"}


# --- the browser ------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium; a skip where it is missing, a failure under CI=true."""
    from harness.hosts import HostError
    from harness.hosts.chromium import browser, check_available
    try:
        check_available()
    except HostError as e:
        if CI:
            raise
        pytest.skip(f"needs Chromium: {e}")
    with browser() as b:
        yield b


def build_page(bundler: str) -> Path:
    out = APP / f"dist-{bundler}"
    if bundler == "esbuild":
        # worker.js is its own entry: main.js finds it as new URL("./worker.js", import.meta.url)
        run([BIN / "esbuild", "page/main.js", "page/worker.js", "--bundle", "--minify", "--format=esm",
             "--platform=browser", f"--outdir={out}"])
        for name in ("index.html", "probe.wasm", "tool.wasm"):
            shutil.copy(APP / "page" / name, out / name)
    else:
        public = APP / "page" / "public"  # Vite copies it as is
        public.mkdir(exist_ok=True)
        for name in ("probe.wasm", "tool.wasm"):
            shutil.copy(APP / "page" / name, public / name)
        run([BIN / "vite", "build", "page", "--outDir", out, "--emptyOutDir", "--base", "./", "--logLevel", "warn"])
    return out


ISOLATION = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}


@pytest.fixture(scope="module")
def pages(app):
    return {bundler: build_page(bundler) for bundler in ("esbuild", "vite")}


@pytest.mark.parametrize("isolated", [True, False], ids=["coop-coep", "no-headers"])
@pytest.mark.parametrize("bundler", ["esbuild", "vite"])
def test_page(pages, chromium, bundler, isolated):
    from harness.hosts.chromium import Server

    out = pages[bundler]
    bundle = "".join(p.read_text() for p in out.rglob("*.js"))
    assert "node:" not in bundle  # the browser entry, not Node's
    assert "==> " not in bundle  # no trace code in an app that does not ask for it
    with Server({"/": out}, headers=ISOLATION if isolated else {}) as server:
        page = chromium.new_page()
        try:
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url("/index.html"))
            page.wait_for_function("window.consumerResult !== undefined", timeout=60_000)
            got = page.evaluate("window.consumerResult")
        finally:
            page.close()
    assert "failure" not in got, got.get("failure")
    assert not errors, errors
    assert got["probe"]["stdout"] == (PROBE / "probe.expected").read_text()
    assert got["probe"]["code"] == 0
    assert got["cat"] == {"code": 0, "stdout": "from the page\n", "stderr": ""}
    assert got["write"]["code"] == 0 and got["write"]["file"] == "written by the guest"
    assert got["stdin"]["stdout"] == "typed\n"
    assert got["missing"] == {"name": "WasiError", "isWasiError": True, "errno": 44, "code": "ENOENT",
                              "message": "ENOENT: no such file or directory, open '/work/missing'"}
    assert got["badf"] == 8
    # the README's Worker: output posted as written, files listed after the run
    assert got["worker"] == {"code": 0, "files": ["w.txt"], "stdout": "", "waits": 0}
    # the README's interactive stdin: only on a cross-origin isolated page
    assert got["isolated"] is isolated
    if isolated:
        # two lines typed when the guest waited, then end of input at the third wait
        assert got["interactive"] == {"code": 0, "files": [], "stdout": "one\ntwo\n", "waits": 3}
    else:
        assert got["interactive"] is None


# --- tree-shaking -------------------------------------------------------------

def bundle_size(entry: str) -> tuple[int, dict[str, int]]:
    meta = APP / f"{entry}.meta.json"
    out = APP / "shaken" / entry
    run([BIN / "esbuild", entry, "--bundle", "--minify", "--format=esm", "--platform=browser",
         f"--outfile={out}", f"--metafile={meta}"])
    outputs = json.loads(meta.read_text())["outputs"]
    inputs = next(v for k, v in outputs.items() if not k.endswith(".map"))["inputs"]
    modules = {re.sub(r"^.*wasi-polyfill/polyfill/src/", "", k): v["bytesInOutput"]
               for k, v in inputs.items() if v["bytesInOutput"] > 0}
    return out.stat().st_size, modules


def test_tree_shaking_errno_alone(app):
    size, modules = bundle_size("errno_only.js")
    assert size <= 3072, (size, modules)
    assert set(modules) == {"errno_only.js", "generated/constants.js"}, modules


def test_tree_shaking_wasi_alone(app):
    size, modules = bundle_size("wasi_only.js")
    for m in ("vfs/node_fs.js", "trace.js", "generated/trace.js", "run/tree.js"):
        assert m not in modules, (m, modules)
    assert "wasi.js" in modules and "vfs/memfs.js" in modules
