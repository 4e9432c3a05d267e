/* open(2) flags through libc: O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY,
 * O_NOFOLLOW, access modes, and what reading/writing the wrong way gives. */
#include "common.h"

int main(void) {
    int fd;
    TRY("open missing O_RDONLY", open("/sandbox/missing", O_RDONLY));
    TRY("open new O_CREAT|O_WRONLY", fd = open("/sandbox/new.txt", O_CREAT | O_WRONLY, 0644));
    TRY("  read from O_WRONLY", read(fd, (char[4]){0}, 4));
    TRY("  write", write(fd, "abc", 3));
    close(fd);
    TRY("open new O_CREAT|O_EXCL", open("/sandbox/new.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
    TRY("open hello O_RDONLY", fd = open("/sandbox/hello.txt", O_RDONLY));
    TRY("  write to O_RDONLY", write(fd, "x", 1));
    close(fd);
    TRY("open hello O_TRUNC|O_RDWR", fd = open("/sandbox/hello.txt", O_TRUNC | O_RDWR));
    close(fd);
    show_stat("hello.txt after O_TRUNC", "/sandbox/hello.txt", 0);
    TRY("open dir O_DIRECTORY", fd = open("/sandbox/dir", O_RDONLY | O_DIRECTORY));
    TRY("  read from a directory", read(fd, (char[4]){0}, 4));
    close(fd);
    TRY("open dir O_WRONLY", open("/sandbox/dir", O_WRONLY));
    TRY("open dir O_RDWR", open("/sandbox/dir", O_RDWR));
    TRY("open file O_DIRECTORY", open("/sandbox/dir/inner.txt", O_RDONLY | O_DIRECTORY));
    TRY("open dir O_CREAT", open("/sandbox/dir", O_CREAT | O_RDONLY, 0644));
    TRY("open dir/ O_CREAT", open("/sandbox/newdir/", O_CREAT | O_WRONLY, 0644));
    TRY("open O_CREAT|O_DIRECTORY", open("/sandbox/newdir2", O_CREAT | O_DIRECTORY | O_RDONLY, 0755));
    TRY("open link-to-hello O_NOFOLLOW", open("/sandbox/link-to-hello", O_RDONLY | O_NOFOLLOW));
    TRY("open O_APPEND|O_RDONLY", fd = open("/sandbox/dir/inner.txt", O_APPEND | O_RDONLY));
    close(fd);
    TRY("open O_EXCL without O_CREAT", fd = open("/sandbox/dir/inner.txt", O_EXCL | O_RDONLY));
    close(fd);
    TRY("open O_RDONLY|O_TRUNC", fd = open("/sandbox/dir/inner.txt", O_RDONLY | O_TRUNC));
    close(fd);
    show_stat("inner.txt after O_RDONLY|O_TRUNC", "/sandbox/dir/inner.txt", 0);
    TRY("open O_DSYNC", open("/sandbox/empty.txt", O_WRONLY | O_DSYNC));
    TRY("open O_SYNC", open("/sandbox/empty.txt", O_WRONLY | O_SYNC));
    TRY("open O_NONBLOCK", fd = open("/sandbox/empty.txt", O_RDONLY | O_NONBLOCK));
    close(fd);
    TRY("open empty path", open("", O_RDONLY));
    show_file("new.txt", "/sandbox/new.txt");
    return 0;
}
