"""The 46 preview1 functions, one group per module (as wazero splits them):
`args`, `clock`, `fd`, `path`, `poll`, `proc` (with `sched_yield`),
`random`, `sock`. Each module is a mixin of `Wasi` (`wasi.py`); each method
is named as the spec names the function and takes the typed values the ABI
layer decodes (see `abi.py` for the shapes). Each lists the errnos it can
return."""
