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
# Calls of `make fuzz`'s native sample (the programs also run under wasmtime, tests/fuzz/native.py).
FUZZ_NATIVE_CALLS ?= 100000

.PHONY: all setup demo test check generate build size bench fuzz mutate serve probes consumer clean

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

setup: $(VENV)/.installed node_modules/.installed $(CHROMIUM)

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

test: setup check build probes
	$(NODE) --test tests/js/
	$(PY) -m pytest -q

# The package as a user gets it (npm pack, installed into build/consumer/app;
# Node, esbuild and Vite pages in Chromium, tsc, tree-shaking). Part of
# `make test` (pytest collects it); this runs it alone.
consumer: setup build probes
	$(PY) -m pytest -q tests/test_consumer.py

# Issue #7's benchmarks (harness/bench): build/bench.json and build/bench.md.
# BENCH_FLAGS e.g. "--rounds 5", "--size tiny", "--hosts polyfill-node,node-wasi".
bench: setup build
	$(PY) -m harness bench $(BENCH_FLAGS)

# Differential fuzzing, JS runtime vs reference host: FUZZ_CALLS raw preview1
# calls drawn against the state they build, a progress line every 5 s, the
# coverage table per function; then FUZZ_NATIVE_CALLS calls also run natively
# under wasmtime; exit 1 on any divergence (`make test` runs a short
# seed-stable pass with a coverage floor: tests/test_fuzz.py).
fuzz: $(VENV)/.installed node_modules/.installed
	PYTHONPATH=tests $(PY) -m fuzz.run --calls $(FUZZ_CALLS) --seed $(FUZZ_SEED) --native-calls $(FUZZ_NATIVE_CALLS)

# Mutation testing of the JS runtime's core (tests/mutate.py) against the fast
# tests (JS unit tests, then the corpus on node): the score and every surviving
# mutant, also in build/mutate.json. Slow (seconds a mutant), so not in `make
# test`; MUTATE_FLAGS e.g. "--max 60 --seed 1", "--no-corpus", or files.
mutate: $(VENV)/.installed node_modules/.installed probes
	$(PY) tests/mutate.py $(MUTATE_FLAGS)

demo: setup build
	$(PY) -m harness demo

serve: setup build
	$(PY) -m harness serve $(if $(PORT),--port $(PORT))

clean:
	rm -rf build polyfill/dist
