/* Async-mode test program: reports whether stdin and stdout are terminals,
 * optionally sleeps (poll_oneoff with a clock), then echoes each line of
 * stdin until EOF. It never calls fflush: whether a line shows before the
 * next read depends on libc's buffering (line-buffered on a terminal).
 *
 *   lines [sleep MS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    printf("tty stdin=%d stdout=%d\n", isatty(0), isatty(1));
    if (argc > 2 && strcmp(argv[1], "sleep") == 0) {
        long ms = atol(argv[2]);
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        printf("slept %ld ms\n", ms);
    }
    char line[256];
    while (fgets(line, sizeof line, stdin)) printf("echo: %s", line);
    printf("eof\n");
    return 3;
}
