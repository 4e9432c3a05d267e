/* walk: print a directory tree (default /tree) like `tree`, entries sorted,
 * with file sizes and symlink targets, saying whether each link resolves.
 *
 * Exercises: fd_readdir, path_filestat_get with and without
 * lookupflags.symlink_follow (stat/lstat), path_readlink, and how symlinks
 * that dangle or leave the preopen are refused.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct totals {
    int dirs, files, links;
};

static void walk(const char *dir, const char *prefix, struct totals *t) {
    DIR *d = opendir(dir);
    if (!d) {
        printf("%s[cannot open: %s]\n", prefix, strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);

    for (size_t i = 0; i < n; i++) {
        int last = i + 1 == n;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (lstat(path, &st) != 0) {
            printf("%s%s %s [%s]\n", prefix, last ? "`--" : "|--", names[i], strerror(errno));
            free(names[i]);
            continue;
        }
        printf("%s%s %s", prefix, last ? "`--" : "|--", names[i]);
        if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t len = readlink(path, target, sizeof target - 1);
            if (len < 0) {
                printf(" -> ? [readlink: %s]\n", strerror(errno));
                t->links++;
                free(names[i]);
                continue;
            }
            target[len] = '\0';
            struct stat to;
            if (stat(path, &to) == 0)
                printf(" -> %s (%s)\n", target, S_ISDIR(to.st_mode) ? "a directory" : "a file");
            else
                printf(" -> %s [%s]\n", target, strerror(errno));
            t->links++;
        } else if (S_ISDIR(st.st_mode)) {
            printf("/\n");
            t->dirs++;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s%s", prefix, last ? "    " : "|   ");
            walk(path, sub, t);
        } else {
            printf(" (%lld bytes)\n", (long long)st.st_size);
            t->files++;
        }
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : "/tree";
    struct totals t = {0};
    printf("%s/\n", root);
    walk(root, "", &t);
    printf("\n%d directories, %d files, %d symlinks\n", t.dirs, t.files, t.links);
    return 0;
}
