"""WASI preview1 as Python data.

- `model`: the vocabulary (Alias, Enum, Flags, Record, Union, Function, ...);
- `types`: every typename of typenames.witx (`ERRNO`, `FDSTAT`, ...), `TYPES`;
- `functions`: the 46 functions of wasi_snapshot_preview1.witx (`FD_READ`,
  ...), `FUNCTIONS`;
- `layout`: sizes, alignments and offsets in guest memory;
- `abi`: the lowering of each function to its core wasm signature.

Everything of `model`, `types` and `functions` is re-exported here, so
`spec.ERRNO`, `spec.FD_READ` and `spec.Record` all work.
"""

from __future__ import annotations

from . import abi, layout, model
from .functions import *  # noqa: F401,F403
from .functions import FUNCTIONS
from .functions import __all__ as _function_names
from .model import *  # noqa: F401,F403
from .model import Function, NamedType
from .model import __all__ as _model_names
from .types import *  # noqa: F401,F403
from .types import TYPES
from .types import __all__ as _type_names

_TYPES_BY_NAME = {t.name: t for t in TYPES}
_FUNCTIONS_BY_NAME = {f.name: f for f in FUNCTIONS}


def type_by_name(name: str) -> NamedType:
    """The named type `name` (witx spelling, with or without the `$`)."""
    try:
        return _TYPES_BY_NAME[name.removeprefix("$")]
    except KeyError:
        raise KeyError(f"no preview1 type named {name!r}") from None


def function_by_name(name: str) -> Function:
    """The function exported as `name` (e.g. "fd_read")."""
    try:
        return _FUNCTIONS_BY_NAME[name]
    except KeyError:
        raise KeyError(f"no preview1 function named {name!r}") from None


__all__ = [
    *_model_names,
    *_type_names,
    *_function_names,
    "abi",
    "layout",
    "model",
    "type_by_name",
    "function_by_name",
]
