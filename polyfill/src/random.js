// Random bytes: the platform's CSPRNG, or SplitMix64 in deterministic mode.
//
// crypto.getRandomValues fills at most 65536 bytes per call (a QuotaExceeded
// error beyond), so larger requests are filled in chunks.
const CHUNK = 65536;

/**
 * Fill `bytes` with random data.
 * @param {Uint8Array} bytes
 * @param {{getRandomValues(a: Uint8Array): unknown}} [crypto] default: globalThis.crypto
 */
export function fillRandom(bytes, crypto = globalThis.crypto) {
  if (!crypto || typeof crypto.getRandomValues !== "function") {
    throw new Error("wasi-polyfill: no crypto.getRandomValues on this platform (pass a `crypto` option)");
  }
  for (let i = 0; i < bytes.length; i += CHUNK) {
    crypto.getRandomValues(bytes.subarray(i, Math.min(i + CHUNK, bytes.length)));
  }
  return bytes;
}

/** The platform's CSPRNG as a random source. */
export class CryptoRandom {
  constructor(crypto) { this.crypto = crypto; }
  fill(bytes) { return fillRandom(bytes, this.crypto); }
}

const MASK = (1n << 64n) - 1n;

/**
 * SplitMix64 (spec/RATIONALE.md, "Deterministic mode"): each fill takes
 * ceil(n / 8) outputs, each written little-endian; the unused tail of the
 * last output is dropped.
 */
export class SplitMix64 {
  constructor(seed = 0n) {
    this.state = BigInt.asUintN(64, BigInt(seed));
  }

  next() {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  }

  fill(bytes) {
    for (let i = 0; i < bytes.length; i += 8) {
      const z = this.next();
      const lo = Number(z & 0xffffffffn), hi = Number(z >> 32n);
      for (let k = 0; k < 8 && i + k < bytes.length; k++) bytes[i + k] = (k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4))) & 0xff;
    }
    return bytes;
  }
}
