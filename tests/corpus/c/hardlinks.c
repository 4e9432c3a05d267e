/* Hard links: nlink counts, one inode under two names, unlinking one name
 * keeps the data, writes through one name show through the other. */
#include "common.h"

static int same_ino(const char *a, const char *b) {
    struct stat sa, sb;
    if (stat(a, &sa) < 0 || stat(b, &sb) < 0) return -1;
    return sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

int main(void) {
    TRY("link hello.txt -> h2", link("/sandbox/hello.txt", "/sandbox/h2"));
    TRY("link h2 -> dir/h3", link("/sandbox/h2", "/sandbox/dir/h3"));
    show_stat("hello.txt", "/sandbox/hello.txt", 1);
    printf("ino same for hard link: %s\n", same_ino("/sandbox/hello.txt", "/sandbox/dir/h3") == 1 ? "yes" : "no");
    printf("ino same for a copy: %s\n", same_ino("/sandbox/hello.txt", "/sandbox/empty.txt") == 1 ? "yes" : "no");
    int fd = open("/sandbox/h2", O_WRONLY | O_APPEND);
    TRY("append through h2", write(fd, "more\n", 5));
    close(fd);
    show_file("hello.txt", "/sandbox/hello.txt");
    TRY("unlink hello.txt", unlink("/sandbox/hello.txt"));
    show_stat("h2", "/sandbox/h2", 1);
    show_file("dir/h3", "/sandbox/dir/h3");
    TRY("link dir -> dir2", link("/sandbox/dir", "/sandbox/dir2"));
    TRY("link to existing", link("/sandbox/h2", "/sandbox/empty.txt"));
    TRY("link missing", link("/sandbox/nope", "/sandbox/nope2"));
    TRY("link across preopens", link("/sandbox/h2", "/out/h4"));
    show_stat("h2 after all", "/sandbox/h2", 1);
    TRY("link link-to-hello (a symlink, dangling now)", link("/sandbox/link-to-hello", "/sandbox/sym-hard"));
    show_stat("lstat sym-hard", "/sandbox/sym-hard", 1);
    return 0;
}
