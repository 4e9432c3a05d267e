/* wordcount: `wc` over every regular file under a directory (default /data),
 * in sorted path order, then a total line; the total is also written to
 * DIR/wc-total.txt, so the run changes the tree as well as printing.
 *
 * Exercises: fd_readdir (through opendir/readdir), path_filestat_get (lstat),
 * path_open + fd_read, path_open(O_CREAT|O_TRUNC) + fd_write.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct paths {
    char **items;
    size_t len, cap;
};

static void add(struct paths *p, const char *path) {
    if (p->len == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->items = realloc(p->items, p->cap * sizeof *p->items);
    }
    p->items[p->len++] = strdup(path);
}

/* Every regular file below `dir`; symlinks are not followed. */
static int collect(const char *dir, struct paths *out) {
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "wordcount: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0) {
            fprintf(stderr, "wordcount: %s: %s\n", path, strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode))
            collect(path, out);
        else if (S_ISREG(st.st_mode))
            add(out, path);
    }
    closedir(d);
    return 0;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct counts {
    long lines, words, bytes;
};

static int count(const char *path, struct counts *c) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int ch, in_word = 0;
    while ((ch = fgetc(f)) != EOF) {
        c->bytes++;
        if (ch == '\n')
            c->lines++;
        int space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
        if (!space && !in_word)
            c->words++;
        in_word = !space;
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/data";
    struct paths files = {0};
    if (collect(dir, &files) != 0)
        return 1;
    qsort(files.items, files.len, sizeof *files.items, by_name);

    struct counts total = {0};
    int failed = 0;
    for (size_t i = 0; i < files.len; i++) {
        struct counts c = {0};
        if (count(files.items[i], &c) != 0) {
            fprintf(stderr, "wordcount: %s: %s\n", files.items[i], strerror(errno));
            failed = 1;
            continue;
        }
        printf("%7ld %7ld %7ld %s\n", c.lines, c.words, c.bytes, files.items[i]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    printf("%7ld %7ld %7ld total (%zu files)\n", total.lines, total.words, total.bytes, files.len);

    char out[4096];
    snprintf(out, sizeof out, "%s/wc-total.txt", dir);
    FILE *f = fopen(out, "w");
    if (!f) {
        fprintf(stderr, "wordcount: %s: %s\n", out, strerror(errno));
        return 1;
    }
    fprintf(f, "%ld lines, %ld words, %ld bytes in %zu files\n", total.lines, total.words, total.bytes,
            files.len);
    fclose(f);
    return failed;
}
