/* Helpers shared by the C corpus programs: print results, never timestamps,
 * inode numbers or random bytes. Every line a program prints is a RESULT that
 * must be identical on every host. errno values in wasi-libc are the WASI
 * errno numbers, so `errname` names them as the witx does. */
#ifndef CORPUS_COMMON_H
#define CORPUS_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static const char *const ERRNAMES[] = {
    "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN",
    "ALREADY", "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED",
    "CONNREFUSED", "CONNRESET", "DEADLK", "DESTADDRREQ", "DOM", "DQUOT", "EXIST",
    "FAULT", "FBIG", "HOSTUNREACH", "IDRM", "ILSEQ", "INPROGRESS", "INTR", "INVAL",
    "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK", "MSGSIZE", "MULTIHOP",
    "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE", "NOBUFS", "NODEV",
    "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC",
    "NOSYS", "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP",
    "NOTTY", "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO",
    "PROTONOSUPPORT", "PROTOTYPE", "RANGE", "ROFS", "SPIPE", "SRCH", "STALE",
    "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE",
};

static const char *errname(int e) {
    static char buf[24];
    if (e >= 0 && e < (int)(sizeof ERRNAMES / sizeof ERRNAMES[0])) return ERRNAMES[e];
    snprintf(buf, sizeof buf, "errno(%d)", e);
    return buf;
}

/* A libc call returning -1/errno: "label: ok" / "label: 5" / "label: ENOENT". */
#define TRY(label, expr)                                                   \
    do {                                                                   \
        errno = 0;                                                         \
        long long r_ = (long long)(expr);                                  \
        if (r_ < 0)                                                        \
            printf("%s: E%s\n", (label), errname(errno));                  \
        else                                                               \
            printf("%s: %lld\n", (label), r_);                             \
    } while (0)

/* A raw __wasi_* call: "label: ok" / "label: errno=NOENT". */
static void wres(const char *label, __wasi_errno_t e) {
    if (e == 0)
        printf("%s: ok\n", label);
    else
        printf("%s: errno=%s\n", label, errname(e));
}

static const char *filetype_name(int t) {
    static const char *const names[] = {"unknown", "block", "char", "dir", "file",
                                        "sock_dgram", "sock_stream", "symlink"};
    return t >= 0 && t < 8 ? names[t] : "?";
}

static const char *mode_type(mode_t m) {
    if (S_ISREG(m)) return "file";
    if (S_ISDIR(m)) return "dir";
    if (S_ISLNK(m)) return "symlink";
    if (S_ISCHR(m)) return "char";
    if (S_ISBLK(m)) return "block";
    if (S_ISSOCK(m)) return "sock";
    if (S_ISFIFO(m)) return "fifo";
    return "unknown";
}

/* "label: type=file size=6" for a path (lstat when nofollow), or its error.
 * Directory sizes differ between file systems, so only non-dirs print a size. */
static void show_stat(const char *label, const char *path, int nofollow) {
    struct stat st;
    errno = 0;
    int r = nofollow ? lstat(path, &st) : stat(path, &st);
    if (r < 0) {
        printf("%s: E%s\n", label, errname(errno));
        return;
    }
    if (S_ISDIR(st.st_mode))
        printf("%s: type=dir\n", label);
    else
        printf("%s: type=%s size=%lld nlink=%llu\n", label, mode_type(st.st_mode),
               (long long)st.st_size, (unsigned long long)st.st_nlink);
}

/* The whole contents of a file, printed with escapes, or its error. */
static void show_file(const char *label, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("%s: E%s\n", label, errname(errno));
        return;
    }
    printf("%s: \"", label);
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (c == '\n') printf("\\n");
        else if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 32 || c > 126) printf("\\x%02x", c);
        else putchar(c);
    }
    printf("\"\n");
    fclose(f);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of a directory, sorted by name, with their d_type, "." and ".."
 * included: "label: . dir, .. dir, a.txt file". */
static void show_dir(const char *label, const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        printf("%s: E%s\n", label, errname(errno));
        return;
    }
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 512) {
        const char *t = e->d_type == DT_DIR ? "dir" : e->d_type == DT_REG ? "file"
                      : e->d_type == DT_LNK ? "symlink" : e->d_type == DT_UNKNOWN ? "unknown" : "other";
        char *s = malloc(strlen(e->d_name) + 12);
        sprintf(s, "%s %s", e->d_name, t);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);
    printf("%s:", label);
    for (int i = 0; i < n; i++) {
        printf("%s %s", i ? "," : "", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void write_file(const char *path, const char *data) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        printf("write_file %s: E%s\n", path, errname(errno));
        return;
    }
    size_t len = strlen(data);
    if (write(fd, data, len) != (ssize_t)len) printf("write_file %s: short\n", path);
    close(fd);
}

#endif
