/* Lots of output: 256 KiB to stdout in one write, lines to stderr, and many
 * small unbuffered writes. */
#include "common.h"

int main(void) {
    static char buf[256 * 1024];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (i % 64 == 63) ? '\n' : 'a' + (i / 64) % 26;
    ssize_t done = 0;
    while (done < (ssize_t)sizeof buf) {
        ssize_t n = write(1, buf + done, sizeof buf - done);
        if (n <= 0) { fprintf(stderr, "write failed\n"); return 1; }
        done += n;
    }
    for (int i = 0; i < 1000; i++) fprintf(stderr, "stderr line %d\n", i);
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 0; i < 500; i++) printf("%d,", i);
    printf("\nend\n");
    return 0;
}
