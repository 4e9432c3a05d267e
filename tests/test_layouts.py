"""The generated layouts.js against spec/layout.py, byte for byte.

Each record and union (each union variant) is written by its generated
writer into a buffer of 0xAA canaries, and the whole buffer is compared with
the image computed here with `struct.pack` at the offsets of spec.layout:
the fields land where they should, padding and the bytes around the struct
stay 0xAA. Then the generated reader must give the value back.
"""

from __future__ import annotations

import re
import struct

import pytest

from jsrun import ROOT, js, run_node
import spec
from generator import naming
from generator.values import scalar
from spec.layout import field_layouts, size_of, union_payload_offset
from spec.model import Enum, Flags, Record, Union, resolve

CANARY = 0xAA
MARGIN = 16
BASE = 16  # struct offset in the buffer: 8-aligned, MARGIN canaries before it


def _sample(t, seed: int):
    """A distinctive value of `t`: (python value, JS value in emit.mjs's input
    form, decoded-JSON form)."""
    r = resolve(t)
    if isinstance(r, Record):
        py, jv, dec = {}, {}, {}
        for i, f in enumerate(r.fields):
            py[f.name], jv[f.name], dec[f.name] = _sample(f.type, seed * 7 + i + 1)
        return py, jv, dec
    if isinstance(r, Union):
        tag = seed % len(r.variants)
        v = r.variants[tag]
        if v.type is None:
            return (tag, None), {"tag": tag, "value": None}, {"tag": tag, "value": None}
        py, jv, dec = _sample(v.type, seed + 1)
        return (tag, py), {"tag": tag, "value": jv}, {"tag": tag, "value": dec}
    s = scalar(t)
    if isinstance(r, Enum):
        v = seed % len(r.cases)
    elif isinstance(r, Flags):
        v = r.mask & (0x5555555555555555 >> (seed % 2))
    elif s.bits == 64 and not s.bigint:
        v = 0x000F_1E2D_3C4B_5A00 + seed  # < 2^53: exact as a Number
    else:
        v = (0x8877665544332211 * (seed + 1)) & ((1 << s.bits) - 1)
        if s.bits == 8:
            v = 0x80 | seed & 0x7F
    return v, (js.bigint(v) if s.bigint else v), (str(v) if s.bigint else v)


def _pack(t, value, buf: bytearray, at: int) -> None:
    """Write `value` (from _sample) as a `t` at `at`, the way spec.layout says."""
    r = resolve(t)
    if isinstance(r, Record):
        for fl in field_layouts(r):
            _pack(fl.type, value[fl.name], buf, at + fl.offset)
        return
    if isinstance(r, Union):
        tag, payload = value
        struct.pack_into("<" + {1: "B", 2: "H", 4: "I"}[size_of(r.tag)], buf, at, tag)
        variant = r.variants[tag]
        if variant.type is not None:
            _pack(variant.type, payload, buf, at + union_payload_offset(r))
        return
    fmt = {1: "B", 2: "H", 4: "I", 8: "Q"}[size_of(t)]
    struct.pack_into("<" + fmt, buf, at, value)


def _cases():
    """(type, variant index or None) for every record and every union variant."""
    for t in spec.TYPES:
        if isinstance(t, Record):
            yield pytest.param(t, None, id=t.name)
        elif isinstance(t, Union):
            for i, v in enumerate(t.variants):
                yield pytest.param(t, i, id=f"{t.name}.{v.case}")


def _value(t, variant):
    if isinstance(t, Record):
        return _sample(t, 3)
    v = t.variants[variant]
    if v.type is None:
        return (variant, None), {"tag": variant, "value": None}, {"tag": variant, "value": None}
    py, jv, dec = _sample(v.type, 5)
    return (variant, py), {"tag": variant, "value": jv}, {"tag": variant, "value": dec}


@pytest.fixture(scope="module")
def images():
    """Run every case in one node process: {case id: (bytes written, decoded)}."""
    cases = []
    for p in _cases():
        t, variant = p.values
        _, value, _ = _value(t, variant)
        cases.append({"id": p.id, "length": size_of(t) + 2 * MARGIN, "canary": CANARY, "at": BASE,
                      "writer": naming.writer(t.name), "reader": naming.reader(t.name), "value": value})
    return run_node("layouts_harness.mjs", data={"cases": cases})


@pytest.mark.parametrize("t, variant", list(_cases()))
def test_writer_byte_image_and_canaries(images, t, variant, request):
    py, _, decoded = _value(t, variant)
    expected = bytearray([CANARY] * (size_of(t) + 2 * MARGIN))
    _pack(t, py, expected, BASE)
    written, read_back = images[request.node.callspec.id]
    assert bytes(written) == bytes(expected), f"{t.name}: byte image differs"
    assert read_back == decoded


def test_layout_table_matches_spec():
    exports = run_node("module_exports.mjs", "polyfill/src/generated/layouts.js")["exports"]
    table = {"layouts": exports["layouts"],
             "consts": {k: v for k, v in exports.items() if re.search(r"_(SIZE|ALIGN)$", k)}}
    for t in spec.TYPES:
        if isinstance(t, Record):
            offsets = {fl.name: fl.offset for fl in field_layouts(t)}
        elif isinstance(t, Union):
            offsets = {"tag": 0, "value": union_payload_offset(t)}
        else:
            continue
        entry = table["layouts"][t.name]
        assert entry == {"size": size_of(t), "align": spec.layout.align_of(t), "offsets": offsets}
        assert table["consts"][naming.size_const(t.name)] == size_of(t)
        assert table["consts"][naming.align_const(t.name)] == spec.layout.align_of(t)


# --- no hand-written struct offsets ------------------------------------------------

# `ptr + 8`, `p + 16)`, `base + 24,`, `dv.setUint32(x + 4`, `.getBigUint64(ptr + 8`
_OFFSET = re.compile(
    r"\b(?:ptr|p|pointer|addr|address|base|off|offset|buf|out|in_?)\s*\+\s*(?:[1-9]\d*)\b"
    r"|\.(?:get|set)(?:Big)?U?[Ii]nt(?:8|16|32|64)\([^,()]*\+\s*\d+"
)


def test_no_struct_offsets_outside_generated():
    """Layouts live in generated/layouts.js: hand-written polyfill code uses
    `writeDirent`, `DIRENT_SIZE` and friends, never a literal offset."""
    src = ROOT / "polyfill" / "src"
    offenders = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".js", ".mjs", ".ts") or "generated" in path.relative_to(src).parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0]
            if _OFFSET.search(code):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "struct offset literals outside generated/:\n" + "\n".join(offenders)


def test_offset_pattern_catches_the_usual_suspects():
    for bad in ("dv.setUint32(ptr + 8, x, true)", "view.getBigUint64(p + 16, true)",
                "u8.set(name, base + 24)", "dv.setUint8(at + 20, t)"):
        assert _OFFSET.search(bad), bad
    for ok in ("i + 1", "offset + n", "ptr + DIRENT_SIZE", "p += len", "count * 2"):
        assert not _OFFSET.search(ok), ok
