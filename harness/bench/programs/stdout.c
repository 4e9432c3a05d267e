/* stdout MODE L: L short lines "line I\n" to stdout.
 *   MODE write: one write(1, ...) per line (one fd_write each);
 *   MODE libc:  fwrite to stdout with libc's default buffering (full
 *               buffering unless the host says stdout is a terminal).
 * BENCH lines=L bytes=B */
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    long lines = bench_arg(argc, argv, 2, "L");
    int raw = strcmp(mode, "write") == 0;
    if (!raw && strcmp(mode, "libc") != 0) {
        fprintf(stderr, "BENCH-FAIL usage: mode must be write or libc\n");
        return 2;
    }
    char line[32];
    long bytes = 0;
    for (long i = 0; i < lines; i++) {
        int len = snprintf(line, sizeof line, "line %ld\n", i);
        if (raw) {
            if (write(1, line, (size_t)len) != len) bench_fail("write");
        } else if (fwrite(line, 1, (size_t)len, stdout) != (size_t)len) {
            bench_fail("fwrite");
        }
        bytes += len;
    }
    if (fflush(stdout) != 0) bench_fail("fflush");
    fprintf(stderr, "BENCH lines=%ld bytes=%ld\n", lines, bytes);
    return 0;
}
