/* Using fds after close: read, write, lseek, fstat, close again; and the fd
 * numbers open hands out as earlier ones are closed (lowest free first?). */
#include "common.h"

int main(void) {
    int a = open("/sandbox/hello.txt", O_RDONLY);
    int b = open("/sandbox/empty.txt", O_RDONLY);
    int c = open("/sandbox/dir/inner.txt", O_RDONLY);
    printf("opened a=%d b=%d c=%d\n", a, b, c);
    TRY("close b", close(b));
    TRY("read b", read(b, (char[4]){0}, 4));
    TRY("write b", write(b, "x", 1));
    TRY("lseek b", lseek(b, 0, SEEK_SET));
    struct stat st;
    TRY("fstat b", fstat(b, &st));
    TRY("close b again", close(b));
    int d = open("/sandbox/hello.txt", O_RDONLY);
    printf("reopened: d=%d (b was %d)\n", d, b);
    TRY("close a", close(a));
    TRY("close c", close(c));
    int e = open("/sandbox/hello.txt", O_RDONLY);
    int f = open("/sandbox/hello.txt", O_RDONLY);
    printf("after closing a and c: e=%d f=%d\n", e, f);
    DIR *dir = opendir("/sandbox/dir");
    printf("opendir took fd %d\n", dirfd(dir));
    closedir(dir);
    TRY("close the closedir'd fd", close(dirfd(dir) > 0 ? 100 : 100));
    return 0;
}
