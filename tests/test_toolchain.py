"""harness.toolchain: the WAT expansions, the cache, compile errors."""

from __future__ import annotations

import subprocess

import pytest

from harness import toolchain
from harness.toolchain import CompileError, compile_many, compile_one, expand_wat


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A private wasm cache (zig's own cache stays shared: it is expensive)."""
    monkeypatch.setattr(toolchain, "WASM_CACHE", tmp_path / "wasm")
    return tmp_path / "wasm"


def test_strings_become_addresses_and_pairs(tmp_path):
    src = tmp_path / "m.wat"
    src.write_text('(module (memory 1)\n  ;; $"not in comments"\n'
                   '  (func (drop (i32.const 0)) (drop $"ab") (drop $"ab") (call 0 $$"\\ffé")))\n')
    text = expand_wat(src)
    assert '(drop (i32.const 32768)) (drop (i32.const 32768))' in text      # shared
    assert '(i32.const 32771) (i32.const 3)' in text                         # \ff + é = 3 bytes
    assert '(data (i32.const 32768) "ab\\00")' in text
    assert ';; $"not in comments"' in text


def test_include(tmp_path):
    (tmp_path / "inc.wat").write_text('(func $f (drop $"from include"))\n')
    (tmp_path / "m.wat").write_text('(module (memory 1)\n;;@include inc.wat\n)\n')
    text = expand_wat(tmp_path / "m.wat")
    assert "(func $f (drop (i32.const 32768)))" in text and '"from include\\00"' in text


def test_cache_hit_starts_no_compiler(cache, monkeypatch, tmp_path):
    src = tmp_path / "t.wat"
    src.write_text('(module (memory (export "memory") 1) (func (export "_start")))')
    first = compile_one(src)
    assert first.read_bytes()[:4] == b"\0asm" and first.parent == cache

    def no_compiler(*a, **k):
        raise AssertionError("a compiler was started")
    monkeypatch.setattr(toolchain, "_compile_wat", no_compiler)
    monkeypatch.setattr(toolchain, "_compile_c", no_compiler)
    monkeypatch.setattr(subprocess, "run", no_compiler)
    assert compile_one(src) == first
    assert compile_many([src]) == {src: first}


def test_source_change_is_a_new_entry(cache, tmp_path):
    src = tmp_path / "t.wat"
    src.write_text('(module (memory 1) (func (drop $"one")))')
    a = compile_one(src)
    src.write_text('(module (memory 1) (func (drop $"two")))')
    assert compile_one(src) != a


def test_c_header_is_part_of_the_key(cache, tmp_path):
    (tmp_path / "h.h").write_text("#define N 1\n")
    src = tmp_path / "p.c"
    src.write_text('#include "h.h"\nint main(void) { return N; }\n')
    before = toolchain.cached_path(src)
    (tmp_path / "h.h").write_text("#define N 2\n")
    assert toolchain.cached_path(src) != before


def test_compile_errors_carry_the_message(cache, tmp_path):
    bad = tmp_path / "bad.wat"
    bad.write_text("(module (func (i32.frobnicate)))")
    missing = tmp_path / "missing.c"
    with pytest.raises(CompileError) as e:
        compile_many([bad, missing])
    assert "bad.wat: wat2wasm failed" in str(e.value) and "missing.c: no such file" in str(e.value)


def test_c_compiles(cache, tmp_path):
    src = tmp_path / "ok.c"
    src.write_text("int main(void) { return 0; }\n")
    assert compile_one(src).read_bytes()[:4] == b"\0asm"
    src.write_text("int main(void) { return undeclared; }\n")
    with pytest.raises(CompileError, match="undeclared"):
        compile_one(src)
