/* What the standard streams are: isatty, fstat, fd_fdstat_get on 0, 1, 2 and
 * what happens when they are closed. */
#include "common.h"

int main(void) {
    for (int fd = 0; fd < 4; fd++) {
        errno = 0;
        int t = isatty(fd);
        printf("isatty(%d)=%d%s%s\n", fd, t, errno ? " errno=E" : "", errno ? errname(errno) : "");
        __wasi_fdstat_t st;
        __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
        if (e) printf("  fd_fdstat_get: %s\n", errname(e));
        else printf("  filetype=%s flags=%u rights_base=%llx\n", filetype_name(st.fs_filetype), st.fs_flags,
                    (unsigned long long)st.fs_rights_base);
    }
    fflush(stdout);
    TRY("close(0)", close(0));
    TRY("read(0)", read(0, (char[4]){0}, 4));
    TRY("isatty(0)", isatty(0));
    int fd = open("/sandbox/hello.txt", O_RDONLY);
    printf("the next open got fd %d\n", fd);
    return 0;
}
