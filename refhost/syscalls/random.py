"""random_get."""

from __future__ import annotations


class RandomSyscalls:
    def random_get(self, buf_len: int) -> bytes:
        """`buf_len` random bytes. Errors: none."""
        return self.random.get(buf_len)
