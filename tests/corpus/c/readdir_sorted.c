/* readdir through libc on several directories: names and d_type, sorted
 * (host order varies); errors for things that are not directories. */
#include "common.h"

int main(void) {
    show_dir("/sandbox", "/sandbox");
    show_dir("/sandbox/dir", "/sandbox/dir");
    show_dir("/sandbox/emptydir", "/sandbox/emptydir");
    show_dir("/sandbox/link-to-dir", "/sandbox/link-to-dir");
    show_dir("/sandbox/dir/", "/sandbox/dir/");
    show_dir("/sandbox/hello.txt", "/sandbox/hello.txt");
    show_dir("/sandbox/missing", "/sandbox/missing");
    show_dir("/sandbox/dangling", "/sandbox/dangling");
    show_dir("/sandbox/loop-a", "/sandbox/loop-a");
    show_dir("/", "/");
    return 0;
}
