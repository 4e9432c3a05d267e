/* Writing past the end leaves a gap that reads back as zeros. */
#include "common.h"

int main(void) {
    int fd = open("/sandbox/sparse.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    TRY("write head", write(fd, "head", 4));
    TRY("lseek 1000", lseek(fd, 1000, SEEK_SET));
    struct stat st;
    fstat(fd, &st);
    printf("size after seek: %lld\n", (long long)st.st_size);
    TRY("write tail", write(fd, "tail", 4));
    fstat(fd, &st);
    printf("size after write: %lld\n", (long long)st.st_size);
    TRY("pwrite at 5000", pwrite(fd, "far", 3, 5000));
    fstat(fd, &st);
    printf("size after pwrite: %lld\n", (long long)st.st_size);
    unsigned char buf[6000];
    TRY("pread all", pread(fd, buf, sizeof buf, 0));
    int nonzero = 0;
    for (int i = 4; i < 1000; i++) nonzero += buf[i] != 0;
    for (int i = 1004; i < 5000; i++) nonzero += buf[i] != 0;
    printf("non-zero bytes in the gaps: %d\n", nonzero);
    printf("bytes at 1000: %.4s, at 5000: %.3s\n", buf + 1000, buf + 5000);
    close(fd);
    return 0;
}
