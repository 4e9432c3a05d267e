# wasi-polyfill — every target installs what it needs first, so on a fresh
# machine `make demo` and `make test` are all the set-up there is.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
NODE   ?= node
NPM    ?= npm
CHROMIUM ?= /usr/bin/chromium
# The hosts the differential corpus runs on in `make test` (each against native wasmtime).
CORPUS_HOSTS ?= node,browser,refhost,pyodide-node,pyodide,wasmtime,node-wasi
export CORPUS_HOSTS
# Calls `make fuzz` makes (JS runtime vs reference host, tests/fuzz/); FUZZ_SEED: the first program's seed.
FUZZ_CALLS ?= 1000000
FUZZ_SEED ?= 0

.PHONY: all setup demo test check generate build size bench fuzz fuzz-backends serve probes consumer clean

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

# Debian's Chromium for the browser hosts and the web-demo tests
# (Playwright's own browser download does not work on these machines).
$(CHROMIUM):
	@echo "==> Debian chromium"
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	 else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi

# Node 26 (JSPI on by default) for async mode's tests and benchmark (npm's `node` package).
NODE26 := build/node26/node_modules/.bin/node
$(NODE26):
	@echo "==> Node 26 at build/node26 (async mode needs JSPI)"
	$(NPM) install --prefix build/node26 --no-audit --no-fund --loglevel=error node@26

setup: $(VENV)/.installed node_modules/.installed $(CHROMIUM) $(NODE26)

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

test: setup check build probes
	$(NODE) --test tests/js/
	$(PY) -m pytest -q

# The package as a user gets it (npm pack, installed into build/consumer/app;
# Node, esbuild and Vite pages in Chromium, tsc, tree-shaking). Part of
# `make test` (pytest collects it); this runs it alone.
consumer: setup build probes
	$(PY) -m pytest -q tests/test_consumer.py

# Issue #7's benchmarks (harness/bench): build/bench.json and build/bench.md;
# then async mode's per-call costs in Node 26 and Chromium (issue #14):
# build/bench-async.json and build/bench-async.md.
# BENCH_FLAGS e.g. "--rounds 5", "--size tiny", "--hosts polyfill-node,node-wasi".
bench: setup build
	$(PY) -m harness bench $(BENCH_FLAGS)
	$(PY) tests/bench/async_bench.py

# Differential fuzzing, JS runtime vs reference host: FUZZ_CALLS raw preview1
# calls, a progress line every 5 s, exit 1 on any divergence (`make test` runs
# a short seed-stable pass: tests/test_fuzz.py).
fuzz: $(VENV)/.installed node_modules/.installed
	PYTHONPATH=tests $(PY) -m fuzz.run --calls $(FUZZ_CALLS) --seed $(FUZZ_SEED)

# The same programs on the JS runtime over MemFS vs over live host directories
# (HostDirectory, tests/fuzz/backends.py).
fuzz-backends: $(VENV)/.installed node_modules/.installed
	PYTHONPATH=tests $(PY) -m fuzz.backends --calls $(FUZZ_CALLS) --seed $(FUZZ_SEED)

demo: setup build
	$(PY) -m harness demo

serve: setup build
	$(PY) -m harness serve $(if $(PORT),--port $(PORT))

clean:
	rm -rf build polyfill/dist
