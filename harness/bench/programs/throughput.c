/* throughput DIR MIB: MIB MiB written to DIR/throughput.bin in 64 KiB
 * chunks (one write() each), closed, then read back in 64 KiB chunks. Word w
 * of chunk k (64-bit words) is k * 0x9E3779B97F4A7C15 + w; the read side sums
 * every word it gets (mod 2^64).
 * BENCH bytes=B sum=S */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include "bench.h"

#define CHUNK (64 * 1024)
#define WORDS (CHUNK / 8)

static uint64_t buf[WORDS];

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "";
    long mib = bench_arg(argc, argv, 2, "MIB");
    long chunks = mib * 16;
    char path[512];
    snprintf(path, sizeof path, "%s/throughput.bin", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) bench_fail("open for writing");
    for (long k = 0; k < chunks; k++) {
        uint64_t base = (uint64_t)k * 0x9E3779B97F4A7C15ull;
        for (int w = 0; w < WORDS; w++) buf[w] = base + (uint64_t)w;
        if (write(fd, buf, CHUNK) != CHUNK) bench_fail("write");
    }
    if (close(fd) != 0) bench_fail("close");
    memset(buf, 0, sizeof buf);
    fd = open(path, O_RDONLY);
    if (fd < 0) bench_fail("open for reading");
    uint64_t sum = 0, total = 0;
    for (;;) {
        ssize_t got = read(fd, buf, CHUNK);
        if (got < 0) bench_fail("read");
        if (got == 0) break;
        if (got % 8 != 0) {
            fprintf(stderr, "BENCH-FAIL read: %ld bytes, not whole words\n", (long)got);
            return 1;
        }
        for (ssize_t w = 0; w < got / 8; w++) sum += buf[w];
        total += (uint64_t)got;
    }
    if (close(fd) != 0) bench_fail("close");
    fprintf(stderr, "BENCH bytes=%llu sum=%llu\n", (unsigned long long)total, (unsigned long long)sum);
    return 0;
}
