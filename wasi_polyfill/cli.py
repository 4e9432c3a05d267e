"""`wasi-polyfill` / `python -m wasi_polyfill`: run, compare, generate.

Mistakes of the user's end in one line on stderr and a non-zero status, never
a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .hosts import HOSTS, USAGE_STATUS, HostError, RunSpec


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, like every other error
        self.exit(USAGE_STATUS, f"wasi-polyfill: error: {message} (see --help)\n")


def _dir(value: str) -> tuple[str, str]:
    host, sep, guest = value.partition("::")
    if not host:
        raise argparse.ArgumentTypeError(f"--dir {value!r}: empty host directory")
    return host, guest if sep else host


def _env(value: str) -> tuple[str, str]:
    name, sep, val = value.partition("=")
    if not name:
        raise argparse.ArgumentTypeError(f"--env {value!r}: expected NAME=VALUE")
    if not sep:  # `--env NAME` passes the variable through, as wasmtime does
        if name not in os.environ:
            raise argparse.ArgumentTypeError(f"--env {name}: not set in this environment")
        val = os.environ[name]
    return name, val


def add_run_flags(p: argparse.ArgumentParser) -> None:
    """The flags `run` and `compare` share, spelled as `wasmtime run` spells them."""
    p.add_argument("--dir", dest="dirs", action="append", type=_dir, default=[],
                   metavar="HOST_DIR[::GUEST_DIR]", help="preopen a host directory (loaded into memory for in-memory hosts)")
    p.add_argument("--env", dest="env", action="append", type=_env, default=[],
                   metavar="NAME=VALUE", help="set an environment variable for the program")
    p.add_argument("program", metavar="PROGRAM.wasm")
    p.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wasi-polyfill", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"wasi-polyfill {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = sub.add_parser("run", help="run a WASI program on one host")
    run.add_argument("--host", default="node", choices=list(HOSTS), help="where to run it (default: node)")
    run.add_argument("--write-back", action="store_true",
                     help="after the run, make each host dir match its final in-memory tree")
    run.add_argument("--trace", action="store_true", help="print the syscall trace to stderr")
    add_run_flags(run)

    gen = sub.add_parser("generate", help="render the JS glue, types and docs from spec/")
    gen.add_argument("--check", action="store_true", help="fail if any generated file is stale")
    return parser


def _run(ns: argparse.Namespace) -> int:
    from .hosts import run

    args = ns.args[1:] if ns.args[:1] == ["--"] else ns.args
    spec = RunSpec(program=ns.program, args=args, env=ns.env, dirs=ns.dirs,
                   write_back=ns.write_back, trace=ns.trace)
    if not os.path.isfile(spec.program):
        raise HostError(f"{spec.program}: no such file")
    for host_dir, _ in spec.dirs:
        if not os.path.isdir(host_dir):
            raise HostError(f"--dir {host_dir}: not a directory")
    return run(ns.host, spec)


def _generate(ns: argparse.Namespace) -> int:
    from .generator import generate

    return generate(check=ns.check)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    ns = parser.parse_args(argv)
    if ns.command is None:
        parser.print_help(sys.stderr)
        return USAGE_STATUS
    try:
        return {"run": _run, "generate": _generate}[ns.command](ns)
    except HostError as e:
        print(f"wasi-polyfill: error: {e}", file=sys.stderr)
        return USAGE_STATUS
    except KeyboardInterrupt:
        return 130
