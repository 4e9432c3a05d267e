// Rights as Numbers (the twin of uvwasi's wasi_rights.c).
//
// `rights` is a u64 flags type, so the generated constants are BigInts; all 30
// defined bits fit in a 32-bit integer, so the runtime works on Numbers (no
// BigInt arithmetic on the hot path) and converts only at the boundary
// (fd_fdstat_get results, path_open params).
import { rights } from "./generated/constants.js";

/** `rights` as Numbers: `R.fd_read === 2`. */
export const R = Object.freeze(Object.fromEntries(Object.entries(rights).map(([name, bit]) => [name, Number(bit)])));

/** Every defined right. */
export const RIGHTS_ALL = Object.values(R).reduce((a, b) => a | b, 0);

/** Rights (a BigInt param) as a Number, dropping undefined bits. */
export function rightsToNumber(big) {
  return Number(BigInt.asUintN(32, big)) & RIGHTS_ALL;
}

// ---- what fd_fdstat_get reports (wasmtime's choices; spec/RATIONALE.md "Rights") ----

/** A preopened directory: the fixed set wasmtime reports ("expected by many userlands"). */
export const PREOPEN_BASE =
  R.path_create_directory | R.path_create_file | R.path_link_source | R.path_link_target |
  R.path_open | R.fd_readdir | R.path_readlink | R.path_rename_source | R.path_rename_target |
  R.path_symlink | R.path_remove_directory | R.path_unlink_file | R.path_filestat_get |
  R.path_filestat_set_times | R.fd_filestat_get | R.fd_filestat_set_times;

export const PREOPEN_INHERITING =
  PREOPEN_BASE | R.fd_datasync | R.fd_read | R.fd_seek | R.fd_fdstat_set_flags | R.fd_sync |
  R.fd_tell | R.fd_write | R.fd_advise | R.fd_allocate | R.fd_filestat_get |
  R.fd_filestat_set_size | R.fd_filestat_set_times | R.poll_fd_readwrite;

/** A directory opened with path_open: everything but what only files or writers have. */
export const OPENED_DIR_RIGHTS = RIGHTS_ALL & ~(R.fd_seek | R.fd_write | R.path_filestat_set_size | R.fd_filestat_set_size);

/** A regular file opened with path_open, before removing fd_read/fd_write for its access mode. */
export const FILE_RIGHTS = RIGHTS_ALL;

// ---- what each kind of descriptor can do (checked by FdTable.get) ----------------

/** Operations on a regular file descriptor (read and write depend on the open mode). */
export const FILE_CAPS =
  R.fd_datasync | R.fd_seek | R.fd_fdstat_set_flags | R.fd_sync | R.fd_tell | R.fd_advise |
  R.fd_allocate | R.fd_filestat_get | R.fd_filestat_set_size | R.fd_filestat_set_times |
  R.poll_fd_readwrite;

/** Operations on a directory descriptor. */
export const DIR_CAPS =
  R.path_create_directory | R.path_create_file | R.path_link_source | R.path_link_target |
  R.path_open | R.fd_readdir | R.path_readlink | R.path_rename_source | R.path_rename_target |
  R.path_filestat_get | R.path_filestat_set_times | R.fd_filestat_get | R.fd_filestat_set_times |
  R.path_symlink | R.path_remove_directory | R.path_unlink_file;

export const STDIN_CAPS = R.fd_read | R.poll_fd_readwrite | R.fd_filestat_get;
export const STDOUT_CAPS = R.fd_write | R.poll_fd_readwrite | R.fd_filestat_get;
