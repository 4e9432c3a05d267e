"""The generator: unit tests on a tiny spec built here, and checks that the
committed outputs are the current rendering of spec/."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from jsrun import ROOT, run_node
import spec
from generator import OUTPUTS, SpecView, generate, naming, render_all
from generator.env import BANNER, make_env
from generator.values import GeneratorError
from spec.abi import lower
from spec.model import (
    STRING, U8, U16, U32, U64, Alias, Case, Enum, Expected, Field, Flags, Function, Handle,
    Param, Pointer, Record,
)

# --- a tiny spec ------------------------------------------------------------------

ERRNO = Enum("errno", U16, tuple(Case(n) for n in ("success", "badf", "ilseq", "inval", "nomem")),
             doc="Errors.")
FD = Handle("fd")
SIZE = Alias("size", U32)
COLOR = Enum("color", U8, (Case("red", "Red."), Case("green")), doc="A color.")
MODE = Flags("mode", U16, (Case("read"), Case("write")), doc="Modes.")
POINT = Record("point", (
    Field("x", SIZE, "Across."),
    Field("big", U64, "A big one."),
    Field("color", COLOR),
), doc="A point.")
PAINT = Function(
    "paint",
    params=(Param("fd", FD), Param("mode", MODE, "How."), Param("name", STRING, "Its name."),
            Param("at", COLOR)),
    result=Expected(POINT, ERRNO),
    doc="Paint a point.",
    result_doc="The point painted.",
    result_names=("point",),
)
TINY = SpecView(types=(SIZE, ERRNO, FD, COLOR, MODE, POINT), functions=(PAINT,))


@pytest.fixture(scope="module")
def tiny():
    """The tiny spec rendered, with the glue contract's EINVAL for invalid scalars."""
    from generator import glue

    saved, glue.INVALID_SCALARS = glue.INVALID_SCALARS, "einval"
    try:
        return {path.rsplit("/", 1)[1]: text for path, text in render_all(TINY).items()}
    finally:
        glue.INVALID_SCALARS = saved


def test_constants(tiny, tmp_path):
    js = tiny["constants.js"]
    # every top-level call is marked pure, so bundlers drop what is not imported
    assert ('const COLOR = /* @__PURE__ */ names("red green");\n/** A color. */\n'
            'export const color = /* @__PURE__ */ enumOf(COLOR);') in js
    assert '/** Modes. */\nexport const mode = /* @__PURE__ */ flagsOf(/* @__PURE__ */ names("read write"));' in js
    # errnoCode spelled from errno's names ("E" + capitals), not a second list of them
    assert 'export const errnoCode = /* @__PURE__ */ codes(ERRNO);' in js
    assert "  mode: 0x3,\n" in js  # allFlags
    assert "  color: COLOR,\n" in js  # enumNames
    # and what the objects are, built from those names (enumNames.color is COLOR)
    (tmp_path / "constants.mjs").write_text(js, encoding="utf-8")  # .mjs: an ES module outside the package
    module = run_node("module_exports.mjs", str(tmp_path / "constants.mjs"))
    got = {name: module["exports"][name] for name in ("color", "mode", "errnoCode", "allFlags", "enumNames")}
    got["frozen"] = module["frozen"]["color"] and module["frozen"]["enumNames.color"]
    assert got == {"color": {"red": 0, "green": 1}, "mode": {"read": 1, "write": 2},
                   "errnoCode": ["ESUCCESS", "EBADF", "EILSEQ", "EINVAL", "ENOMEM"],
                   "allFlags": {"mode": 3}, "enumNames": {"errno": ["success", "badf", "ilseq", "inval", "nomem"],
                                                          "color": ["red", "green"]}, "frozen": True}


def test_layouts(tiny):
    js = tiny["layouts.js"]
    assert "export const POINT_SIZE = 24;\nexport const POINT_ALIGN = 8;" in js
    assert "    x: dv.getUint32(ptr, true),\n    big: dv.getBigUint64(ptr + 8, true),\n    color: dv.getUint8(ptr + 16),\n" in js
    assert "  dv.setUint32(ptr, v.x, true);\n  writeU64(dv, ptr + 8, v.big);\n  dv.setUint8(ptr + 16, v.color);\n" in js
    assert "export function validPoint(v) {\n  return v.color < 2;\n}" in js
    assert "point: Object.freeze({ size: 24, align: 8, offsets: Object.freeze({ x: 0, big: 8, color: 16 }) })" in js


@pytest.fixture()
def trap_mode(monkeypatch):
    from generator import glue

    monkeypatch.setattr(glue, "INVALID_SCALARS", "trap")


def test_invalid_scalars_can_trap_instead(trap_mode):
    js = render_all(TINY)["polyfill/src/generated/imports.js"]
    assert 'if ((mode & ~0x3) !== 0) throw invalidArgument("paint(mode)", mode);' in js
    assert 'if (at >= 2) throw invalidArgument("paint(at)", at);' in js
    assert "function invalidArgument(what, value) {" in js
    assert "errno.inval" not in js


def test_imports(tiny):
    js = tiny["imports.js"]
    start = js.index("    paint: function paint(")
    body = js[start:js.index("\n    },\n", start)]
    assert body.startswith("    paint: function paint(fd, mode, name, name_len, at, result_point) {\n      mem.refresh();\n")
    # every sync import made in one object literal (fast properties), sharing one closure context
    assert "function syncImports(runtime, mem, vecs) {\n  return {\n" in js
    assert js.index("function syncImports(") < start
    assert "  const imports = syncImports(runtime, mem, vecs);\n" in js
    assert "FACTORIES[" not in js.replace("ASYNC_FACTORIES[", "")
    expected_order = [
        "fd >>>= 0;",
        "mode >>>= 0;",
        "if ((mode & ~0x3) !== 0) return errno.inval;",
        "name >>>= 0;",
        "at >>>= 0;",
        "if (at >= 2) return errno.inval;",
        "result_point >>>= 0;",
        "mem.fuel = HOSTCALL_FUEL;",
        'name = mem.takeString(name, name_len, "paint(name)");',
        "ret = runtime.paint(fd, mode, name, at);",
        "return toErrno(e);",
        'mem.checkAligned(result_point, POINT_SIZE, POINT_ALIGN, "paint(result.point)");',
        "writePoint(mem.dv, result_point, ret);",
        "return errno.success;",
    ]
    positions = [body.index(line) for line in expected_order]
    assert positions == sorted(positions), "scalars, then memory, then the call, then the results"
    assert re.search(r"import \{\n  POINT_ALIGN,\n  POINT_SIZE,\n  writePoint,\n\} from \"./layouts.js\";", js)


def test_trace(tiny):
    js = tiny["trace.js"]
    assert ("trace(`==> paint(fd=${fd >>> 0},mode=${mode >>> 0},name=${name >>> 0},"
            "name_len=${name_len >>> 0},at=${at >>> 0})`);") in js
    assert ("trace(`<== (point=${fmtPoint(readPoint(mem.dv, result_point >>> 0))},errno=ESUCCESS)`);") in js
    assert "return `{x=${v.x},big=${v.big},color=${enumName(enumNames.color, v.color)}}`;" in js


def test_dts(tiny):
    ts = tiny["preview1.d.ts"]
    assert "export type color = (typeof color)[keyof typeof color];" in ts
    assert "  readonly red: 0;" in ts
    assert "export type mode = number;" in ts
    # an output record: 64-bit BigInt fields also accept a Number
    assert "  /** A big one. */\n  big: bigint | number;" in ts
    assert ("  /**\n   * Paint a point.\n   * @param fd\n   * @param mode How.\n   * @param name Its name.\n"
            "   * @param at\n   * @returns The point painted.\n   */\n"
            "  paint(fd: fd, mode: mode, name: string | null | UnreadableString, at: color): point;") in ts
    assert "  paint(fd: number, mode: number, name: number, name_len: number, at: number, result_point: number): number;" in ts


def test_docs(tiny):
    md = tiny["preview1.md"]
    assert "### `paint`\n\nPaint a point.\n" in md
    assert "spec:    paint(fd: fd, mode: mode, name: string, at: color) -> result<point, errno>" in md
    assert "core:    paint(fd: i32, mode: i32, name: i32, name_len: i32, at: i32, result.point: i32) -> i32" in md
    assert "runtime: runtime.paint(fd: fd, mode: mode, name: string | null | UnreadableString, at: color): point" in md
    assert "| `name` | `string` | `name, name_len` | Its name. |" in md
    assert "**Errors:** not yet documented." in md   # a function spec/errnos.py does not know
    assert "| 16 | 1 | `color` | `color` | `color` |  |" in md


def test_unsupported_constructs_are_errors_not_guesses():
    odd = Function("odd", params=(Param("p", Pointer(U16)),), result=Expected(None, ERRNO))
    with pytest.raises(GeneratorError):
        render_all(SpecView(types=TINY.types, functions=(odd,)))


def test_naming():
    assert naming.js_ident("result.nread") == "result_nread"
    assert naming.js_ident("in") == "in_"
    assert naming.js_ident("mem") == "mem_"  # would shadow the glue's own binding
    assert naming.js_key("2big") == '"2big"' and naming.js_key("badf") == "badf"
    assert naming.js_member("errno", "2big") == 'errno["2big"]'
    assert naming.errno_code("2big") == "E2BIG"
    assert naming.errno_code("notcapable") == "ENOTCAPABLE"
    assert naming.writer("event_fd_readwrite") == "writeEventFdReadwrite"
    assert naming.size_const("filestat") == "FILESTAT_SIZE"


def test_one_configured_environment():
    env = make_env()
    assert env.undefined is jinja2.StrictUndefined
    assert env.trim_blocks and env.lstrip_blocks and env.keep_trailing_newline
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


# --- the committed outputs ------------------------------------------------------------


def test_generated_files_are_current():
    assert generate(ROOT, check=True) == 0, "run `python -m harness generate`"


def test_check_reports_stale_files(tmp_path, capsys):
    assert generate(tmp_path, check=True) == 1
    err = capsys.readouterr().err
    for o in OUTPUTS:
        assert o.path in err
    assert generate(tmp_path) == 0
    assert generate(tmp_path, check=True) == 0
    (tmp_path / OUTPUTS[0].path).write_text("// edited by hand\n")
    assert generate(tmp_path, check=True) == 1


def test_cli_check():
    proc = subprocess.run([sys.executable, "-m", "harness", "generate", "--check"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("output", OUTPUTS, ids=lambda o: o.path)
def test_banner(output):
    first = (ROOT / output.path).read_text(encoding="utf-8").splitlines()[0]
    comment = {".md": "<!-- {} -->", ".py": "# {}"}.get(Path(output.path).suffix, "// {}")
    assert first == comment.format(BANNER)


def test_generator_readme_names_every_file():
    readme = (ROOT / "generator" / "README.md").read_text(encoding="utf-8")
    files = [p.name for p in (ROOT / "generator").glob("*.py")]
    files += [f"templates/{p.name}" for p in (ROOT / "generator" / "templates").glob("*.j2")]
    missing = [f for f in files if f"`{f}`" not in readme]
    assert not missing, f"generator/README.md does not name: {missing}"


def test_every_function_is_documented_in_spec_order():
    md = (ROOT / "docs" / "preview1.md").read_text(encoding="utf-8")
    sections = re.findall(r"^### `(\w+)`$", md, flags=re.M)
    names = [f.name for f in spec.FUNCTIONS]
    assert sections[:len(names)] == names
    assert sections[len(names):] == [t.name for t in spec.TYPES]


def test_dts_parses():
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        pytest.skip("esbuild not installed (npm ci)")
    proc = subprocess.run([str(esbuild), "--loader=ts", "--log-level=error"],
                          input=(ROOT / "polyfill/src/generated/preview1.d.ts").read_text(),
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_constants_match_spec():
    got = run_node("module_exports.mjs", "polyfill/src/generated/constants.js")["exports"]
    for t in spec.TYPES:
        if isinstance(t, Enum):
            assert got[t.name] == {c.name: i for i, c in enumerate(t.cases)}
            assert got["enumNames"][t.name] == [c.name for c in t.cases]
        elif isinstance(t, Flags):
            big = t.repr.size == 8
            assert got[t.name] == {c.name: (str(1 << i) if big else 1 << i) for i, c in enumerate(t.flags)}
            assert got["allFlags"][t.name] == (str(t.mask) if big else t.mask)
    assert got["errnoCode"][:3] == ["ESUCCESS", "E2BIG", "EACCES"]
    assert got["errnoCode"][-1] == "ENOTCAPABLE"
    assert len(got["errnoCode"]) == len(spec.ERRNO.cases)


# --- the i64 trampoline (generator/trampoline.py) -------------------------------------

def test_trampoline_module_is_valid_wasm_with_the_split_signatures():
    """A function per import with an i64 param, none for the rest: the import
    takes every param as an i32 (each i64's high half after the last param),
    the export has the WASI signature; checked by wasmtime's validator."""
    import wasmtime
    from generator.trampoline import split_functions, trampoline_module

    seek = Function("seek", params=(Param("fd", FD), Param("offset", U64), Param("whence", U8)),
                    result=Expected(U64, ERRNO), result_names=("newoffset",))
    times = Function("times", params=(Param("a", U64), Param("fd", FD), Param("b", U64)), result=Expected(None, ERRNO))
    functions = (PAINT, seek, times)
    assert split_functions(functions) == [seek, times]
    module = wasmtime.Module(wasmtime.Engine(), trampoline_module(functions))

    def sig(t):
        return [str(p) for p in t.params], [str(r) for r in t.results]

    assert [(i.module, i.name, sig(i.type)) for i in module.imports] == [
        ("", "0", (["i32"] * 5, ["i32"])),
        ("", "1", (["i32"] * 5, ["i32"])),
    ]
    assert [(e.name, sig(e.type)) for e in module.exports] == [
        ("0", (["i32", "i64", "i32", "i32"], ["i32"])),
        ("1", (["i64", "i32", "i64"], ["i32"])),
    ]
    # the preview1 module: exactly the functions whose lowered signature has an i64
    assert [f.name for f in split_functions(spec.FUNCTIONS)] == [
        f.name for f in spec.FUNCTIONS if "i64" in lower(f).param_types]
    assert len(split_functions(spec.FUNCTIONS)) == 12
