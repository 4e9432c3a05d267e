"""What the adapters that run helper processes share: a process in its own
process group (so everything it started ends with it) whose stderr is kept
for the one-line reason when it dies, and which is sent SIGTERM if this
process dies first (killed by a timeout, say) rather than left running."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from typing import Any

# util-linux's setpriv sets the parent-death signal and then runs the command
# (no preexec_fn in a process that has threads)
SETPRIV = shutil.which("setpriv")


class Helper:
    """A child process in a session of its own, stderr kept in a temporary file."""

    def __init__(self, cmd: list[str], **popen: Any) -> None:
        self._log = tempfile.TemporaryFile()
        if SETPRIV:
            cmd = [SETPRIV, "--pdeathsig", "TERM", "--", *cmd]
        self.proc = subprocess.Popen(cmd, stderr=self._log, start_new_session=True, **popen)

    def running(self) -> bool:
        return self.proc.poll() is None

    def last_words(self) -> str:
        """The last non-empty line the process wrote to stderr ('' if none)."""
        self._log.seek(0)
        lines = [ln.strip() for ln in self._log.read().decode(errors="replace").splitlines() if ln.strip()]
        return lines[-1] if lines else ""

    def stop(self, grace: float = 5.0) -> None:
        """Wait up to `grace` seconds for the process to end, then end its whole group."""
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own group: what it started, too
        except ProcessLookupError:
            pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self._log.close()
