/* The quota test of tests/test_handledir.py: `quota fill` writes a pattern
 * to /home/fill.bin in 256 KiB writes until the storage is full, and says
 * what each write past the first short one gave (a short count, then -1
 * and errno, as a full tmpfs gives); then it closes the file (its size is
 * saved) and writes one small file, which must fail the same way or fit.
 * `quota check` (after a reload or a second mount) reads /home/fill.bin
 * back: its size and whether every byte is the pattern. `quota grow`
 * writes "abc" to /home/grow.bin, cuts it long to 2^31 - 1 bytes and says
 * what ftruncate gave and the size fstat sees; `quota size` (after a second
 * mount) says the size stat sees. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (256 << 10)

static unsigned char byte_at(long long pos) { return (unsigned char)(pos * 13 + pos / 4093); }

static int fill(void) {
    static unsigned char buf[CHUNK];
    int fd = open("/home/fill.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { printf("open: %s\n", strerror(errno)); return 1; }
    long long pos = 0;
    int shorts = 0;
    for (;;) {
        for (int i = 0; i < CHUNK; i++) buf[i] = byte_at(pos + i);
        ssize_t n = write(fd, buf, CHUNK);
        if (n < 0) {
            printf("write at %lld: %s\n", pos, strerror(errno));
            break;
        }
        if (n < CHUNK) {
            printf("short write at %lld\n", pos);
            if (++shorts > 64) { puts("too many short writes"); return 1; }
        }
        pos += n;
        if (pos > (1LL << 32)) { puts("no limit reached (4 GiB written)"); return 1; }
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size != pos) { printf("size %lld, wrote %lld\n", (long long)st.st_size, pos); return 1; }
    printf("wrote %lld bytes in all\n", pos);
    /* what a full disk gives at close and for one more file: reported, not judged here */
    printf("close: %s\n", close(fd) < 0 ? strerror(errno) : "ok");
    fd = open("/home/small.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ssize_t n = fd < 0 ? -1 : write(fd, "x", 1);
    printf("small file: %s\n", n == 1 ? "written" : strerror(errno));
    if (fd >= 0) close(fd);
    return 0;
}

static int check(void) {
    static unsigned char buf[CHUNK];
    int fd = open("/home/fill.bin", O_RDONLY);
    if (fd < 0) { printf("open: %s\n", strerror(errno)); return 1; }
    long long pos = 0, bad = -1;
    ssize_t n;
    while ((n = read(fd, buf, CHUNK)) > 0) {
        for (ssize_t i = 0; i < n && bad < 0; i++)
            if (buf[i] != byte_at(pos + i)) bad = pos + i;
        pos += n;
    }
    if (n < 0) { printf("read at %lld: %s\n", pos, strerror(errno)); return 1; }
    if (bad >= 0) printf("%lld bytes, wrong byte at %lld\n", pos, bad);
    else printf("%lld bytes, all the pattern\n", pos);
    return bad >= 0;
}

static int grow(void) {
    int fd = open("/home/grow.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "abc", 3) != 3) { printf("open/write: %s\n", strerror(errno)); return 1; }
    printf("ftruncate: %s\n", ftruncate(fd, 0x7fffffff) < 0 ? strerror(errno) : "ok");
    struct stat st;
    if (fstat(fd, &st) < 0) { printf("fstat: %s\n", strerror(errno)); return 1; }
    printf("size %lld\n", (long long)st.st_size);
    return close(fd) < 0;
}

static int size(void) {
    struct stat st;
    if (stat("/home/grow.bin", &st) < 0) { printf("stat: %s\n", strerror(errno)); return 1; }
    printf("size %lld\n", (long long)st.st_size);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "fill") == 0) return fill();
    if (argc > 1 && strcmp(argv[1], "grow") == 0) return grow();
    if (argc > 1 && strcmp(argv[1], "size") == 0) return size();
    return check();
}
