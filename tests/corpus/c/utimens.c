/* utimensat and futimens: explicit times read back to the nanosecond,
 * AT_SYMLINK_NOFOLLOW, writes moving mtime. (This wasi-libc answers
 * UTIME_OMIT and UTIME_NOW with EINVAL itself; the WAT set_times program
 * covers the *_NOW flags.) */
#include "common.h"
#include <time.h>

static void times_of(const char *label, const char *path, int nofollow) {
    struct stat st;
    if ((nofollow ? lstat(path, &st) : stat(path, &st)) < 0) {
        printf("%s: E%s\n", label, errname(errno));
        return;
    }
    printf("%s: atime=%lld.%09ld mtime=%lld.%09ld\n", label, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(void) {
    struct timespec ts[2] = {{1000000000, 1}, {1234567890, 999999999}};
    TRY("utimensat hello.txt", utimensat(AT_FDCWD, "/sandbox/hello.txt", ts, 0));
    times_of("hello.txt", "/sandbox/hello.txt", 0);
    struct timespec omit[2] = {{5, UTIME_OMIT}, {1500000000, 0}};
    TRY("utimensat atime omitted", utimensat(AT_FDCWD, "/sandbox/hello.txt", omit, 0));
    times_of("hello.txt", "/sandbox/hello.txt", 0);
    int fd = open("/sandbox/dir/inner.txt", O_RDWR);
    struct timespec f[2] = {{42, 42}, {43, 43}};
    TRY("futimens inner.txt", futimens(fd, f));
    times_of("dir/inner.txt", "/sandbox/dir/inner.txt", 0);
    struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    TRY("futimens UTIME_NOW", futimens(fd, now));
    struct stat st;
    fstat(fd, &st);
    printf("mtime after UTIME_NOW is after 2020: %s\n", st.st_mtim.tv_sec > 1577836800 ? "yes" : "no");
    printf("atime after UTIME_NOW is after 2020: %s\n", st.st_atim.tv_sec > 1577836800 ? "yes" : "no");
    struct timespec l[2] = {{7, 0}, {8, 0}};
    TRY("utimensat link-to-hello NOFOLLOW", utimensat(AT_FDCWD, "/sandbox/link-to-hello", l, AT_SYMLINK_NOFOLLOW));
    times_of("lstat link-to-hello", "/sandbox/link-to-hello", 1);
    times_of("hello.txt (unchanged)", "/sandbox/hello.txt", 0);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    TRY("utimensat tv_nsec 1e9", utimensat(AT_FDCWD, "/sandbox/hello.txt", bad, 0));
    TRY("utimensat missing", utimensat(AT_FDCWD, "/sandbox/missing", ts, 0));
    TRY("utimensat dir", utimensat(AT_FDCWD, "/sandbox/dir", ts, 0));
    times_of("dir", "/sandbox/dir", 0);
    /* writing updates mtime */
    TRY("futimens back to 43", futimens(fd, f));
    TRY("write", write(fd, "x", 1));
    fstat(fd, &st);
    printf("mtime moved after a write: %s\n", st.st_mtim.tv_sec > 43 ? "yes" : "no");
    close(fd);
    return 0;
}
