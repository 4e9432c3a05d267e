/* wasi-libc's emulated working directory: chdir and getcwd, relative paths
 * resolved against it, `..` walking up and out of the preopen. */
#include "common.h"

static void cwd(void) {
    char buf[256];
    if (getcwd(buf, sizeof buf)) printf("getcwd: %s\n", buf);
    else printf("getcwd: E%s\n", errname(errno));
}

int main(void) {
    cwd();
    show_stat("relative hello.txt", "hello.txt", 0);
    TRY("chdir /sandbox", chdir("/sandbox"));
    cwd();
    show_stat("relative hello.txt", "hello.txt", 0);
    show_file("dir/inner.txt", "dir/inner.txt");
    TRY("chdir dir", chdir("dir"));
    cwd();
    show_file("inner.txt", "inner.txt");
    show_file("../hello.txt", "../hello.txt");
    show_file("../../sandbox/hello.txt", "../../sandbox/hello.txt");
    TRY("chdir ../link-to-dir/sub", chdir("../link-to-dir/sub"));
    cwd();
    show_stat("..", "..", 0);
    TRY("mkdir made-here", mkdir("made-here", 0755));
    TRY("chdir hello.txt (a file)", chdir("/sandbox/hello.txt"));
    TRY("chdir missing", chdir("/sandbox/missing"));
    TRY("chdir /", chdir("/"));
    cwd();
    show_stat("sandbox/hello.txt from /", "sandbox/hello.txt", 0);
    TRY("chdir /sandbox/dir/..", chdir("/sandbox/dir/.."));
    cwd();
    write_file("written-relative.txt", "relative\n");
    show_dir("sandbox", "/sandbox");
    return 0;
}
