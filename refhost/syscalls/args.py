"""args_get, args_sizes_get, environ_get, environ_sizes_get."""

from __future__ import annotations


class ArgsSyscalls:
    args: list[bytes]
    environ: list[bytes]

    def args_get(self) -> list[bytes]:
        """The arguments, without NULs (the ABI layer lays them out). Errors: none."""
        return self.args

    def args_sizes_get(self) -> tuple[int, int]:
        """(argc, total bytes including each NUL). Errors: none."""
        return len(self.args), sum(len(a) + 1 for a in self.args)

    def environ_get(self) -> list[bytes]:
        """`NAME=value` strings. Errors: none."""
        return self.environ

    def environ_sizes_get(self) -> tuple[int, int]:
        """Errors: none."""
        return len(self.environ), sum(len(e) + 1 for e in self.environ)
