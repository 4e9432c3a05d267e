/* tree: lists a directory recursively, like tree(1), with file sizes and
 * symlink targets.
 *
 *   tree [DIR]      (default: /data)
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int dirs, files;

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path, const char *prefix) {
    DIR *d = opendir(path);
    if (d == NULL) {
        fprintf(stderr, "tree: %s: %s\n", path, strerror(errno));
        return;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        names = realloc(names, (count + 1) * sizeof *names);
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    if (count) qsort(names, count, sizeof *names, by_name);

    for (size_t i = 0; i < count; i++) {
        int last = i + 1 == count;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, names[i]);
        struct stat st;
        printf("%s%s", prefix, last ? "└── " : "├── ");
        if (lstat(child, &st) != 0) {
            printf("%s [%s]\n", names[i], strerror(errno));
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t n = readlink(child, target, sizeof target - 1);
            target[n < 0 ? 0 : n] = '\0';
            printf("%s -> %s\n", names[i], target);
            files++;
        } else if (S_ISDIR(st.st_mode)) {
            printf("%s/\n", names[i]);
            dirs++;
            char deeper[4096];
            snprintf(deeper, sizeof deeper, "%s%s", prefix, last ? "    " : "│   ");
            list(child, deeper);
        } else {
            printf("%s (%lld bytes)\n", names[i], (long long)st.st_size);
            files++;
        }
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : "/data";
    printf("%s\n", root);
    list(root, "");
    printf("\n%d director%s, %d file%s\n", dirs, dirs == 1 ? "y" : "ies", files, files == 1 ? "" : "s");
    return 0;
}
