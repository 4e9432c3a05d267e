/* Trailing slashes, symlinks and dot components in every path syscall; compared with
 * wasmtime like probe.c (golden: probe_paths.expected). One preopen on an empty dir. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>
#define DIR 3
static __wasi_rights_t ALL = 0x1fffffffULL;
static void po(const char *label, int dirflags, const char *path, int oflags, __wasi_rights_t rights, int fdflags) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  int e = __wasi_path_open(DIR, dirflags, path, oflags, rights, ALL, fdflags, &fd);
  printf("%s: %d\n", label, e); if (!e) __wasi_fd_close(fd);
}
int main() {
  __wasi_path_create_directory(DIR, "d");
  __wasi_path_symlink("d", DIR, "dl");
  __wasi_path_symlink("nowhere", DIR, "dang");
  __wasi_fd_t f; __wasi_path_open(DIR, 0, "f", 1, ALL, ALL, 0, &f); __wasi_fd_close(f);
  __wasi_path_symlink("f", DIR, "fl");
  po("dir|nofollow on dirlink", 0, "dl", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0);
  po("dir|nofollow on filelink", 0, "fl", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0);
  po("creat|nofollow on filelink", 0, "fl", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0);
  po("creat|nofollow on dangling", 0, "dang", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0);
  po("trunc|nofollow on filelink", 0, "fl", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0);
  po("dir on dangling follow", 1, "dang", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0);
  po("dir on missing", 1, "missing", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0);
  po("d/ write", 1, "d/", 0, __WASI_RIGHTS_FD_WRITE, 0);
  po("d excl", 1, "d", __WASI_OFLAGS_EXCL, __WASI_RIGHTS_FD_READ, 0);
  po("f dir|creat excl", 1, "f", __WASI_OFLAGS_EXCL|__WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0);
  po("missing trunc", 1, "m2", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0);
  po("creat trunc new", 1, "m3", __WASI_OFLAGS_TRUNC|__WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0);
  po("dl/ nofollow dir", 0, "dl/", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0);
  po("fl/ follow", 1, "fl/", 0, __WASI_RIGHTS_FD_READ, 0);
  po("dang/ creat", 1, "dang/", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0);
  po("d/../f/", 1, "d/../f/", 0, __WASI_RIGHTS_FD_READ, 0);
  po("d/./", 1, "d/./", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0);
  printf("rename d/ -> e: %d\n", __wasi_path_rename(DIR, "d/", DIR, "e"));
  printf("rename e -> dl: %d\n", __wasi_path_rename(DIR, "e", DIR, "dl"));
  printf("rename fl -> e/x: %d\n", __wasi_path_rename(DIR, "fl", DIR, "e/x"));
  printf("rename e/x -> fl/: %d\n", __wasi_path_rename(DIR, "e/x", DIR, "fl/"));
  printf("rename dang -> e/: %d\n", __wasi_path_rename(DIR, "dang", DIR, "e/"));
  printf("rename dl/ -> dl2: %d\n", __wasi_path_rename(DIR, "dl/", DIR, "dl2"));
  printf("link f -> e/: %d\n", __wasi_path_link(DIR, 0, "f", DIR, "e/"));
  printf("link f -> m4/: %d\n", __wasi_path_link(DIR, 0, "f", DIR, "m4/"));
  printf("symlink -> e/: %d\n", __wasi_path_symlink("x", DIR, "e/"));
  printf("symlink -> f/: %d\n", __wasi_path_symlink("x", DIR, "f/"));
  printf("mkdir f/: %d\n", __wasi_path_create_directory(DIR, "f/"));
  printf("mkdir e//: %d\n", __wasi_path_create_directory(DIR, "e//"));
  printf("unlink dang/: %d\n", __wasi_path_unlink_file(DIR, "dang/"));
  printf("rmdir dang/: %d\n", __wasi_path_remove_directory(DIR, "dang/"));
  printf("rmdir dl/: %d\n", __wasi_path_remove_directory(DIR, "dl/"));
  __wasi_filestat_t st;
  printf("stat dang/: %d\n", __wasi_path_filestat_get(DIR, 0, "dang/", &st));
  printf("stat fl/ follow: %d\n", __wasi_path_filestat_get(DIR, 1, "fl/", &st));
  char b[32]; __wasi_size_t n;
  printf("readlink fl/: %d\n", __wasi_path_readlink(DIR, "fl/", (uint8_t*)b, 32, &n));
  printf("readlink dang/: %d\n", __wasi_path_readlink(DIR, "dang/", (uint8_t*)b, 32, &n));
  printf("readlink .: %d\n", __wasi_path_readlink(DIR, ".", (uint8_t*)b, 32, &n));
  printf("unlink e/..: %d\n", __wasi_path_unlink_file(DIR, "e/.."));
  printf("rename e/.. -> z: %d\n", __wasi_path_rename(DIR, "e/..", DIR, "z"));
  printf("rename f -> e/..: %d\n", __wasi_path_rename(DIR, "f", DIR, "e/.."));
  printf("link . -> z: %d\n", __wasi_path_link(DIR, 0, ".", DIR, "z"));
  printf("link f -> e/..: %d\n", __wasi_path_link(DIR, 0, "f", DIR, "e/.."));
  printf("symlink -> e/.: %d\n", __wasi_path_symlink("x", DIR, "e/."));
  printf("mkdir e/.: %d\n", __wasi_path_create_directory(DIR, "e/."));
  return 0;
}
