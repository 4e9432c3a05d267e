/* syscall DIR N: N pwrite of 16 bytes, then N pread of 16 bytes, on one file
 * (DIR/syscall.bin), cycling over SLOTS slots of 16 bytes. Write i fills its
 * slot with bytes (i*31 + j) & 0xff; the reads sum byte * (j + 1).
 * BENCH calls=2N sum=S */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include "bench.h"

#define SLOTS 4096

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "";
    long n = bench_arg(argc, argv, 2, "N");
    char path[512];
    snprintf(path, sizeof path, "%s/syscall.bin", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) bench_fail("open");
    unsigned char buf[16];
    for (long i = 0; i < n; i++) {
        for (int j = 0; j < 16; j++) buf[j] = (unsigned char)(i * 31 + j);
        if (pwrite(fd, buf, 16, (off_t)(i % SLOTS) * 16) != 16) bench_fail("pwrite");
    }
    uint64_t sum = 0;
    for (long i = 0; i < n; i++) {
        if (pread(fd, buf, 16, (off_t)(i % SLOTS) * 16) != 16) bench_fail("pread");
        for (int j = 0; j < 16; j++) sum += (uint64_t)buf[j] * (uint64_t)(j + 1);
    }
    if (close(fd) != 0) bench_fail("close");
    fprintf(stderr, "BENCH calls=%ld sum=%llu\n", 2 * n, (unsigned long long)sum);
    return 0;
}
