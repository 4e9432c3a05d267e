/* unlink and rename through libc, including the atomic-replace pattern
 * (write a temporary file, fsync, rename over the original). */
#include "common.h"

int main(void) {
    TRY("unlink hello.txt", unlink("/sandbox/hello.txt"));
    TRY("unlink hello.txt again", unlink("/sandbox/hello.txt"));
    TRY("unlink dir", unlink("/sandbox/dir"));
    TRY("unlink link-to-dir", unlink("/sandbox/link-to-dir"));
    TRY("unlink dangling", unlink("/sandbox/dangling"));
    show_stat("dir still there", "/sandbox/dir", 1);
    write_file("/sandbox/config.txt", "version 1\n");
    int fd = open("/sandbox/config.txt.tmp", O_WRONLY | O_CREAT | O_EXCL, 0644);
    TRY("write tmp", write(fd, "version 2\n", 10));
    TRY("fsync tmp", fsync(fd));
    TRY("close tmp", close(fd));
    TRY("rename tmp over config", rename("/sandbox/config.txt.tmp", "/sandbox/config.txt"));
    show_file("config.txt", "/sandbox/config.txt");
    TRY("rename dir -> renamed-dir", rename("/sandbox/dir", "/sandbox/renamed-dir"));
    TRY("rename emptydir over renamed-dir (not empty)", rename("/sandbox/emptydir", "/sandbox/renamed-dir"));
    TRY("rename renamed-dir/sub over emptydir", rename("/sandbox/renamed-dir/sub", "/sandbox/emptydir"));
    TRY("rename config.txt over emptydir", rename("/sandbox/config.txt", "/sandbox/emptydir"));
    TRY("rename emptydir over config.txt", rename("/sandbox/emptydir", "/sandbox/config.txt"));
    TRY("rename renamed-dir into itself", rename("/sandbox/renamed-dir", "/sandbox/renamed-dir/inside"));
    TRY("rename missing", rename("/sandbox/missing", "/sandbox/x"));
    TRY("rename link-to-hello (dangling now)", rename("/sandbox/link-to-hello", "/sandbox/moved-link"));
    TRY("rename across preopens", rename("/sandbox/config.txt", "/out/config.txt"));
    show_dir("sandbox", "/sandbox");
    show_dir("out", "/out");
    return 0;
}
