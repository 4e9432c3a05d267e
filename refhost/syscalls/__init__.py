"""The 46 preview1 functions, one group per module (as wazero splits them):
`args`, `clock`, `fd`, `path`, `poll`, `proc` (with `sched_yield`),
`random`, `sock`. Each module is a mixin of `Runtime` (`runtime.py`); each
method is named as the spec names the function and takes the typed values
the generated glue decodes (`generated/imports.py`; the shapes are in
`generator/pyhost.py`). Each lists the errnos it can return, as
`spec/errnos.py` has them (tests/test_errnos.py compares)."""
