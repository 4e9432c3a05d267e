/* A small multi-tool WASI command for the end-to-end tests of the JS runtime.
 *   tool args (all of argv) | env | cat FILE | read FILE (cat, failing on a read error) | stdin | write FILE TEXT | append FILE TEXT |
 *   mkdir DIR | rm FILE | rmdir DIR | mv A B | ln -s TARGET LINK | ls DIR |
 *   exit N | trap | sleep MS | stat FILE | bigwrite FILE N
 * Several commands can be chained with "+": tool write a x + cat a */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static int g_argc;
static char **g_argv;

static int fail(const char *what, const char *arg) {
  fprintf(stderr, "%s %s: %s\n", what, arg, strerror(errno));
  return 1;
}

static int run(int argc, char **argv) {
  const char *cmd = argv[0];
  if (!strcmp(cmd, "args")) { for (int i = 0; i < g_argc; i++) printf("[%s]\n", g_argv[i]); return 0; }
  if (!strcmp(cmd, "env")) { for (char **e = environ; *e; e++) printf("%s\n", *e); return 0; }
  if (!strcmp(cmd, "cat") || !strcmp(cmd, "read")) {
    FILE *f = fopen(argv[1], "rb"); if (!f) return fail(cmd, argv[1]);
    char buf[4096]; size_t n; while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
    if (cmd[0] == 'r' && ferror(f)) { int e = errno; fclose(f); errno = e; return fail(cmd, argv[1]); }
    fclose(f); return 0;
  }
  if (!strcmp(cmd, "stdin")) {
    char buf[4096]; size_t n, total = 0; while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) { fwrite(buf, 1, n, stdout); total += n; }
    fprintf(stderr, "stdin: %zu bytes\n", total); return 0;
  }
  if (!strcmp(cmd, "write") || !strcmp(cmd, "append")) {
    FILE *f = fopen(argv[1], cmd[0] == 'w' ? "wb" : "ab"); if (!f) return fail(cmd, argv[1]);
    fputs(argv[2], f); fclose(f); return 0;
  }
  if (!strcmp(cmd, "bigwrite")) {
    FILE *f = fopen(argv[1], "wb"); if (!f) return fail(cmd, argv[1]);
    long n = atol(argv[2]); for (long i = 0; i < n; i++) fputc('a' + i % 26, f); fclose(f); return 0;
  }
  if (!strcmp(cmd, "mkdir")) return mkdir(argv[1], 0777) ? fail("mkdir", argv[1]) : 0;
  if (!strcmp(cmd, "rm")) return unlink(argv[1]) ? fail("rm", argv[1]) : 0;
  if (!strcmp(cmd, "rmdir")) return rmdir(argv[1]) ? fail("rmdir", argv[1]) : 0;
  if (!strcmp(cmd, "mv")) return rename(argv[1], argv[2]) ? fail("mv", argv[1]) : 0;
  if (!strcmp(cmd, "ln")) return symlink(argv[2], argv[3]) ? fail("ln", argv[3]) : 0;
  if (!strcmp(cmd, "ls")) {
    DIR *d = opendir(argv[1]); if (!d) return fail("ls", argv[1]);
    struct dirent *e; while ((e = readdir(d))) printf("%s\n", e->d_name);
    closedir(d); return 0;
  }
  if (!strcmp(cmd, "stat")) {
    struct stat st; if (lstat(argv[1], &st)) return fail("stat", argv[1]);
    printf("%s: size=%lld nlink=%lu %s\n", argv[1], (long long)st.st_size, (unsigned long)st.st_nlink,
           S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "symlink" : S_ISREG(st.st_mode) ? "file" : "other");
    return 0;
  }
  if (!strcmp(cmd, "exit")) { fflush(stdout); exit(atoi(argv[1])); }
  if (!strcmp(cmd, "trap")) { fflush(stdout); __builtin_trap(); }
  if (!strcmp(cmd, "sleep")) {
    struct timespec ts = { atoi(argv[1]) / 1000, (atoi(argv[1]) % 1000) * 1000000L };
    struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a); nanosleep(&ts, NULL); clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    printf("slept>=%d: %d\n", atoi(argv[1]), ms >= atoi(argv[1])); return 0;
  }
  fprintf(stderr, "unknown command %s\n", cmd);
  return 2;
}

int main(int argc, char **argv) {
  int start = 1;
  g_argc = argc; g_argv = argv;
  for (int i = 1; i <= argc; i++) {
    if (i == argc || !strcmp(argv[i], "+")) {
      if (i > start) { int rc = run(i - start, argv + start); if (rc) return rc; }
      start = i + 1;
    }
  }
  return 0;
}
