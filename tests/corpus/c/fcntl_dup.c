/* fcntl F_GETFL/F_SETFL/F_GETFD and __wasilibc_fd_renumber (the dup2 of
 * WASI): flags survive, the old number is closed, stdout can be redirected. */
#include "common.h"
#include <wasi/libc.h>

static void flags(const char *label, int fd) {
    int f = fcntl(fd, F_GETFL);
    if (f < 0) { printf("%s: E%s\n", label, errname(errno)); return; }
    int acc = f & O_ACCMODE;
    printf("%s: %s%s%s\n", label, acc == O_RDONLY ? "O_RDONLY" : acc == O_WRONLY ? "O_WRONLY" : acc == O_RDWR ? "O_RDWR" : "O_SEARCH/other",
           f & O_APPEND ? "|O_APPEND" : "", f & O_NONBLOCK ? "|O_NONBLOCK" : "");
}

int main(void) {
    flags("stdin", 0);
    flags("stdout", 1);
    flags("stderr", 2);
    flags("preopen", 3);
    int a = open("/sandbox/hello.txt", O_RDWR | O_APPEND);
    int b = open("/sandbox/dir/inner.txt", O_RDONLY);
    flags("hello.txt O_RDWR|O_APPEND", a);
    flags("inner.txt O_RDONLY", b);
    TRY("F_SETFL a O_NONBLOCK", fcntl(a, F_SETFL, O_NONBLOCK));
    flags("hello.txt after F_SETFL", a);
    TRY("F_GETFD a", fcntl(a, F_GETFD));
    TRY("F_SETFD a FD_CLOEXEC", fcntl(a, F_SETFD, FD_CLOEXEC));
    TRY("F_GETFL 99", fcntl(99, F_GETFL));
    TRY("renumber b -> a", __wasilibc_fd_renumber(b, a));
    flags("a after renumber", a);
    flags("b after renumber", b);
    char buf[16] = {0};
    TRY("read a", read(a, buf, 5));
    printf("  read: %s\n", buf);
    int out = open("/sandbox/captured.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    fflush(stdout);
    TRY("renumber out -> 1", __wasilibc_fd_renumber(out, 1));
    printf("this went into captured.txt\n");
    fflush(stdout);
    fprintf(stderr, "stderr still works\n");
    return 0;
}
