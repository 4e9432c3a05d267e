// clock_res_get and clock_time_get.
import { clockid, errno } from "../generated/constants.js";
import { WasiError } from "../errors.js";

export const clockSyscalls = {
  /**
   * 1 ns for realtime and monotonic, as wasmtime reports on Linux (1 ms, the
   * step, in deterministic mode).
   * Errors: EBADF (the CPU-time clocks, which wasmtime does not provide).
   */
  clock_res_get(id) {
    if (id === clockid.realtime || id === clockid.monotonic) return this.clocks.resolution;
    throw new WasiError(errno.badf);
  },

  /**
   * The time in ns; `precision` is ignored. In deterministic mode each read
   * moves the clock on by 1 ms.
   * Errors: EBADF (the CPU-time clocks, as wasmtime).
   */
  clock_time_get(id, precision) {
    if (id === clockid.realtime) return this.clocks.realtime();
    if (id === clockid.monotonic) return this.clocks.monotonic();
    throw new WasiError(errno.badf);
  },
};
