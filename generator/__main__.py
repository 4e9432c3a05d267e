"""`python -m wasi_polyfill.generator [--check]`."""

from __future__ import annotations

import argparse

from . import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wasi_polyfill.generator",
        description="Render the JS glue, types and docs from spec/.",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; fail if any generated file is stale")
    ns = parser.parse_args(argv)
    return generate(check=ns.check)


raise SystemExit(main())
