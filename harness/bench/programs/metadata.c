/* metadata DIR D F: D directories of F files each: create (each file gets
 * its own name as content), stat every file, list every directory, rename
 * the even-numbered half, unlink every file, remove every directory, list
 * DIR again.
 * BENCH created= stat_bytes= listed= listed_name_bytes= renamed= unlinked= rmdirs= left= */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench.h"

static long count_entries(const char *path, long *name_bytes) {
    DIR *d = opendir(path);
    if (!d) bench_fail("opendir");
    long n = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        n++;
        if (name_bytes) *name_bytes += (long)strlen(e->d_name);
    }
    if (errno != 0) bench_fail("readdir");
    closedir(d);
    return n;
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : "";
    long dirs = bench_arg(argc, argv, 2, "D"), files = bench_arg(argc, argv, 3, "F");
    char path[512], path2[512], name[64];
    long created = 0, stat_bytes = 0, listed = 0, name_bytes = 0, renamed = 0, unlinked = 0, rmdirs = 0;
    struct stat st;

    for (long d = 0; d < dirs; d++) {
        snprintf(path, sizeof path, "%s/d%ld", root, d);
        if (mkdir(path, 0755) != 0) bench_fail("mkdir");
        for (long f = 0; f < files; f++) {
            int len = snprintf(name, sizeof name, "f%ld", f);
            snprintf(path, sizeof path, "%s/d%ld/%s", root, d, name);
            int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
            if (fd < 0) bench_fail("open");
            if (write(fd, name, (size_t)len) != len) bench_fail("write");
            if (close(fd) != 0) bench_fail("close");
            created++;
        }
    }
    for (long d = 0; d < dirs; d++)
        for (long f = 0; f < files; f++) {
            snprintf(path, sizeof path, "%s/d%ld/f%ld", root, d, f);
            if (stat(path, &st) != 0) bench_fail("stat");
            if (!S_ISREG(st.st_mode)) bench_fail("stat: not a regular file");
            stat_bytes += (long)st.st_size;
        }
    for (long d = 0; d < dirs; d++) {
        snprintf(path, sizeof path, "%s/d%ld", root, d);
        listed += count_entries(path, &name_bytes);
    }
    for (long d = 0; d < dirs; d++)
        for (long f = 0; f < files; f += 2) {
            snprintf(path, sizeof path, "%s/d%ld/f%ld", root, d, f);
            snprintf(path2, sizeof path2, "%s/d%ld/r%ld", root, d, f);
            if (rename(path, path2) != 0) bench_fail("rename");
            renamed++;
        }
    for (long d = 0; d < dirs; d++) {
        for (long f = 0; f < files; f++) {
            snprintf(path, sizeof path, "%s/d%ld/%c%ld", root, d, f % 2 == 0 ? 'r' : 'f', f);
            if (unlink(path) != 0) bench_fail("unlink");
            unlinked++;
        }
        snprintf(path, sizeof path, "%s/d%ld", root, d);
        if (rmdir(path) != 0) bench_fail("rmdir");
        rmdirs++;
    }
    long left = count_entries(root, NULL);
    fprintf(stderr, "BENCH created=%ld stat_bytes=%ld listed=%ld listed_name_bytes=%ld renamed=%ld "
            "unlinked=%ld rmdirs=%ld left=%ld\n",
            created, stat_bytes, listed, name_bytes, renamed, unlinked, rmdirs, left);
    return 0;
}
