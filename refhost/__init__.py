"""The reference host: WASI preview1 in pure Python.

A second, independent implementation of the 46 preview1 functions, so the
JS polyfill can be cross-checked against it natively (on the `wasmtime`
package) and in the same browser page (under Pyodide). Module for module the
twin of the JS runtime:

- `wasi`: `Wasi`, the public class (options in, import functions out);
- `runtime`: `Runtime`, one program's state with the 46 functions as methods;
- `generated/` (`imports`, `layouts`, `trace`): the glue, rendered from `spec/`
  by `generator/`;
- `memory`: guest memory access, `IoVecs`, `GuestString`, hostcall fuel;
  `errors`: WasiError, Trap, ProcExit, errno;
- `fd_table`, `stdio`, `clocks`, `random`, `poll`;
- `vfs/` (`inode`, `path`, `memfs`, `tree`): the in-memory filesystem;
- `syscalls/` (`args`, `clock`, `fd`, `path`, `poll`, `proc`, `random`, `sock`);
- `engines/`: `wasmtime` (native) and `pyodide` (the browser's WebAssembly).

refhost/README.md has the map beside the JS runtime's.

Importing this package needs nothing but the standard library; each engine
imports its own dependencies when used.
"""

from .errors import ProcExit, Trap, WasiError
from .stdio import BufferOutput, BytesInput, CallbackInput, CallbackOutput, FdInput, FdOutput
from .vfs.memfs import MemFS
from .wasi import Wasi

__all__ = ["BufferOutput", "BytesInput", "CallbackInput", "CallbackOutput", "FdInput", "FdOutput",
           "MemFS", "ProcExit", "Trap", "Wasi", "WasiError"]
