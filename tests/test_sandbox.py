"""Zero escapes (issue #8): every adversarial corpus case (`adv-*`), run with
`--write-back` while a canary tree sits beside and above the preopened host
dirs, leaves the canary exactly as it was and never shows its contents.

Layout of one run (tmp_path/top):

    top/outside.txt, top/secret/..., ...      canary, reached by `../../x`
    top/run/outside.txt, top/run/secret/...   canary, reached by `../x`
    top/run/dir0, top/run/dir1                the case's preopened trees

The case's `abs-secret` symlink is pointed at the real absolute path of
`top/run/secret/key.txt`, `abs-outside` at `top/run/outside.txt`. Every
entry of the canary (outside the `dirN`) is compared before and after:
type, mode, size, mtime and ctime (a utimes that put the old times back
still moves ctime), file bytes, symlink targets, and no entry added or
removed; stdout and stderr must not contain any canary file's text. The
hosts also agree with wasmtime (run the same way) on stdout, stderr, status
and the final trees, so the canary's presence changes nothing either.

    SANDBOX_HOSTS=node,refhost pytest tests/test_sandbox.py   (default: node,refhost,browser)
"""

from __future__ import annotations

import os
import stat
import time
import uuid
from pathlib import Path

import pytest

import differential as d
from test_corpus import host_unavailable

HOSTS = [h.strip() for h in os.environ.get("SANDBOX_HOSTS", "node,refhost,browser").split(",") if h.strip()]
ADV_CASES = [c for c in d.CASES if c.name.startswith("adv-")]
TOKEN = f"CANARY-{uuid.uuid4().hex[:12]}"


def canary_tree() -> dict:
    return {
        "outside.txt": f"{TOKEN} outside\n",
        "new.txt": f"{TOKEN} new\n",
        "secret/key.txt": f"{TOKEN} key\n",
        "secret/sub/deep.txt": f"{TOKEN} deep\n",
        "secret/link-back": {"symlink": "../outside.txt"},
        "other/o.txt": f"{TOKEN} not the preopen\n",
        "victim-dir/v.txt": f"{TOKEN} victim\n",
        "stolen-link": {"symlink": "secret"},
    }


def canary_state(top: Path, skip: set[Path]) -> dict[str, tuple]:
    """Everything under top but the `skip` dirs, without following symlinks
    (and without changing anything: files are opened O_NOFOLLOW, read only)."""
    out: dict[str, tuple] = {}

    def entry(p: Path) -> tuple:
        st = os.lstat(p)
        meta = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_mtime_ns, st.st_ctime_ns, st.st_nlink)
        if stat.S_ISLNK(st.st_mode):
            return (*meta, os.readlink(p))
        if stat.S_ISREG(st.st_mode):
            fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as f:
                return (*meta, st.st_size, f.read())
        return meta

    def walk(dirpath: Path) -> None:
        out[str(dirpath.relative_to(top))] = entry(dirpath)
        for name in sorted(os.listdir(dirpath)):
            p = dirpath / name
            if p in skip:
                continue
            if stat.S_ISDIR(os.lstat(p).st_mode):
                walk(p)
            else:
                out[str(p.relative_to(top))] = entry(p)

    walk(top)
    return out


def run_fenced(host: str, case: d.Case, tmp_path: Path) -> tuple[d.Outcome, dict, dict]:
    top = tmp_path / host / "top"
    base = top / "run"
    d.make_tree(top, canary_tree())
    d.make_tree(base, canary_tree())
    retarget = {"abs-secret": str(base / "secret" / "key.txt"), "abs-outside": str(base / "outside.txt")}
    trees = {guest: {rel: ({"symlink": retarget[rel]} if rel in retarget else v) for rel, v in tree.items()}
             for guest, tree in case.dirs.items()}
    skip = {base / f"dir{i}" for i in range(len(trees))}
    for i, tree in enumerate(trees.values()):
        d.make_tree(base / f"dir{i}", tree)
    before = canary_state(top, skip)
    outcome = d.run_case(host, case, tmp_path, base=base)
    after = canary_state(top, skip)
    # the retargeted links name this run's own top: compare them by shape
    outcome.tree = {k: (("symlink", v[1].replace(str(top), "<top>")) if v[0] == "symlink" else v)
                    for k, v in outcome.tree.items()}
    return outcome, before, after


@pytest.fixture(scope="module")
def browser_session():
    from harness.hosts.browser import BrowserSession

    with BrowserSession() as session:
        d.IN_PROCESS["browser"] = session.run
        try:
            yield session
        finally:
            d.IN_PROCESS.pop("browser", None)


_reference: dict[str, d.Outcome] = {}


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("case", ADV_CASES, ids=lambda c: c.name)
def test_no_escape(case, host, tmp_path, request):
    reason = host_unavailable(host)
    if reason:
        pytest.skip(reason)
    if host == "browser":
        request.getfixturevalue("browser_session")
    if case.name not in _reference:
        _reference[case.name], ref_before, ref_after = run_fenced("wasmtime", case, tmp_path)
        assert ref_after == ref_before, "wasmtime itself changed the canary: the test is wrong"
    outcome, before, after = run_fenced(host, case, tmp_path)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert not changed, f"{host} changed the canary outside the preopens: {changed}"
    for what, data in (("stdout", outcome.stdout), ("stderr", outcome.stderr)):
        assert TOKEN.encode() not in data, f"{host} {what} shows canary contents"
    # the run really happened and touched its own trees
    assert outcome.status == _reference[case.name].status, outcome.stderr.decode(errors="replace")
    diff = d.compare(_reference[case.name], outcome)
    assert diff is None, f"{host} differs from wasmtime with the canary around:\n{diff}"


def test_canary_state_sees_changes(tmp_path):
    """The check can fail: each kind of change to a canary tree is seen."""
    top = tmp_path / "top"
    d.make_tree(top, canary_tree())
    skip = {top / "skipped"}
    (top / "skipped").mkdir()
    base = canary_state(top, skip)
    (top / "skipped" / "x").write_text("inside the preopen: not the canary's business")
    assert canary_state(top, skip) == base
    changes = [
        lambda: (top / "secret" / "key.txt").write_text(f"{TOKEN} key\n"),   # same bytes, new mtime/ctime
        lambda: os.utime(top / "outside.txt", ns=(0, os.lstat(top / "outside.txt").st_mtime_ns)),  # ctime only
        lambda: (top / "created-outside.txt").write_text("x"),
        lambda: os.symlink("x", top / "secret" / "sub" / "new-link"),
        lambda: (top / "stolen-link").unlink(),
        lambda: os.chmod(top / "secret", 0o700),
    ]
    for change in changes:
        state = canary_state(top, skip)
        time.sleep(0.02)  # past the file system's clock granularity
        change()
        assert canary_state(top, skip) != state
