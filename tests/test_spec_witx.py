"""`spec/` against the official preview1 witx.

The witx is read by our own reader (tests/witx.py) into plain Python values;
layouts and core signatures are recomputed here from those values, by rules
written down independently of `spec.layout` and `spec.abi`, and compared.
Known golden values are asserted explicitly as well.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest

import spec
from spec import model

REFERENCE = Path(__file__).resolve().parents[2] / "shared/reference/wasi-preview1"


def _load_reader():
    path = Path(__file__).resolve().parent / "witx.py"
    mod_spec = importlib.util.spec_from_file_location("_wasi_polyfill_tests_witx", path)
    module = importlib.util.module_from_spec(mod_spec)
    mod_spec.loader.exec_module(module)
    return module


witx = _load_reader()


@pytest.fixture(scope="module")
def ref() -> dict:
    main = REFERENCE / "wasi_snapshot_preview1.witx"
    if not main.is_file():
        message = f"preview1 reference not found at {REFERENCE}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return witx.load(main)


@pytest.fixture(scope="module")
def ref_types(ref) -> dict:
    return ref["types"]


@pytest.fixture(scope="module")
def ref_functions(ref) -> dict:
    return {f["name"]: f for f in ref["functions"]}


# --- helpers -----------------------------------------------------------------


def norm_doc(doc: str) -> list[str]:
    """Paragraphs of a doc, whitespace inside each collapsed: reflowing a doc
    is allowed, changing its words or paragraphs is not."""
    paragraphs = re.split(r"\n[ \t]*\n", doc.strip())
    return [" ".join(p.split()) for p in paragraphs if p.strip()]


def spell_ref(r: tuple) -> str:
    """A witx type reference in `spec.model.name_of`'s spelling."""
    kind = r[0]
    if kind in ("named", "builtin"):
        return r[1]
    if kind == "string":
        return "string"
    if kind in ("pointer", "const_pointer", "list"):
        return f"{kind}<{spell_ref(r[1])}>"
    if kind == "tuple":
        return "tuple<" + ", ".join(spell_ref(i) for i in r[1]) + ">"
    raise AssertionError(r)


def assert_same_type(spec_type, r: tuple, where: str) -> None:
    """The spec's type reference is the witx's: same spelling, and a named
    type is *the* module-level object of that name (not a lookalike)."""
    assert model.name_of(spec_type) == spell_ref(r), where
    kind = r[0]
    if kind == "named":
        assert spec_type is spec.type_by_name(r[1]), f"{where}: not the {r[1]} constant"
    elif kind == "builtin":
        assert spec_type is model.BUILTINS[r[1]], where
    elif kind == "string":
        assert isinstance(spec_type, model.String), where
    elif kind in ("pointer", "const_pointer"):
        assert isinstance(spec_type, model.Pointer), where
        assert spec_type.const == (kind == "const_pointer"), where
        assert_same_type(spec_type.to, r[1], where + "<to>")
    elif kind == "list":
        assert isinstance(spec_type, model.List), where
        assert_same_type(spec_type.of, r[1], where + "<of>")
    elif kind == "tuple":
        assert isinstance(spec_type, model.Tuple), where
        assert len(spec_type.items) == len(r[1]), where
        for i, (s, w) in enumerate(zip(spec_type.items, r[1])):
            assert_same_type(s, w, f"{where}<{i}>")
    else:
        raise AssertionError(r)


# --- names and order ---------------------------------------------------------


def test_type_names_and_order(ref_types):
    assert [t.name for t in spec.TYPES] == list(ref_types)
    assert len(spec.TYPES) == 46
    for t in spec.TYPES:
        assert getattr(spec, t.name.upper()) is t
        assert spec.type_by_name(t.name) is t
        assert spec.type_by_name("$" + t.name) is t


def test_function_names_and_order(ref_functions):
    assert [f.name for f in spec.FUNCTIONS] == list(ref_functions)
    assert len(spec.FUNCTIONS) == 46
    for f in spec.FUNCTIONS:
        assert getattr(spec, f.name.upper()) is f
        assert spec.function_by_name(f.name) is f


def test_lookup_of_unknown_names():
    with pytest.raises(KeyError):
        spec.type_by_name("nosuchtype")
    with pytest.raises(KeyError):
        spec.function_by_name("fd_nosuchcall")


def test_package_exports():
    assert spec.layout.size_of is not None and spec.abi.lower is not None
    for name in ("Record", "Enum", "Function", "U8", "STRING", "TYPES", "FUNCTIONS", "ERRNO",
                 "FD_READ", "type_by_name", "function_by_name", "layout", "abi"):
        assert name in spec.__all__
        assert hasattr(spec, name)


# --- types -------------------------------------------------------------------

KIND = {
    "alias": model.Alias,
    "handle": model.Handle,
    "enum": model.Enum,
    "flags": model.Flags,
    "record": model.Record,
    "union": model.Union,
}


@pytest.mark.parametrize("t", spec.TYPES, ids=lambda t: t.name)
def test_type(t, ref_types):
    w = ref_types[t.name]
    assert type(t) is KIND[w["kind"]]
    assert norm_doc(t.doc) == norm_doc(w["doc"]), f"{t.name} doc"
    kind = w["kind"]
    if kind == "alias":
        assert_same_type(t.of, w["of"], t.name)
    elif kind == "enum":
        assert t.tag is model.BUILTINS[w["tag"]]
        assert [c.name for c in t.cases] == [name for name, _ in w["cases"]]
        for i, (case, (name, doc)) in enumerate(zip(t.cases, w["cases"])):
            assert t.value(name) == i
            assert norm_doc(case.doc) == norm_doc(doc), f"{t.name}.{name} doc"
    elif kind == "flags":
        assert t.repr is model.BUILTINS[w["repr"]]
        assert [f.name for f in t.flags] == [name for name, _ in w["flags"]]
        assert len(t.flags) <= t.repr.bits
        for i, (flag, (name, doc)) in enumerate(zip(t.flags, w["flags"])):
            assert t.bit(name) == 1 << i
            assert norm_doc(flag.doc) == norm_doc(doc), f"{t.name}.{name} doc"
        assert t.mask == (1 << len(w["flags"])) - 1
    elif kind == "record":
        assert [f.name for f in t.fields] == [name for name, _, _ in w["fields"]]
        for field, (name, r, doc) in zip(t.fields, w["fields"]):
            assert_same_type(field.type, r, f"{t.name}.{name}")
            assert norm_doc(field.doc) == norm_doc(doc), f"{t.name}.{name} doc"
    elif kind == "union":
        assert t.tag is spec.type_by_name(w["tag"])
        tag_cases = [name for name, _ in ref_types[w["tag"]]["cases"]]
        assert len(w["variants"]) == len(tag_cases)
        assert [v.case for v in t.variants] == tag_cases
        for v, r in zip(t.variants, w["variants"]):
            assert_same_type(v.type, r, f"{t.name}.{v.case}")


def test_enum_and_flags_goldens():
    assert spec.ERRNO.tag is model.U16 and len(spec.ERRNO.cases) == 77
    assert spec.ERRNO.value("success") == 0
    assert spec.ERRNO.value("2big") == 1
    assert spec.ERRNO.value("acces") == 2
    assert spec.ERRNO.value("badf") == 8
    assert spec.ERRNO.value("inval") == 28
    assert spec.ERRNO.value("noent") == 44
    assert spec.ERRNO.value("nosys") == 52
    assert spec.ERRNO.value("notcapable") == 76
    assert spec.CLOCKID.tag is model.U32 and spec.CLOCKID.value("monotonic") == 1
    assert spec.FILETYPE.value("regular_file") == 4
    assert spec.FILETYPE.value("symbolic_link") == 7
    assert spec.WHENCE.value("end") == 2
    assert spec.RIGHTS.repr is model.U64 and len(spec.RIGHTS.flags) == 30
    assert spec.RIGHTS.bit("fd_read") == 2
    assert spec.RIGHTS.bit("path_open") == 1 << 13
    assert spec.RIGHTS.bit("sock_accept") == 1 << 29
    assert spec.FDFLAGS.bit("nonblock") == 4
    assert spec.OFLAGS.bit("trunc") == 8
    assert spec.LOOKUPFLAGS.repr is model.U32
    assert spec.SDFLAGS.repr is model.U8
    assert spec.SIGNAL.value("kill") == 9 and len(spec.SIGNAL.cases) == 31
    assert spec.SIFLAGS == model.Alias("siflags", model.U16, spec.SIFLAGS.doc)
    assert isinstance(spec.FD, model.Handle)
    assert spec.IOVEC_ARRAY.of == model.List(spec.IOVEC)


# --- functions ---------------------------------------------------------------

RESULT_NAMES = {
    "args_sizes_get": ("argc", "argv_len"),
    "environ_sizes_get": ("environc", "environv_len"),
    "clock_res_get": ("resolution",),
    "clock_time_get": ("timestamp",),
    "fd_fdstat_get": ("stat",),
    "fd_filestat_get": ("buf",),
    "fd_pread": ("nread",),
    "fd_prestat_get": ("prestat",),
    "fd_pwrite": ("nwritten",),
    "fd_read": ("nread",),
    "fd_readdir": ("bufused",),
    "fd_seek": ("newoffset",),
    "fd_tell": ("offset",),
    "fd_write": ("nwritten",),
    "path_filestat_get": ("buf",),
    "path_open": ("opened_fd",),
    "path_readlink": ("bufused",),
    "poll_oneoff": ("nevents",),
    "sock_accept": ("fd",),
    "sock_recv": ("ro_datalen", "ro_flags"),
    "sock_send": ("so_datalen",),
}


def _ok_refs(w: dict) -> list[tuple]:
    if w["result"] is None or w["result"]["ok"] is None:
        return []
    ok = w["result"]["ok"]
    return list(ok[1]) if ok[0] == "tuple" else [ok]


@pytest.mark.parametrize("f", spec.FUNCTIONS, ids=lambda f: f.name)
def test_function(f, ref_functions):
    w = ref_functions[f.name]
    assert norm_doc(f.doc) == norm_doc(w["doc"]), f"{f.name} doc"
    assert [p.name for p in f.params] == [name for name, _, _ in w["params"]]
    for p, (name, r, doc) in zip(f.params, w["params"]):
        assert_same_type(p.type, r, f"{f.name}({name})")
        assert norm_doc(p.doc) == norm_doc(doc), f"{f.name}({name}) doc"
    assert f.noreturn == w["noreturn"]
    if w["result"] is None:
        assert f.result is None
        assert f.result_doc == ""
    else:
        assert isinstance(f.result, model.Expected)
        assert_same_type(f.result.error, w["result"]["error"], f"{f.name} error")
        if w["result"]["ok"] is None:
            assert f.result.ok is None
        else:
            assert_same_type(f.result.ok, w["result"]["ok"], f"{f.name} ok")
        assert norm_doc(f.result_doc) == norm_doc(w["result"]["doc"]), f"{f.name} result doc"
    assert len(f.ok_types()) == len(_ok_refs(w))
    assert f.result_names == RESULT_NAMES.get(f.name, ())


def test_function_goldens():
    assert spec.PROC_EXIT.noreturn and spec.PROC_EXIT.result is None
    assert [f.name for f in spec.FUNCTIONS if f.noreturn] == ["proc_exit"]
    assert all(f.result.error is spec.ERRNO for f in spec.FUNCTIONS if f.result is not None)
    assert spec.SOCK_RECV.result.ok == model.Tuple((spec.SIZE, spec.ROFLAGS))
    assert spec.ARGS_SIZES_GET.result.ok == model.Tuple((spec.SIZE, spec.SIZE))
    assert spec.PATH_OPEN.result.ok is spec.FD
    assert spec.FD_CLOSE.result == model.Expected(None, spec.ERRNO)
    assert spec.POLL_ONEOFF.params[0].type == model.Pointer(spec.SUBSCRIPTION, const=True)
    assert spec.ARGS_GET.params[0].type == model.Pointer(model.Pointer(model.U8))


# --- layout, computed independently from the witx ------------------------------

BUILTIN_SIZE = {"u8": 1, "s8": 1, "u16": 2, "s16": 2, "u32": 4, "s32": 4, "u64": 8, "s64": 8}


def _align_to(n: int, a: int) -> int:
    return -(-n // a) * a


class IndependentLayout:
    """The witx ABI's memory layout (wasm32), from the witx values alone."""

    def __init__(self, types: dict):
        self.types = types

    def size_align(self, r: tuple) -> tuple[int, int]:
        kind = r[0]
        if kind == "builtin":
            return BUILTIN_SIZE[r[1]], BUILTIN_SIZE[r[1]]
        if kind in ("pointer", "const_pointer"):
            return 4, 4
        if kind in ("string", "list"):
            return 8, 4
        assert kind == "named", r
        t = self.types[r[1]]
        if t["kind"] == "alias":
            return self.size_align(t["of"])
        if t["kind"] == "handle":
            return 4, 4
        if t["kind"] == "enum":
            return BUILTIN_SIZE[t["tag"]], BUILTIN_SIZE[t["tag"]]
        if t["kind"] == "flags":
            return BUILTIN_SIZE[t["repr"]], BUILTIN_SIZE[t["repr"]]
        if t["kind"] == "record":
            offsets, size, align = self.record(t)
            return size, align
        if t["kind"] == "union":
            payload_offset, size, align = self.union(t)
            return size, align
        raise AssertionError(t)

    def record(self, t: dict) -> tuple[list[tuple[str, int, int]], int, int]:
        """([(field, offset, size)], size, align) as a C struct."""
        offset, align, out = 0, 1, []
        for name, r, _ in t["fields"]:
            fs, fa = self.size_align(r)
            offset = _align_to(offset, fa)
            out.append((name, offset, fs))
            offset += fs
            align = max(align, fa)
        return out, _align_to(offset, align), align

    def union(self, t: dict) -> tuple[int, int, int]:
        """(payload offset, size, align): the tag, then the payload aligned to
        the largest variant alignment, all rounded up to the union alignment."""
        tag_size, tag_align = self.size_align(("named", t["tag"]))
        payload_size = max(self.size_align(v)[0] for v in t["variants"])
        payload_align = max(self.size_align(v)[1] for v in t["variants"])
        payload_offset = _align_to(tag_size, payload_align)
        align = max(tag_align, payload_align)
        return payload_offset, _align_to(payload_offset + payload_size, align), align


@pytest.mark.parametrize("t", spec.TYPES, ids=lambda t: t.name)
def test_layout(t, ref_types):
    ind = IndependentLayout(ref_types)
    w = ref_types[t.name]
    assert spec.layout.size_align(t) == ind.size_align(("named", t.name))
    assert spec.layout.size_of(t) == ind.size_align(("named", t.name))[0]
    assert spec.layout.align_of(t) == ind.size_align(("named", t.name))[1]
    if w["kind"] == "record":
        offsets, _, _ = ind.record(w)
        got = [(fl.name, fl.offset, fl.size) for fl in spec.layout.field_layouts(t)]
        assert got == offsets
    if w["kind"] == "union":
        payload_offset, _, _ = ind.union(w)
        assert spec.layout.union_payload_offset(t) == payload_offset


def _offsets(record) -> dict[str, int]:
    return {fl.name: fl.offset for fl in spec.layout.field_layouts(record)}


def test_layout_goldens():
    L = spec.layout
    assert L.size_align(spec.FILESTAT) == (64, 8)
    assert _offsets(spec.FILESTAT) == {
        "dev": 0, "ino": 8, "filetype": 16, "nlink": 24,
        "size": 32, "atim": 40, "mtim": 48, "ctim": 56,
    }
    assert L.size_align(spec.DIRENT) == (24, 8)
    assert _offsets(spec.DIRENT) == {"d_next": 0, "d_ino": 8, "d_namlen": 16, "d_type": 20}
    assert L.size_align(spec.FDSTAT) == (24, 8)
    assert _offsets(spec.FDSTAT) == {
        "fs_filetype": 0, "fs_flags": 2, "fs_rights_base": 8, "fs_rights_inheriting": 16,
    }
    assert L.size_align(spec.SUBSCRIPTION_CLOCK) == (32, 8)
    assert _offsets(spec.SUBSCRIPTION_CLOCK) == {"id": 0, "timeout": 8, "precision": 16, "flags": 24}
    assert L.size_align(spec.SUBSCRIPTION_U) == (40, 8)
    assert L.union_payload_offset(spec.SUBSCRIPTION_U) == 8
    assert L.size_align(spec.SUBSCRIPTION) == (48, 8)
    assert _offsets(spec.SUBSCRIPTION) == {"userdata": 0, "u": 8}
    assert L.size_align(spec.EVENT_FD_READWRITE) == (16, 8)
    assert L.size_align(spec.EVENT) == (32, 8)
    assert _offsets(spec.EVENT) == {"userdata": 0, "error": 8, "type": 10, "fd_readwrite": 16}
    assert L.size_align(spec.PRESTAT) == (8, 4)
    assert L.union_payload_offset(spec.PRESTAT) == 4
    assert L.size_align(spec.IOVEC) == (8, 4)
    assert L.size_align(spec.CIOVEC) == (8, 4)
    assert _offsets(spec.IOVEC) == {"buf": 0, "buf_len": 4}
    assert L.size_align(spec.ERRNO) == (2, 2)
    assert L.size_align(spec.RIGHTS) == (8, 8)
    assert L.size_align(spec.FD) == (4, 4)


# --- core signatures, computed independently from the witx ---------------------


def _core(types: dict, r: tuple) -> str:
    while r[0] == "named":
        t = types[r[1]]
        if t["kind"] == "alias":
            r = t["of"]
        elif t["kind"] == "handle":
            return "i32"
        elif t["kind"] in ("enum", "flags"):
            r = ("builtin", t["tag"] if t["kind"] == "enum" else t["repr"])
        else:
            raise AssertionError(f"{r} is not passed by value")
    if r[0] == "builtin":
        return "i64" if BUILTIN_SIZE[r[1]] == 8 else "i32"
    if r[0] in ("pointer", "const_pointer"):
        return "i32"
    raise AssertionError(r)


def _is_pair(types: dict, r: tuple) -> bool:
    while r[0] == "named" and types[r[1]]["kind"] == "alias":
        r = types[r[1]]["of"]
    return r[0] in ("string", "list")


def independent_lowering(types: dict, w: dict, result_names) -> tuple[list, list, tuple]:
    names, params = [], []
    for name, r, _ in w["params"]:
        if _is_pair(types, r):
            names += [name, name + "_len"]
            params += ["i32", "i32"]
        else:
            names.append(name)
            params.append(_core(types, r))
    for name, _ in zip(result_names, _ok_refs(w)):
        names.append("result." + name)
        params.append("i32")
    results = () if w["noreturn"] else ("i32",)
    return names, params, results


@pytest.mark.parametrize("f", spec.FUNCTIONS, ids=lambda f: f.name)
def test_lowering(f, ref_types, ref_functions):
    w = ref_functions[f.name]
    names, params, results = independent_lowering(ref_types, w, f.result_names)
    sig = spec.abi.lower(f)
    assert list(sig.param_types) == params
    assert [p.name for p in sig.params] == names
    assert sig.results == results


GOLDEN_SIGNATURES = {
    "args_get": (("i32", "i32"), ("i32",)),
    "args_sizes_get": (("i32", "i32"), ("i32",)),
    "clock_time_get": (("i32", "i64", "i32"), ("i32",)),
    "fd_read": (("i32", "i32", "i32", "i32"), ("i32",)),
    "fd_write": (("i32", "i32", "i32", "i32"), ("i32",)),
    "fd_pread": (("i32", "i32", "i32", "i64", "i32"), ("i32",)),
    "fd_seek": (("i32", "i64", "i32", "i32"), ("i32",)),
    "fd_filestat_set_times": (("i32", "i64", "i64", "i32"), ("i32",)),
    "fd_fdstat_set_rights": (("i32", "i64", "i64"), ("i32",)),
    "path_open": (("i32", "i32", "i32", "i32", "i32", "i64", "i64", "i32", "i32"), ("i32",)),
    "path_filestat_set_times": (("i32", "i32", "i32", "i32", "i64", "i64", "i32"), ("i32",)),
    "poll_oneoff": (("i32", "i32", "i32", "i32"), ("i32",)),
    "proc_exit": (("i32",), ()),
    "sched_yield": ((), ("i32",)),
    "sock_recv": (("i32", "i32", "i32", "i32", "i32", "i32"), ("i32",)),
    "sock_send": (("i32", "i32", "i32", "i32", "i32"), ("i32",)),
}


@pytest.mark.parametrize("name", GOLDEN_SIGNATURES)
def test_lowering_goldens(name):
    sig = spec.abi.lower(spec.function_by_name(name))
    assert (sig.param_types, sig.results) == GOLDEN_SIGNATURES[name]


def test_lowering_golden_names():
    names = [p.name for p in spec.abi.lower(spec.PATH_OPEN).params]
    assert names == [
        "fd", "dirflags", "path", "path_len", "oflags",
        "fs_rights_base", "fs_rights_inheriting", "fdflags", "result.opened_fd",
    ]
    names = [p.name for p in spec.abi.lower(spec.SOCK_RECV).params]
    assert names == ["fd", "ri_data", "ri_data_len", "ri_flags", "result.ro_datalen", "result.ro_flags"]


# --- the reader itself ---------------------------------------------------------


def test_reader_docs_and_comments():
    items = witx.parse_sexprs(
        ';; plain comment\n'
        ';;; first line\n'
        ';;\n'
        ';;;   indented\n'
        ';;;\n'
        ';;; last\n'
        '(typename $x (; block (; nested ;) ;) u32)\n'
        '(use "a \\"b\\".witx")\n'
    )
    assert len(items) == 2
    assert items[0]["doc"] == "first line\n  indented\n\nlast"
    assert [i.get("atom") for i in items[0]["list"]] == ["typename", "$x", "u32"]
    assert items[0]["list"][1]["doc"] == ""
    assert items[1]["list"][1]["string"] == 'a "b".witx'
    with pytest.raises(witx.WitxError):
        witx.parse_sexprs("(a (b)")
    with pytest.raises(witx.WitxError):
        witx.parse_sexprs("a)")
