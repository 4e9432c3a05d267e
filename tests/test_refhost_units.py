"""Unit tests of the reference host's parts, table-driven, without wasmtime's
own WASI: the spec-driven codec, guest memory checks, the filesystem and
path resolution, the descriptor table, deterministic clocks and random
bytes, the host-directory round trip, the trace format, and every preview1
function through small WAT programs on the native engine (memory images with
canary bytes around results, traps on bad pointers).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
import wasmtime

import spec
from refhost import BufferOutput, BytesInput, MemFS, ProcExit, Trap, Wasi, WasiError
from refhost import errors as E
from refhost.generated import layouts
from refhost.clocks import DeterministicClocks
from refhost.constants import CLOCKID, FILETYPE, OFLAGS, RIGHTS
from refhost.engines import wasmtime as engine
from refhost.fd_table import FdTable, StdinDescriptor
from refhost.memory import BufferMemory
from refhost.random import SplitMix64
from harness import tree as host_trees
from refhost.vfs import memfs, tree as fs_trees
from refhost.vfs.path import resolve, split_parent

# --- the generated layouts follow spec.layout ------------------------------------------

def test_every_function_has_glue_and_behaviour():
    w = Wasi()
    imports = w.imports(BufferMemory(bytearray(16)))
    assert sorted(imports) == sorted(f.name for f in spec.FUNCTIONS)
    for f in spec.FUNCTIONS:
        assert callable(getattr(w.runtime, f.name)), f.name


@pytest.mark.parametrize("t, value", [
    (spec.FDSTAT, {"fs_filetype": 4, "fs_flags": 1, "fs_rights_base": 2, "fs_rights_inheriting": 3}),
    (spec.FILESTAT, {"dev": 1, "ino": 2, "filetype": 3, "nlink": 4, "size": 5, "atim": 6, "mtim": 7, "ctim": 8}),
    (spec.PRESTAT, ("dir", {"pr_name_len": 8})),
    (spec.EVENT, {"userdata": 9, "error": 0, "type": 1, "fd_readwrite": {"nbytes": 1, "flags": 1}}),
    (spec.DIRENT, {"d_next": 1, "d_ino": 2, "d_namlen": 3, "d_type": 4}),
])
def test_records_round_trip_and_leave_padding_alone(t, value):
    size = spec.layout.size_of(t)
    buf = bytearray(b"\xaa" * (size + 16))
    mem = BufferMemory(buf)
    getattr(layouts, f"write_{t.name}")(mem, 8, value)
    assert getattr(layouts, f"read_{t.name}")(mem, 8) == value
    assert getattr(layouts, f"{t.name.upper()}_SIZE") == size
    assert getattr(layouts, f"{t.name.upper()}_ALIGN") == spec.layout.align_of(t)
    assert buf[:8] == b"\xaa" * 8 and buf[8 + size:] == b"\xaa" * 8
    # every byte not covered by a field is still the canary
    covered = set()
    def cover(t, base):
        r = spec.resolve(t)
        if isinstance(r, spec.Record):
            for fl in spec.layout.field_layouts(r):
                cover(fl.type, base + fl.offset)
        elif isinstance(r, spec.Union):
            covered.update(range(base, base + spec.layout.size_of(r.tag)))
            case = [v for v in r.variants if v.case == value[0]][0]
            cover(case.type, base + spec.layout.union_payload_offset(r))
        else:
            covered.update(range(base, base + spec.layout.size_of(r)))
    cover(t, 8)
    for i in range(8, 8 + size):
        if i not in covered:
            assert buf[i] == 0xAA, f"padding byte {i - 8} of {t.name} was written"


def test_reading_an_invalid_enum_from_memory_is_einval():
    buf = bytearray(48)
    struct.pack_into("<QB", buf, 0, 7, 3)   # subscription with eventtype 3
    with pytest.raises(WasiError) as e:
        layouts.read_subscription(BufferMemory(buf), 0)
    assert e.value.errno == E.EINVAL


def test_dirent_image():
    buf = bytearray(layouts.DIRENT_SIZE)
    layouts.write_dirent(BufferMemory(buf), 0, {"d_next": 1, "d_ino": 2, "d_namlen": 3, "d_type": 4})
    assert buf == struct.pack("<QQIB3x", 1, 2, 3, 4)


@pytest.mark.parametrize("ptr, n, align, traps", [
    (0, 4, 4, False), (65532, 4, 4, False), (65532, 4, 1, False), (65533, 4, 1, True), (65533, 4, 4, True),
    (65534, 4, 1, True), (2, 4, 4, True), (1 << 32, 1, 1, True), (0, 0, 8, False), (65536, 0, 1, False),
])
def test_memory_checks(ptr, n, align, traps):
    mem = BufferMemory(bytearray(65536))
    if traps:
        with pytest.raises(Trap):
            mem.check(ptr, n, align)
    else:
        mem.check(ptr, n, align)


def test_memory_growth_is_seen():
    buf = bytearray(2 * 65536)
    size = [65536]
    mem = BufferMemory(buf, lambda: size[0])
    with pytest.raises(Trap):
        mem.check(70000, 4)
    size[0] = 2 * 65536
    mem.check(70000, 4)



class FarMemory(BufferMemory):
    """Guest memory that is not directly addressable (as under Pyodide):
    `view` is None, so the glue goes through read/unpack; counts reads."""

    def __init__(self, buf: bytearray) -> None:
        super().__init__(buf)
        self.buf, self.view, self.reads = buf, None, 0

    def refresh(self) -> None:
        self.size = len(self.buf)

    def read(self, ptr: int, length: int) -> bytes:
        self.reads += 1
        return bytes(self.buf[ptr:ptr + length])

    def write(self, ptr: int, data: bytes) -> None:
        self.buf[ptr:ptr + len(data)] = data

    def unpack(self, st: struct.Struct, ptr: int) -> tuple:
        self.reads += 1
        return st.unpack_from(self.buf, ptr)

    def gather(self, ptr, length, entry, buf_at, len_at):
        """As the Pyodide helper: the first non-empty buffer comes along if in bounds."""
        table = self.read(ptr, length)
        for k in range(0, length, entry):
            (buf,), (n,) = struct.unpack_from("<I", table, k + buf_at), struct.unpack_from("<I", table, k + len_at)
            if n:
                if buf + n > len(self.buf):
                    break
                return table, k // entry, bytes(self.buf[buf:buf + n])
        return table, -1, b""


def _iovecs_outcome(mem, ptr: int, entries: list[tuple[int, int]], count: int, gather=None):
    from refhost.memory import HOSTCALL_FUEL, IoVecs
    for k, (buf, n) in enumerate(entries):
        if ptr + 8 * k + 8 <= 65536:
            struct.pack_into("<II", mem.buf if isinstance(mem, FarMemory) else mem.view, ptr + 8 * k, buf, n)
        if buf < 65536:
            mem.write(buf, bytes(range(k, k + min(n, 65536 - buf))))   # each buffer's own bytes
    iov = IoVecs(mem, layouts.CIOVEC_STRUCT, 8, 4, gather)
    iov.reset(ptr, count)
    mem.fuel = HOSTCALL_FUEL
    try:
        i = iov.first_nonempty()
        return i, (iov.read(i) if i >= 0 else b""), mem.fuel
    except Trap as e:
        return "trap", str(e)
    except WasiError as e:
        return "errno", e.errno


@pytest.mark.parametrize("ptr, entries, count", [
    (0x100, [(0x10, 5)], 1),                              # one buffer
    (0x100, [(0x10, 0), (0x20, 0), (0x30, 3)], 3),        # the first non-empty one
    (0x100, [(0x10, 0)] * 3, 3),                          # all empty
    (65528, [(0x10, 4)], 5),                              # array runs out of memory after a non-empty entry: no trap
    (65520, [(0x10, 0), (0x20, 0)], 5),                   # ... after empty ones: trap at the first entry outside
    (0x102, [(0x10, 4)], 1),                              # misaligned array: trap
    (0x100, [(0x10, 0)] * 70 + [(0x40, 2)], 71),          # beyond the first 64 entries
    (0x100, [(65530, 16)], 1),                            # buffer out of bounds: trap
    (0x100, [(0x10, 1)], 1 << 25),                        # an array beyond the fuel: ENOMEM
])
@pytest.mark.parametrize("gather", [None, (0, 4)])
def test_iovecs_read_the_same_without_a_view(ptr, entries, count, gather):
    near = _iovecs_outcome(BufferMemory(bytearray(65536)), ptr, entries, count)
    far_mem = FarMemory(bytearray(65536))
    far = _iovecs_outcome(far_mem, ptr, entries, count, gather)
    assert far == near
    if count == 1 and near[0] == 0:
        # the list in one read, then the buffer; with gather, both at once
        assert far_mem.reads == (1 if gather else 2)


def test_batched_outputs_keep_order():
    from refhost.stdio import BatchedOutputs
    got = []
    batch = BatchedOutputs(lambda fd, data: got.append((fd, data)), limit=8)
    out, err = batch.stream(1), batch.stream(2)
    out.write(b"ab")
    out.write(b"cd")
    assert got == []
    err.write(b"E")                   # a switch of stream flushes the other
    assert got == [(1, b"abcd")]
    out.write(b"123456789")           # past the limit: out at once
    assert got == [(1, b"abcd"), (2, b"E"), (1, b"123456789")]
    out.write(b"x")
    batch.flush()
    batch.flush()
    assert got[-1] == (1, b"x") and len(got) == 4
    tty = batch.stream(2, isatty=True)
    out.write(b"y")
    tty.write(b"now")                 # a terminal is not batched, and keeps the order
    assert got[-2:] == [(1, b"y"), (2, b"now")]


# --- path resolution and the filesystem ------------------------------------------------

def basic_fs():
    fs = MemFS()
    fs.write_file("/s/hello.txt", b"hello")
    fs.mkdir_p("/s/dir/sub")
    fs.write_file("/s/dir/inner.txt", b"inner")
    fs.symlink("hello.txt", "/s/link")
    fs.symlink("dir", "/s/link-to-dir")
    fs.symlink("../x", "/s/escape")
    fs.symlink("/abs", "/s/abs")
    fs.symlink("loop2", "/s/loop1")
    fs.symlink("loop1", "/s/loop2")
    return fs, fs.lookup("/s")


@pytest.mark.parametrize("path, follow, result", [
    ("hello.txt", True, "hello.txt"), ("link", True, "hello.txt"), ("link", False, "link"),
    ("link/", False, E.ENOTDIR), ("hello.txt/", True, E.ENOTDIR), ("dir/../hello.txt", True, "hello.txt"),
    ("..", True, E.EPERM), ("/hello.txt", True, E.EPERM), ("", True, E.ENOENT), ("escape", True, E.EPERM),
    ("escape", False, "escape"), ("abs", True, E.EPERM), ("loop1", True, E.ELOOP), ("loop1/x", False, E.ELOOP),
    ("missing/x", True, E.ENOENT), ("hello.txt/x", True, E.ENOTDIR), ("a" * 256, True, E.ENAMETOOLONG),
    ("link-to-dir/inner.txt", False, "inner.txt"), ("a\0b", True, E.EINVAL), (".", True, "."),
])
def test_resolve(path, follow, result):
    fs, base = basic_fs()
    if isinstance(result, int):
        with pytest.raises(WasiError) as e:
            resolve(base, path, follow)
        assert e.value.errno == result
    else:
        r = resolve(base, path, follow)
        assert r.inode is not None and r.name == result


@pytest.mark.parametrize("path, split", [
    ("a", ("", "a")), ("a/b", ("a", "b")), ("a/", ("a/", ".")), ("a/.", ("a/.", ".")), (".", ("", ".")),
    ("..", ("..", ".")), ("a/..", ("a/..", ".")), ("./a", (".", "a")), ("a//b", ("a", "b")),
])
def test_split_parent_like_cap_std(path, split):
    assert split_parent(path) == split


def err(fn, *args):
    try:
        fn(*args)
    except WasiError as e:
        return E.ERRNO_CODES[e.errno]
    return "ok"


@pytest.mark.parametrize("op, args, expected", [
    ("mkdir_at", ("new",), "ok"), ("mkdir_at", ("new/",), "ok"), ("mkdir_at", ("dir",), "EEXIST"),
    ("mkdir_at", ("link",), "EEXIST"), ("mkdir_at", ("missing/x",), "ENOENT"), ("mkdir_at", (".",), "EEXIST"),
    ("unlink_at", ("hello.txt",), "ok"), ("unlink_at", ("dir",), "EISDIR"), ("unlink_at", ("dir/",), "EISDIR"),
    ("unlink_at", ("hello.txt/",), "ENOTDIR"), ("unlink_at", ("link",), "ok"), ("unlink_at", ("missing",), "ENOENT"),
    ("rmdir_at", ("dir",), "ENOTEMPTY"), ("rmdir_at", ("dir/sub",), "ok"), ("rmdir_at", ("dir/sub/",), "EINVAL"),
    ("rmdir_at", ("hello.txt",), "ENOTDIR"), ("rmdir_at", ("link-to-dir",), "ENOTDIR"), ("rmdir_at", ("..",), "EPERM"),
    ("readlink_at", ("link",), "ok"), ("readlink_at", ("hello.txt",), "EINVAL"), ("readlink_at", ("link-to-dir/",), "EINVAL"),
])
def test_memfs_operations(op, args, expected):
    fs, base = basic_fs()
    assert err(getattr(memfs, op), base, *args) == expected


@pytest.mark.parametrize("old, new, expected", [
    ("hello.txt", "renamed", "ok"), ("hello.txt", "dir", "EISDIR"), ("dir", "hello.txt", "ENOTDIR"),
    ("dir", "dir/sub/x", "EINVAL"), (".", "x", "EBUSY"), ("hello.txt", ".", "EBUSY"),
    ("hello.txt", "x/", "ENOTDIR"), ("missing", "x", "ENOENT"), ("dir/sub", "dir2", "ok"),
    ("hello.txt", "hello.txt", "ok"),
])
def test_rename(old, new, expected):
    fs, base = basic_fs()
    assert err(memfs.rename_at, base, old, base, new) == expected


def test_open_create_and_link_counts():
    fs, base = basic_fs()
    f = memfs.open_at(base, "dangling-target", True, memfs.OpenFlags(creat=True), True)
    assert f.nlink == 1
    memfs.link_at(base, "dangling-target", base, "second")
    assert f.nlink == 2
    memfs.unlink_at(base, "dangling-target")
    assert f.nlink == 1
    d = fs.lookup("/s/dir")
    assert d.nlink == 3          # ".", its entry, sub's ".."
    memfs.rmdir_at(base, "dir/sub")
    assert d.nlink == 2
    assert err(memfs.open_at, base, "dir", True, memfs.OpenFlags(), True) == "EISDIR"
    assert err(memfs.open_at, base, "dir", True, memfs.OpenFlags(directory=True, trunc=True), False) == "EINVAL"
    assert err(memfs.open_at, base, "link", False, memfs.OpenFlags(directory=True), False) == "ELOOP"


def test_sparse_files_and_limits():
    fs = MemFS()
    f = fs.write_file("/f", b"abc")
    f.truncate(1 << 40)           # a hole, not a terabyte of memory
    assert f.size == 1 << 40 and len(f.data) == 3
    assert f.read((1 << 40) - 2, 10) == b"\0\0"
    f.write(10, b"x")
    assert f.read(0, 12) == b"abc" + b"\0" * 7 + b"x\0"


def test_readdir_order_is_creation_order():
    fs = MemFS()
    d = fs.mkdir_p("/d")
    for name in ("b", "a", "c"):
        fs.write_file(f"/d/{name}", b"")
    memfs.rename_at(d, "b", d, "b2")
    assert [n for n, _ in d.listing()] == ["a", "c", "b2"]


# --- descriptors -----------------------------------------------------------------------

def test_fd_numbers_reuse_the_highest_freed():
    t = FdTable()
    fds = [t.push(StdinDescriptor(BytesInput())) for _ in range(6)]
    assert fds == [0, 1, 2, 3, 4, 5]
    t.close(3)
    t.close(4)
    assert t.push(StdinDescriptor(BytesInput())) == 4
    assert t.push(StdinDescriptor(BytesInput())) == 3
    assert t.push(StdinDescriptor(BytesInput())) == 6
    t.renumber(6, 0)
    assert t.push(StdinDescriptor(BytesInput())) == 6
    with pytest.raises(WasiError):
        t.renumber(1, 99)


# --- deterministic mode ------------------------------------------------------------------

def test_splitmix64_vectors():
    r = SplitMix64()
    assert [r.next() for _ in range(3)] == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]
    r = SplitMix64()
    assert r.get(10) == bytes.fromhex("afcd1d7b39a820e2f465")
    assert r.get(3) == bytes.fromhex("4f4509")
    assert r.get(0) == b""


def test_deterministic_clocks():
    c = DeterministicClocks()
    assert c.time_get(CLOCKID.realtime) == 1_700_000_000_000_000_000
    assert c.time_get(CLOCKID.realtime) == 1_700_000_000_001_000_000
    assert c.time_get(CLOCKID.monotonic) == 1_000_000_000
    assert c.res_get(CLOCKID.monotonic) == 1_000_000
    assert c.time_get(CLOCKID.process_cputime_id) is None
    assert c.realtime_now() == 1_700_000_000_002_000_000   # not advanced by looking
    c.advance(5)
    assert c.monotonic_now() == 1_001_000_005


# --- host directories in and out -------------------------------------------------------------

def test_host_dir_round_trip(tmp_path):
    src = tmp_path / "src"
    (src / "d").mkdir(parents=True)
    (src / "a.txt").write_bytes(b"A")
    (src / "d" / "b.txt").write_bytes(b"B")
    os.symlink("../outside", src / "up")
    os.symlink("a.txt", src / "d" / "to-a-broken")
    (tmp_path / "outside").write_bytes(b"must not change")
    fs = MemFS(numbered_root=False)
    root = fs.new_root()
    fs_trees.load_tree(fs, root, host_trees.read_host_tree(str(src)))
    assert [n for n, _ in root.listing()] == ["a.txt", "d", "up"]      # name order
    assert root.ino == 1 and root.entries["a.txt"].ino == 2
    # change the tree: a file, a removal, a new dir, a replaced symlink
    fs_a = root.entries["a.txt"]
    fs_a.truncate(0)
    fs_a.write(0, b"changed")
    memfs.unlink_at(root, "d/b.txt")
    memfs.mkdir_at(root, "new")
    memfs.unlink_at(root, "up")
    f = memfs.open_at(root, "up", False, memfs.OpenFlags(creat=True), True)
    f.write(0, b"a file now")
    host_trees.apply_tree(str(src), fs_trees.dump_tree(root))
    assert (src / "a.txt").read_bytes() == b"changed"
    assert not (src / "d" / "b.txt").exists()
    assert (src / "new").is_dir()
    assert not (src / "up").is_symlink() and (src / "up").read_bytes() == b"a file now"
    assert (tmp_path / "outside").read_bytes() == b"must not change"
    assert os.readlink(src / "d" / "to-a-broken") == "a.txt"
    assert not [p for p in src.rglob(".wasi-polyfill-*")]


def test_tree_json_round_trip(tmp_path):
    (tmp_path / "x").write_bytes(bytes(range(256)))
    os.link(tmp_path / "x", tmp_path / "y")
    tree = host_trees.read_host_tree(str(tmp_path))
    assert fs_trees.decode_tree(fs_trees.encode_tree(tree)) == tree
    # the reference host's wire form is the harness's (and so the JS runtime's)
    assert fs_trees.encode_tree(tree) == host_trees.to_json(tree)
    fs = MemFS(numbered_root=False)
    root = fs.new_root()
    fs_trees.load_tree(fs, root, tree)
    assert root.entries["x"] is root.entries["y"] and root.entries["x"].nlink == 2
    def no_atime(t):  # reading the host file moved its atime between its two names
        out = {k: v for k, v in t.items() if k != "atim"}
        if t["type"] == "dir":
            out["entries"] = {k: no_atime(v) for k, v in t["entries"].items()}
        return out
    assert no_atime(fs_trees.dump_tree(root)) == no_atime(tree)


# --- the trace --------------------------------------------------------------------------------

def test_trace_lines():
    lines: list[str] = []
    buf = bytearray(65536)
    struct.pack_into("<II", buf, 0, 16, 5)
    buf[16:21] = b"hello"
    out = BufferOutput()
    imports = Wasi(stdout=out).imports(BufferMemory(buf), trace=lines.append)
    assert imports["fd_write"](1, 0, 1, 8) == 0
    assert imports["fd_close"](99) == E.EBADF
    assert imports["fd_fdstat_get"](1, 24) == 0
    assert lines[:4] == ["==> fd_write(fd=1,iovs=0,iovs_len=1)", "<== (nwritten=5,errno=ESUCCESS)",
                         "==> fd_close(fd=99)", "<== errno=EBADF"]
    assert lines[5] == ("<== (stat={fs_filetype=unknown,fs_flags=0,fs_rights_base=64,"
                        "fs_rights_inheriting=64},errno=ESUCCESS)")


# --- every function through WAT on the native engine ------------------------------------------

def run_wat(body: str, data: str = "", stdin: bytes = b"", fs: MemFS | None = None, preopens=None,
            args=("prog",), env=(), fast=None) -> tuple[int, Wasi, bytes, bytes]:
    """Run a module whose `_start` is `body`, with every preview1 function
    imported as $name; returns (status, wasi, stdout, the first 64 KiB of
    memory afterwards)."""
    imports = "\n".join(
        f'(import "wasi_snapshot_preview1" "{f.name}" (func ${f.name} '
        + " ".join(f"(param {p.type})" for p in spec.abi.lower(f).params)
        + " ".join(f" (result {r})" for r in spec.abi.lower(f).results) + "))"
        for f in spec.FUNCTIONS)
    wat = f"""(module {imports}
      (memory (export "memory") 1)
      {data}
      (func $check (param i32) (i32.store (i32.const 0xff00) (local.get 0)))
      (func (export "_start") {body}))"""
    out = BufferOutput()
    w = Wasi(args=args, env=env, stdin=BytesInput(stdin), stdout=out, fs=fs, preopens=preopens or {})
    inst = engine.Instance(wasmtime.wat2wasm(wat), w, fast=fast)
    try:
        inst.call("_start")
        status = 0
    except ProcExit as e:
        status = e.code
    return status, w, out.getvalue(), inst.mem.view[:65536].tobytes()


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_hello_and_exit_on_both_engine_paths(fast):
    status, w, out, _ = run_wat("""
        (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 3))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (call $proc_exit (i32.const 42))""", '(data (i32.const 100) "hi\\n")', fast=fast)
    assert (status, out) == (42, b"hi\n")


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_glue_trap_and_wasm_trap(fast):
    with pytest.raises(Trap, match="out of bounds"):
        run_wat("(drop (call $fd_write (i32.const 1) (i32.const 65535) (i32.const 1) (i32.const 8)))", fast=fast)
    with pytest.raises(Trap):
        run_wat("unreachable", fast=fast)
    with pytest.raises(E.InvalidExitStatus):
        run_wat("(call $proc_exit (i32.const 126))", fast=fast)


def test_memory_grows_between_calls():
    status, w, out, _ = run_wat("""
        (drop (memory.grow (i32.const 2)))
        (i32.store (i32.const 0x20000) (i32.const 0x20010)) (i32.store (i32.const 0x20004) (i32.const 2))
        (i32.store16 (i32.const 0x20010) (i32.const 0x0a41))
        (drop (call $fd_write (i32.const 1) (i32.const 0x20000) (i32.const 1) (i32.const 0x20008)))""")
    assert out == b"A\n"


TABLE = [
    # (name, WAT body that calls it and stores the errno with $check, expected errno)
    ("args_sizes_get", "(call $check (call $args_sizes_get (i32.const 0x100) (i32.const 0x104)))", 0),
    ("args_get", "(call $check (call $args_get (i32.const 0x100) (i32.const 0x200)))", 0),
    ("environ_sizes_get", "(call $check (call $environ_sizes_get (i32.const 0x100) (i32.const 0x104)))", 0),
    ("environ_get", "(call $check (call $environ_get (i32.const 0x100) (i32.const 0x200)))", 0),
    ("clock_res_get", "(call $check (call $clock_res_get (i32.const 2) (i32.const 0x100)))", E.EBADF),
    ("clock_time_get", "(call $check (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 0x100)))", 0),
    ("fd_advise", "(call $check (call $fd_advise (i32.const 3) (i64.const 0) (i64.const 0) (i32.const 0)))", E.EBADF),
    ("fd_allocate", "(call $check (call $fd_allocate (i32.const 99) (i64.const 0) (i64.const 0)))", E.EBADF),
    ("fd_close", "(call $check (call $fd_close (i32.const 2)))", 0),
    ("fd_datasync", "(call $check (call $fd_datasync (i32.const 1)))", E.EBADF),
    ("fd_fdstat_get", "(call $check (call $fd_fdstat_get (i32.const 3) (i32.const 0x100)))", 0),
    ("fd_fdstat_set_flags", "(call $check (call $fd_fdstat_set_flags (i32.const 3) (i32.const 0)))", E.EBADF),
    ("fd_fdstat_set_rights", "(call $check (call $fd_fdstat_set_rights (i32.const 3) (i64.const 0) (i64.const 0)))", E.ENOTSUP),
    ("fd_filestat_get", "(call $check (call $fd_filestat_get (i32.const 3) (i32.const 0x100)))", 0),
    ("fd_filestat_set_size", "(call $check (call $fd_filestat_set_size (i32.const 3) (i64.const 0)))", E.EBADF),
    ("fd_filestat_set_times", "(call $check (call $fd_filestat_set_times (i32.const 3) (i64.const 1) (i64.const 2) (i32.const 5)))", 0),
    ("fd_pread", "(call $check (call $fd_pread (i32.const 0) (i32.const 0x100) (i32.const 0) (i64.const 0) (i32.const 0x108)))", E.ESPIPE),
    ("fd_prestat_get", "(call $check (call $fd_prestat_get (i32.const 3) (i32.const 0x100)))", 0),
    ("fd_prestat_dir_name", "(call $check (call $fd_prestat_dir_name (i32.const 3) (i32.const 0x100) (i32.const 2)))", E.ENAMETOOLONG),
    ("fd_pwrite", "(call $check (call $fd_pwrite (i32.const 1) (i32.const 0x100) (i32.const 0) (i64.const 0) (i32.const 0x108)))", E.ESPIPE),
    ("fd_read", "(call $check (call $fd_read (i32.const 3) (i32.const 0x100) (i32.const 0) (i32.const 0x108)))", E.EBADF),
    ("fd_readdir", "(call $check (call $fd_readdir (i32.const 3) (i32.const 0x200) (i32.const 100) (i64.const 0) (i32.const 0x100)))", 0),
    ("fd_renumber", "(call $check (call $fd_renumber (i32.const 1) (i32.const 9)))", E.EBADF),
    ("fd_seek", "(call $check (call $fd_seek (i32.const 1) (i64.const 0) (i32.const 0) (i32.const 0x100)))", E.ESPIPE),
    ("fd_sync", "(call $check (call $fd_sync (i32.const 3)))", E.EBADF),
    ("fd_tell", "(call $check (call $fd_tell (i32.const 3) (i32.const 0x100)))", E.EBADF),
    ("fd_write", "(call $check (call $fd_write (i32.const 0) (i32.const 0x100) (i32.const 0) (i32.const 0x108)))", E.EBADF),
    ("path_create_directory", "(call $check (call $path_create_directory (i32.const 3) (i32.const 0x300) (i32.const 3)))", 0),
    ("path_filestat_get", "(call $check (call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 0x310) (i32.const 5) (i32.const 0x100)))", 0),
    ("path_filestat_set_times", "(call $check (call $path_filestat_set_times (i32.const 3) (i32.const 0) (i32.const 0x310) (i32.const 5) (i64.const 0) (i64.const 0) (i32.const 10)))", 0),
    ("path_link", "(call $check (call $path_link (i32.const 3) (i32.const 0) (i32.const 0x310) (i32.const 5) (i32.const 3) (i32.const 0x300) (i32.const 3)))", 0),
    ("path_open", "(call $check (call $path_open (i32.const 3) (i32.const 1) (i32.const 0x310) (i32.const 5) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0x100)))", 0),
    ("path_readlink", "(call $check (call $path_readlink (i32.const 3) (i32.const 0x310) (i32.const 5) (i32.const 0x200) (i32.const 10) (i32.const 0x100)))", E.EINVAL),
    ("path_remove_directory", "(call $check (call $path_remove_directory (i32.const 3) (i32.const 0x310) (i32.const 5)))", E.ENOTDIR),
    ("path_rename", "(call $check (call $path_rename (i32.const 3) (i32.const 0x310) (i32.const 5) (i32.const 3) (i32.const 0x300) (i32.const 3)))", 0),
    ("path_symlink", "(call $check (call $path_symlink (i32.const 0x310) (i32.const 5) (i32.const 3) (i32.const 0x300) (i32.const 3)))", 0),
    ("path_unlink_file", "(call $check (call $path_unlink_file (i32.const 3) (i32.const 0x310) (i32.const 5)))", 0),
    ("poll_oneoff", "(call $check (call $poll_oneoff (i32.const 0x400) (i32.const 0x500) (i32.const 0) (i32.const 0x100)))", E.EINVAL),
    ("proc_raise", "(call $check (call $proc_raise (i32.const 1)))", E.ENOTSUP),
    ("sched_yield", "(call $check (call $sched_yield))", 0),
    ("random_get", "(call $check (call $random_get (i32.const 0x200) (i32.const 16)))", 0),
    ("sock_accept", "(call $check (call $sock_accept (i32.const 1) (i32.const 0) (i32.const 0x100)))", E.ENOTSOCK),
    ("sock_recv", "(call $check (call $sock_recv (i32.const 99) (i32.const 0x100) (i32.const 0) (i32.const 0) (i32.const 0x108) (i32.const 0x10c)))", E.EBADF),
    ("sock_send", "(call $check (call $sock_send (i32.const 1) (i32.const 0x100) (i32.const 0) (i32.const 0) (i32.const 0x108)))", E.ENOTSOCK),
    ("sock_shutdown", "(call $check (call $sock_shutdown (i32.const 1) (i32.const 1)))", E.ENOTSOCK),
]


@pytest.mark.parametrize("name, body, expected", TABLE, ids=[t[0] for t in TABLE])
def test_each_function(name, body, expected):
    fs = MemFS()
    fs.write_file("/s/hello", b"hello")
    data = '(data (i32.const 0x300) "new") (data (i32.const 0x310) "hello")'
    status, w, out, memory = run_wat(body, data, fs=fs, preopens={"/sandbox": "/s"}, env=[("A", "1")])
    assert struct.unpack_from("<I", memory, 0xff00)[0] == expected


def test_table_covers_every_function():
    assert sorted([t[0] for t in TABLE] + ["proc_exit"]) == sorted(f.name for f in spec.FUNCTIONS)


CANARY_CASES = [
    # (body, result address, result size, expected image of the result region)
    ("(call $check (call $args_sizes_get (i32.const 0x100) (i32.const 0x108)))", 0x100, 12,
     struct.pack("<I", 2) + b"\xaa" * 4 + struct.pack("<I", len(b"prog\0x\0"))),
    ("(call $check (call $fd_prestat_get (i32.const 3) (i32.const 0x100)))", 0x100, 8,
     b"\x00" + b"\xaa" * 3 + struct.pack("<I", 8)),      # the tag's padding is left alone
    ("(call $check (call $fd_fdstat_get (i32.const 1) (i32.const 0x100)))", 0x100, 24,
     struct.pack("<B", 0) + b"\xaa" + struct.pack("<H", 0) + b"\xaa" * 4 + struct.pack("<QQ", 64, 64)),
    ("(call $check (call $fd_fdstat_get (i32.const 99) (i32.const 0x100)))", 0x100, 24, b"\xaa" * 24),
    ("(call $check (call $fd_prestat_dir_name (i32.const 3) (i32.const 0x100) (i32.const 10)))", 0x100, 10,
     b"/sandbox" + b"\xaa" * 2),
]


@pytest.mark.parametrize("body, at, n, image", CANARY_CASES)
def test_memory_images_with_canaries(body, at, n, image):
    fs = MemFS()
    fs.mkdir_p("/s")
    status, w, out, memory = run_wat(f"(memory.fill (i32.const {at - 8}) (i32.const 0xAA) (i32.const {n + 16})) {body}",
                                     fs=fs, preopens={"/sandbox": "/s"}, args=("prog", "x"))
    assert memory[at - 8:at] == b"\xaa" * 8 and memory[at + n:at + n + 8] == b"\xaa" * 8
    assert memory[at:at + n] == image


@pytest.mark.parametrize("body", [
    "(drop (call $fd_fdstat_get (i32.const 1) (i32.const 65530)))",       # out of bounds
    "(drop (call $fd_filestat_get (i32.const 1) (i32.const 0x104)))",     # filestat must be 8-aligned
    "(drop (call $args_get (i32.const 65534) (i32.const 0x200)))",
    "(drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 65530) (i32.const 10) (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 0x100)))",
    "(drop (call $clock_time_get (i32.const 9) (i64.const 0) (i32.const 0x100)))",   # invalid enum: wasmtime traps
    "(drop (call $fd_fdstat_set_flags (i32.const 3) (i32.const 0x20)))",            # invalid flags
    "(drop (call $random_get (i32.const 65530) (i32.const 10)))",
])
def test_bad_arguments_trap(body):
    fs = MemFS()
    fs.mkdir_p("/s")
    with pytest.raises(Trap):
        run_wat(body, fs=fs, preopens={"/sandbox": "/s"})


def test_refhost_modules_import_without_cycles():
    """The twins line up one way: no refhost module imports one that
    imports it back (imports only for type checking do not count)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "refhost"
    graph = {}
    for path in root.rglob("*.py"):
        rel = path.relative_to(root.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = name if rel.name == "__init__" else name.rpartition(".")[0]
        deps = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                node.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level:
                    base = base[:len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module
                for alias in node.names:
                    deps.add(f"{target}.{alias.name}")
                deps.add(target)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
        graph[name] = deps
    graph = {m: {d for d in deps if d in graph and d != m and not m.startswith(d + ".")}
             for m, deps in graph.items()}

    def reach(start):
        seen, todo = set(), [start]
        while todo:
            for d in graph[todo.pop()]:
                if d not in seen:
                    seen.add(d)
                    todo.append(d)
        return seen

    cycles = sorted(m for m in graph if m in reach(m) and m != "refhost")
    assert not cycles, f"import cycles through {cycles}"
