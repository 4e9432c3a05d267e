/* mkdir and rmdir through libc: nesting, existing names, non-empty
 * directories, files, symlinks, dots. */
#include "common.h"

int main(void) {
    TRY("mkdir a", mkdir("/sandbox/a", 0755));
    TRY("mkdir a/b", mkdir("/sandbox/a/b", 0755));
    TRY("mkdir a/b/c", mkdir("/sandbox/a/b/c", 0700));
    TRY("mkdir a (exists)", mkdir("/sandbox/a", 0755));
    TRY("mkdir x/y (no x)", mkdir("/sandbox/x/y", 0755));
    TRY("mkdir hello.txt (a file)", mkdir("/sandbox/hello.txt", 0755));
    TRY("mkdir dangling", mkdir("/sandbox/dangling", 0755));
    TRY("mkdir trailing/", mkdir("/sandbox/trailing/", 0755));
    TRY("rmdir a (not empty)", rmdir("/sandbox/a"));
    TRY("rmdir a/b/c", rmdir("/sandbox/a/b/c"));
    TRY("rmdir a/b/c again", rmdir("/sandbox/a/b/c"));
    TRY("rmdir hello.txt", rmdir("/sandbox/hello.txt"));
    TRY("rmdir link-to-dir", rmdir("/sandbox/link-to-dir"));
    TRY("rmdir emptydir", rmdir("/sandbox/emptydir"));
    TRY("rmdir trailing/", rmdir("/sandbox/trailing/"));
    TRY("rmdir /sandbox/.", rmdir("/sandbox/."));
    TRY("rmdir /sandbox", rmdir("/sandbox"));
    TRY("rmdir a/b/..", rmdir("/sandbox/a/b/.."));
    TRY("remove a/b (remove on a dir)", remove("/sandbox/a/b"));
    TRY("remove hello.txt (remove on a file)", remove("/sandbox/hello.txt"));
    show_dir("sandbox", "/sandbox");
    return 0;
}
