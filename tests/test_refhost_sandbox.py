"""Zero escapes inside the reference host's MemFS (issue #8), the twin of
tests/js/sandbox.test.mjs: every adversarial corpus program runs on the
refhost (natively) over one MemFS holding the preopened /sandbox and /other
(cases.py ADV_DIRS) and, outside them, /secret/key.txt, /outside.txt,
/new.txt and a directory beside them, with the sandbox's symlinks pointing
there (`abs-secret` -> /secret/key.txt, `escape-link` -> ../outside.txt).
While the guest runs, every outside inode is watched: a look-up in, listing
of or change to an outside directory, a read or write of an outside file's
bytes or a symlink's target is recorded. None may happen, the outside
content must be unchanged, and no outside text may reach the output.
"""

from __future__ import annotations

import pytest

import differential as d
from corpus.cases import ADV_DIRS

from refhost.stdio import BufferOutput
from refhost.vfs.inode import Directory, File, Symlink
from refhost.vfs.memfs import MemFS
from refhost.wasi import Wasi

wasmtime = pytest.importorskip("wasmtime")

TOKEN = "CANARY-refhost-outside"
ADV_PROGRAMS = sorted({c.program for c in d.CASES if c.name.startswith("adv-")})


class Watch:
    on = False
    touches: list[str] = []

    @classmethod
    def note(cls, what: str) -> None:
        if cls.on:
            cls.touches.append(what)


class WatchedEntries(dict):
    """A directory's entries that record every access."""

    def _watched(name):  # noqa: N805 - a helper run at class creation
        def method(self, *args, **kwargs):
            Watch.note(f"directory {name}")
            return getattr(dict, name)(self, *args, **kwargs)
        return method

    for _name in ("__getitem__", "__setitem__", "__delitem__", "__contains__", "__iter__", "__len__",
                  "get", "items", "keys", "values", "pop", "setdefault", "update"):
        locals()[_name] = _watched(_name)
    del _name, _watched


def _watched_slot(cls, slot: str):
    raw = getattr(cls, slot)  # the slot's member descriptor

    def get(self):
        Watch.note(f"{slot} read")
        return raw.__get__(self)

    def set_(self, value):
        Watch.note(f"{slot} written")
        raw.__set__(self, value)
    return property(get, set_)


class WatchedFile(File):
    __slots__ = ()
    data = _watched_slot(File, "data")


class WatchedSymlink(Symlink):
    __slots__ = ()
    target = _watched_slot(Symlink, "target")


def fill(fs: MemFS, at: str, tree: dict) -> None:
    fs.mkdir_p(at)
    for rel, value in tree.items():
        path = f"{at}/{rel}"
        if isinstance(value, str):
            fs.write_file(path, value.encode())
        elif "symlink" in value:
            fs.symlink(value["symlink"], path)
        else:
            fs.mkdir_p(path)


def outside(d_: Directory, skip: set[int], out: list) -> list:
    out.append(d_)
    for node in d_.entries.values():
        if id(node) in skip:
            continue
        out.append(node)
        if isinstance(node, Directory):
            outside(node, skip, out)
    return out


def watch(nodes: list) -> None:
    for node in nodes:
        if isinstance(node, Directory):
            node.entries = WatchedEntries(node.entries)
        elif type(node) is File:
            node.__class__ = WatchedFile
        elif type(node) is Symlink:
            node.__class__ = WatchedSymlink


def snapshot(d_: Directory, skip: set[int]) -> dict:
    out = {}
    for name, node in dict.items(d_.entries):
        if id(node) in skip:
            out[name] = "(preopen)"
            continue
        meta = (node.mtim, node.ctim, node.nlink)
        if isinstance(node, Directory):
            out[name] = (meta, snapshot(node, skip))
        elif isinstance(node, File):
            out[name] = (meta, bytes(File.data.__get__(node)))
        else:
            out[name] = (meta, Symlink.target.__get__(node))
    return out


def make_fs() -> tuple[MemFS, dict[str, Directory]]:
    fs = MemFS()
    for guest, tree in ADV_DIRS.items():
        fill(fs, guest, tree)
    fs.write_file("/outside.txt", f"{TOKEN} outside\n".encode())
    fs.write_file("/new.txt", f"{TOKEN} new\n".encode())
    fill(fs, "/secret", {"key.txt": f"{TOKEN} key\n", "sub/deep.txt": f"{TOKEN} deep\n",
                         "back": {"symlink": "../sandbox"}})
    fill(fs, "/beside", {"b.txt": f"{TOKEN} beside\n"})
    return fs, {guest: fs.lookup(guest) for guest in ADV_DIRS}


@pytest.fixture(scope="module")
def built() -> dict:
    return d.build_all()


@pytest.mark.parametrize("program", ADV_PROGRAMS)
def test_nothing_outside_is_touched(program, built):
    from refhost.engines import wasmtime as engine

    fs, preopens = make_fs()
    skip = {id(p) for p in preopens.values()}
    before = snapshot(fs.root, skip)
    watch(outside(fs.root, skip, []))
    out, err = BufferOutput(), BufferOutput()
    wasi = Wasi(args=[program], preopens=list(preopens.items()), fs=fs, stdout=out, stderr=err)
    Watch.touches = []
    Watch.on = True
    try:
        status = engine.run(built[program].read_bytes(), wasi)
    finally:
        Watch.on = False
    stdout, stderr = out.getvalue(), err.getvalue()
    assert status == 0, stderr
    assert Watch.touches == [], "outside inodes were touched while the guest ran"
    assert TOKEN.encode() not in stdout + stderr
    assert snapshot(fs.root, skip) == before, "outside content changed"
    assert stdout.count(b"\n") > 40, stdout


def test_the_watch_sees_touches():
    fs, preopens = make_fs()
    skip = {id(p) for p in preopens.values()}
    watch(outside(fs.root, skip, []))
    Watch.touches = []
    Watch.on = True
    try:
        fs.read_file("/secret/key.txt")
    finally:
        Watch.on = False
    assert "directory get" in Watch.touches and "data read" in Watch.touches, Watch.touches
