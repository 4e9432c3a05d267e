/* clocks: read every clock twice, their resolutions, random bytes, and the
 * inode number, device and mtime of a file it creates in /scratch.
 *
 * Natively every line differs from run to run; under `--deterministic` our
 * runtimes print exactly the same thing every time (spec/RATIONALE.md,
 * "Deterministic mode"). The WASI calls are made directly, through
 * <wasi/api.h>, so each line maps to one preview1 function.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <wasi/api.h>

static const struct {
    __wasi_clockid_t id;
    const char *name;
} CLOCKS[] = {
    {__WASI_CLOCKID_REALTIME, "realtime"},
    {__WASI_CLOCKID_MONOTONIC, "monotonic"},
    {__WASI_CLOCKID_PROCESS_CPUTIME_ID, "process_cputime_id"},
    {__WASI_CLOCKID_THREAD_CPUTIME_ID, "thread_cputime_id"},
};

static void random_line(size_t len) {
    uint8_t buf[64];
    __wasi_errno_t err = __wasi_random_get(buf, len);
    printf("random_get(%2zu)             ", len);
    if (err) {
        printf("errno %u\n", err);
        return;
    }
    for (size_t i = 0; i < len; i++)
        printf("%02x%s", buf[i], i + 1 < len ? " " : "\n");
}

int main(void) {
    for (size_t i = 0; i < sizeof CLOCKS / sizeof *CLOCKS; i++) {
        __wasi_timestamp_t a, b, res;
        __wasi_errno_t e1 = __wasi_clock_time_get(CLOCKS[i].id, 1, &a);
        __wasi_errno_t e2 = __wasi_clock_time_get(CLOCKS[i].id, 1, &b);
        __wasi_errno_t e3 = __wasi_clock_res_get(CLOCKS[i].id, &res);
        if (e1 || e2) {
            printf("clock_time_get(%-18s) errno %u\n", CLOCKS[i].name, e1 ? e1 : e2);
            continue;
        }
        printf("clock_time_get(%-18s) %llu, then +%llu ns\n", CLOCKS[i].name, (unsigned long long)a,
               (unsigned long long)(b - a));
        if (e3)
            printf("clock_res_get(%-19s) errno %u\n", CLOCKS[i].name, e3);
        else
            printf("clock_res_get(%-19s) %llu ns\n", CLOCKS[i].name, (unsigned long long)res);
    }
    random_line(16);
    random_line(5);

    const char *path = "/scratch/stamp.txt";
    FILE *f = fopen(path, "w");
    if (!f) {
        printf("%s: %s\n", path, strerror(errno));
        return 1;
    }
    fputs("stamped\n", f);
    fclose(f);
    struct stat st, dir;
    if (stat(path, &st) != 0 || stat("/scratch", &dir) != 0) {
        printf("stat: %s\n", strerror(errno));
        return 1;
    }
    printf("/scratch           ino %llu dev %llu\n", (unsigned long long)dir.st_ino,
           (unsigned long long)dir.st_dev);
    printf("/scratch/stamp.txt ino %llu dev %llu mtime %lld.%09ld\n", (unsigned long long)st.st_ino,
           (unsigned long long)st.st_dev, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    return 0;
}
