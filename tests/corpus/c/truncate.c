/* ftruncate and truncate: grow (zeros), shrink, and the position (unchanged). */
#include "common.h"

static void size(const char *label, const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) printf("%s: E%s\n", label, errname(errno));
    else printf("%s: size=%lld\n", label, (long long)st.st_size);
}

int main(void) {
    int fd = open("/sandbox/hello.txt", O_RDWR);
    TRY("lseek end", lseek(fd, 0, SEEK_END));
    TRY("ftruncate 5", ftruncate(fd, 5));
    size("after ftruncate 5", "/sandbox/hello.txt");
    TRY("position", lseek(fd, 0, SEEK_CUR));
    TRY("write at the old position", write(fd, "!", 1));
    size("after write", "/sandbox/hello.txt");
    TRY("ftruncate 0", ftruncate(fd, 0));
    TRY("ftruncate 8", ftruncate(fd, 8));
    TRY("ftruncate -1", ftruncate(fd, -1));
    close(fd);
    show_file("hello.txt", "/sandbox/hello.txt");
    TRY("truncate dir/inner.txt 2", truncate("/sandbox/dir/inner.txt", 2));
    show_file("inner.txt", "/sandbox/dir/inner.txt");
    TRY("truncate missing", truncate("/sandbox/missing", 2));
    TRY("truncate dir", truncate("/sandbox/dir", 2));
    fd = open("/sandbox/empty.txt", O_RDONLY);
    TRY("ftruncate read-only fd", ftruncate(fd, 3));
    close(fd);
    return 0;
}
