"""Engine bindings: the same `Wasi` on two WebAssembly engines.

- `wasmtime`: natively, on the `wasmtime` package (imports it);
- `pyodide`: under Pyodide, on the JS `WebAssembly` engine (imports `js`).

Neither is imported by `refhost` itself.
"""
