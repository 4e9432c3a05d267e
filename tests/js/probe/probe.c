/* Syscall probe: exercises preview1 corners and prints one line per result.
 * Run with one preopen at fd 3 on an empty directory. The golden output
 * (probe.expected) was recorded with wasmtime; tests/js/e2e.test.mjs runs the
 * same wasm on the JS runtime and compares. Prints nothing host-specific
 * (no inode numbers, no times, no directory sizes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

__wasi_errno_t probe_proc_raise(uint8_t sig) __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("proc_raise")));
#define R(label, expr) printf("%s: %d\n", label, (int)(expr))
#define DIR 3
static __wasi_rights_t ALL = 0x1fffffffULL;

static __wasi_fd_t openf(const char *path, int oflags, __wasi_rights_t rights, int fdflags, int *err) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  *err = __wasi_path_open(DIR, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights, ALL, fdflags, &fd);
  return fd;
}
static void po(const char *label, int dirflags, const char *path, int oflags, __wasi_rights_t rights, int fdflags) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  int e = __wasi_path_open(DIR, dirflags, path, oflags, rights, ALL, fdflags, &fd);
  if (e == 0) {
    __wasi_fdstat_t st; __wasi_fd_fdstat_get(fd, &st);
    printf("%s: 0 type=%d flags=%d\n", label, st.fs_filetype, st.fs_flags);
    (void)__wasi_fd_close(fd);
  } else printf("%s: %d\n", label, e);
}
static int wr(__wasi_fd_t fd, const char *s) {
  __wasi_ciovec_t iov = { (const uint8_t *)s, strlen(s) }; __wasi_size_t n = 0;
  int e = __wasi_fd_write(fd, &iov, 1, &n); return e ? -e : (int)n;
}
static void put(const char *path, const char *s) {
  int e; __wasi_fd_t fd = openf(path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, ALL, 0, &e);
  if (e) { printf("put %s failed %d\n", path, e); return; }
  wr(fd, s); (void)__wasi_fd_close(fd);
}
static void fdstat(const char *label, __wasi_fd_t fd) {
  __wasi_fdstat_t st; int e = __wasi_fd_fdstat_get(fd, &st);
  if (e) { printf("%s: %d\n", label, e); return; }
  printf("%s: 0 type=%d flags=%d base=%llx inh=%llx\n", label, st.fs_filetype, st.fs_flags,
         (unsigned long long)st.fs_rights_base, (unsigned long long)st.fs_rights_inheriting);
}
static void pstat(const char *label, int flags, const char *path) {
  __wasi_filestat_t st; int e = __wasi_path_filestat_get(DIR, flags, path, &st);
  if (e) { printf("%s: %d\n", label, e); return; }
  printf("%s: 0 type=%d nlink=%llu size=%llu\n", label, st.filetype, (unsigned long long)st.nlink,
         st.filetype == __WASI_FILETYPE_DIRECTORY ? 0ULL : (unsigned long long)st.size);
}
static void readlink_(const char *label, const char *path, size_t len) {
  char buf[64]; memset(buf, '#', sizeof buf); __wasi_size_t n = 0;
  int e = __wasi_path_readlink(DIR, path, (uint8_t *)buf, len, &n);
  if (e) { printf("%s: %d\n", label, e); return; }
  printf("%s: 0 n=%u '%.*s' next=%c\n", label, n, (int)n, buf, buf[n]);
}
static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static void readdir_(const char *label, __wasi_fd_t fd) {
  static uint8_t buf[4096]; __wasi_size_t used = 0;
  int e = __wasi_fd_readdir(fd, buf, sizeof buf, 0, &used);
  if (e) { printf("%s: %d\n", label, e); return; }
  char *names[64]; int n = 0; size_t off = 0; int firsts_ok = 1; __wasi_dircookie_t expect = 1;
  while (off + sizeof(__wasi_dirent_t) <= used && n < 64) {
    __wasi_dirent_t d; memcpy(&d, buf + off, sizeof d); off += sizeof d;
    char *name = malloc(d.d_namlen + 8); memcpy(name, buf + off, d.d_namlen); name[d.d_namlen] = 0; off += d.d_namlen;
    if (d.d_next != expect++) firsts_ok = 0;
    char *s = malloc(d.d_namlen + 16); sprintf(s, "%s/%d", name, d.d_type); names[n++] = s;
  }
  qsort(names, n, sizeof(char *), cmpstr);
  printf("%s: 0 n=%d cookies_seq=%d [", label, n, firsts_ok);
  for (int i = 0; i < n; i++) printf("%s%s", i ? " " : "", names[i]);
  printf("]\n");
  /* first two entries */
  __wasi_dirent_t d0; memcpy(&d0, buf, sizeof d0);
  printf("%s first: namlen=%u type=%d '%.*s'\n", label, d0.d_namlen, d0.d_type, (int)d0.d_namlen, buf + sizeof d0);
}

int main(int argc, char **argv) {
  int e; __wasi_fd_t fd, fd2; __wasi_size_t n; char buf[256];
  printf("argc: %d\n", argc);
  /* --- stdio and preopens --- */
  for (int i = 0; i < 5; i++) { sprintf(buf, "fdstat %d", i); fdstat(buf, i); }
  for (int i = 0; i < 3; i++) {
    __wasi_filestat_t st; memset(&st, 0x55, sizeof st); e = __wasi_fd_filestat_get(i, &st);
    printf("filestat %d: %d dev=%llu ino=%llu type=%d nlink=%llu size=%llu t=%llu/%llu/%llu\n", i, e,
           (unsigned long long)st.dev, (unsigned long long)st.ino, st.filetype, (unsigned long long)st.nlink,
           (unsigned long long)st.size, (unsigned long long)st.atim, (unsigned long long)st.mtim, (unsigned long long)st.ctim);
  }
  { __wasi_filestat_t st; e = __wasi_fd_filestat_get(DIR, &st); printf("filestat 3: %d dev=%llu type=%d nlink=%llu\n", e, (unsigned long long)st.dev, st.filetype, (unsigned long long)st.nlink); }
  for (int i = 0; i < 5; i++) {
    __wasi_prestat_t ps; memset(&ps, 0, sizeof ps); e = __wasi_fd_prestat_get(i, &ps);
    printf("prestat %d: %d tag=%d len=%u\n", i, e, ps.tag, ps.u.dir.pr_name_len);
  }
  memset(buf, '#', 16); e = __wasi_fd_prestat_dir_name(DIR, (uint8_t *)buf, 2); printf("prestat_dir_name short: %d\n", e);
  memset(buf, '#', 16); e = __wasi_fd_prestat_dir_name(DIR, (uint8_t *)buf, 12); printf("prestat_dir_name 12: %d '%.12s'\n", e, buf);
  e = __wasi_fd_prestat_dir_name(1, (uint8_t *)buf, 12); printf("prestat_dir_name stdout: %d\n", e);
  e = __wasi_fd_prestat_dir_name(40, (uint8_t *)buf, 12); printf("prestat_dir_name 40: %d\n", e);

  /* --- stdio ops --- */
  { __wasi_filesize_t off; R("seek stdout", __wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &off)); R("tell stdin", __wasi_fd_tell(0, &off)); }
  { __wasi_iovec_t iov = { (uint8_t *)buf, 4 }; R("pread stdin", __wasi_fd_pread(0, &iov, 1, 0, &n)); R("read stdout", __wasi_fd_read(1, &iov, 1, &n)); }
  { __wasi_ciovec_t iov = { (const uint8_t *)"x", 1 }; R("pwrite stdout", __wasi_fd_pwrite(1, &iov, 1, 0, &n)); R("write stdin", __wasi_fd_write(0, &iov, 1, &n)); }
  R("datasync stdout", __wasi_fd_datasync(1)); R("sync stdout", __wasi_fd_sync(1));
  R("advise stdout", __wasi_fd_advise(1, 0, 0, 0)); R("allocate stdout", __wasi_fd_allocate(1, 0, 1));
  R("set_flags stdout", __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_APPEND));
  R("set_rights stdout", __wasi_fd_fdstat_set_rights(1, 0, 0));
  R("set_size stdout", __wasi_fd_filestat_set_size(1, 0));
  R("set_times stdout", __wasi_fd_filestat_set_times(1, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  R("set_times stdout bad", __wasi_fd_filestat_set_times(1, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
  R("set_times badfd bad", __wasi_fd_filestat_set_times(77, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  { uint8_t b[64]; R("readdir stdout", __wasi_fd_readdir(1, b, 64, 0, &n)); }
  { __wasi_fd_t o; R("path_open on stdout", __wasi_path_open(1, 0, "x", 0, ALL, ALL, 0, &o)); R("path_open badfd", __wasi_path_open(77, 0, "x", 0, ALL, ALL, 0, &o)); }
  R("mkdir on stdout", __wasi_path_create_directory(1, "x"));

  /* --- clocks / misc --- */
  for (int i = 0; i < 4; i++) { __wasi_timestamp_t t = 0; e = __wasi_clock_res_get(i, &t); printf("clock_res %d: %d res=%llu\n", i, e, (unsigned long long)t); }
  for (int i = 0; i < 4; i++) { __wasi_timestamp_t t = 0; e = __wasi_clock_time_get(i, 1, &t); printf("clock_time %d: %d nonzero=%d\n", i, e, t != 0); }
  R("proc_raise", probe_proc_raise(15));
  R("sched_yield", __wasi_sched_yield());
  R("random_get", __wasi_random_get((uint8_t *)buf, 100));
  { __wasi_fd_t o; R("sock_accept 0", __wasi_sock_accept(0, 0, &o)); R("sock_accept 3", __wasi_sock_accept(DIR, 0, &o)); R("sock_accept 77", __wasi_sock_accept(77, 0, &o)); }
  { __wasi_iovec_t iov = { (uint8_t *)buf, 4 }; __wasi_roflags_t rf; R("sock_recv 1", __wasi_sock_recv(1, &iov, 1, 0, &n, &rf)); R("sock_recv 77", __wasi_sock_recv(77, &iov, 1, 0, &n, &rf)); }
  { __wasi_ciovec_t iov = { (const uint8_t *)"x", 1 }; R("sock_send 1", __wasi_sock_send(1, &iov, 1, 0, &n)); R("sock_send 77", __wasi_sock_send(77, &iov, 1, 0, &n)); }
  R("sock_shutdown 1", __wasi_sock_shutdown(1, __WASI_SDFLAGS_RD)); R("sock_shutdown 77", __wasi_sock_shutdown(77, __WASI_SDFLAGS_RD));

  /* --- path_open --- */
  po("open creat a", 1, "a.txt", __WASI_OFLAGS_CREAT, ALL, 0);
  po("open creat excl a", 1, "a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, ALL, 0);
  po("open excl only a", 1, "a.txt", __WASI_OFLAGS_EXCL, ALL, 0);
  po("open dirflag a", 1, "a.txt", __WASI_OFLAGS_DIRECTORY, ALL, 0);
  po("open a slash", 1, "a.txt/", 0, ALL, 0);
  po("open a slash creat", 1, "a.txt/", __WASI_OFLAGS_CREAT, ALL, 0);
  po("open new slash creat", 1, "new/", __WASI_OFLAGS_CREAT, ALL, 0);
  po("open missing", 1, "missing", 0, ALL, 0);
  po("open missing/x", 1, "missing/x", __WASI_OFLAGS_CREAT, ALL, 0);
  po("open a/x", 1, "a.txt/x", __WASI_OFLAGS_CREAT, ALL, 0);
  po("open dotdot", 1, "..", 0, ALL, 0);
  po("open dotdot/x", 1, "../x", __WASI_OFLAGS_CREAT, ALL, 0);
  po("open abs", 1, "/etc", 0, ALL, 0);
  po("open abs creat", 1, "/tmpx", __WASI_OFLAGS_CREAT, ALL, 0);
  po("open empty", 1, "", 0, ALL, 0);
  po("open dot", 1, ".", 0, ALL, 0);
  po("open dot rdonly", 1, ".", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0);
  po("open dot write", 1, ".", 0, __WASI_RIGHTS_FD_WRITE, 0);
  po("open dot dirflag write", 1, ".", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_WRITE, 0);
  po("open dot creat", 1, ".", __WASI_OFLAGS_CREAT, ALL, 0);
  po("open dot creat dir", 1, ".", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_DIRECTORY, ALL, 0);
  po("open dot trunc", 1, ".", __WASI_OFLAGS_TRUNC, ALL, 0);
  po("open dot excl creat", 1, ".", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, ALL, 0);
  po("open a trunc dir", 1, "a.txt", __WASI_OFLAGS_TRUNC | __WASI_OFLAGS_DIRECTORY, ALL, 0);
  po("open a noread", 1, "a.txt", 0, 0, 0);
  { int en; __wasi_fd_t f = openf("a.txt", 0, 0, 0, &en); fdstat("noread fdstat", f);
    __wasi_iovec_t iov = { (uint8_t *)buf, 4 }; R("noread read", __wasi_fd_read(f, &iov, 1, &n));
    __wasi_ciovec_t ciov = { (const uint8_t *)"x", 1 }; R("noread write", __wasi_fd_write(f, &ciov, 1, &n)); (void)__wasi_fd_close(f); }
  po("open a append", 1, "a.txt", 0, ALL, __WASI_FDFLAGS_APPEND);
  po("open a sync", 1, "a.txt", 0, ALL, __WASI_FDFLAGS_SYNC);
  po("open a dsync", 1, "a.txt", 0, ALL, __WASI_FDFLAGS_DSYNC);
  po("open a rsync", 1, "a.txt", 0, ALL, __WASI_FDFLAGS_RSYNC);
  po("open a nonblock", 1, "a.txt", 0, ALL, __WASI_FDFLAGS_NONBLOCK);
  po("open a ro sync", 1, "a.txt", 0, __WASI_RIGHTS_FD_READ, __WASI_FDFLAGS_SYNC);
  po("open a ro rsync", 1, "a.txt", 0, __WASI_RIGHTS_FD_READ, __WASI_FDFLAGS_RSYNC);
  po("open dot sync", 1, ".", 0, __WASI_RIGHTS_FD_READ, __WASI_FDFLAGS_SYNC);
  po("open dot nonblock", 1, ".", 0, __WASI_RIGHTS_FD_READ, __WASI_FDFLAGS_NONBLOCK);
  po("open sub/./../a", 1, "./a.txt", 0, ALL, 0);
  R("mkdir sub", __wasi_path_create_directory(DIR, "sub"));
  po("open sub/../a", 1, "sub/../a.txt", 0, ALL, 0);
  po("open sub/../../x", 1, "sub/../../x", 0, ALL, 0);
  po("open sub//", 1, "sub//", 0, ALL, 0);
  po("open sub/.", 1, "sub/.", 0, ALL, 0);
  po("open a.txt/.", 1, "a.txt/.", 0, ALL, 0);
  po("open a.txt/..", 1, "a.txt/..", 0, ALL, 0);
  po("open sub creat", 1, "sub", __WASI_OFLAGS_CREAT, ALL, 0);
  po("open sub creat excl", 1, "sub", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, ALL, 0);
  po("open sub trunc", 1, "sub", __WASI_OFLAGS_TRUNC, ALL, 0);
  po("open sub write", 1, "sub", 0, __WASI_RIGHTS_FD_WRITE, 0);
  po("open sub read", 1, "sub", 0, __WASI_RIGHTS_FD_READ, 0);
  po("open sub norights", 1, "sub", 0, 0, 0);
  po("open sub append", 1, "sub", 0, __WASI_RIGHTS_FD_READ, __WASI_FDFLAGS_APPEND);
  po("open nul name", 1, "a\x01b", __WASI_OFLAGS_CREAT, ALL, 0);
  { char longname[300]; memset(longname, 'n', 299); longname[299] = 0; po("open longname", 1, longname, __WASI_OFLAGS_CREAT, ALL, 0); }
  { __wasi_fd_t o; int fa; fd = openf("a.txt", 0, ALL, 0, &e);
    R("path_open on file fd", __wasi_path_open(fd, 0, "x", 0, ALL, ALL, 0, &o));
    R("mkdir on file fd", __wasi_path_create_directory(fd, "x"));
    { __wasi_filestat_t st; R("path_filestat on file fd", __wasi_path_filestat_get(fd, 0, "x", &st)); }
    R("unlink on file fd", __wasi_path_unlink_file(fd, "x"));
    { uint8_t b[64]; R("readdir on file", __wasi_fd_readdir(fd, b, 64, 0, &n)); }
    (void)fa; (void)__wasi_fd_close(fd); }

  /* --- symlinks --- */
  R("symlink a->lnk", __wasi_path_symlink("a.txt", DIR, "lnk"));
  R("symlink existing", __wasi_path_symlink("zzz", DIR, "lnk"));
  R("symlink onto file", __wasi_path_symlink("zzz", DIR, "a.txt"));
  R("symlink dangling", __wasi_path_symlink("nowhere", DIR, "dang"));
  R("symlink loop1", __wasi_path_symlink("loop2", DIR, "loop1"));
  R("symlink loop2", __wasi_path_symlink("loop1", DIR, "loop2"));
  R("symlink abs", __wasi_path_symlink("/etc/passwd", DIR, "abs"));
  R("symlink escape", __wasi_path_symlink("../outside", DIR, "esc"));
  R("symlink dir", __wasi_path_symlink("sub", DIR, "sublnk"));
  R("symlink dir slash", __wasi_path_symlink("sub/", DIR, "sublnk2"));
  R("symlink trailing slash new", __wasi_path_symlink("a.txt", DIR, "lnk3/"));
  R("symlink empty target", __wasi_path_symlink("", DIR, "emptylnk"));
  po("open lnk follow", 1, "lnk", 0, ALL, 0);
  po("open lnk nofollow", 0, "lnk", 0, ALL, 0);
  po("open sublnk nofollow", 0, "sublnk", 0, ALL, 0);
  po("open sublnk/ nofollow", 0, "sublnk/", 0, ALL, 0);
  po("open sublnk/a nofollow", 0, "sublnk/../a.txt", 0, ALL, 0);
  po("open dang", 1, "dang", 0, ALL, 0);
  po("open dang creat", 1, "dang", __WASI_OFLAGS_CREAT, ALL, 0);
  po("open loop1", 1, "loop1", 0, ALL, 0);
  po("open loop1 nofollow", 0, "loop1", 0, ALL, 0);
  po("open abs lnk", 1, "abs", 0, ALL, 0);
  po("open esc lnk", 1, "esc", 0, ALL, 0);
  po("open lnk creat excl", 1, "lnk", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, ALL, 0);
  po("open lnk/ ", 1, "lnk/", 0, ALL, 0);
  po("open emptylnk", 1, "emptylnk", 0, ALL, 0);
  pstat("stat lnk nofollow", 0, "lnk");
  pstat("stat lnk follow", 1, "lnk");
  pstat("stat dang nofollow", 0, "dang");
  pstat("stat dang follow", 1, "dang");
  pstat("stat loop1 follow", 1, "loop1");
  pstat("stat sublnk/ nofollow", 0, "sublnk/");
  pstat("stat a.txt/ ", 0, "a.txt/");
  pstat("stat empty", 0, "");
  pstat("stat dot", 0, ".");
  pstat("stat dotdot", 0, "..");
  pstat("stat sub", 0, "sub");
  readlink_("readlink lnk", "lnk", 64);
  readlink_("readlink lnk short", "lnk", 3);
  readlink_("readlink lnk 0", "lnk", 0);
  readlink_("readlink file", "a.txt", 64);
  readlink_("readlink missing", "missing", 64);
  readlink_("readlink sublnk/", "sublnk/", 64);
  readlink_("readlink emptylnk", "emptylnk", 64);

  /* --- file I/O --- */
  fd = openf("io.txt", __WASI_OFLAGS_CREAT, ALL, 0, &e);
  printf("io write: %d\n", wr(fd, "hello world"));
  { __wasi_filesize_t off = 99; R("io tell", __wasi_fd_tell(fd, &off)); printf("io off=%llu\n", (unsigned long long)off);
    R("io seek set -1", __wasi_fd_seek(fd, -1, __WASI_WHENCE_SET, &off));
    R("io seek cur -100", __wasi_fd_seek(fd, -100, __WASI_WHENCE_CUR, &off));
    R("io seek end -100", __wasi_fd_seek(fd, -100, __WASI_WHENCE_END, &off));
    e = __wasi_fd_seek(fd, -5, __WASI_WHENCE_END, &off); printf("io seek end -5: %d off=%llu\n", e, (unsigned long long)off);
    e = __wasi_fd_seek(fd, 20, __WASI_WHENCE_SET, &off); printf("io seek 20: %d off=%llu\n", e, (unsigned long long)off);
    printf("io write past end: %d\n", wr(fd, "X"));
    __wasi_filestat_t st; __wasi_fd_filestat_get(fd, &st); printf("io size=%llu nlink=%llu type=%d dev=%llu\n", (unsigned long long)st.size, (unsigned long long)st.nlink, st.filetype, (unsigned long long)st.dev);
    memset(buf, '#', 32); __wasi_iovec_t iov = { (uint8_t *)buf, 32 };
    e = __wasi_fd_pread(fd, &iov, 1, 0, &n); printf("io pread: %d n=%u zero_at_11=%d c20=%c\n", e, n, buf[11] == 0, buf[20]);
    e = __wasi_fd_pread(fd, &iov, 1, 1000, &n); printf("io pread past eof: %d n=%u\n", e, n);
    __wasi_iovec_t iovs2[3] = { { (uint8_t *)buf, 0 }, { (uint8_t *)buf + 40, 3 }, { (uint8_t *)buf + 50, 10 } };
    __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &off);
    e = __wasi_fd_read(fd, iovs2, 3, &n); printf("io readv first-nonempty: %d n=%u '%.3s'\n", e, n, buf + 40);
    __wasi_ciovec_t c3[2] = { { (const uint8_t *)"ABC", 3 }, { (const uint8_t *)"DEF", 3 } };
    e = __wasi_fd_write(fd, c3, 2, &n); printf("io writev: %d n=%u\n", e, n);
    __wasi_fd_tell(fd, &off); printf("io off after writev=%llu\n", (unsigned long long)off);
    e = __wasi_fd_pwrite(fd, c3, 2, 2, &n); printf("io pwritev: %d n=%u\n", e, n);
    __wasi_fd_tell(fd, &off); printf("io off after pwrite=%llu\n", (unsigned long long)off);
    __wasi_ciovec_t c0[1] = { { (const uint8_t *)"", 0 } };
    e = __wasi_fd_write(fd, c0, 1, &n); printf("io write empty: %d n=%u\n", e, n);
    e = __wasi_fd_write(fd, c0, 0, &n); printf("io write zero iovs: %d n=%u\n", e, n);
    iov.buf_len = 0; e = __wasi_fd_read(fd, &iov, 1, &n); printf("io read empty: %d n=%u\n", e, n);
    R("io advise", __wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_DONTNEED));
    R("io allocate", __wasi_fd_allocate(fd, 0, 100));
    R("io datasync", __wasi_fd_datasync(fd)); R("io sync", __wasi_fd_sync(fd));
    R("io set_rights", __wasi_fd_fdstat_set_rights(fd, 0, 0));
    fdstat("io fdstat after set_rights", fd);
    R("io set_size 4", __wasi_fd_filestat_set_size(fd, 4));
    __wasi_fd_filestat_get(fd, &st); printf("io size=%llu\n", (unsigned long long)st.size);
    R("io set_size 8", __wasi_fd_filestat_set_size(fd, 8));
    memset(buf, '#', 16); iov.buf_len = 16; e = __wasi_fd_pread(fd, &iov, 1, 0, &n); printf("io after grow: n=%u b4=%d b7=%d\n", n, buf[4], buf[7]);
    R("io set_times both", __wasi_fd_filestat_set_times(fd, 1, 2, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    R("io set_times", __wasi_fd_filestat_set_times(fd, 1000000001, 2000000002, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    __wasi_fd_filestat_get(fd, &st); printf("io times a=%llu m=%llu\n", (unsigned long long)st.atim, (unsigned long long)st.mtim);
    R("io set_times mtim only", __wasi_fd_filestat_set_times(fd, 0, 3000000003, __WASI_FSTFLAGS_MTIM));
    __wasi_fd_filestat_get(fd, &st); printf("io times a=%llu m=%llu\n", (unsigned long long)st.atim, (unsigned long long)st.mtim);
    R("io set_flags append", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
    fdstat("io fdstat append", fd);
    R("io set_flags sync", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC));
    R("io set_flags nonblock", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK | __WASI_FDFLAGS_APPEND));
    fdstat("io fdstat nonblock", fd);
    __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &off);
    printf("io append write: %d\n", wr(fd, "Z"));
    __wasi_fd_tell(fd, &off); printf("io off after append=%llu\n", (unsigned long long)off);
    e = __wasi_fd_pwrite(fd, c3, 1, 0, &n); printf("io pwrite in append: %d n=%u\n", e, n);
    __wasi_fd_filestat_get(fd, &st); printf("io size=%llu\n", (unsigned long long)st.size);
    memset(buf, 0, 32); iov.buf_len = 32; e = __wasi_fd_pread(fd, &iov, 1, 0, &n); printf("io content n=%u: ", n);
    for (unsigned i = 0; i < n; i++) printf("%02x", (unsigned char)buf[i]); printf("\n");
    (void)__wasi_fd_close(fd); }
  fd = openf("io.txt", 0, __WASI_RIGHTS_FD_READ, 0, &e);
  printf("ro open: %d write: %d\n", e, wr(fd, "nope"));
  fdstat("ro fdstat", fd);
  R("ro set_size", __wasi_fd_filestat_set_size(fd, 0));
  (void)__wasi_fd_close(fd);
  fd = openf("io.txt", 0, __WASI_RIGHTS_FD_WRITE, 0, &e);
  { __wasi_iovec_t iov = { (uint8_t *)buf, 4 }; R("wo read", __wasi_fd_read(fd, &iov, 1, &n)); }
  fdstat("wo fdstat", fd);
  (void)__wasi_fd_close(fd);
  fd = openf("io.txt", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0, &e);
  printf("trunc ro open: %d\n", e); if (!e) (void)__wasi_fd_close(fd);
  pstat("stat io after trunc ro", 0, "io.txt");

  /* --- directories --- */
  R("mkdir sub again", __wasi_path_create_directory(DIR, "sub"));
  R("mkdir sub/", __wasi_path_create_directory(DIR, "sub2/"));
  R("mkdir missing/x", __wasi_path_create_directory(DIR, "missing/x"));
  R("mkdir a.txt/x", __wasi_path_create_directory(DIR, "a.txt/x"));
  R("mkdir ..", __wasi_path_create_directory(DIR, "../outdir"));
  R("mkdir empty", __wasi_path_create_directory(DIR, ""));
  R("mkdir dot", __wasi_path_create_directory(DIR, "."));
  R("mkdir on dang", __wasi_path_create_directory(DIR, "dang"));
  R("mkdir sub/inner", __wasi_path_create_directory(DIR, "sub/inner"));
  pstat("stat sub nlink", 0, "sub");
  pstat("stat dot nlink", 0, ".");
  put("sub/f1", "1");
  R("rmdir nonempty", __wasi_path_remove_directory(DIR, "sub"));
  R("rmdir file", __wasi_path_remove_directory(DIR, "a.txt"));
  R("rmdir missing", __wasi_path_remove_directory(DIR, "missing"));
  R("rmdir dot", __wasi_path_remove_directory(DIR, "."));
  R("rmdir sub/inner/.", __wasi_path_remove_directory(DIR, "sub/inner/."));
  R("rmdir sublnk", __wasi_path_remove_directory(DIR, "sublnk"));
  R("rmdir empty", __wasi_path_remove_directory(DIR, ""));
  R("rmdir missing/", __wasi_path_remove_directory(DIR, "missing/"));
  R("rmdir a.txt/", __wasi_path_remove_directory(DIR, "a.txt/"));
  R("rmdir sub/", __wasi_path_remove_directory(DIR, "sub/"));
  R("rmdir sub2//", __wasi_path_remove_directory(DIR, "sub2//"));
  R("rmdir sub2/", __wasi_path_remove_directory(DIR, "sub2/"));
  R("rmdir sub2/.", __wasi_path_remove_directory(DIR, "sub2/."));
  R("rmdir sub2/..", __wasi_path_remove_directory(DIR, "sub2/.."));
  R("rmdir ..", __wasi_path_remove_directory(DIR, ".."));
  R("mkdir sub/x/", __wasi_path_create_directory(DIR, "sub/x/"));
  R("rmdir sub/x", __wasi_path_remove_directory(DIR, "sub/x"));
  R("mkdir sub3", __wasi_path_create_directory(DIR, "sub3"));
  R("rmdir ./sub3", __wasi_path_remove_directory(DIR, "./sub3"));
  R("unlink dir", __wasi_path_unlink_file(DIR, "sub"));
  R("unlink dir slash", __wasi_path_unlink_file(DIR, "sub/"));
  R("unlink file slash", __wasi_path_unlink_file(DIR, "a.txt/"));
  R("unlink missing", __wasi_path_unlink_file(DIR, "missing"));
  R("unlink dot", __wasi_path_unlink_file(DIR, "."));
  R("unlink empty", __wasi_path_unlink_file(DIR, ""));
  R("unlink sublnk2", __wasi_path_unlink_file(DIR, "sublnk2"));
  R("unlink sublnk/", __wasi_path_unlink_file(DIR, "sublnk/"));
  pstat("stat sub after unlink sublnk", 0, "sub");

  /* --- readdir --- */
  R("mkdir rd", __wasi_path_create_directory(DIR, "rd"));
  put("rd/file1", "x"); put("rd/file2", "yy");
  R("mkdir rd/d", __wasi_path_create_directory(DIR, "rd/d"));
  R("symlink rd/l", __wasi_path_symlink("file1", DIR, "rd/l"));
  fd = openf("rd", __WASI_OFLAGS_DIRECTORY, ALL & ~(__wasi_rights_t)__WASI_RIGHTS_FD_WRITE, 0, &e);
  printf("open rd: %d\n", e);
  fdstat("rd fdstat", fd);
  readdir_("readdir rd", fd);
  { uint8_t b[256]; memset(b, 0xAA, sizeof b); e = __wasi_fd_readdir(fd, b, 10, 0, &n); printf("readdir 10: %d used=%u b10=%x\n", e, n, b[10]);
    e = __wasi_fd_readdir(fd, b, 25, 0, &n); printf("readdir 25: %d used=%u\n", e, n);
    e = __wasi_fd_readdir(fd, b, 256, 2, &n); printf("readdir cookie2: %d used=%u\n", e, n);
    e = __wasi_fd_readdir(fd, b, 256, 6, &n); printf("readdir cookie6: %d used=%u\n", e, n);
    e = __wasi_fd_readdir(fd, b, 256, 7, &n); printf("readdir cookie7: %d used=%u\n", e, n);
    e = __wasi_fd_readdir(fd, b, 256, 100, &n); printf("readdir cookie100: %d used=%u\n", e, n);
    e = __wasi_fd_readdir(fd, b, 0, 0, &n); printf("readdir 0: %d used=%u\n", e, n);
    __wasi_dirent_t d; e = __wasi_fd_readdir(fd, b, 256, 1, &n); memcpy(&d, b, sizeof d);
    printf("readdir cookie1: %d used=%u next=%llu namlen=%u type=%d name=%.2s\n", e, n, (unsigned long long)d.d_next, d.d_namlen, d.d_type, b + sizeof d);
  }
  { __wasi_filesize_t off; R("seek dir", __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &off)); R("tell dir", __wasi_fd_tell(fd, &off)); }
  { __wasi_iovec_t iov = { (uint8_t *)buf, 4 }; R("read dir", __wasi_fd_read(fd, &iov, 1, &n)); R("pread dir", __wasi_fd_pread(fd, &iov, 1, 0, &n)); }
  { __wasi_ciovec_t iov = { (const uint8_t *)"x", 1 }; R("write dir", __wasi_fd_write(fd, &iov, 1, &n)); R("pwrite dir", __wasi_fd_pwrite(fd, &iov, 1, 0, &n)); }
  R("datasync dir", __wasi_fd_datasync(fd)); R("sync dir", __wasi_fd_sync(fd));
  R("advise dir", __wasi_fd_advise(fd, 0, 0, 0)); R("allocate dir", __wasi_fd_allocate(fd, 0, 1));
  R("set_flags dir", __wasi_fd_fdstat_set_flags(fd, 0));
  R("set_rights dir", __wasi_fd_fdstat_set_rights(fd, 0, 0));
  R("set_size dir", __wasi_fd_filestat_set_size(fd, 0));
  R("set_times dir", __wasi_fd_filestat_set_times(fd, 5, 6, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  { __wasi_filestat_t st; __wasi_fd_filestat_get(fd, &st); printf("dir times a=%llu m=%llu nlink=%llu\n", (unsigned long long)st.atim, (unsigned long long)st.mtim, (unsigned long long)st.nlink); }
  { __wasi_fd_t o; e = __wasi_path_open(fd, 0, "file2", 0, ALL, ALL, 0, &o); printf("open via rd fd: %d\n", e); if (!e) __wasi_fd_close(o);
    e = __wasi_path_open(fd, 0, "../a.txt", 0, ALL, ALL, 0, &o); printf("open ../ via rd fd: %d\n", e); if (!e) __wasi_fd_close(o); }
  R("mkdir via rd fd", __wasi_path_create_directory(fd, "viafd"));
  (void)__wasi_fd_close(fd);
  fd = openf("rd", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_OPEN, 0, &e);
  { uint8_t b[256]; e = __wasi_fd_readdir(fd, b, 256, 0, &n); printf("readdir no-read rd: %d\n", e); }
  fdstat("rd noread fdstat", fd);
  (void)__wasi_fd_close(fd);
  readdir_("readdir preopen", DIR);

  /* --- unlink/rename/link --- */
  put("r1", "r1"); put("r2", "r2");
  R("mkdir rdir", __wasi_path_create_directory(DIR, "rdir")); R("mkdir rdir2", __wasi_path_create_directory(DIR, "rdir2"));
  R("mkdir rdir3", __wasi_path_create_directory(DIR, "rdir3")); put("rdir3/x", "x");
  R("rename missing", __wasi_path_rename(DIR, "missing", DIR, "x"));
  R("rename file->file", __wasi_path_rename(DIR, "r1", DIR, "r2"));
  pstat("stat r1", 0, "r1"); pstat("stat r2", 0, "r2");
  R("rename file->dir", __wasi_path_rename(DIR, "r2", DIR, "rdir"));
  R("rename dir->file", __wasi_path_rename(DIR, "rdir", DIR, "r2"));
  R("rename dir->empty dir", __wasi_path_rename(DIR, "rdir", DIR, "rdir2"));
  R("rename dir->nonempty dir", __wasi_path_rename(DIR, "rdir2", DIR, "rdir3"));
  R("rename dir->own sub", __wasi_path_rename(DIR, "rdir3", DIR, "rdir3/inner"));
  R("rename dir->self", __wasi_path_rename(DIR, "rdir3", DIR, "rdir3"));
  R("rename file->self", __wasi_path_rename(DIR, "r2", DIR, "r2"));
  R("rename file->missing dir", __wasi_path_rename(DIR, "r2", DIR, "nodir/r2"));
  R("rename file->x/", __wasi_path_rename(DIR, "r2", DIR, "r3/"));
  R("rename file/->x", __wasi_path_rename(DIR, "r2/", DIR, "r3"));
  R("rename dir/->x/", __wasi_path_rename(DIR, "rdir2/", DIR, "rdir4/"));
  R("rename dot", __wasi_path_rename(DIR, ".", DIR, "dotx"));
  R("rename to dot", __wasi_path_rename(DIR, "rdir4", DIR, "."));
  R("rename ..", __wasi_path_rename(DIR, "r2", DIR, "../r2"));
  R("rename lnk", __wasi_path_rename(DIR, "lnk", DIR, "lnk2"));
  pstat("stat lnk2 nofollow", 0, "lnk2");
  R("rename hardlink same", __wasi_path_link(DIR, 0, "r2", DIR, "r2h"));
  R("rename r2->r2h", __wasi_path_rename(DIR, "r2", DIR, "r2h"));
  pstat("stat r2 after", 0, "r2"); pstat("stat r2h after", 0, "r2h");
  R("link dir", __wasi_path_link(DIR, 0, "rdir4", DIR, "rdir4h"));
  R("link existing", __wasi_path_link(DIR, 0, "a.txt", DIR, "r2h"));
  R("link missing", __wasi_path_link(DIR, 0, "missing", DIR, "m2"));
  R("link a->ah", __wasi_path_link(DIR, 0, "a.txt", DIR, "ah"));
  pstat("stat a nlink", 0, "a.txt");
  R("link lnk2 nofollow", __wasi_path_link(DIR, 0, "lnk2", DIR, "lnkh"));
  pstat("stat lnkh", 0, "lnkh");
  R("link lnk2 follow", __wasi_path_link(DIR, 1, "lnk2", DIR, "lnkh2"));
  pstat("stat lnkh2", 0, "lnkh2");
  R("link a->x/", __wasi_path_link(DIR, 0, "a.txt", DIR, "ax/"));
  R("link a/->x", __wasi_path_link(DIR, 0, "a.txt/", DIR, "ax"));
  R("link ..", __wasi_path_link(DIR, 0, "a.txt", DIR, "../ax"));
  R("link badfd", __wasi_path_link(77, 0, "a.txt", DIR, "ax"));
  R("unlink ah", __wasi_path_unlink_file(DIR, "ah"));
  pstat("stat a nlink after", 0, "a.txt");
  /* open file then unlink, still readable */
  fd = openf("r2h", 0, ALL, 0, &e);
  R("unlink open r2h", __wasi_path_unlink_file(DIR, "r2h"));
  { __wasi_filestat_t st; __wasi_fd_filestat_get(fd, &st); printf("unlinked nlink=%llu size=%llu\n", (unsigned long long)st.nlink, (unsigned long long)st.size);
    __wasi_iovec_t iov = { (uint8_t *)buf, 8 }; e = __wasi_fd_read(fd, &iov, 1, &n); printf("unlinked read: %d n=%u '%.*s'\n", e, n, (int)n, buf); }
  (void)__wasi_fd_close(fd);
  /* path_filestat_set_times */
  R("pset_times both", __wasi_path_filestat_set_times(DIR, 0, "a.txt", 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
  R("pset_times", __wasi_path_filestat_set_times(DIR, 0, "a.txt", 7000000007ULL, 8000000008ULL, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  { __wasi_filestat_t st; __wasi_path_filestat_get(DIR, 0, "a.txt", &st); printf("a times a=%llu m=%llu\n", (unsigned long long)st.atim, (unsigned long long)st.mtim); }
  R("pset_times missing", __wasi_path_filestat_set_times(DIR, 0, "missing", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  R("pset_times lnk2 nofollow", __wasi_path_filestat_set_times(DIR, 0, "lnk2", 9000000009ULL, 9000000009ULL, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  R("pset_times dang follow", __wasi_path_filestat_set_times(DIR, 1, "dang", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));

  /* --- more corners --- */
  R("mkdir x1", __wasi_path_create_directory(DIR, "x1"));
  po("open x1 dir|excl", 1, "x1", __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_EXCL, __WASI_RIGHTS_FD_READ, 0);
  po("open x1/ creat|excl", 1, "x1/", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, __WASI_RIGHTS_FD_READ, 0);
  po("open x1/. dir", 1, "x1/.", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0);
  po("open x1/.. dir", 1, "x1/..", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0);
  R("symlink x1lnk", __wasi_path_symlink("x1", DIR, "x1lnk"));
  R("symlink dot", __wasi_path_symlink("x1", DIR, "."));
  R("symlink x1/..", __wasi_path_symlink("x1", DIR, "x1/.."));
  R("link to dot", __wasi_path_link(DIR, 0, "a.txt", DIR, "."));
  R("mkdir x1/..", __wasi_path_create_directory(DIR, "x1/.."));
  R("rename dir onto symlink-to-dir", __wasi_path_rename(DIR, "rdir4", DIR, "x1lnk"));
  R("rename file onto symlink", __wasi_path_rename(DIR, "io.txt", DIR, "x1lnk"));
  pstat("stat x1lnk after", 0, "x1lnk");
  R("symlink f2lnk", __wasi_path_symlink("a.txt", DIR, "f2lnk"));
  readlink_("readlink f2lnk/", "f2lnk/", 64);
  pstat("stat f2lnk/", 0, "f2lnk/");
  R("unlink f2lnk/", __wasi_path_unlink_file(DIR, "f2lnk/"));
  R("rmdir x1lnk/ (file now)", __wasi_path_remove_directory(DIR, "x1lnk/"));
  R("symlink dotlnk", __wasi_path_symlink(".", DIR, "dotlnk"));
  po("open dotlnk", 1, "dotlnk", 0, __WASI_RIGHTS_FD_READ, 0);
  po("open dotlnk/dotlnk/a.txt", 0, "dotlnk/dotlnk/a.txt", 0, __WASI_RIGHTS_FD_READ, 0);
  R("symlink uplnk", __wasi_path_symlink("..", DIR, "x1/uplnk"));
  po("open x1/uplnk/a.txt", 0, "x1/uplnk/a.txt", 0, __WASI_RIGHTS_FD_READ, 0);
  po("open x1/uplnk/../x", 0, "x1/uplnk/../x", 0, __WASI_RIGHTS_FD_READ, 0);
  { int e1; __wasi_fd_t f = openf("a.txt", 0, ALL, 0, &e1); __wasi_filesize_t off;
    R("seek far", __wasi_fd_seek(f, 1LL << 40, __WASI_WHENCE_SET, &off));
    __wasi_iovec_t iov = { (uint8_t *)buf, 4 }; e = __wasi_fd_read(f, &iov, 1, &n); printf("read far: %d n=%u\n", e, n);
    e = __wasi_fd_seek(f, (1LL << 62), __WASI_WHENCE_SET, &off); printf("seek 2^62: %d off=%llu\n", e, (unsigned long long)off);
    e = __wasi_fd_seek(f, (1LL << 62), __WASI_WHENCE_CUR, &off); printf("seek cur +2^62: %d off=%llu\n", e, (unsigned long long)off);
    (void)__wasi_fd_close(f); }
  { int e1; __wasi_fd_t f = openf("x1", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, &e1);
    R("rmdir open x1 (nonempty)", __wasi_path_remove_directory(DIR, "x1"));
    R("unlink x1/uplnk", __wasi_path_unlink_file(DIR, "x1/uplnk"));
    R("rmdir open x1", __wasi_path_remove_directory(DIR, "x1"));
    uint8_t b[256]; e = __wasi_fd_readdir(f, b, sizeof b, 0, &n); printf("readdir removed: %d used=%u\n", e, n);
    __wasi_fd_t o; R("create in removed", __wasi_path_open(f, 0, "new", __WASI_OFLAGS_CREAT, ALL, ALL, 0, &o));
    R("mkdir in removed", __wasi_path_create_directory(f, "new"));
    { __wasi_filestat_t st; e = __wasi_fd_filestat_get(f, &st); printf("removed dir filestat: %d nlink=%llu\n", e, (unsigned long long)st.nlink); }
    { __wasi_filestat_t st; e = __wasi_path_filestat_get(f, 0, ".", &st); printf("removed dir stat .: %d\n", e); }
    (void)__wasi_fd_close(f); }
  { int e1; __wasi_fd_t f = openf("a.txt", 0, ALL, 0, &e1);
    __wasi_filestat_t st; R("rename open file", __wasi_path_rename(DIR, "a.txt", DIR, "a2.txt"));
    e = __wasi_fd_filestat_get(f, &st); printf("renamed open: %d nlink=%llu\n", e, (unsigned long long)st.nlink);
    R("rename back", __wasi_path_rename(DIR, "a2.txt", DIR, "a.txt")); (void)__wasi_fd_close(f); }

  /* --- poll_oneoff --- */
  { __wasi_subscription_t s[4]; __wasi_event_t ev[4]; memset(s, 0, sizeof s); memset(ev, 0xEE, sizeof ev);
    e = __wasi_poll_oneoff(s, ev, 0, &n); printf("poll 0: %d\n", e);
    s[0].userdata = 11; s[0].u.tag = __WASI_EVENTTYPE_CLOCK; s[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC; s[0].u.u.clock.timeout = 1000000;
    n = 99; e = __wasi_poll_oneoff(s, ev, 1, &n); printf("poll clock: %d n=%u ud=%llu err=%d type=%d nbytes=%llu\n", e, n, (unsigned long long)ev[0].userdata, ev[0].error, ev[0].type, (unsigned long long)ev[0].fd_readwrite.nbytes);
    s[0].u.u.clock.id = __WASI_CLOCKID_PROCESS_CPUTIME_ID;
    s[1].userdata = 12; s[1].u.tag = __WASI_EVENTTYPE_FD_WRITE; s[1].u.u.fd_write.file_descriptor = 1;
    n = 99; e = __wasi_poll_oneoff(s, ev, 2, &n); printf("poll cputime clock: %d n=%u\n", e, n);
    s[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC; s[0].u.u.clock.timeout = 0;
    n = 99; memset(ev, 0xEE, sizeof ev); e = __wasi_poll_oneoff(s, ev, 2, &n); printf("poll clock0+stdout: %d n=%u ud=%llu,%llu types=%d,%d nbytes=%llu,%llu\n", e, n, (unsigned long long)ev[0].userdata, (unsigned long long)ev[1].userdata, ev[0].type, ev[1].type, (unsigned long long)ev[0].fd_readwrite.nbytes, (unsigned long long)ev[1].fd_readwrite.nbytes);
    s[0].u.u.clock.timeout = 50000000;
    n = 99; memset(ev, 0xEE, sizeof ev); e = __wasi_poll_oneoff(s, ev, 2, &n); printf("poll clock50ms+stdout: %d n=%u ud=%llu type=%d\n", e, n, (unsigned long long)ev[0].userdata, ev[0].type);
    s[1].u.u.fd_write.file_descriptor = 77;
    n = 99; e = __wasi_poll_oneoff(s, ev, 2, &n); printf("poll badfd: %d n=%u\n", e, n);
    s[1].u.tag = __WASI_EVENTTYPE_FD_READ; s[1].u.u.fd_read.file_descriptor = 1;
    n = 99; e = __wasi_poll_oneoff(s, ev, 2, &n); printf("poll read stdout: %d n=%u\n", e, n);
    s[1].u.tag = __WASI_EVENTTYPE_FD_WRITE; s[1].u.u.fd_write.file_descriptor = 0;
    n = 99; e = __wasi_poll_oneoff(s, ev, 2, &n); printf("poll write stdin: %d n=%u\n", e, n);
    { int ef; __wasi_fd_t ffd = openf("io.txt", 0, ALL, 0, &ef); wr(ffd, "abc"); __wasi_filesize_t off; __wasi_fd_seek(ffd, 1, __WASI_WHENCE_SET, &off);
      s[1].u.tag = __WASI_EVENTTYPE_FD_READ; s[1].u.u.fd_read.file_descriptor = ffd;
      s[2].userdata = 13; s[2].u.tag = __WASI_EVENTTYPE_FD_WRITE; s[2].u.u.fd_write.file_descriptor = ffd;
      n = 99; memset(ev, 0xEE, sizeof ev); e = __wasi_poll_oneoff(s + 1, ev, 1, &n);
      printf("poll file read: %d n=%u ud=%llu type=%d nbytes=%llu flags=%d err=%d\n", e, n, (unsigned long long)ev[0].userdata, ev[0].type, (unsigned long long)ev[0].fd_readwrite.nbytes, ev[0].fd_readwrite.flags, ev[0].error);
      n = 99; memset(ev, 0xEE, sizeof ev); e = __wasi_poll_oneoff(s + 2, ev, 1, &n);
      printf("poll file write: %d n=%u ud=%llu type=%d nbytes=%llu flags=%d err=%d\n", e, n, (unsigned long long)ev[0].userdata, ev[0].type, (unsigned long long)ev[0].fd_readwrite.nbytes, ev[0].fd_readwrite.flags, ev[0].error);
      __wasi_fd_seek(ffd, 0, __WASI_WHENCE_END, &off);
      n = 99; memset(ev, 0xEE, sizeof ev); e = __wasi_poll_oneoff(s + 1, ev, 1, &n);
      printf("poll file eof: %d n=%u nbytes=%llu flags=%d\n", e, n, (unsigned long long)ev[0].fd_readwrite.nbytes, ev[0].fd_readwrite.flags);
      int ed; __wasi_fd_t dfd = openf("sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, &ed);
      s[1].u.u.fd_read.file_descriptor = dfd; n = 99; e = __wasi_poll_oneoff(s + 1, ev, 1, &n); printf("poll dir read: %d n=%u\n", e, n);
      s[1].u.u.fd_read.file_descriptor = DIR; n = 99; e = __wasi_poll_oneoff(s + 1, ev, 1, &n); printf("poll preopen read: %d n=%u\n", e, n);
      (void)__wasi_fd_close(dfd); (void)__wasi_fd_close(ffd);
      s[1].u.tag = __WASI_EVENTTYPE_FD_WRITE; s[1].u.u.fd_write.file_descriptor = 1; }
    s[0].u.u.clock.timeout = 1; s[0].u.u.clock.id = __WASI_CLOCKID_REALTIME; s[0].u.u.clock.flags = 0;
    n = 99; e = __wasi_poll_oneoff(s, ev, 1, &n); printf("poll realtime rel: %d n=%u type=%d\n", e, n, ev[0].type);
    s[1] = s[0]; s[1].userdata = 99; s[1].u.u.clock.timeout = 10000000000ull; /* 10 s: only a 10 s overshoot of the 2 ms sleep could make both due */ s[0].u.u.clock.timeout = 2000000;
    n = 99; e = __wasi_poll_oneoff(s, ev, 2, &n); printf("poll two clocks: %d n=%u ud=%llu\n", e, n, (unsigned long long)ev[0].userdata);
    s[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME; s[0].u.u.clock.timeout = 0; s[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    n = 99; e = __wasi_poll_oneoff(s, ev, 1, &n); printf("poll abs past: %d n=%u type=%d\n", e, n, ev[0].type);
    __wasi_timestamp_t now; __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &now);
    s[0].u.u.clock.timeout = now + 20000000;
    n = 99; e = __wasi_poll_oneoff(s, ev, 1, &n); __wasi_timestamp_t after; __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &after);
    printf("poll abs future: %d n=%u waited>=20ms=%d\n", e, n, after - now >= 20000000);
  }
  /* --- fd table --- */
  { int ea, eb, ec; __wasi_fd_t fa = openf("a.txt", 0, ALL, 0, &ea), fb = openf("a.txt", 0, ALL, 0, &eb), fc = openf("a.txt", 0, ALL, 0, &ec);
    printf("fds: %u %u %u\n", fa, fb, fc);
    (void)__wasi_fd_close(fa); (void)__wasi_fd_close(fb);
    __wasi_fd_t fd4 = openf("a.txt", 0, ALL, 0, &ea); printf("reuse: %u\n", fd4);
    __wasi_fd_t fd5 = openf("a.txt", 0, ALL, 0, &ea); printf("reuse2: %u\n", fd5);
    __wasi_fd_t fd6 = openf("a.txt", 0, ALL, 0, &ea); printf("next: %u\n", fd6);
    R("close fd6", __wasi_fd_close(fd6));
    R("close fd6 twice", __wasi_fd_close(fd6));
    R("renumber to closed 50", __wasi_fd_renumber(fc, 50));
    R("renumber to closed fd6", __wasi_fd_renumber(fc, fd6));
    R("renumber from closed", __wasi_fd_renumber(fd6, fc));
    { __wasi_filesize_t off; __wasi_fd_seek(fd4, 1, __WASI_WHENCE_SET, &off); }
    R("renumber onto open", __wasi_fd_renumber(fd4, fc));
    { __wasi_filesize_t off = 9; e = __wasi_fd_tell(fc, &off); printf("tell renumbered: %d off=%llu\n", e, (unsigned long long)off); }
    fdstat("fdstat from after renumber", fd4);
    R("renumber self", __wasi_fd_renumber(fc, fc));
    R("renumber self closed", __wasi_fd_renumber(fd4, fd4));
    __wasi_fd_t fd7 = openf("a.txt", 0, ALL, 0, &ea); printf("after renumber open: %u\n", fd7);
    __wasi_fd_t fd8 = openf("a.txt", 0, ALL, 0, &ea); printf("after renumber open2: %u\n", fd8);
    R("renumber 2 onto fd8", __wasi_fd_renumber(2, fd8));
    fdstat("fdstat fd8", fd8); fdstat("fdstat 2", 2);
    __wasi_fd_t fd9 = openf("a.txt", 0, ALL, 0, &ea); printf("after closing 2: %u\n", fd9);
    R("renumber preopen onto fc", __wasi_fd_renumber(DIR, fc));
    { __wasi_prestat_t ps; e = __wasi_fd_prestat_get(fc, &ps); printf("prestat renumbered preopen: %d len=%u\n", e, ps.u.dir.pr_name_len); }
    R("renumber back", __wasi_fd_renumber(fc, DIR));
    R("set_rights preopen", __wasi_fd_fdstat_set_rights(DIR, 0, 0));
    fdstat("fdstat preopen after set_rights", DIR);
    { __wasi_fdstat_t st; __wasi_fd_fdstat_get(fd9, &st);
      R("set_rights file same", __wasi_fd_fdstat_set_rights(fd9, st.fs_rights_base, st.fs_rights_inheriting));
      R("set_rights file less", __wasi_fd_fdstat_set_rights(fd9, __WASI_RIGHTS_FD_READ, 0)); }
    { int ed; __wasi_fd_t dfd = openf("sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, &ed);
      R("set_rights dir", __wasi_fd_fdstat_set_rights(dfd, 0, 0)); R("set_flags dir rd", __wasi_fd_fdstat_set_flags(dfd, 0)); (void)__wasi_fd_close(dfd); }
  }
  R("close preopen", __wasi_fd_close(DIR));
  { __wasi_fd_t o; R("open after close preopen", __wasi_path_open(DIR, 0, "a.txt", 0, ALL, ALL, 0, &o)); }
  R("prestat after close", ({ __wasi_prestat_t ps; __wasi_fd_prestat_get(DIR, &ps); }));

  printf("done\n");
  return 0;
}
