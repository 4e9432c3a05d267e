/* A deep and wide tree: made with mkdir, walked recursively (sorted), then
 * partly removed bottom-up. */
#include "common.h"

static void walk(const char *path, int depth) {
    DIR *d = opendir(path);
    if (!d) { printf("%*sopendir %s: E%s\n", depth * 2, "", path, errname(errno)); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (int i = 0; i < n; i++) {
        char child[1024];
        snprintf(child, sizeof child, "%s/%s", path, names[i]);
        struct stat st;
        lstat(child, &st);
        printf("%*s%s%s\n", depth * 2, "", names[i], S_ISDIR(st.st_mode) ? "/" : S_ISLNK(st.st_mode) ? "@" : "");
        if (S_ISDIR(st.st_mode)) walk(child, depth + 1);
        free(names[i]);
    }
}

static int rmtree(const char *path) {
    DIR *d = opendir(path);
    if (!d) return unlink(path);
    struct dirent *e;
    char child[1024];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        struct stat st;
        lstat(child, &st);
        if (S_ISDIR(st.st_mode)) rmtree(child);
        else unlink(child);
    }
    closedir(d);
    return rmdir(path);
}

int main(void) {
    char path[1024] = "/sandbox/deep";
    mkdir(path, 0755);
    for (int i = 0; i < 24; i++) {
        size_t len = strlen(path);
        snprintf(path + len, sizeof path - len, "/level%02d", i);
        if (mkdir(path, 0755) < 0) { printf("mkdir %s: E%s\n", path, errname(errno)); return 1; }
    }
    char file[1100];
    snprintf(file, sizeof file, "%s/bottom.txt", path);
    write_file(file, "at the bottom\n");
    printf("path length %zu\n", strlen(file));
    show_file("bottom", file);
    for (int i = 0; i < 5; i++) {
        char dir[64];
        snprintf(dir, sizeof dir, "/sandbox/wide/d%d", i);
        mkdir("/sandbox/wide", 0755);
        mkdir(dir, 0755);
        for (int j = 0; j < 3; j++) {
            char f[96];
            snprintf(f, sizeof f, "%s/f%d.txt", dir, j);
            write_file(f, dir);
        }
    }
    symlink("d0/f0.txt", "/sandbox/wide/link");
    walk("/sandbox", 0);
    TRY("rmtree wide", rmtree("/sandbox/wide"));
    TRY("rmtree deep/level00/level01", rmtree("/sandbox/deep/level00/level01"));
    walk("/sandbox", 0);
    return 0;
}
