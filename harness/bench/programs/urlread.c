/* urlread: read each file named in argv whole, in order, and print one line
 * per file ("PATH BYTES CHECKSUM") as soon as it is read (flushed: the
 * driver takes the first line's arrival as the time to first byte), then
 *   BENCH files=N bytes=B sum=S
 * to stderr. The UrlDirectory benchmark (harness/bench/urldir.py) runs it
 * on 5 files of a 2,000-file tree served over HTTP. */
#include <fcntl.h>
#include <unistd.h>

#include "bench.h"

int main(int argc, char **argv) {
    static unsigned char buf[65536];
    long total = 0;
    unsigned long sum = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) bench_fail(argv[i]);
        long n = 0;
        unsigned long s = 0;
        for (ssize_t got; (got = read(fd, buf, sizeof buf)) != 0;) {
            if (got < 0) bench_fail(argv[i]);
            for (ssize_t k = 0; k < got; k++) s = s * 31 + buf[k];
            n += got;
        }
        close(fd);
        printf("%s %ld %lu\n", argv[i], n, s);
        fflush(stdout);
        total += n;
        sum += s;
    }
    fprintf(stderr, "BENCH files=%d bytes=%ld sum=%lu\n", argc - 1, total, sum);
    return 0;
}
