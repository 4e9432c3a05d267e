/* A directory with hundreds of entries: every name comes back exactly once
 * (libc reads it in several fd_readdir calls with cookies), telldir/seekdir
 * resume where they should, and rewinddir starts over. */
#include "common.h"

#define N 300

int main(void) {
    char path[64];
    mkdir("/sandbox/many", 0755);
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/sandbox/many/file-with-a-longish-name-%03d.txt", i);
        int fd = open(path, O_CREAT | O_WRONLY, 0644);
        if (fd < 0) { printf("create %d: E%s\n", i, errname(errno)); return 1; }
        close(fd);
    }
    static int seen[N];
    DIR *d = opendir("/sandbox/many");
    struct dirent *e;
    int count = 0, dots = 0, bad = 0;
    long mark = -1;
    char marked_name[256] = "";
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) { dots++; continue; }
        int i;
        if (sscanf(e->d_name, "file-with-a-longish-name-%d.txt", &i) == 1 && i >= 0 && i < N) seen[i]++;
        else bad++;
        if (++count == 150) {
            mark = telldir(d);
            e = readdir(d);
            if (e) {
                snprintf(marked_name, sizeof marked_name, "%s", e->d_name);
                int j;
                if (sscanf(e->d_name, "file-with-a-longish-name-%d.txt", &j) == 1 && j >= 0 && j < N) seen[j]++;
                count++;
            }
        }
    }
    int once = 0;
    for (int i = 0; i < N; i++) once += seen[i] == 1;
    printf("entries=%d dots=%d each exactly once=%d unexpected=%d\n", count, dots, once, bad);
    seekdir(d, mark);
    e = readdir(d);
    printf("seekdir to the mark gives the same entry again: %s\n",
           e && strcmp(e->d_name, marked_name) == 0 ? "yes" : "no");
    rewinddir(d);
    int again = 0;
    while ((e = readdir(d)) != NULL) again++;
    printf("after rewinddir: %d entries (with dots)\n", again);
    closedir(d);
    for (int i = 0; i < N; i += 2) {
        snprintf(path, sizeof path, "/sandbox/many/file-with-a-longish-name-%03d.txt", i);
        unlink(path);
    }
    d = opendir("/sandbox/many");
    again = 0;
    while ((e = readdir(d)) != NULL) again++;
    closedir(d);
    printf("after deleting half: %d entries (with dots)\n", again);
    return 0;
}
