// The workloads of issue #7's performance targets, one per mode; the guest
// times itself with CLOCK_MONOTONIC and prints `name=ns` lines, so every host
// (wasi-polyfill, node:wasi, browser_wasi_shim) is measured the same way.
// Driven by tests/bench/targets.mjs. Files go under the preopen "/d".
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

// 1M pwrite then 1M pread of 16 bytes on one file.
static int syscalls(long n) {
  char buf[16];
  memcpy(buf, "0123456789abcdef", 16);
  int fd = open("/d/f.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die("open");
  long long t0 = now_ns();
  for (long i = 0; i < n; i++)
    if (pwrite(fd, buf, 16, (i * 16) & 0xffff) != 16) die("pwrite");
  long long t1 = now_ns();
  for (long i = 0; i < n; i++)
    if (pread(fd, buf, 16, (i * 16) & 0xffff) != 16) die("pread");
  long long t2 = now_ns();
  close(fd);
  printf("pwrite_ns=%lld\npread_ns=%lld\ncalls=%ld\n", t1 - t0, t2 - t1, n);
  return 0;
}

// 64 MiB written then read back in 64 KiB chunks.
static int throughput(long mib) {
  static char buf[65536];
  for (int i = 0; i < (int)sizeof buf; i++) buf[i] = (char)i;
  long chunks = mib * 16;
  long long t0 = now_ns();
  int fd = open("/d/big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die("open");
  for (long i = 0; i < chunks; i++)
    if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) die("write");
  long long t1 = now_ns();
  if (lseek(fd, 0, SEEK_SET) != 0) die("lseek");
  long total = 0;
  for (;;) {
    ssize_t k = read(fd, buf, sizeof buf);
    if (k < 0) die("read");
    if (k == 0) break;
    total += k;
  }
  long long t2 = now_ns();
  close(fd);
  unlink("/d/big.bin");
  if (total != chunks * (long)sizeof buf) { fprintf(stderr, "read %ld bytes\n", total); return 1; }
  printf("write_ns=%lld\nread_ns=%lld\nbytes=%ld\n", t1 - t0, t2 - t1, total);
  return 0;
}

// 100 dirs x 100 files: create, stat, readdir, rename half, unlink, rmdir.
static int metadata(int ndirs, int nfiles) {
  char path[128], path2[128];
  struct stat st;
  long long t0 = now_ns();
  if (mkdir("/d/m", 0755) != 0) die("mkdir /d/m");
  for (int d = 0; d < ndirs; d++) {
    snprintf(path, sizeof path, "/d/m/dir%d", d);
    if (mkdir(path, 0755) != 0) die("mkdir");
    for (int f = 0; f < nfiles; f++) {
      snprintf(path, sizeof path, "/d/m/dir%d/file%d", d, f);
      int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
      if (fd < 0) die("create");
      close(fd);
    }
  }
  long long t1 = now_ns();
  for (int d = 0; d < ndirs; d++)
    for (int f = 0; f < nfiles; f++) {
      snprintf(path, sizeof path, "/d/m/dir%d/file%d", d, f);
      if (stat(path, &st) != 0) die("stat");
    }
  long long t2 = now_ns();
  long entries = 0;
  for (int d = 0; d < ndirs; d++) {
    snprintf(path, sizeof path, "/d/m/dir%d", d);
    DIR *dir = opendir(path);
    if (!dir) die("opendir");
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) entries++;
    closedir(dir);
  }
  long long t3 = now_ns();
  for (int d = 0; d < ndirs; d++)
    for (int f = 0; f < nfiles; f += 2) {
      snprintf(path, sizeof path, "/d/m/dir%d/file%d", d, f);
      snprintf(path2, sizeof path2, "/d/m/dir%d/renamed%d", d, f);
      if (rename(path, path2) != 0) die("rename");
    }
  long long t4 = now_ns();
  for (int d = 0; d < ndirs; d++) {
    for (int f = 0; f < nfiles; f++) {
      snprintf(path, sizeof path, f % 2 ? "/d/m/dir%d/file%d" : "/d/m/dir%d/renamed%d", d, f);
      if (unlink(path) != 0) die("unlink");
    }
    snprintf(path, sizeof path, "/d/m/dir%d", d);
    if (rmdir(path) != 0) die("rmdir");
  }
  if (rmdir("/d/m") != 0) die("rmdir /d/m");
  long long t5 = now_ns();
  if (entries != (long)ndirs * (nfiles + 2)) { fprintf(stderr, "readdir saw %ld entries\n", entries); return 1; }
  printf("create_ns=%lld\nstat_ns=%lld\nreaddir_ns=%lld\nrename_ns=%lld\nremove_ns=%lld\ntotal_ns=%lld\n",
         t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0);
  return 0;
}

// Short lines through libc's buffered stdout; the time goes to stderr.
static int lines(long n) {
  long long t0 = now_ns();
  for (long i = 0; i < n; i++) printf("line %ld\n", i);
  fflush(stdout);
  long long t1 = now_ns();
  fprintf(stderr, "stdout_ns=%lld\n", t1 - t0);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *mode = argv[1];
  long n = argc > 2 ? atol(argv[2]) : 0;
  if (!strcmp(mode, "syscall")) return syscalls(n ? n : 1000000);
  if (!strcmp(mode, "throughput")) return throughput(n ? n : 64);
  if (!strcmp(mode, "metadata")) return metadata(100, 100);
  if (!strcmp(mode, "stdout")) return lines(n ? n : 200000);
  return 2;
}
