"""polyfill/src/memory.js: GuestMemory and IoVecs on their own."""

from __future__ import annotations

from jsrun import run_js

PRELUDE = """
import { GuestMemory, IoVecs } from "./polyfill/src/memory.js";
const attempt = (f) => { try { return f(); } catch (e) { return e.constructor.name + ": " + e.message; } };
"""


def test_views_are_rederived_only_when_memory_grows():
    got = run_js(PRELUDE + """
        const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
        const mem = new GuestMemory(memory);
        const u8 = mem.u8, dv = mem.dv;
        mem.refresh();
        const same = mem.u8 === u8 && mem.dv === dv;
        memory.grow(1);
        mem.refresh();
        emit([same, mem.u8 !== u8, mem.u8.length, mem.dv.byteLength, mem.buffer === memory.buffer, mem.shared]);
    """)
    assert got == [True, True, 131072, 131072, True, False]


def test_shared_memory_growth_is_seen():
    got = run_js(PRELUDE + """
        const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
        const mem = new GuestMemory(memory);
        memory.grow(2);
        mem.refresh();
        emit([mem.shared, mem.u8.length]);
    """)
    assert got == [True, 3 * 65536]


def test_bounds_and_alignment_checks():
    got = run_js(PRELUDE + """
        const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
        const end = 65536;
        emit([
          attempt(() => mem.check(end - 4, 4)),
          attempt(() => mem.check(end - 4, 5, "f(p)")),
          attempt(() => mem.check(end + 100, 0)),
          attempt(() => mem.check(0xffffffff, 0xffffffff)),
          attempt(() => mem.checkAligned(8, 8, 8)),
          attempt(() => mem.checkAligned(12, 8, 8, "f(result.x)")),
          attempt(() => mem.checkAligned(13, 0, 8)),
          attempt(() => mem.checkAligned(end, 8, 8)),
        ]);
    """)
    assert got[0] is None
    assert got[1] == "RuntimeError: f(p): out of bounds memory access (ptr=65532, len=5, memory=65536)"
    assert got[2] is None  # length 0: nothing dereferenced
    assert got[3].startswith("RuntimeError: out of bounds")
    assert got[4] is None
    assert got[5] == "RuntimeError: f(result.x): misaligned pointer (ptr=12, alignment=8)"
    assert got[6] is None
    assert got[7].startswith("RuntimeError: out of bounds")


def test_strings_and_bytes():
    got = run_js(PRELUDE + """
        const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
        mem.u8.set([0x68, 0x69, 0xc3, 0xa9, 0xff], 10);
        const copy = mem.bytes(10, 2);
        copy[0] = 0;
        mem.copyIn(100, new Uint8Array([1, 2, 3]));
        emit([mem.decodeString(10, 4), mem.decodeString(10, 5), mem.decodeString(10, 3), mem.decodeString(5, 0),
              mem.u8[10], Array.from(mem.u8.slice(100, 103)),
              attempt(() => mem.copyIn(65535, new Uint8Array(2))), attempt(() => mem.decodeString(65535, 2))]);
    """)
    assert got[:6] == ["hi\u00e9", None, None, "", 0x68, [1, 2, 3]]
    assert got[6].startswith("RuntimeError") and got[7].startswith("RuntimeError")


def test_iovecs_read_lazily_and_check_their_ranges():
    got = run_js(PRELUDE + """
        const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
        mem.fuel = 1 << 27;
        const v = new IoVecs(mem);
        const dv = new DataView(mem.u8.buffer);
        for (let i = 0; i < 100; i++) { dv.setUint32(i * 8, 1000 + i * 10, true); dv.setUint32(i * 8 + 4, i, true); }
        v.reset(0, 100, 8, 4, "iovs");
        mem.u8.set([9, 8, 7, 6], 1020);
        const dst = new Uint8Array(4);
        const first = v.firstNonEmpty();
        v.read(2, 0, dst, 1, 2);
        const big = new Uint8Array(200).map((_, i) => i);
        dv.setUint32(2000, 4000, true); dv.setUint32(2004, 200, true);
        v.reset(2000, 1, 8, 4, "iovs");
        v.write(0, 0, big, 0, 200);
        const back = new Uint8Array(200); v.read(0, 0, back, 0, 200);
        emit([first, v.count, Array.from(dst), back.every((b, i) => b === i),
              attempt(() => v.length(1)), attempt(() => v.read(0, 199, dst, 0, 2)),
              attempt(() => v.write(0, 0, big, 199, 2)), attempt(() => v.read(0, 0, dst, 3, 2))]);
    """)
    assert got[:4] == [1, 1, [0, 9, 8, 0], True]
    assert all(e.startswith("RangeError") for e in got[4:]), got[4:]


def test_iovecs_fuel_and_bad_entries():
    # fuel: the array, then the first non-empty buffer (ENOMEM, a WasiError);
    # an entry out of memory traps when it is read, not before.
    got = run_js(PRELUDE + """
        const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
        const v = new IoVecs(mem);
        const dv = new DataView(mem.u8.buffer);
        const code = (f) => { try { return f(); } catch (e) { return e.code ?? e.constructor.name; } };
        mem.fuel = 1 << 27; v.reset(0, 1 << 24, 8, 4, "iovs");
        const a = code(() => v.firstNonEmpty());          // zeros, then off the end: trap
        dv.setUint32(65528, 100, true); dv.setUint32(65532, 1 << 27, true);
        mem.fuel = 1 << 27; v.reset(0, (1 << 24) + 1, 8, 4, "iovs");
        const b = code(() => v.firstNonEmpty());          // the array alone is past the fuel
        mem.fuel = 1 << 27; v.reset(65528, 1, 8, 4, "iovs");
        const c = code(() => v.firstNonEmpty());          // 8 + 2^27 bytes: past the fuel
        mem.fuel = 1 << 27; v.reset(65530, 1, 8, 4, "iovs");
        const d = code(() => v.firstNonEmpty());          // misaligned entry
        emit([a, b, c, d]);
    """)
    assert got == ["RuntimeError", "ENOMEM", "ENOMEM", "RuntimeError"]

def test_unbound_memory():
    got = run_js(PRELUDE + "emit(attempt(() => new GuestMemory().refresh()));")
    assert got.startswith("Error: GuestMemory: no memory bound yet")


def test_empty_string_is_still_bounds_checked():
    got = run_js(PRELUDE + """
        const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
        emit([mem.decodeString(65536, 0), attempt(() => mem.decodeString(65537, 0))]);
    """)
    assert got[0] == ""
    assert got[1].startswith("RuntimeError: out of bounds")


def test_iovec_buffers_trap_when_used_outside_memory():
    got = run_js(PRELUDE + """
        const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
        mem.fuel = 1 << 27;
        const v = new IoVecs(mem);
        const dv = new DataView(mem.u8.buffer);
        dv.setUint32(0, 65530, true); dv.setUint32(4, 10, true);
        dv.setUint32(8, 0xfffffff0, true); dv.setUint32(12, 0x20, true);
        v.reset(0, 2, 8, 4, "iovs");
        const b = new Uint8Array(100);
        emit([attempt(() => v.read(0, 0, b, 0, 6)), attempt(() => v.read(0, 0, b, 0, 7)),
              attempt(() => v.write(1, 0, b, 0, 1)), attempt(() => v.write(1, 0, b, 0, 0)),
              attempt(() => v.checkWhole(0))]);
    """)
    assert got[0] is None and got[3] is None
    assert got[1] == "RuntimeError: iovec 0: out of bounds memory access (ptr=65530, len=7, memory=65536)"
    assert got[2].startswith("RuntimeError: iovec 1: out of bounds")
    assert got[4].startswith("RuntimeError: iovec 0: out of bounds")