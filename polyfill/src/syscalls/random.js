// random_get.
export const randomSyscalls = {
  /** `buf_len` bytes from the platform CSPRNG (SplitMix64 in deterministic mode). Errors: none. */
  random_get(buf_len) {
    if (this.randomScratch.length < buf_len) this.randomScratch = new Uint8Array(Math.max(buf_len, this.randomScratch.length * 2, 256));
    const out = buf_len === this.randomScratch.length ? this.randomScratch : this.randomScratch.subarray(0, buf_len);
    return this.random.fill(out);
  },
};
