// path_* syscalls: operations on a path relative to a directory descriptor.
//
// Paths are resolved beneath the directory (vfs/path.js, jailed): absolute
// paths, `..` above the directory and symlinks leading out give EPERM,
// as wasmtime (cap-std) does.
//
// Errors common to every function here (spec/errnos.py lists each
// function's): EBADF (the descriptor is not an open directory), ENOENT
// (empty path, missing component), ENOTDIR (a non-directory used as a
// directory, or a trailing slash on one), ELOOP, ENAMETOOLONG, EPERM, EINVAL
// (NUL in a path), EILSEQ (a path that is not UTF-8: the glue passes null and
// `utf8()` rejects it after the fds are looked up, as wasmtime orders it).
//
// A path longer than the hostcall fuel is ENOMEM, likewise after the fds
// (except in path_unlink_file, whose path wasmtime reads without fuel).
import { errno, fdflags, filetype, lookupflags, oflags as O } from "../generated/constants.js";
import { WasiError } from "../errors.js";
import { Descriptor, KIND_FILE } from "../fd_table.js";
import { R } from "../rights.js";
import { filestatOf, timesFromFlags } from "./fd.js";

const FOLLOW = lookupflags.symlink_follow;
const SYNC_FLAGS = fdflags.dsync | fdflags.rsync | fdflags.sync;
const READ = BigInt(R.fd_read);
const WRITE = BigInt(R.fd_write);

/**
 * A path as behaviour reads it, after the descriptors (glue contract): one
 * that is not UTF-8 arrives as null (EILSEQ), one that cannot be read at all
 * as an UnreadableString (its ENOMEM, or its trap).
 */
function utf8(path) {
  if (typeof path === "string") return path;
  if (path === null) throw new WasiError(errno.ilseq);
  throw path.error;
}

export const pathSyscalls = {
  /** mkdir. Errors: EEXIST (anything at the path, even a dangling symlink), ENOSPC. */
  path_create_directory(fd, path) {
    const d = this.fds.get(fd, R.path_create_directory);
    this.fs.mkdirAt(d.inode, utf8(path), true);
  },

  /** stat / lstat (without `symlink_follow`). Errors: the common ones only. */
  path_filestat_get(fd, flags, path) {
    const d = this.fds.get(fd, R.path_filestat_get);
    return filestatOf(this.fs, this.fs.statAt(d.inode, utf8(path), (flags & FOLLOW) !== 0, true));
  },

  /**
   * utimensat. Errors: EINVAL (a timestamp given both a value and "now",
   * checked first, as wasmtime).
   */
  path_filestat_set_times(fd, flags, path, atim, mtim, fst_flags) {
    const [a, m] = timesFromFlags(atim, mtim, fst_flags);
    const d = this.fds.get(fd, R.path_filestat_set_times);
    const name = utf8(path), follow = (flags & FOLLOW) !== 0;
    let inode;
    try {
      inode = this.fs.statAt(d.inode, name, follow, true);
    } catch (e) {
      // Nothing to set and no following: wasmtime resolves only the parent, so a
      // missing last name is no error (spec/RATIONALE.md "path_filestat_set_times").
      if (!(e instanceof WasiError && e.errno === errno.noent) || follow || fst_flags !== 0 ||
          name === "" || name.endsWith("/")) throw e;
      const slash = name.lastIndexOf("/");
      this.fs.statAt(d.inode, slash === -1 ? "." : name.slice(0, slash), true, true);
      return;
    }
    inode.setTimes(a, m);
  },

  /**
   * Hard link. Errors: EINVAL (`symlink_follow` asked for: wasmtime does not
   * support it), EEXIST, EPERM (the source is a directory),
   * ENOENT (trailing slash on the new path).
   */
  path_link(old_fd, old_flags, old_path, new_fd, new_path) {
    const from = this.fds.get(old_fd, R.path_link_source);
    const to = this.fds.get(new_fd, R.path_link_target);
    const oldPath = utf8(old_path), newPath = utf8(new_path); // read before the flag is judged, as wasmtime
    if (old_flags & FOLLOW) throw new WasiError(errno.inval);
    this.fs.linkAt(from.inode, oldPath, false, to.inode, newPath, true);
  },

  /**
   * openat. Rights only choose the access mode: `fd_read` and `fd_write` in
   * `fs_rights_base` (neither: read-only; `creat` or `trunc` add writing); nothing else about rights is
   * enforced, as in wasmtime. `fdflags.append` and `nonblock` are kept.
   * Errors: ENOTDIR (fd is a file; oflags.directory on a non-directory),
   * EINVAL (oflags.directory with creat, excl or trunc), ENOTSUP
   * (fdflags dsync, rsync or sync: wasmtime refuses them), EEXIST (creat+excl),
   * EISDIR (a directory opened for writing, truncation or creat; creat with a
   * trailing slash), ELOOP (a symlink without symlink_follow), EMFILE, ENOSPC.
   */
  path_open(fd, dirflags, path, oflags, fs_rights_base, fs_rights_inheriting, fdflags_) {
    const d = this.fds.peek(fd);
    if (d === null) throw new WasiError(errno.badf);
    if (!(d.caps & R.path_open)) throw new WasiError(d.kind === KIND_FILE ? errno.notdir : errno.badf);
    const directory = (oflags & O.directory) !== 0;
    const creat = (oflags & O.creat) !== 0;
    const excl = (oflags & O.excl) !== 0;
    const trunc = (oflags & O.trunc) !== 0;
    if (fdflags_ & SYNC_FLAGS) throw new WasiError(errno.notsup); // before EINVAL, as wasmtime
    if (directory && (creat || excl || trunc)) throw new WasiError(errno.inval);
    const askedWrite = (fs_rights_base & WRITE) !== 0n;
    const read = (fs_rights_base & READ) !== 0n || !askedWrite;
    const write = askedWrite || creat || trunc; // creat and trunc open for writing, as wasmtime
    this.fds.checkRoom(); // EMFILE before anything is created (spec/RATIONALE.md, "Descriptor numbers")
    const inode = this.fs.openAt(d.inode, path, (dirflags & FOLLOW) !== 0, oflags, read, write, true);
    let desc;
    if (inode.type === filetype.directory) {
      desc = Descriptor.directory(inode);
    } else {
      desc = Descriptor.file(inode, read, write);
      desc.append = (fdflags_ & fdflags.append) !== 0;
      desc.nonblock = (fdflags_ & fdflags.nonblock) !== 0;
    }
    return this.fds.insert(desc);
  },

  /**
   * readlinkat: the target, cut to `buf_len` bytes (no error when cut, as wasmtime).
   * Errors: EINVAL (not a symlink).
   */
  path_readlink(fd, path, buf_len) {
    const d = this.fds.get(fd, R.path_readlink);
    const bytes = this.encoder.encode(this.fs.readlinkAt(d.inode, utf8(path), true));
    return bytes.length <= buf_len ? bytes : bytes.subarray(0, buf_len);
  },

  /**
   * rmdir. Errors: ENOTEMPTY, EINVAL ("." or ".." as the last component, or a
   * trailing slash: wasmtime/cap-std), ENOTDIR (not a directory, including a
   * symlink to one).
   */
  path_remove_directory(fd, path) {
    const d = this.fds.get(fd, R.path_remove_directory);
    this.fs.rmdirAt(d.inode, utf8(path), true);
  },

  /**
   * renameat. Errors: EBUSY ("." or ".."), EISDIR (a file over a directory),
   * ENOTDIR (a directory over a file; a trailing slash on a file), ENOTEMPTY,
   * EINVAL (a directory into its own subtree).
   */
  path_rename(fd, old_path, new_fd, new_path) {
    const from = this.fds.get(fd, R.path_rename_source);
    const to = this.fds.get(new_fd, R.path_rename_target);
    this.fs.renameAt(from.inode, utf8(old_path), to.inode, utf8(new_path), true);
  },

  /**
   * symlinkat: `old_path` is stored as is (it may dangle or point outside,
   * which only fails when followed).
   * Errors: EEXIST, ENOENT (empty target; trailing slash on the new path),
   * EPERM (an absolute target, as wasmtime), ENOSPC (the MemFS's inode limit).
   */
  path_symlink(old_path, fd, new_path) {
    const d = this.fds.get(fd, R.path_symlink);
    this.fs.symlinkAt(utf8(old_path), d.inode, utf8(new_path), true);
  },

  /** unlinkat (not directories). Errors: EISDIR (a directory, as Linux). */
  path_unlink_file(fd, path) {
    const d = this.fds.get(fd, R.path_unlink_file);
    this.fs.unlinkAt(d.inode, utf8(path), true);
  },
};
