/* fsync, fdatasync, posix_fadvise and posix_fallocate through libc. */
#include "common.h"

int main(void) {
    int fd = open("/sandbox/data.bin", O_RDWR | O_CREAT, 0644);
    TRY("write", write(fd, "0123456789", 10));
    TRY("fsync", fsync(fd));
    TRY("fdatasync", fdatasync(fd));
    /* posix_fadvise and posix_fallocate return the error number itself */
    printf("posix_fadvise SEQUENTIAL: %s\n", errname(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)));
    printf("posix_fadvise DONTNEED: %s\n", errname(posix_fadvise(fd, 0, 10, POSIX_FADV_DONTNEED)));
    printf("posix_fadvise negative len: %s\n", errname(posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL)));
    printf("posix_fallocate 0+100: %s\n", errname(posix_fallocate(fd, 0, 100)));
    printf("posix_fallocate negative: %s\n", errname(posix_fallocate(fd, -1, 100)));
    show_stat("data.bin", "/sandbox/data.bin", 0);
    TRY("fsync stdout", fsync(1));
    TRY("fsync dir", fsync(3));
    TRY("fsync 99", fsync(99));
    int ro = open("/sandbox/hello.txt", O_RDONLY);
    TRY("fsync read-only", fsync(ro));
    printf("posix_fadvise read-only: %s\n", errname(posix_fadvise(ro, 0, 0, POSIX_FADV_WILLNEED)));
    /* last: wasi-libc passes the advice through, and wasmtime traps on it */
    fflush(stdout);
    printf("posix_fadvise bad advice: %s\n", errname(posix_fadvise(fd, 0, 10, 99)));
    close(fd);
    return 0;
}
