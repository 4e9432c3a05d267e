/* Shared by the benchmark workloads (harness/bench/programs/).
 *
 * Every workload takes its sizes as argv and ends by printing one line
 *   BENCH key=value key=value ...
 * to stderr: counts and checksums the runner (harness/bench/workloads.py)
 * recomputes on its own from the sizes, so a host that skips or corrupts
 * work fails the run. A failed call prints `BENCH-FAIL what: errno` and
 * exits 1. */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bench_fail(const char *what) {
    fprintf(stderr, "BENCH-FAIL %s: %s\n", what, strerror(errno));
    exit(1);
}

static long bench_arg(int argc, char **argv, int i, const char *name) {
    if (i >= argc) {
        fprintf(stderr, "BENCH-FAIL usage: missing %s\n", name);
        exit(2);
    }
    return atol(argv[i]);
}

#endif
