/* The persistence test of tests/test_handledir.py: `persist write` makes
 * files (one of 1 MiB written at offsets, a hard link), a directory, a
 * symlink and exact nanosecond times under /home; `persist read` prints all
 * of it back: contents (as a checksum and a few bytes), sizes, link counts,
 * targets and times. Run read after write on wasmtime and, with a page
 * reload between, on a HandleDirectory over OPFS: the outputs must agree.
 * `persist churn` writes files for ever (each 64 KiB, fsynced, the oldest
 * removed, a counter replaced by rename) until the page is killed; `persist
 * check` then says whether what is left is consistent. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BIG (1 << 20)

static void put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0) {
        printf("%s: %s\n", path, strerror(errno));
        exit(1);
    }
}

static void stamp(const char *path, long long a, long long m, int flags) {
    struct timespec ts[2] = {{a / 1000000000, a % 1000000000}, {m / 1000000000, m % 1000000000}};
    if (utimensat(AT_FDCWD, path, ts, flags) < 0) printf("utimensat %s: %s\n", path, strerror(errno));
}

static int write_all(void) {
    mkdir("/home/docs", 0755);
    put("/home/docs/hello.txt", "hello, persistent world\n");
    int fd = open("/home/big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    static unsigned char block[4096];
    for (int k = 0; k < BIG / 4096; k += 2) { /* every other block: the rest stays a hole */
        for (int i = 0; i < 4096; i++) block[i] = (unsigned char)(k * 31 + i);
        if (pwrite(fd, block, sizeof block, (off_t)k * 4096) != sizeof block) printf("pwrite: %s\n", strerror(errno));
    }
    if (ftruncate(fd, BIG) < 0) printf("ftruncate: %s\n", strerror(errno));
    if (fsync(fd) < 0) printf("fsync: %s\n", strerror(errno));
    close(fd);
    if (link("/home/docs/hello.txt", "/home/hello-link.txt") < 0) printf("link: %s\n", strerror(errno));
    if (symlink("docs/hello.txt", "/home/to-hello") < 0) printf("symlink: %s\n", strerror(errno));
    /* atime after mtime and in the future: a read does not move it then (Linux's relatime) */
    stamp("/home/docs/hello.txt", 4102444800987654321LL, 1000000000123456789LL, 0);
    stamp("/home/big.bin", 4102444801000000002LL, 1500000000000000001LL, 0);
    stamp("/home/to-hello", 4102444802000000004LL, 1700000000000000003LL, AT_SYMLINK_NOFOLLOW);
    stamp("/home/docs", 4102444803000000006LL, 1100000000000000005LL, 0);
    puts("written");
    return 0;
}

static void show(const char *path) {
    struct stat st;
    if (lstat(path, &st) < 0) {
        printf("%s: %s\n", path, strerror(errno));
        return;
    }
    printf("%s: mode=%s size=%lld nlink=%llu atime=%lld.%09ld mtime=%lld.%09ld", path,
           S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "symlink" : S_ISREG(st.st_mode) ? "file" : "other",
           S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size, S_ISDIR(st.st_mode) ? 0ULL : (unsigned long long)st.st_nlink,
           (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    if (S_ISLNK(st.st_mode)) {
        char target[256];
        ssize_t n = readlink(path, target, sizeof target - 1);
        target[n < 0 ? 0 : n] = 0;
        printf(" -> %s", target);
    } else if (S_ISREG(st.st_mode)) {
        int fd = open(path, O_RDONLY);
        unsigned long h = 5381, n = 0;
        unsigned char buf[8192], first[8] = {0};
        ssize_t got;
        while ((got = read(fd, buf, sizeof buf)) > 0) {
            if (n == 0) memcpy(first, buf, got < 8 ? got : 8);
            for (ssize_t i = 0; i < got; i++) h = h * 33 + buf[i];
            n += got;
        }
        unsigned char mid[4] = {0};
        pread(fd, mid, 4, BIG / 2 + 4096 + 7); /* in a hole of big.bin */
        close(fd);
        printf(" read=%lu hash=%08lx first=%02x%02x%02x%02x hole=%02x%02x", n, h & 0xffffffffUL, first[0], first[1],
               first[2], first[3], mid[0], mid[1]);
    }
    putchar('\n');
}

#define CHUNK 65536
#define KEEP 4

static void pattern(unsigned char *buf, long k) {
    for (int i = 0; i < CHUNK; i++) buf[i] = (unsigned char)(k * 7 + i);
}

static int churn(void) {
    static unsigned char buf[CHUNK];
    char path[64], old[64];
    mkdir("/home/c", 0755);
    for (long k = 0;; k++) {
        snprintf(path, sizeof path, "/home/c/f%ld", k);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        pattern(buf, k);
        for (int part = 0; part < CHUNK; part += 4096) write(fd, buf + part, 4096);
        if (fd < 0 || fsync(fd) < 0 || close(fd) < 0) { printf("f%ld: %s\n", k, strerror(errno)); return 1; }
        fd = open("/home/c/count.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dprintf(fd, "%ld\n", k);
        if (fsync(fd) < 0 || close(fd) < 0) { printf("count: %s\n", strerror(errno)); return 1; }
        rename("/home/c/count.tmp", "/home/c/count");
        if (k >= KEEP) {
            snprintf(old, sizeof old, "/home/c/f%ld", k - KEEP);
            unlink(old);
        }
        if (k == 20) puts("churning"), fflush(stdout);
    }
}

static int check(void) {
    static unsigned char buf[CHUNK], want[CHUNK];
    char path[64];
    long n = -1;
    FILE *f = fopen("/home/c/count", "r");
    if (f == NULL || fscanf(f, "%ld", &n) != 1) { printf("no counter: %s\n", strerror(errno)); return 1; }
    fclose(f);
    /* every file a saved counter names was fsynced before it: present and whole */
    for (long k = n < KEEP ? 0 : n - KEEP + 1; k <= n; k++) {
        snprintf(path, sizeof path, "/home/c/f%ld", k);
        int fd = open(path, O_RDONLY);
        ssize_t got = fd < 0 ? -1 : read(fd, buf, CHUNK);
        pattern(want, k);
        if (got != CHUNK || memcmp(buf, want, CHUNK) != 0) { printf("f%ld: %zd bytes, not its pattern\n", k, got); return 1; }
        close(fd);
    }
    printf("consistent\n");
    fprintf(stderr, "counter %ld\n", n);
    return n >= 20 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "write") == 0) return write_all();
    if (argc > 1 && strcmp(argv[1], "churn") == 0) return churn();
    if (argc > 1 && strcmp(argv[1], "check") == 0) return check();
    show("/home/docs");
    show("/home/docs/hello.txt");
    show("/home/hello-link.txt");
    show("/home/big.bin");
    show("/home/to-hello");
    return 0;
}
