/* Adversarial paths through wasi-libc (issue #8): libc maps absolute paths
 * and the current directory onto the preopens itself, so these are the ways
 * out a C program would try — `..` after a preopen's name, chdir and climb,
 * symlinks out, rename into its own subtree — each printing its errno, and
 * the contents of anything it manages to read. */
#include "common.h"

static void try_read(const char *path) {
    char label[160];
    snprintf(label, sizeof label, "read %s", path);
    show_file(label, path);
}

static void try_write(const char *path) {
    errno = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        printf("write %s: E%s\n", path, errname(errno));
        return;
    }
    printf("write %s: ok\n", path);
    close(fd);
}

int main(void) {
    static const char *const reads[] = {
        "/sandbox/../outside.txt", "/sandbox/../../outside.txt", "/outside.txt", "/secret/key.txt",
        "/sandbox/./../secret/key.txt", "/sandbox/dir/../../outside.txt", "/sandbox/escape-link",
        "/sandbox/escape-dir/key.txt", "/sandbox/abs-secret", "/sandbox/up-dir/outside.txt",
        "/sandbox/link-to-dir/../../outside.txt", "/sandbox/../other/o.txt", "/other/../sandbox/hello.txt",
        "/sandbox/dir/rel-in", "/sandbox/n41/inner.txt", "/sandbox/n40/inner.txt", "/sandbox/hello.txt/",
        "/", "/..", "//sandbox/hello.txt", "/sandbox//hello.txt", "",
    };
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) try_read(reads[i]);
    static const char *const writes[] = {
        "/sandbox/../outside.txt", "/sandbox/../new.txt", "/new.txt", "/sandbox/escape-link",
        "/sandbox/dangle-out", "/sandbox/escape-dir/new.txt", "/sandbox/abs-secret", "/sandbox/hello.txt/",
    };
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) try_write(writes[i]);

    /* the current directory: climbing from it */
    TRY("chdir /sandbox/dir", chdir("/sandbox/dir"));
    try_read("../hello.txt");
    try_read("../../outside.txt");
    try_read("../../other/o.txt");
    try_write("../../new.txt");
    TRY("chdir ../..", chdir("../.."));
    char cwd[256];
    printf("getcwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : "(error)");
    try_read("outside.txt");
    TRY("chdir /sandbox/escape-dir", chdir("/sandbox/escape-dir"));
    TRY("chdir /sandbox/up-dir", chdir("/sandbox/up-dir"));
    TRY("chdir /sandbox", chdir("/sandbox"));
    show_dir("opendir ..", "..");
    show_dir("opendir /sandbox/up-dir", "/sandbox/up-dir");
    show_dir("opendir /sandbox/escape-dir", "/sandbox/escape-dir");
    show_stat("stat escape-link", "escape-link", 0);
    show_stat("lstat escape-link", "escape-link", 1);
    show_stat("stat abs-root", "abs-root", 0);

    /* renames into its own subtree and over the preopen */
    TRY("rename dir -> dir/sub/x", rename("/sandbox/dir", "/sandbox/dir/sub/x"));
    TRY("rename /sandbox -> /sandbox/dir/x", rename("/sandbox", "/sandbox/dir/x"));
    TRY("rename /sandbox/dir -> /sandbox", rename("/sandbox/dir", "/sandbox"));
    TRY("rename hello.txt -> ../stolen.txt", rename("/sandbox/hello.txt", "/sandbox/../stolen.txt"));
    TRY("rmdir /sandbox", rmdir("/sandbox"));
    TRY("rmdir /other", rmdir("/other"));
    TRY("unlink /sandbox/escape-link", unlink("/sandbox/escape-link"));
    TRY("symlink ../outside.txt", symlink("../outside.txt", "/sandbox/new-escape"));
    try_read("/sandbox/new-escape");
    TRY("link escape-dir -> via", link("/sandbox/escape-dir", "/sandbox/via"));
    try_read("/sandbox/via/key.txt");
    return 0;
}
