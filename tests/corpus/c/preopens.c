/* Every preopen, as libc and as the raw calls see it: fd_prestat_get and
 * fd_prestat_dir_name from fd 3 until EBADF, and a file in each. */
#include "common.h"

int main(void) {
    for (int fd = 3;; fd++) {
        __wasi_prestat_t ps;
        __wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);
        if (e != 0) { printf("fd %d: fd_prestat_get %s\n", fd, errname(e)); break; }
        char name[256] = {0};
        e = __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len);
        printf("fd %d: tag=%d name_len=%zu name=\"%s\" (%s)\n", fd, ps.tag, ps.u.dir.pr_name_len, name, errname(e));
        char path[300];
        snprintf(path, sizeof path, "%s/made-by-preopens.txt", name);
        write_file(path, name);
    }
    show_stat("/a/b (nested preopen)", "/a/b", 0);
    show_file("/a/b/inside-b.txt", "/a/b/inside-b.txt");
    show_file("/a/x.txt", "/a/x.txt");
    show_file("relative (. preopen) top.txt", "top.txt");
    show_file("./top.txt", "./top.txt");
    return 0;
}
