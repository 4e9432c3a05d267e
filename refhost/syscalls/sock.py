"""sock_accept, sock_recv, sock_send, sock_shutdown: there are no sockets
(no socket can be preopened here), so each is EBADF for an fd that is not
open and ENOTSOCK for any other, as wasmtime answers."""

from __future__ import annotations

from ..memory import IoVecs
from ..errors import ENOTSOCK, WasiError
from ..fd_table import FdTable


class SockSyscalls:
    fds: FdTable

    def _not_a_socket(self, fd: int):
        self.fds.get(fd)
        raise WasiError(ENOTSOCK, f"fd {fd} is not a socket")

    def sock_accept(self, fd: int, flags: int) -> int:
        """Errors: EBADF, ENOTSOCK."""
        self._not_a_socket(fd)

    def sock_recv(self, fd: int, ri_data: IoVecs, ri_flags: int) -> tuple[int, int]:
        """Errors: EBADF, ENOTSOCK."""
        self._not_a_socket(fd)

    def sock_send(self, fd: int, si_data: IoVecs, si_flags: int) -> int:
        """Errors: EBADF, ENOTSOCK."""
        self._not_a_socket(fd)

    def sock_shutdown(self, fd: int, how: int) -> None:
        """Errors: EBADF, ENOTSOCK."""
        self._not_a_socket(fd)
