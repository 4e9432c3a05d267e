/* Trailing slashes: on files (ENOTDIR), on directories (fine), on symlinks
 * to directories (followed), in new names, through libc calls. */
#include "common.h"

int main(void) {
    show_stat("stat hello.txt/", "/sandbox/hello.txt/", 0);
    show_stat("stat dir/", "/sandbox/dir/", 0);
    show_stat("stat dir//", "/sandbox/dir//", 0);
    show_stat("lstat link-to-dir/", "/sandbox/link-to-dir/", 1);
    show_stat("lstat link-to-hello/", "/sandbox/link-to-hello/", 1);
    TRY("open hello.txt/", open("/sandbox/hello.txt/", O_RDONLY));
    TRY("open new.txt/ O_CREAT", open("/sandbox/new.txt/", O_CREAT | O_WRONLY, 0644));
    TRY("mkdir new-dir/", mkdir("/sandbox/new-dir/", 0755));
    TRY("rmdir new-dir/", rmdir("/sandbox/new-dir/"));
    TRY("rmdir new-dir", rmdir("/sandbox/new-dir"));
    TRY("unlink hello.txt/", unlink("/sandbox/hello.txt/"));
    TRY("unlink link-to-dir/", unlink("/sandbox/link-to-dir/"));
    TRY("rename dir/ -> moved/", rename("/sandbox/dir/", "/sandbox/moved/"));
    TRY("rename hello.txt -> x/", rename("/sandbox/hello.txt", "/sandbox/x/"));
    TRY("rename empty.txt/ -> y", rename("/sandbox/empty.txt/", "/sandbox/y"));
    TRY("symlink s/ -> hello.txt", symlink("hello.txt", "/sandbox/s/"));
    TRY("link hello.txt -> l/", link("/sandbox/hello.txt", "/sandbox/l/"));
    TRY("opendir emptydir/", opendir("/sandbox/emptydir/") ? 0 : -1);
    show_dir("sandbox", "/sandbox");
    return 0;
}
