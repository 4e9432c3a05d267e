/* A 3 MiB file written in odd-sized chunks and read back in others: sizes,
 * a checksum, and a rewrite in the middle. */
#include "common.h"

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

int main(void) {
    static unsigned char buf[70000];
    int fd = open("/sandbox/big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    size_t total = 0, chunk = 1;
    uint32_t h = 2166136261u;
    unsigned seed = 12345;
    while (total < 3 * 1024 * 1024) {
        size_t n = chunk;
        if (total + n > 3 * 1024 * 1024) n = 3 * 1024 * 1024 - total;
        for (size_t i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; buf[i] = seed >> 16; }
        ssize_t w = write(fd, buf, n);
        if (w != (ssize_t)n) { printf("short write at %zu: %zd\n", total, w); return 1; }
        h = fnv(h, buf, n);
        total += n;
        chunk = chunk * 3 + 7;
        if (chunk > sizeof buf) chunk = 13;
    }
    printf("wrote %zu bytes, fnv1a=%08x\n", total, (unsigned)h);
    struct stat st;
    fstat(fd, &st);
    printf("fstat size=%lld\n", (long long)st.st_size);
    TRY("lseek 0", lseek(fd, 0, SEEK_SET));
    uint32_t h2 = 2166136261u;
    size_t got = 0;
    ssize_t r;
    while ((r = read(fd, buf, 65521)) > 0) { h2 = fnv(h2, buf, r); got += r; }
    printf("read %zu bytes, same checksum: %s\n", got, h == h2 ? "yes" : "no");
    TRY("pwrite in the middle", pwrite(fd, "MIDDLE", 6, 1500000));
    TRY("pread it back", pread(fd, buf, 10, 1499998));
    printf("around the middle: %02x %02x %.6s %02x %02x\n", buf[0], buf[1], buf + 2, buf[8], buf[9]);
    close(fd);
    return 0;
}
