"""`--host pyodide-node`: the reference host under Pyodide, in Node.

The driver (pyodide_node_run.mjs) starts Pyodide from node_modules/pyodide
(from a cached memory snapshot when it can: hosts/pyodide_bundle.py),
unpacks the package bundle into it and runs the job: the program's stdio is
the driver's (read and written synchronously, so output streams as it comes).
Pyodide's filesystem is not the host's, so the `--dir` trees go in as data
(the Job, JSON) and, with `--write-back`, come back as data and are applied
here, as the native refhost host does. Exit statuses and error lines are the
native refhost host's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from typing import BinaryIO

from . import HostError, RunSpec
from . import refhost
from .refhost import job_for, report_invalid_exit, report_trap, write_back


def node_binary() -> str:
    node = shutil.which("node")
    if node is None:
        raise HostError("node is not installed (Node.js >= 18 is needed for this host)")
    return node


def _fd_or_pipe(f: BinaryIO | None):
    if f is None:
        return None, False
    try:
        f.fileno()
        return f, False
    except (AttributeError, OSError, ValueError):
        return subprocess.PIPE, True


class _Stderr:
    """Where this host's own lines go: the spec's stderr or fd 2."""

    def __init__(self, f: BinaryIO | None) -> None:
        self.f = f

    def write(self, data: bytes) -> None:
        if self.f is None:
            os.write(2, data)
        else:
            self.f.write(data)
            self.f.flush()


def pyodide_job(spec: RunSpec) -> tuple[dict, list[str]]:
    """The job for `refhost.engines.pyodide.run_job` (JSON-able) and, per
    tree, the host directory it came from; a missing Pyodide, program or dir
    is a HostError first."""
    from .pyodide_bundle import PYODIDE_DIR

    if not (PYODIDE_DIR / "pyodide.mjs").exists():
        raise HostError(f"{PYODIDE_DIR} is missing (npm ci)")
    if not os.path.isfile(spec.program):
        raise HostError(f"{spec.program}: no such file")
    job, hosts = job_for(spec)
    data = job.to_json()
    data["write_back"] = spec.write_back
    data["trap_unknown_imports"] = spec.trap_unknown_imports
    return data, hosts


def run(spec: RunSpec) -> int:
    from .pyodide_bundle import DRIVER, bundle, snapshot

    node = node_binary()
    data, hosts = pyodide_job(spec)
    bundle_path = bundle()
    snap = snapshot(node, bundle_path)
    with tempfile.TemporaryDirectory(prefix="wasi-polyfill-pyodide-") as tmp:
        job_path = os.path.join(tmp, "job.json")
        result_path = os.path.join(tmp, "result.json")
        with open(job_path, "w") as f:
            json.dump(data, f)
        cmd = [node, str(DRIVER), "--bundle", str(bundle_path), "--job", job_path, "--result", result_path]
        if snap is not None:
            cmd += ["--snapshot", str(snap)]
        cmd.append(os.path.abspath(spec.program))
        stdin, stdin_piped = _fd_or_pipe(spec.stdin)
        stdout, stdout_piped = _fd_or_pipe(spec.stdout)
        stderr, stderr_piped = _fd_or_pipe(spec.stderr)
        proc = subprocess.run(cmd, stdin=stdin, stdout=stdout, stderr=stderr,
                              input=spec.stdin.read() if stdin_piped else None)
        if stdout_piped:
            spec.stdout.write(proc.stdout)
            spec.stdout.flush()
        if stderr_piped:
            spec.stderr.write(proc.stderr)
            spec.stderr.flush()
        if not os.path.exists(result_path):
            raise HostError(f"the pyodide driver failed (status {proc.returncode})")
        with open(result_path) as f:
            result = json.load(f)
    return finish(spec, hosts, result)


def finish(spec: RunSpec, hosts: list[str], result: dict) -> int:
    """The exit status for an outcome of run_job; writes back and reports."""
    from harness.tree import from_json as decode_tree

    err = _Stderr(spec.stderr)
    if "usage" in result:  # the module does not compile or instantiate
        raise HostError(f"{spec.program}: {result['usage']}")
    if "trap" in result:
        if spec.write_back and refhost.WRITE_BACK_AFTER_TRAP and "trees" in result:
            write_back(hosts, [decode_tree(t) for t in result["trees"]])
        return report_trap(err, result["trap"])
    if "error" in result:
        if spec.write_back and refhost.WRITE_BACK_AFTER_TRAP and "trees" in result:
            write_back(hosts, [decode_tree(t) for t in result["trees"]])
        return report_invalid_exit(err, result["error"])
    if spec.write_back:
        write_back(hosts, [decode_tree(t) for t in result["trees"]])
    return int(result["status"]) & 0xFF


class NodeSession:
    """One Node process with Pyodide loaded, running many programs (the
    driver's --serve mode): for tests and benchmarks. Each run gets a fresh
    host; stdin is given up front and stdout/stderr come back whole."""

    def __init__(self) -> None:
        from .pyodide_bundle import DRIVER, bundle, snapshot

        node = node_binary()
        self.bundle = bundle()
        cmd = [node, str(DRIVER), "--serve", "--bundle", str(self.bundle)]
        snap = snapshot(node, self.bundle)
        if snap is not None:
            cmd += ["--snapshot", str(snap)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env={**os.environ, "WASI_POLYFILL_TIMING": "1"})

    def run(self, spec: RunSpec, timeout: float | None = None) -> int:
        """Run one program as `wasi-polyfill run --host pyodide-node` would;
        the exit status. Output is written when the run has ended. (`timeout`
        is accepted for the hosts' common signature; a run in the driver
        cannot be interrupted.)"""
        data, hosts = pyodide_job(spec)
        stdin_stream, stdout, stderr = spec.streams()
        answer = self.run_job(data, spec.program, stdin_stream.read())
        for stream, data_out in ((stdout, answer["stdout"]), (stderr, answer["stderr"])):
            if data_out:
                stream.write(data_out)
                stream.flush()
        return finish(spec, hosts, answer["result"])

    def run_job(self, job: dict, program: str, stdin: bytes = b"") -> dict:
        """{"result": run_job's outcome, "stdout": bytes, "stderr": bytes, "ms": n}"""
        import base64

        req = {"job": job, "program": os.path.abspath(program),
               "stdin": base64.b64encode(stdin).decode("ascii")}
        self.proc.stdin.write((json.dumps(req) + "\n").encode())
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise HostError(f"the pyodide driver exited (status {self.proc.wait()})")
        answer = json.loads(line)
        answer["stdout"] = base64.b64decode(answer["stdout"])
        answer["stderr"] = base64.b64decode(answer["stderr"])
        return answer

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> NodeSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
