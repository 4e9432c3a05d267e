"""The reference host packed for Pyodide, built when needed and cached.

`pyodide build` cannot run here (no emscripten toolchain, no network), and
the reference host is pure Python anyway, so the "wheel" is a zip of the
two packages it needs, `spec/` and `refhost/`, laid out as they are here,
which a Pyodide runtime unpacks (`pyodide.unpackArchive`) into a directory
on its `sys.path`. It is built under `build/pyodide/`, named by a hash of its
contents, so it is rebuilt only when a source changes.

For Node, `snapshot()` also caches a Pyodide memory snapshot taken after
importing the package (Pyodide's `_makeSnapshot` / `_loadSnapshot`, private
options of the pinned pyodide 314.0.7): starting from it costs a fraction
of a fresh start. It is keyed by the Pyodide version and the bundle; if it
cannot be made or loaded, the driver starts Pyodide the ordinary way.
"""

from __future__ import annotations

from harness.paths import ROOT

import hashlib
import io
import json
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
BUILD = ROOT / "build" / "pyodide"
DRIVER = Path(__file__).with_name("pyodide_node_run.mjs")

# source folder -> folder inside the zip
SOURCES = {
    ROOT / "spec": "spec",
    ROOT / "refhost": "refhost",
}


def _files() -> list[tuple[Path, str]]:
    out = []
    for src, dest in SOURCES.items():
        for path in sorted([*src.rglob("*.py"), *src.rglob("*.js")]):
            if "__pycache__" in path.parts:
                continue
            out.append((path, f"{dest}/{path.relative_to(src).as_posix()}"))
    return out


def pyodide_version() -> str:
    return json.loads((PYODIDE_DIR / "package.json").read_text())["version"]


def bundle() -> Path:
    """The zip of the package (built if missing)."""
    files = [(dest, path.read_bytes()) for path, dest in _files()]
    digest = hashlib.sha256()
    for dest, data in files:
        digest.update(dest.encode() + b"\0" + hashlib.sha256(data).digest())
    out = BUILD / f"refhost-{digest.hexdigest()[:16]}.zip"
    if not out.exists():
        BUILD.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for dest, data in files:
                info = zipfile.ZipInfo(dest, date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)
        _write_atomically(out, buf.getvalue())
        _prune(digest.hexdigest()[:16])
    return out


def _prune(keep: str) -> None:
    """Bundles and snapshots of older sources go (snapshots are 30 MB) — once
    they are an hour old, so that a run of another checkout's sources still
    going on (a test run while the sources are edited) keeps its own."""
    import time

    for path in BUILD.iterdir():
        if path.name.startswith((".",)) or keep in path.name:
            continue
        try:
            if time.time() - path.stat().st_mtime < 3600:
                continue
        except OSError:
            continue
        if path.name.startswith(("refhost-", "snapshot-", "browser-snapshot-")):
            try:
                path.unlink()
            except OSError:
                pass


def snapshot(node: str, bundle_path: Path) -> Path | None:
    """A Pyodide memory snapshot with the package imported (made if
    missing), or None if one cannot be made here."""
    out = BUILD / f"snapshot-{pyodide_version()}-{bundle_path.stem.split('-')[-1]}.bin"
    failed = out.with_suffix(".failed")
    if out.exists():
        return out
    if failed.exists():
        return None
    BUILD.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=BUILD, prefix=".snapshot-", suffix=".tmp")
    os.close(fd)
    try:
        proc = subprocess.run([node, str(DRIVER), "--make-snapshot", tmp, "--bundle", str(bundle_path)],
                              capture_output=True, timeout=600)
        if proc.returncode != 0 or os.path.getsize(tmp) == 0:
            failed.write_bytes(proc.stderr[-4000:])
            return None
        os.replace(tmp, out)
        return out
    except (OSError, subprocess.SubprocessError) as e:
        failed.write_text(str(e))
        return None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
