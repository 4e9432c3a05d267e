/* stat, lstat and fstat on every kind of thing: files, directories,
 * symlinks, stdio, preopens; st_mode types, sizes, link counts. */
#include "common.h"

static void fshow(const char *label, int fd) {
    struct stat st;
    if (fstat(fd, &st) < 0) { printf("%s: E%s\n", label, errname(errno)); return; }
    printf("%s: type=%s", label, mode_type(st.st_mode));
    if (S_ISREG(st.st_mode)) printf(" size=%lld", (long long)st.st_size);
    printf("\n");
}

int main(void) {
    show_stat("stat hello.txt", "/sandbox/hello.txt", 0);
    show_stat("stat empty.txt", "/sandbox/empty.txt", 0);
    show_stat("stat dir", "/sandbox/dir", 0);
    show_stat("stat /sandbox", "/sandbox", 0);
    show_stat("stat /", "/", 0);
    show_stat("stat link-to-hello", "/sandbox/link-to-hello", 0);
    show_stat("lstat link-to-hello", "/sandbox/link-to-hello", 1);
    show_stat("lstat link-to-dir", "/sandbox/link-to-dir", 1);
    show_stat("lstat link-to-dir/", "/sandbox/link-to-dir/", 1);
    show_stat("stat missing", "/sandbox/missing", 0);
    show_stat("stat hello.txt/", "/sandbox/hello.txt/", 0);
    show_stat("stat relative (no cwd preopen)", "hello.txt", 0);
    fshow("fstat stdin", 0);
    fshow("fstat stdout", 1);
    fshow("fstat stderr", 2);
    fshow("fstat 3 (preopen)", 3);
    fshow("fstat 99", 99);
    int fd = open("/sandbox/dir/inner.txt", O_RDONLY);
    fshow("fstat dir/inner.txt", fd);
    struct stat a, b;
    stat("/sandbox/hello.txt", &a);
    stat("/sandbox/link-to-hello", &b);
    printf("symlink target has the same ino: %s\n", a.st_ino == b.st_ino ? "yes" : "no");
    lstat("/sandbox/link-to-hello", &b);
    printf("the symlink itself has the same ino: %s\n", a.st_ino == b.st_ino ? "yes" : "no");
    printf("st_blksize > 0: %s\n", a.st_blksize > 0 ? "yes" : "no");
    return 0;
}
