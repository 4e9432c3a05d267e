"""Random bytes for `random_get`.

`Random`: the platform's CSPRNG (`os.urandom`, which under Pyodide is
`crypto.getRandomValues`). `SplitMix64`: the deterministic mode's generator
(RATIONALE "Deterministic mode: Random bytes"): seed 0, each call takes
ceil(n / 8) outputs, each little-endian, the unused tail dropped.
"""

from __future__ import annotations

import os

_CHUNK = 1 << 16
_MASK = (1 << 64) - 1


class Random:
    def get(self, n: int) -> bytes:
        if n <= _CHUNK:
            return os.urandom(n)
        return b"".join(os.urandom(min(_CHUNK, n - i)) for i in range(0, n, _CHUNK))


class SplitMix64:
    def __init__(self, seed: int = 0) -> None:
        self.state = seed & _MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def get(self, n: int) -> bytes:
        out = bytearray()
        for _ in range((n + 7) // 8):
            out += self.next().to_bytes(8, "little")
        return bytes(out[:n])
