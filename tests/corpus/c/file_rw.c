/* stdio on files: fopen modes r, w, a, r+, w+, a+, x; fseek/ftell; fgets;
 * and the files they leave behind. */
#include "common.h"

static void mode(const char *path, const char *m, const char *text) {
    FILE *f = fopen(path, m);
    if (!f) {
        printf("fopen(%s, %s): E%s\n", path, m, errname(errno));
        return;
    }
    printf("fopen(%s, %s): ok, ftell=%ld\n", path, m, ftell(f));
    if (text) {
        int r = fputs(text, f);
        printf("  fputs: %s\n", r < 0 ? "failed" : "ok");
    }
    if (fseek(f, 0, SEEK_SET) == 0) {
        char buf[64];
        if (fgets(buf, sizeof buf, f)) printf("  first line: %s", buf);
        else printf("  first line: (none)\n");
        clearerr(f);
    }
    fseek(f, 0, SEEK_END);
    printf("  size by ftell: %ld\n", ftell(f));
    fclose(f);
}

int main(void) {
    mode("/sandbox/hello.txt", "r", NULL);
    mode("/sandbox/hello.txt", "r", "not written\n");
    mode("/sandbox/new.txt", "w", "line one\nline two\n");
    mode("/sandbox/new.txt", "a", "line three\n");
    mode("/sandbox/new.txt", "r+", "LINE");
    mode("/sandbox/w-plus.txt", "w+", "fresh\n");
    mode("/sandbox/hello.txt", "a+", "appended\n");
    mode("/sandbox/hello.txt", "wx", "x\n");
    mode("/sandbox/x-new.txt", "wx", "made with x\n");
    mode("/sandbox/missing.txt", "r", NULL);
    mode("/sandbox/dir", "r", NULL);
    mode("/sandbox/dir", "w", NULL);
    mode("/nowhere/x.txt", "w", NULL);
    show_file("new.txt", "/sandbox/new.txt");
    show_file("hello.txt", "/sandbox/hello.txt");
    return 0;
}
