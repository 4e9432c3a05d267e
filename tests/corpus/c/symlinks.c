/* Symlinks through libc: creation, readlink, stat vs lstat, chains, loops,
 * dangling and absolute targets, symlinks as intermediate components. */
#include "common.h"

static void rl(const char *path) {
    char buf[64];
    errno = 0;
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) printf("readlink %s: E%s\n", path, errname(errno));
    else { buf[n] = 0; printf("readlink %s: \"%s\"\n", path, buf); }
}

int main(void) {
    TRY("symlink a -> hello.txt", symlink("hello.txt", "/sandbox/a"));
    TRY("symlink b -> a", symlink("a", "/sandbox/b"));
    TRY("symlink c -> dir/sub/../../b", symlink("dir/sub/../../b", "/sandbox/c"));
    TRY("symlink dir/up -> ..", symlink("..", "/sandbox/dir/up"));
    TRY("symlink abs -> /sandbox/hello.txt", symlink("/sandbox/hello.txt", "/sandbox/abs"));
    TRY("symlink a again", symlink("x", "/sandbox/a"));
    rl("/sandbox/a");
    rl("/sandbox/c");
    rl("/sandbox/abs-link");
    rl("/sandbox/hello.txt");
    rl("/sandbox/link-to-dir/");
    show_stat("stat c (3 hops)", "/sandbox/c", 0);
    show_stat("lstat c", "/sandbox/c", 1);
    show_stat("stat dir/up/hello.txt", "/sandbox/dir/up/hello.txt", 0);
    show_stat("stat dir/up/dir/up/dir/up/hello.txt", "/sandbox/dir/up/dir/up/dir/up/hello.txt", 0);
    show_stat("stat dangling", "/sandbox/dangling", 0);
    show_stat("lstat dangling", "/sandbox/dangling", 1);
    show_stat("stat loop-a", "/sandbox/loop-a", 0);
    show_stat("stat self-loop", "/sandbox/self-loop", 0);
    show_stat("stat abs-link", "/sandbox/abs-link", 0);
    show_stat("stat escape-link", "/sandbox/escape-link", 0);
    show_stat("stat link-to-dir/inner.txt", "/sandbox/link-to-dir/inner.txt", 0);
    show_file("read c", "/sandbox/c");
    show_file("read dangling", "/sandbox/dangling");
    TRY("open dangling O_CREAT", open("/sandbox/dangling", O_WRONLY | O_CREAT, 0644));
    show_stat("stat missing.txt (created through dangling)", "/sandbox/missing.txt", 0);
    TRY("open loop-a O_CREAT", open("/sandbox/loop-a", O_WRONLY | O_CREAT, 0644));
    TRY("open a O_NOFOLLOW", open("/sandbox/a", O_RDONLY | O_NOFOLLOW));
    TRY("open link-to-dir O_DIRECTORY|O_NOFOLLOW", open("/sandbox/link-to-dir", O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
    /* 40 hops is too many for most systems */
    char name[32], target[32];
    for (int i = 0; i < 45; i++) {
        snprintf(name, sizeof name, "/sandbox/hop%d", i);
        if (i == 44) snprintf(target, sizeof target, "hello.txt");
        else snprintf(target, sizeof target, "hop%d", i + 1);
        symlink(target, name);
    }
    show_stat("stat hop40 (4 hops)", "/sandbox/hop40", 0);
    show_stat("stat hop20 (24 hops)", "/sandbox/hop20", 0);
    show_stat("stat hop10 (34 hops)", "/sandbox/hop10", 0);
    show_stat("stat hop0 (44 hops)", "/sandbox/hop0", 0);
    return 0;
}
