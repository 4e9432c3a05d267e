// sock_*: preview1 has no way to create sockets, and neither wasmtime nor
// this runtime hands any to the guest, so every descriptor is not a socket.
import { errno } from "../generated/constants.js";
import { WasiError } from "../errors.js";

export const sockSyscalls = {
  /** Errors: EBADF (not open), ENOTSOCK (otherwise). */
  sock_accept(fd, flags) {
    this.fds.get(fd, 0);
    throw new WasiError(errno.notsock);
  },

  /** Errors: EBADF (not open), ENOTSOCK (otherwise). */
  sock_recv(fd, ri_data, ri_flags) {
    this.fds.get(fd, 0);
    throw new WasiError(errno.notsock);
  },

  /** Errors: EBADF (not open), ENOTSOCK (otherwise). */
  sock_send(fd, si_data, si_flags) {
    this.fds.get(fd, 0);
    throw new WasiError(errno.notsock);
  },

  /** Errors: EBADF (not open), ENOTSOCK (otherwise). */
  sock_shutdown(fd, how) {
    this.fds.get(fd, 0);
    throw new WasiError(errno.notsock);
  },
};
