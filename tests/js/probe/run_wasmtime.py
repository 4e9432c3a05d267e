"""Run a WASI command under wasmtime (the `wasmtime` Python package), as the
reference the JS runtime is compared against:

    run_wasmtime.py [--dir HOST::GUEST]... PROGRAM.wasm|PROGRAM.wat [ARGS...]

stdio is inherited; exit status is the guest's (134 after a trap, 1 for
another wasmtime error, e.g. proc_exit with a status >= 126).
"""
import sys, wasmtime
args = sys.argv[1:]
dirs = []
while args and args[0] == '--dir':
    h, _, g = args[1].partition('::'); dirs.append((h, g or h)); args = args[2:]
wasm = args[0]
engine = wasmtime.Engine()
store = wasmtime.Store(engine)
cfg = wasmtime.WasiConfig()
cfg.argv = args
cfg.inherit_stdout(); cfg.inherit_stderr(); cfg.inherit_stdin()
for h, g in dirs: cfg.preopen_dir(h, g)
store.set_wasi(cfg)
linker = wasmtime.Linker(engine); linker.define_wasi()
mod = wasmtime.Module.from_file(engine, wasm) if wasm.endswith('.wasm') else wasmtime.Module(engine, wasmtime.wat2wasm(open(wasm).read()))
inst = linker.instantiate(store, mod)
try:
    inst.exports(store)["_start"](store)
    code = 0
except wasmtime.ExitTrap as e:
    code = e.code
except wasmtime.Trap as e:
    print("TRAP:", str(e).splitlines()[0], file=sys.stderr); code = 134
except wasmtime.WasmtimeError as e:
    print("ERR:", str(e).splitlines()[0], file=sys.stderr); code = 1
sys.stdout.flush(); sys.exit(code)
