/* transform: rewrites every regular file in DIR into DIR/out/.
 *
 *   transform [upper|lower|sort|reverse] [DIR]      (defaults: upper /data)
 *
 *   upper, lower  change the case of ASCII letters
 *   sort          sorts the lines (byte order)
 *   reverse       reverses the order of the lines
 *
 * Files are visited in name order, so the output is the same on every host.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Splits buf into lines (each keeps no '\n'); a final line without '\n'
 * still counts. */
static size_t split_lines(char *buf, size_t len, char ***out) {
    size_t count = 0, cap = 64;
    char **lines = malloc(cap * sizeof *lines);
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || buf[i] == '\n') {
            if (i == len && start == len) break;
            if (count == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines);
            buf[i < len ? i : len] = '\0';
            lines[count++] = buf + start;
            start = i + 1;
        }
    }
    *out = lines;
    return count;
}

static int transform(const char *mode, char *buf, size_t len, FILE *out) {
    if (strcmp(mode, "upper") == 0 || strcmp(mode, "lower") == 0) {
        int up = mode[0] == 'u';
        for (size_t i = 0; i < len; i++) {
            char c = buf[i];
            if (up && c >= 'a' && c <= 'z') c -= 32;
            if (!up && c >= 'A' && c <= 'Z') c += 32;
            buf[i] = c;
        }
        fwrite(buf, 1, len, out);
        return 0;
    }
    char *copy = malloc(len + 1);
    memcpy(copy, buf, len);
    char **lines;
    size_t n = split_lines(copy, len, &lines);
    if (strcmp(mode, "sort") == 0) {
        qsort(lines, n, sizeof *lines, by_name);
    } else if (strcmp(mode, "reverse") == 0) {
        for (size_t i = 0; i < n / 2; i++) {
            char *t = lines[i];
            lines[i] = lines[n - 1 - i];
            lines[n - 1 - i] = t;
        }
    } else {
        free(lines);
        free(copy);
        return -1;
    }
    for (size_t i = 0; i < n; i++) fprintf(out, "%s\n", lines[i]);
    free(lines);
    free(copy);
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "upper";
    const char *dir = argc > 2 ? argv[2] : "/data";
    if (strcmp(mode, "upper") && strcmp(mode, "lower") && strcmp(mode, "sort") && strcmp(mode, "reverse")) {
        fprintf(stderr, "transform: unknown mode '%s' (upper, lower, sort, reverse)\n", mode);
        return 2;
    }

    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "transform: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_type != DT_REG) continue;
        names = realloc(names, (count + 1) * sizeof *names);
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);

    char path[4096];
    snprintf(path, sizeof path, "%s/out", dir);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "transform: %s: %s\n", path, strerror(errno));
        return 1;
    }

    size_t total = 0;
    int failed = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *buf = read_all(path, &len);
        if (buf == NULL) {
            fprintf(stderr, "transform: %s: %s\n", path, strerror(errno));
            failed = 1;
            continue;
        }
        snprintf(path, sizeof path, "%s/out/%s", dir, names[i]);
        FILE *out = fopen(path, "wb");
        if (out == NULL) {
            fprintf(stderr, "transform: %s: %s\n", path, strerror(errno));
            free(buf);
            failed = 1;
            continue;
        }
        transform(mode, buf, len, out);
        fclose(out);
        free(buf);
        total += len;
        printf("%s: %s -> out/%s (%zu bytes)\n", mode, names[i], names[i], len);
    }
    printf("%zu file%s, %zu bytes, written to %s/out\n", count, count == 1 ? "" : "s", total, dir);
    return failed;
}
