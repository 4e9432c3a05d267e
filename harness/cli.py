"""`wasi-polyfill` / `python -m harness`: run, compare, demo, serve, bench, generate.

Mistakes of the user's end in one line on stderr and a non-zero status, never
a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from . import __version__
from .hosts import ASYNC_HOSTS, DETERMINISTIC_HOSTS, HOSTS, USAGE_STATUS, HostError, RunSpec


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, like every other error
        self.exit(USAGE_STATUS, f"wasi-polyfill: error: {message} (see --help)\n")


def _dir(value: str) -> tuple[str, str]:
    # HOST::GUEST; in a URL with an IPv6 host ("http://[::1]:8000/t::/lib") the separator is after the "]"
    start = value.find("]") + 1 if re.match(r"(?i)https?://\[", value) else 0
    sep = value.find("::", start)
    host, guest = (value, "") if sep == -1 else (value[:sep], value[sep + 2:])
    if not host:
        raise argparse.ArgumentTypeError(f"--dir {value!r}: empty host directory")
    return host, guest if sep != -1 else host


def _chunk_size(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n <= 0:
        raise argparse.ArgumentTypeError(f"--chunk-size {value!r}: expected a positive number of bytes")
    return n


def _env(value: str) -> tuple[str, str]:
    name, sep, val = value.partition("=")
    if not name:
        raise argparse.ArgumentTypeError(f"--env {value!r}: expected NAME=VALUE")
    if not sep:  # `--env NAME` passes the variable through, as wasmtime does
        if name not in os.environ:
            raise argparse.ArgumentTypeError(f"--env {name}: not set in this environment")
        val = os.environ[name]
    return name, val


def _hosts(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected a comma-separated list of hosts")
    unknown = [name for name in names if name not in HOSTS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown host {unknown[0]!r} (hosts: {', '.join(HOSTS)})")
    return names


def _bench_list(kind: str):
    def parse(value: str) -> list[str]:
        from .bench.hosts import ALL_HOSTS
        from .bench.workloads import WORKLOADS

        known = list(ALL_HOSTS) if kind == "host" else list(WORKLOADS)
        names: list[str] = []
        for name in (n.strip() for n in value.split(",")):
            if not name:
                continue
            expanded = ["stdout-write", "stdout-libc"] if kind == "workload" and name == "stdout" else [name]
            for one in expanded:
                if one not in known:
                    raise argparse.ArgumentTypeError(f"unknown {kind} {one!r} ({kind}s: {', '.join(known)})")
                if one not in names:
                    names.append(one)
        if not names:
            raise argparse.ArgumentTypeError(f"expected a comma-separated list of {kind}s")
        return names
    return parse


def add_run_flags(p: argparse.ArgumentParser) -> None:
    """The flags `run` and `compare` share, spelled as `wasmtime run` spells them."""
    p.add_argument("--dir", dest="dirs", action="append", type=_dir, default=[],
                   metavar="HOST_DIR[::GUEST_DIR]", help="preopen a host directory (live on wasmtime, node-wasi and node without --write-back; "
                        "loaded into memory on the other hosts), or a read-only tree served at an http(s):// URL "
                        "(run on node, browser, firefox, webkit; docs/url-directory.md)")
    p.add_argument("--env", dest="env", action="append", type=_env, default=[],
                   metavar="NAME[=VALUE]", help="set an environment variable for the program (NAME alone: "
                                                "pass this environment's value through)")
    p.add_argument("--argv0", default=None, metavar="NAME",
                   help="the program's argv[0] (default: PROGRAM as given)")
    p.add_argument("--trap-unknown-imports", action="store_true",
                   help="functions the program imports that no host defines trap when called "
                        "(default: the program does not start)")
    p.add_argument("program", metavar="PROGRAM.wasm")
    p.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS")


def build_parser() -> argparse.ArgumentParser:
    from .compare.availability import DEFAULT_HOSTS

    parser = _Parser(prog="wasi-polyfill", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"wasi-polyfill {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = sub.add_parser("run", help="run a WASI program on one host")
    run.add_argument("--host", default="node", choices=list(HOSTS), help="where to run it (default: node)")
    run.add_argument("--write-back", action="store_true",
                     help="run on an in-memory copy of each host dir, then make the host dir match its final tree "
                          "(node: instead of working on the live dir)")
    run.add_argument("--trace", action="store_true", help="print the syscall trace to stderr")
    run.add_argument("--async", dest="async_mode", action="store_true",
                     help="run the JS runtime in async mode (JSPI: stdin, sleeps and yields wait on the event "
                          "loop; hosts node, browser, firefox)")
    run.add_argument("--deterministic", action="store_true",
                     help="fixed clocks, seeded random bytes, inode numbers from 1 (our runtimes only; "
                          "spec/RATIONALE.md, Deterministic mode)")
    add_run_flags(run)

    cmp = sub.add_parser("compare", help="run a program on several hosts and show where they differ")
    cmp.add_argument("--hosts", type=_hosts, default=None, metavar="LIST",
                     help=f"comma-separated hosts (default: every available one of {','.join(DEFAULT_HOSTS)}; "
                          "name firefox and webkit to add those engines); a host that cannot start here is "
                          "skipped with the reason")
    cmp.add_argument("--stdin", metavar="FILE", help="give every host this file as stdin (default: empty)")
    cmp.add_argument("--deterministic", action="store_true",
                     help="deterministic clocks and random bytes in our runtimes; wasmtime and node-wasi "
                          "are then compared on exit status and tree only")
    cmp.add_argument("--json", metavar="OUT.json", help="write the comparison as JSON")
    cmp.add_argument("--report", metavar="OUT.html", help="write a self-contained HTML report")
    cmp.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                     help="give up on a host after this long (default: 120; 600 for the browser and "
                          "Pyodide hosts)")
    cmp.add_argument("--jobs", type=int, default=2, metavar="N", help="hosts run at once (default: 2)")
    add_run_flags(cmp)

    bd = sub.add_parser("browser-daemon", help="the browser kept running between `run --host browser|pyodide` "
                                               "calls (started by the first one): show it, or stop it")
    bd.add_argument("--stop", action="store_true", help="stop it now (else it stops after a minute unused)")

    sub.add_parser("demo", help="build the examples, compare them on every available host, "
                                "write build/report.html")

    srv = sub.add_parser("serve", help="serve the web demo on http://127.0.0.1:PORT/web-demo/")
    srv.add_argument("--port", type=int, default=8000, metavar="N", help="port to listen on (default: 8000; 0: any free one)")
    srv.add_argument("--no-isolation", action="store_true",
                     help="leave out the COOP/COEP headers (the page then takes stdin up front)")

    bench = sub.add_parser("bench", help="time the benchmark workloads on the polyfill (Node, Chromium), "
                                         "node:wasi, browser_wasi_shim and @runno/wasi; write build/bench.json and .md")
    bench.add_argument("--size", default="normal", choices=["tiny", "normal", "10x"],
                       help="workload sizes (default: normal; tiny only proves the harness works)")
    bench.add_argument("--rounds", type=int, default=5, metavar="N", help="rounds; medians over them (default: 5)")
    bench.add_argument("--warmup", type=int, default=1, metavar="N",
                       help="untimed runs of the same work before the timed one, in each job's process "
                            "(default: 1; the first run's time is reported as 'cold ms')")
    bench.add_argument("--hosts", type=_bench_list("host"), default=None, metavar="LIST",
                       help="comma-separated (default: polyfill-node,node-wasi,shim,runno,polyfill-chromium,polyfill-firefox)")
    bench.add_argument("--workloads", type=_bench_list("workload"), default=None, metavar="LIST",
                       help="comma-separated (default: syscall,throughput,metadata,startup,stdout-write,"
                            "stdout-libc; `stdout` is both stdout ones)")
    bench.add_argument("--json", default="build/bench.json", metavar="F", help="JSON output (default: build/bench.json)")
    bench.add_argument("--md", default="build/bench.md", metavar="F", help="markdown output (default: build/bench.md)")
    bench.add_argument("--no-scaling", action="store_true", help="skip the 10× metadata and throughput runs")
    bench.add_argument("--no-memory", action="store_true", help="skip the MemFS memory measurement")
    bench.add_argument("--no-url", action="store_true", help="skip the UrlDirectory measurement (5 of 2,000 files over HTTP)")
    bench.add_argument("--profile", metavar="DIR", default=None,
                       help="write a V8 CPU profile (.cpuprofile) of each Node job to DIR (perturbs the timings)")

    idx = sub.add_parser("index", help="write the index of a directory tree to serve over HTTP as a UrlDirectory "
                                       "(JSON on stdout: names, types, sizes, SHA-256, symlink targets, times)")
    idx.add_argument("tree", metavar="DIR", help="the directory (served as is; the index goes beside its files)")
    idx.add_argument("--chunk-size", metavar="BYTES", type=_chunk_size, default=None,
                     help="a file larger than this gets a SHA-256 per chunk of this size, which a reader fetching "
                          "ranges checks each range against (default 1 MiB)")

    gen = sub.add_parser("generate", help="render the JS glue, types and docs from spec/")
    gen.add_argument("--check", action="store_true", help="fail if any generated file is stale")
    return parser


# The hosts whose runtime mounts a --dir http(s)://... as a UrlDirectory (docs/url-directory.md).
URL_DIR_HOSTS = frozenset({"node", "browser", "firefox", "webkit"})


def _run(ns: argparse.Namespace) -> int:
    from .hosts import run

    args = ns.args[1:] if ns.args[:1] == ["--"] else ns.args
    spec = RunSpec(program=ns.program, args=args, env=ns.env, dirs=ns.dirs, argv0=ns.argv0,
                   write_back=ns.write_back, trace=ns.trace, deterministic=ns.deterministic,
                   trap_unknown_imports=ns.trap_unknown_imports, async_mode=ns.async_mode)
    if spec.async_mode and ns.host not in ASYNC_HOSTS:
        raise HostError(f"--async: host {ns.host!r} does not run the JS runtime "
                        f"(hosts that do: {', '.join(sorted(ASYNC_HOSTS))})")
    if spec.deterministic and ns.host not in DETERMINISTIC_HOSTS:  # the flags first, then the files
        raise HostError(f"--deterministic: host {ns.host!r} cannot do it "
                        f"(only {', '.join(sorted(DETERMINISTIC_HOSTS))})")
    if ns.host not in URL_DIR_HOSTS and any(h.startswith(("http://", "https://")) for h, _ in spec.dirs):
        raise HostError(f"--dir URL: host {ns.host!r} cannot mount a tree over HTTP "
                        f"(hosts that can: {', '.join(sorted(URL_DIR_HOSTS))})")
    _check_inputs(spec.program, spec.dirs)
    return run(ns.host, spec)


def _check_inputs(program: str, dirs: list[tuple[str, str]]) -> None:
    if not os.path.isfile(program):
        raise HostError(f"{program}: no such file")
    for host_dir, _ in dirs:
        if host_dir.startswith(("http://", "https://")):  # a UrlDirectory: the host fetches its index
            continue
        if not os.path.isdir(host_dir):
            raise HostError(f"--dir {host_dir}: not a directory")
    _check_command(program)


def _check_command(program: str) -> None:
    """A module that cannot be a WASI command is the user's mistake on every
    host alike (spec/RATIONALE.md "CLI"): no `_start` function or no
    exported memory. Anything else (a broken module) is left to the host."""
    try:
        with open(program, "rb") as f:
            data = f.read()
    except OSError as e:
        raise HostError(f"{program}: {e.strerror}") from None
    exports = _exports(data)
    if exports is None:
        return  # not (well-formed) wasm: each host says so in its own words
    if exports.get("_start") != 0:
        raise HostError(f"{program}: no _start function exported (not a WASI command)")
    if exports.get("memory") != 2:
        raise HostError(f"{program}: no memory exported as \"memory\" (a WASI command exports its memory)")


def _exports(data: bytes) -> dict[str, int] | None:
    """{export name: kind (0 func, 1 table, 2 memory, 3 global, 4 tag)} of a
    module, or None when the bytes are not a well-formed module header and
    sections."""
    if data[:8] != b"\0asm\x01\0\0\0":
        return None
    pos = 8

    def leb() -> int:
        nonlocal pos
        result = shift = 0
        while True:
            if pos >= len(data) or shift > 35:
                raise ValueError("truncated")
            b = data[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    try:
        exports: dict[str, int] = {}
        while pos < len(data):
            section = data[pos]
            pos += 1
            size = leb()
            end = pos + size
            if end > len(data):
                return None
            if section == 7:
                for _ in range(leb()):
                    n = leb()
                    name = data[pos:pos + n].decode("utf-8", "replace")
                    pos += n
                    kind = data[pos]
                    pos += 1
                    leb()
                    exports[name] = kind
            pos = end
        return exports
    except (ValueError, IndexError):
        return None


def _compare(ns: argparse.Namespace) -> int:
    from .compare import CompareSpec, Progress, compare
    from .compare.matrix import render, summary
    from .compare.report import write_html, write_json

    args = ns.args[1:] if ns.args[:1] == ["--"] else ns.args
    if any(h.startswith(("http://", "https://")) for h, _ in ns.dirs):
        raise HostError("--dir URL: compare runs wasmtime, which cannot mount a tree over HTTP "
                        "(use run --host node|browser)")
    _check_inputs(ns.program, ns.dirs)
    if ns.stdin is not None and not os.path.isfile(ns.stdin):
        raise HostError(f"--stdin {ns.stdin}: no such file")
    if (ns.timeout is not None and ns.timeout <= 0) or ns.jobs < 1:
        raise HostError("--timeout and --jobs must be positive")
    spec = CompareSpec(program=ns.program, args=args, env=ns.env, dirs=ns.dirs, stdin=ns.stdin,
                       deterministic=ns.deterministic, timeout=ns.timeout, argv0=ns.argv0,
                       trap_unknown_imports=ns.trap_unknown_imports)
    comparison = compare(spec, ns.hosts, jobs=ns.jobs, progress=Progress())
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(render(comparison, color=color, ascii_only=not _can_encode("✓✗")))
    print(summary(comparison))
    for path, write in ((ns.json, write_json), (ns.report, write_html)):
        if path:
            write(path, [comparison])
            print(f"wrote {path}", file=sys.stderr)
    if comparison.diverged:
        return 1
    if sum(1 for r in comparison.runs if r.ok) < 2:
        raise HostError("nothing to compare: fewer than two hosts gave a result")
    return 0


def _can_encode(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _demo(ns: argparse.Namespace) -> int:
    from .demo import demo

    return demo()


def _serve(ns: argparse.Namespace) -> int:
    from .serve import serve

    if not 0 <= ns.port <= 65535:
        raise HostError(f"--port {ns.port}: not a port number")
    return serve(ns.port, isolation=not ns.no_isolation)


def _bench(ns: argparse.Namespace) -> int:
    from .bench import Options, main as bench_main

    opts = Options(size=ns.size, rounds=ns.rounds, warmup=ns.warmup, json_path=ns.json or None, md_path=ns.md or None,
                   scaling=not ns.no_scaling, memory=not ns.no_memory, urldir=not ns.no_url,
                   profile_dir=ns.profile)
    if ns.hosts:
        opts.hosts = ns.hosts
    if ns.workloads:
        opts.workloads = ns.workloads
    return bench_main(opts)


def _browser_daemon(ns: argparse.Namespace) -> int:
    from .hosts import daemon

    if ns.stop:
        print("stopped" if daemon.stop("chromium") else "not running")
        return 0
    b = daemon.connect("chromium")
    print(f"running (pid {b.pid}, {b.url})" if b else "not running")
    return 0


def _index(ns: argparse.Namespace) -> int:
    import json

    from .tree import INDEX_CHUNK, read_host_tree, to_json

    if not os.path.isdir(ns.tree):
        raise HostError(f"{ns.tree}: not a directory")
    try:
        tree = read_host_tree(ns.tree, data=False, chunk_size=ns.chunk_size or INDEX_CHUNK)
    except OSError as e:
        raise HostError(f"{e.filename}: {e.strerror}") from None
    if "index.json" in tree["entries"] and tree["entries"]["index.json"]["type"] == "file":
        del tree["entries"]["index.json"]  # an earlier index beside the files is not part of the tree
    sys.stdout.write(json.dumps(to_json(tree), ensure_ascii=False, separators=(",", ":")) + "\n")
    return 0


def _generate(ns: argparse.Namespace) -> int:
    from generator import generate

    from .paths import ROOT

    return generate(ROOT, check=ns.check)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    ns = parser.parse_args(argv)
    if ns.command is None:
        parser.print_help(sys.stderr)
        return USAGE_STATUS
    try:
        return {"run": _run, "compare": _compare, "demo": _demo, "serve": _serve,
                "bench": _bench, "index": _index, "generate": _generate, "browser-daemon": _browser_daemon}[ns.command](ns)
    except HostError as e:
        print(f"wasi-polyfill: error: {e}", file=sys.stderr)
        return USAGE_STATUS
    except KeyboardInterrupt:
        return 130
