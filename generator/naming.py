"""Names in the generated JS/TS: one function per kind of name.

Spec names are kept verbatim wherever JS allows it (`errno.badf`,
`fs_rights_base`, `runtime.fd_read`); this module only decides the few names
the spec does not give (constants, codec functions) and escapes the rest.
"""

from __future__ import annotations

import re

# Words that cannot be a JS binding name (strict mode, ES modules).
JS_RESERVED = frozenset("""
    await break case catch class const continue debugger default delete do
    else enum export extends false finally for function if implements import
    in instanceof interface let new null package private protected public
    return static super switch this throw true try typeof var void while with
    yield arguments eval
""".split())

# Names the generated glue itself binds inside `createImports`; a core param
# with one of these names would shadow them.
GLUE_NAMES = frozenset({
    "runtime", "mem", "trace", "vecs", "ret", "imports", "raw", "errno",
    "errnoCode", "toErrno", "dv", "i", "p", "n", "v", "e",
})

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def js_ident(name: str) -> str:
    """A core param or spec name as a JS binding: `result.nread` ->
    `result_nread`, `in` -> `in_`."""
    ident = name.replace(".", "_")
    if ident in JS_RESERVED or ident in GLUE_NAMES:
        ident += "_"
    if not _IDENT.match(ident):
        raise ValueError(f"{name!r} does not make a JS identifier")
    return ident


def js_key(name: str) -> str:
    """A spec name as an object-literal key: bare if it can be, quoted
    otherwise (`errno["2big"]`)."""
    return name if _IDENT.match(name) else f'"{name}"'


def js_member(obj: str, name: str) -> str:
    """`obj.name`, or `obj["name"]` when `name` is not an identifier."""
    return f"{obj}.{name}" if _IDENT.match(name) else f'{obj}["{name}"]'


def errno_code(case: str) -> str:
    """The POSIX spelling of an errno case: `badf` -> `EBADF`,
    `success` -> `ESUCCESS` (wazero's trace spelling)."""
    return "E" + case.upper()


def camel(name: str) -> str:
    """`event_fd_readwrite` -> `EventFdReadwrite`."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def reader(type_name: str) -> str:
    """Codec function reading a record/union: `readFilestat`."""
    return "read" + camel(type_name)


def writer(type_name: str) -> str:
    """Codec function writing a record/union: `writeFilestat`."""
    return "write" + camel(type_name)


def validator(type_name: str) -> str:
    """Function checking the enum/flags fields of a decoded record/union."""
    return "valid" + camel(type_name)


def formatter(type_name: str) -> str:
    """Trace formatter of a decoded record/union: `fmtFilestat`."""
    return "fmt" + camel(type_name)


def size_const(type_name: str) -> str:
    """`FILESTAT_SIZE`."""
    return type_name.upper() + "_SIZE"


def align_const(type_name: str) -> str:
    """`FILESTAT_ALIGN`."""
    return type_name.upper() + "_ALIGN"
