"""The generated glue (polyfill/src/generated/imports.js) against the glue
contract of polyfill/README.md, through node with a stub runtime.

Table-driven from spec/: every function is called with good arguments built
from its core signature (`spec.abi.lower`), then with each pointer out of
bounds and misaligned, each enum/flags param out of range and each string bad
UTF-8. The cases are derived here and run by tests/js/helpers/glue_harness.mjs
(the stub runtime: glue_env.mjs); the hand-written cases (iovecs, 64-bit
params, poll_oneoff, the golden trace, ...) are tests/js/glue.test.mjs.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from jsrun import NODE, ROOT, js, run_node
import spec
from generator import glue
from generator.glue import function_context
from generator.values import scalar
from spec.abi import lower
from spec.layout import align_of
from spec.model import (
    Enum, Flags, List, Pointer, Record, String, Tuple, Union, resolve,
)

# Where good arguments point (one 64 KiB page of guest memory); the first
# three are where glue_env.mjs's setup() puts things (the harness checks).
IOVEC = 1024        # one (c)iovec: buf=2048, buf_len=16
STRING = 1536       # "hello"
BUF = 2048          # byte buffers, 16 bytes
SUBS = 3072         # one subscription: all zeros = a realtime clock subscription
ARGV = 3584         # argv/environ pointer arrays
OUT = 4096          # output record arrays (events)
RESULTS = 8192      # result out-pointers, 64 bytes apart
OOB = 0xFFFF0000


def _value(t):
    """A sample typed value of `t` (what a runtime returns), in emit.mjs's input form."""
    r = resolve(t)
    if isinstance(r, Tuple):
        return [_value(i) for i in r.items]
    if isinstance(r, Record):
        return {f.name: _value(f.type) for f in r.fields}
    if isinstance(r, Union):
        v = r.variants[0]
        return {"tag": 0, "value": _value(v.type) if v.type else None}
    return js.bigint(1) if scalar(t).bigint else 1


def _glue(f):
    return function_context(f)


def good_args(f) -> list:
    """Valid core args for `f` (emit.mjs's input form), pointing into the setup memory."""
    sig = lower(f)
    ctx = _glue(f)
    args, k = [], 0
    by_name = {p.name: p for p in f.params}
    ptr_names = {p.name for p in f.params if isinstance(resolve(p.type), Pointer)}
    for c in sig.params:
        src = resolve(by_name[c.source].type) if c.source in by_name else None
        if c.role == "result":
            args.append(RESULTS + 64 * k)
            k += 1
        elif c.role == "pointer" and isinstance(src, String):
            args.append(STRING)
        elif c.role == "pointer" and isinstance(src, List):
            args.append(IOVEC)
        elif c.role == "length":
            args.append(5 if isinstance(src, String) else 1)
        elif c.role == "pointer" and isinstance(src, Pointer):
            to = resolve(src.to)
            if isinstance(to, Pointer):
                args.append(ARGV)
            elif isinstance(to, Record):
                args.append(SUBS if src.const else OUT)
            else:
                args.append(BUF)
        elif c.name.endswith("_len") and c.name[:-4] in ptr_names:
            args.append(16)
        elif ctx["shape"] == "records":
            args.append(1)  # poll_oneoff's nsubscriptions: its only value param
        else:
            args.append(js.bigint(0) if c.type == "i64" else 0)
    return args


def stub_return(f):
    ctx = _glue(f)
    shape = ctx["shape"]
    if shape == "values":
        ok = f.ok_types()
        return _value(ok[0]) if len(ok) == 1 else [_value(t) for t in ok]
    if shape == "bytes":
        return js.bytes([1, 2])
    if shape == "cstrings":
        return [js.bytes([97]), js.bytes([98, 99])]
    if shape == "records":
        return [_value(spec.EVENT)]
    return js.UNDEFINED


def pointer_params(f):
    """(index, core name, alignment) of each core param holding a guest pointer."""
    by_name = {p.name: p for p in f.params}
    out = []
    for i, c in enumerate(lower(f).params):
        if c.role == "result":
            out.append((i, c.name, align_of(c.spec_type)))
        elif c.role == "pointer":
            t = resolve(by_name[c.source].type)
            if isinstance(t, List):
                align = align_of(t.of)
            elif isinstance(t, Pointer) and not isinstance(resolve(t.to), String):
                align = align_of(t.to)
            else:
                align = 1
            out.append((i, c.name, align))
    return out


FUNCS = [f for f in spec.FUNCTIONS if not f.noreturn]


def _replaced(args, i, value) -> list:
    out = list(args)
    out[i] = value
    return out


@pytest.fixture(scope="module")
def sweep():
    """Run the whole table in one node process (glue_harness.mjs sweep)."""
    functions = []
    for f in FUNCS:
        args = good_args(f)
        functions.append({
            "name": f.name,
            "args": args,
            "ret": stub_return(f),
            # the runtime fails with out-of-bounds result pointers: they are checked after the call
            "failsOobArgs": [OOB if c.role == "result" else a for c, a in zip(lower(f).params, args)],
            "pointers": [
                {"key": f"{f.name}:{name}",
                 "oob": _replaced(args, i, OOB),
                 "misaligned": _replaced(args, i, args[i] + 1) if align > 1 else None}
                for i, name, align in pointer_params(f)
            ],
        })
    return run_node("glue_harness.mjs", "sweep", data={
        "layout": {"IOVEC": IOVEC, "STRING": STRING, "BUF": BUF}, "functions": functions,
    })


def run_calls(cases: list[dict]) -> list:
    """[errno or "trap: ...", the runtime's calls] for each case (glue_harness.mjs calls)."""
    return run_node("glue_harness.mjs", "calls", data={"cases": cases})


def test_import_object_has_exactly_the_spec_functions_with_core_arity():
    got = run_node("glue_harness.mjs", "arity")
    expected = [[f.name, len(lower(f).params)] for f in spec.FUNCTIONS]
    assert len(expected) == 46
    assert got["plain"] == expected
    assert got["traced"] == expected


@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.name)
def test_good_call_succeeds(sweep, f):
    assert sweep["good"][f.name] == [0, 1]


@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.name)
def test_runtime_error_becomes_errno_and_nothing_is_written(sweep, f):
    assert sweep["fails"][f.name] == [spec.ERRNO.value("badf"), True]


@pytest.mark.parametrize("f", [f for f in FUNCS if f.result_names], ids=lambda f: f.name)
def test_out_pointers_are_checked_only_after_success(sweep, f):
    assert sweep["failsOob"][f.name] == spec.ERRNO.value("badf")


POINTERS = [(f, name) for f in FUNCS for _, name, _ in pointer_params(f)]
MISALIGNABLE = [(f, name) for f in FUNCS for _, name, align in pointer_params(f) if align > 1]


@pytest.mark.parametrize("f, name", POINTERS, ids=lambda x: getattr(x, "name", x))
def test_out_of_bounds_pointer_traps_and_writes_nothing(sweep, f, name):
    result, untouched = sweep["oob"][f"{f.name}:{name}"]
    assert str(result).startswith("trap: ") and "out of bounds" in result, result
    shape = _glue(f)["shape"]
    if shape == "cstrings" and name.endswith("_buf"):
        # args_get/environ_get write as they go, as wasmtime: argv[0] (the
        # out-of-bounds address) is written before its string traps.
        assert not untouched
    elif shape in ("bytes", "records") and name.startswith("result."):
        # the output buffer / events are written before the size result's
        # pointer is checked, as wasmtime (RATIONALE "Results are written ...")
        assert not untouched
    else:
        assert untouched


@pytest.mark.parametrize("f, name", MISALIGNABLE, ids=lambda x: getattr(x, "name", x))
def test_misaligned_pointer_traps(sweep, f, name):
    result = sweep["misaligned"][f"{f.name}:{name}"]
    assert str(result).startswith("trap: ") and "misaligned" in result, result


def _scalar_params(kind):
    for f in spec.FUNCTIONS:
        for i, c in enumerate(lower(f).params):
            if c.role == "value" and isinstance(resolve(c.spec_type), kind):
                yield f, i, c


def _bad_values(t):
    """Args that are not values of `t` (emit.mjs's input form)."""
    r = resolve(t)
    s = scalar(t)
    if isinstance(r, Enum):
        yield len(r.cases)
        yield -1
        if s.bits < 32:
            yield 1 << s.bits  # does not even fit the tag type
    elif isinstance(r, Flags):
        if s.bigint:
            yield js.bigint(1 << len(r.flags))
            yield js.bigint(-1)
        else:
            yield 1 << len(r.flags)
            yield -1
            if s.bits < 32:
                yield 1 << s.bits  # a bit outside the repr is undefined too


def _rejected(result, ncalls) -> bool:
    """What the glue does with an invalid scalar (generator/glue.py INVALID_SCALARS)."""
    if glue.INVALID_SCALARS == "trap":
        return str(result).startswith("trap: ") and "invalid value" in result and ncalls == 0
    return result == spec.ERRNO.value("inval") and ncalls == 0


@pytest.mark.parametrize("kind", [Enum, Flags], ids=["enum", "flags"])
def test_bad_enum_or_flags_is_rejected_without_calling_runtime(kind):
    cases = []
    for f, i, c in _scalar_params(kind):
        for value in _bad_values(c.spec_type):
            cases.append((f.name, c.name, value, {"name": f.name, "args": _replaced(good_args(f), i, value)}))
    assert cases
    got = run_calls([case for *_, case in cases])
    for (fname, pname, value, _), (result, calls) in zip(cases, got):
        assert _rejected(result, len(calls)), (fname, pname, value, result, len(calls))


def test_narrow_integer_param():
    # siflags is a plain u16: not validated (spec/RATIONALE.md), truncated to
    # 16 bits; wasmtime traps on a value that does not fit.
    [(result, calls)] = run_calls([{"name": "sock_send", "args": [3, 1024, 1, 0x10001, 8192], "ret": 0}])
    got = [result, [c[3] for c in calls]]
    if glue.INVALID_SCALARS == "trap":
        assert got[0].startswith("trap: sock_send(si_flags): invalid value") and got[1] == []
    else:
        assert got == [0, [1]]


STRINGS = [(f, i, c) for f in spec.FUNCTIONS for i, c in enumerate(lower(f).params)
           if c.role == "pointer" and isinstance(resolve(c.spec_type), String)]


@pytest.fixture(scope="module")
def bad_utf8():
    """Each string param pointing at "a\\xffb": [errno or trap, the runtime's calls] by (function, param)."""
    cases = []
    for f, i, c in STRINGS:
        args = good_args(f)
        args[i] = 8000
        args[i + 1] = 3
        cases.append({"name": f.name, "args": args, "poke": [[8000, [0x61, 0xff, 0x62]]], "throws": "ilseq"})
    got = run_calls(cases)
    return {(f.name, c.name): g for (f, _, c), g in zip(STRINGS, got)}


@pytest.mark.parametrize("f, i, c", STRINGS, ids=lambda x: getattr(x, "name", "") or "")
def test_bad_utf8_string(bad_utf8, f, i, c):
    """path_open answers EILSEQ itself; elsewhere the runtime gets null in that
    param's place and orders EILSEQ after its fd lookups, as wasmtime does."""
    got = bad_utf8[(f.name, c.name)]
    if f.name in glue.DECODES_STRINGS_FIRST:
        assert got == [spec.ERRNO.value("ilseq"), []]
    else:
        runtime_args = [a for a in f.params]
        position = [p.name for p in runtime_args].index(c.source)
        assert got[0] == spec.ERRNO.value("ilseq") and len(got[1]) == 1
        assert got[1][0][0] == f.name and got[1][0][1 + position] is None


def gcs_while_measuring(script: str) -> tuple[dict[str, int], str]:
    """Run a tests/bench script under `node --trace-gc`: the GCs between each
    "measure <name>" and "done <name>" line, and its stdout. An allocation per
    call shows in every run; a one-off scavenge (V8 re-optimising a function,
    seen once in ~20 runs on a loaded machine) does not repeat, so a run with
    GCs is run once more."""
    for attempt in range(2):
        proc = subprocess.run(
            [NODE, "--trace-gc", str(ROOT / "tests" / "bench" / script), "300000"],
            capture_output=True, text=True, cwd=ROOT, timeout=300, check=True,
        )
        gcs, current = {}, None
        for line in proc.stdout.splitlines():
            if line.startswith("measure "):
                current = line.split(" ", 1)[1]
                gcs[current] = 0
            elif line.startswith("done "):
                current = None
            elif current and re.search(r"Scavenge|Mark-Compact|Minor", line):
                gcs[current] += 1
        if not any(gcs.values()):
            break
    return gcs, proc.stdout


def test_hot_path_does_not_allocate():
    """No GC at all while 5 x 300k calls each of fd_write, fd_pwrite, fd_read,
    fd_pread, fd_seek and fd_tell go through the glue (after warm-up), per
    `node --trace-gc` (a stub runtime: the glue alone)."""
    gcs, stdout = gcs_while_measuring("glue_bench.mjs")
    assert gcs == dict.fromkeys(["fd_write", "fd_pwrite", "fd_read", "fd_pread", "fd_seek", "fd_tell"], 0)
    timings = json.loads([line for line in stdout.splitlines() if line.startswith("{")][-1])
    assert set(timings) == set(gcs)


def test_runtime_hot_path_does_not_allocate():
    """The real runtime, not a stub: fd_pwrite, fd_pread, fd_seek, fd_write
    and fd_read on a MemFS file, fd_write on stdout and fd_read on stdin,
    through the WASI import object (glue, Preview1Runtime, fd table, MemFS),
    300k calls each after warm-up: no GC while any of them runs
    (tests/bench/runtime_alloc.mjs; the clock read is left out there, see its
    comment). A 16-byte object allocated in fd_pwrite gives 7 GCs here."""
    gcs, _ = gcs_while_measuring("runtime_alloc.mjs")
    assert gcs == dict.fromkeys(["fd_pwrite", "fd_pread", "fd_seek", "fd_write", "fd_read",
                                 "fd_write stdout", "fd_read stdin"], 0)
