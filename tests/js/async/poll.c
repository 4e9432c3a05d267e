/* Async-mode test program for poll_oneoff and sched_yield.
 *
 *   poll stdin MS   poll(stdin, POLLIN, MS): prints "ready" (then the line
 *                   read) or "timeout", and how long the poll took
 *   poll yield N    sched_yield N times
 */
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "stdin") == 0) {
        struct pollfd p = {.fd = 0, .events = POLLIN};
        long t0 = now_ms();
        int n = poll(&p, 1, atoi(argv[2]));
        long took = now_ms() - t0;
        if (n > 0) {
            char buf[64] = {0};
            ssize_t got = read(0, buf, sizeof buf - 1);
            printf("ready after %ld ms: %zd bytes: %s\n", took, got, buf);
        } else {
            printf("timeout after %ld ms\n", took);
        }
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "yield") == 0) {
        for (int i = atoi(argv[2]); i > 0; i--) sched_yield();
        printf("yielded %s times\n", argv[2]);
        return 0;
    }
    fprintf(stderr, "usage: poll stdin MS | poll yield N\n");
    return 2;
}
