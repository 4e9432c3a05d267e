/* wc: counts lines, words and bytes, like wc(1).
 *
 *   wc [FILE...]      with no FILE, or "-", reads stdin
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

struct counts {
    long long lines, words, bytes;
};

static void count(FILE *f, struct counts *c) {
    int ch, in_word = 0;
    while ((ch = getc(f)) != EOF) {
        c->bytes++;
        if (ch == '\n') c->lines++;
        if (isspace(ch)) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            c->words++;
        }
    }
}

static void print(const struct counts *c, const char *name) {
    printf("%7lld %7lld %7lld%s%s\n", c->lines, c->words, c->bytes, name ? " " : "", name ? name : "");
}

int main(int argc, char **argv) {
    struct counts total = {0, 0, 0};
    int status = 0, files = 0;
    if (argc < 2) {
        count(stdin, &total);
        print(&total, NULL);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        struct counts c = {0, 0, 0};
        int is_stdin = strcmp(argv[i], "-") == 0;
        FILE *f = is_stdin ? stdin : fopen(argv[i], "rb");
        if (f == NULL) {
            fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        count(f, &c);
        if (!is_stdin) fclose(f);
        print(&c, argv[i]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
        files++;
    }
    if (files > 1) print(&total, "total");
    return status;
}
