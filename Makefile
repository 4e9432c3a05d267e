# wasi-polyfill — every target installs what it needs first, so on a fresh
# machine `make demo` and `make test` are all the set-up there is.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
NODE   ?= node
NPM    ?= npm
CHROMIUM ?= /usr/bin/chromium
FIREFOX ?= /usr/bin/firefox-esr
WEBKIT_WEBDRIVER ?= /usr/bin/WebKitWebDriver
XVFB ?= /usr/bin/Xvfb
# The Node lines besides the system's `node` (Debian's 20) that `make test`
# runs the Node-side tests and the node host's corpus under: the npm package
# `node` at each major, in build/node-lines/N (`make node-lines`).
NODE_LINES ?= 22 24 26
# The hosts the differential corpus runs on in `make test` (each against
# native wasmtime), and the Node lines it also runs the node host under
# (tests/test_corpus.py): all of it on the active LTS, one case in four on
# the other lines, for time (each line agreed on every case when measured).
CORPUS_HOSTS ?= node,browser,firefox,webkit,refhost,pyodide-node,pyodide,wasmtime,node-wasi
CORPUS_NODE_LINES ?= 22/4,24,26/4
# The corpus on HandleDirectory over OPFS (tests/test_handledir.py): worker /
# main thread (JSPI) in Chromium and Firefox; "/4" = every fourth case. `make
# test` runs every case in Chromium's worker and a quarter elsewhere, for
# time; `make test-opfs` every case on all four (OPFS_CORPUS_ALL), unless
# OPFS_CORPUS is given.
OPFS_CORPUS ?= browser-opfs,firefox-opfs/4,browser-opfs-main/4,firefox-opfs-main/4
OPFS_CORPUS_ALL = browser-opfs,firefox-opfs,browser-opfs-main,firefox-opfs-main
export CORPUS_HOSTS CORPUS_NODE_LINES OPFS_CORPUS
# Calls `make fuzz` makes (JS runtime vs reference host, tests/fuzz/); FUZZ_SEED: the first program's seed.
FUZZ_CALLS ?= 1000000
FUZZ_SEED ?= 0
# Calls `make fuzz-backends` makes on each backend: MemFS vs HostDirectory in
# Node (~700 calls/s on this machine under load), then MemFS vs HandleDirectory
# over OPFS in Chromium's worker (~100-150 calls/s: each program opens three
# stores on a fresh OPFS directory).
FUZZ_HOST_CALLS ?= $(FUZZ_CALLS)
FUZZ_OPFS_CALLS ?= $(FUZZ_CALLS)
# Calls of `make fuzz`'s native sample (the programs also run under wasmtime, tests/fuzz/native.py).
FUZZ_NATIVE_CALLS ?= 100000

.PHONY: all setup demo test test-node-lines node-lines browsers check generate build size bench fuzz fuzz-backends mutate serve probes consumer test-opfs clean

all: test

# --- set-up ---------------------------------------------------------------

$(VENV)/.installed: pyproject.toml
	@echo "==> Python venv at $(VENV) (jinja2, pytest, hypothesis, wasmtime, ziglang, playwright)"
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is needed, found " + sys.version.split()[0]'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "==> npm dependencies (esbuild, pyodide, browser_wasi_shim)"
	@command -v $(NODE) >/dev/null || { echo "Node.js >= 20 is needed (apt-get install nodejs)"; exit 1; }
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian packages, as root or through sudo.
apt_install = if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	 else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; fi

# Debian's browsers for the browser hosts and the web-demo tests (Playwright's
# own browser downloads do not work on these machines): Chromium; Firefox ESR
# (driven over WebDriver BiDi by puppeteer-core); WebKitGTK's MiniBrowser and
# WebKitWebDriver, on an Xvfb display (harness/browsers/).
$(CHROMIUM):
	@echo "==> Debian chromium"
	@$(call apt_install,chromium)

$(FIREFOX):
	@echo "==> Debian firefox-esr"
	@$(call apt_install,firefox-esr)

$(WEBKIT_WEBDRIVER) $(XVFB):
	@echo "==> Debian webkit2gtk-driver, xvfb"
	@$(call apt_install,webkit2gtk-driver xvfb)

browsers: $(CHROMIUM) $(FIREFOX) $(WEBKIT_WEBDRIVER) $(XVFB)

# Another Node line: the npm package `node` at that major (a binary shipped
# in the registry package), in its own prefix.
build/node-lines/%/.installed:
	@echo "==> Node $* (npm package node@$*)"
	$(NPM) install --no-audit --no-fund --loglevel=error --prefix build/node-lines/$* node@$*
	@touch $@

node-lines: $(foreach v,$(NODE_LINES),build/node-lines/$(v)/.installed)

setup: $(VENV)/.installed node_modules/.installed browsers node-lines

# --- build ----------------------------------------------------------------

generate: $(VENV)/.installed
	$(PY) -m harness generate

check: $(VENV)/.installed
	$(PY) -m harness generate --check

build: setup
	$(NODE) polyfill/build.mjs

size: build
	$(NODE) polyfill/build.mjs --size

# --- the two commands ------------------------------------------------------

# The JS tests' probe programs, built from our C sources (cached by content hash).
probes: $(VENV)/.installed
	$(PY) -m harness.toolchain --copy-to tests/js/probe tests/js/probe/probe.c tests/js/probe/probe_paths.c tests/js/probe/tool.c tests/corpus/wat/adv_paths.wat tests/corpus/wat/adv_names.wat tests/corpus/wat/adv_preopen.wat tests/corpus/c/adv_libc.c >/dev/null
	$(PY) -m harness.toolchain --copy-to tests/js/async tests/js/async/lines.c tests/js/async/poll.c tests/js/async/files.c examples/calc.c examples/guess.c >/dev/null

# pytest in two workers: one runs every browser- and Pyodide-bound test in
# order, the other the rest beside it (tests/conftest.py, the end).
test: setup check build probes test-node-lines
	$(NODE) --test tests/js/*.test.mjs
	$(PY) -m pytest -q -n 2 --dist loadscope

# The Node-side tests under each other Node line (the corpus on node@N runs in
# `make test`'s pytest, through CORPUS_NODE_LINES); every line runs, then any failure fails.
test-node-lines: setup build probes
	@failed=""; for v in $(NODE_LINES); do \
	  echo "==> node --test tests/js/ under Node $$(build/node-lines/$$v/node_modules/.bin/node --version)"; \
	  build/node-lines/$$v/node_modules/.bin/node --test tests/js/*.test.mjs || failed="$$failed $$v"; \
	done; \
	if [ -n "$$failed" ]; then echo "Node-side tests failed under Node$$failed"; exit 1; fi

# The package as a user gets it (npm pack, installed into build/consumer/app;
# Node, esbuild and Vite pages in Chromium, tsc, tree-shaking). Part of
# `make test` (pytest collects it); this runs it alone.
# HandleDirectory over OPFS (tests/test_handledir.py) alone: the corpus on
# every case on all four hosts, the reload / killed-tab / second-tab tests,
# the short OPFS fuzz pass. Part of `make test` (pytest collects it, with
# the corpus sampled: OPFS_CORPUS); OPFS_CORPUS=... narrows this one too.
test-opfs: setup build probes
	OPFS_CORPUS="$(if $(filter command line environment,$(origin OPFS_CORPUS)),$(OPFS_CORPUS),$(OPFS_CORPUS_ALL))" $(PY) -m pytest -q tests/test_handledir.py

consumer: setup build probes
	$(PY) -m pytest -q tests/test_consumer.py

# Issue #7's benchmarks (harness/bench): build/bench.json and build/bench.md;
# then the browser-backed CLI suite, 72 corpus programs on --host browser vs
# node (issue #17): build/bench-cliruns.json and .md; then async mode's per-call costs in Node 26 and Chromium (issue #14):
# build/bench-async.json and build/bench-async.md.
# Then HandleDirectory over OPFS vs the raw OPFS API in Chromium's worker
# (issue #15): build/bench-opfs.json and build/bench-opfs.md.
# BENCH_FLAGS e.g. "--rounds 5", "--size tiny", "--hosts polyfill-node,node-wasi";
# OPFS_BENCH_FLAGS e.g. "--rounds 3 --mib 16 --dirs 5 --files 50".
bench: setup build
	$(PY) -m harness bench $(BENCH_FLAGS)
	$(PY) tests/bench/cliruns.py
	$(PY) tests/bench/async_bench.py
	$(PY) tests/bench/opfs_bench.py $(OPFS_BENCH_FLAGS)

# Differential fuzzing, JS runtime vs reference host: FUZZ_CALLS raw preview1
# calls drawn against the state they build, a progress line every 5 s, the
# coverage table per function; then FUZZ_NATIVE_CALLS calls also run natively
# under wasmtime (with their own coverage table; the native part alone:
# `PYTHONPATH=tests .venv/bin/python -m fuzz.run --calls 1 --native-calls N`);
# exit 1 on any divergence (`make test` runs a short
# seed-stable pass with a coverage floor: tests/test_fuzz.py).
fuzz: $(VENV)/.installed node_modules/.installed
	PYTHONPATH=tests $(PY) -m fuzz.run --calls $(FUZZ_CALLS) --seed $(FUZZ_SEED) --native-calls $(FUZZ_NATIVE_CALLS)

# Mutation testing of the JS runtime's core (tests/mutate.py) against the fast
# tests (JS unit tests, then the corpus on node): the score and every surviving
# mutant, also in build/mutate.json. Slow (seconds a mutant), so not in `make
# test`; MUTATE_FLAGS e.g. "--max 60 --seed 1", "--no-corpus", or files.
mutate: $(VENV)/.installed node_modules/.installed probes
	$(PY) tests/mutate.py $(MUTATE_FLAGS)

# The same programs on the JS runtime over MemFS vs over live host directories
# (HostDirectory, tests/fuzz/backends.py), then vs HandleDirectory over OPFS
# in Chromium (tests/fuzz/opfs.py; `make test` runs a short pass of it:
# tests/test_handledir.py). A count of 0 skips that backend.
fuzz-backends: $(VENV)/.installed node_modules/.installed $(CHROMIUM)
	if [ "$(FUZZ_HOST_CALLS)" != 0 ]; then PYTHONPATH=tests $(PY) -m fuzz.backends --calls $(FUZZ_HOST_CALLS) --seed $(FUZZ_SEED); fi
	if [ "$(FUZZ_OPFS_CALLS)" != 0 ]; then PYTHONPATH=tests $(PY) -m fuzz.opfs --calls $(FUZZ_OPFS_CALLS) --seed $(FUZZ_SEED); fi

demo: setup build
	$(PY) -m harness demo

serve: setup build
	$(PY) -m harness serve $(if $(PORT),--port $(PORT))

clean:
	rm -rf build polyfill/dist
