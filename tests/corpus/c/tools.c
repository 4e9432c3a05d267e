/* A few small tools over a tree (argv[1] picks one): `wc FILE...`,
 * `grep WORD DIR` (recursive, sorted), `sort OUT` (stdin lines to a file),
 * `cp SRC DST`. */
#include "common.h"

static int cmp_line(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void grep(const char *word, const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    char *names[128];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 128)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) grep(word, path);
        else if (S_ISREG(st.st_mode)) {
            FILE *f = fopen(path, "r");
            char line[256];
            int no = 0;
            while (f && fgets(line, sizeof line, f)) {
                no++;
                if (strstr(line, word)) printf("%s:%d:%s", path, no, line);
            }
            if (f) fclose(f);
        }
        free(names[i]);
    }
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (!strcmp(argv[1], "wc")) {
        for (int i = 2; i < argc; i++) {
            FILE *f = fopen(argv[i], "r");
            if (!f) { printf("%s: E%s\n", argv[i], errname(errno)); continue; }
            long lines = 0, words = 0, bytes = 0;
            int c, in = 0;
            while ((c = fgetc(f)) != EOF) {
                bytes++;
                if (c == '\n') lines++;
                if (c == ' ' || c == '\n' || c == '\t') in = 0;
                else if (!in) { in = 1; words++; }
            }
            fclose(f);
            printf("%7ld %7ld %7ld %s\n", lines, words, bytes, argv[i]);
        }
    } else if (!strcmp(argv[1], "grep") && argc == 4) {
        grep(argv[2], argv[3]);
    } else if (!strcmp(argv[1], "sort") && argc == 3) {
        char *lines[1000];
        int n = 0;
        char buf[256];
        while (n < 1000 && fgets(buf, sizeof buf, stdin)) lines[n++] = strdup(buf);
        qsort(lines, n, sizeof *lines, cmp_line);
        FILE *out = fopen(argv[2], "w");
        if (!out) { printf("%s: E%s\n", argv[2], errname(errno)); return 1; }
        for (int i = 0; i < n; i++) fputs(lines[i], out);
        fclose(out);
        printf("sorted %d lines into %s\n", n, argv[2]);
    } else if (!strcmp(argv[1], "cp") && argc == 4) {
        int in = open(argv[2], O_RDONLY), out = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0) { printf("cp: E%s\n", errname(errno)); return 1; }
        char b[4096];
        ssize_t r, total = 0;
        while ((r = read(in, b, sizeof b)) > 0) total += write(out, b, r);
        printf("copied %zd bytes\n", total);
    } else {
        fprintf(stderr, "tools: unknown command %s\n", argv[1]);
        return 2;
    }
    return 0;
}
