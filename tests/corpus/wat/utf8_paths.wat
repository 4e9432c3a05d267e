;; Paths that are not UTF-8 are EILSEQ in every path call; valid multi-byte
;; names work; a NUL byte inside a path is its own error.
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func $path_create_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_set_times" (func $path_filestat_set_times (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_readlink" (func $path_readlink (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_remove_directory" (func $path_remove_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename" (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
;;@include prelude.wat

  (func (export "_start")
    ;; \ff\fe: never valid; \c0\af: overlong "/"; \ed\a0\80: a surrogate; \e2\82: truncated
    (call $errno $"path_open \\ff\\fe" (call $path_open (i32.const 3) (i32.const 0) $$"\ff\fe" (i32.const 1)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2000)))
    (call $errno $"path_open overlong" (call $path_open (i32.const 3) (i32.const 0) $$"a\c0\afb" (i32.const 1)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2000)))
    (call $errno $"path_open surrogate" (call $path_open (i32.const 3) (i32.const 0) $$"\ed\a0\80" (i32.const 1)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2000)))
    (call $errno $"path_open truncated sequence" (call $path_open (i32.const 3) (i32.const 0) $$"x\e2\82" (i32.const 1)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2000)))
    (call $errno $"path_create_directory" (call $path_create_directory (i32.const 3) $$"d\ff"))
    (call $errno $"path_filestat_get" (call $path_filestat_get (i32.const 3) (i32.const 1) $$"hello\ff" (i32.const 0x2000)))
    (call $errno $"path_filestat_set_times" (call $path_filestat_set_times (i32.const 3) (i32.const 1) $$"hello\ff" (i64.const 0) (i64.const 0) (i32.const 5)))
    (call $errno $"path_link old" (call $path_link (i32.const 3) (i32.const 0) $$"hello\ff" (i32.const 3) $$"ok-name"))
    (call $errno $"path_link new" (call $path_link (i32.const 3) (i32.const 0) $$"hello.txt" (i32.const 3) $$"bad\ff"))
    (call $errno $"path_readlink" (call $path_readlink (i32.const 3) $$"l\ff" (i32.const 0x3000) (i32.const 64) (i32.const 0x2000)))
    (call $errno $"path_remove_directory" (call $path_remove_directory (i32.const 3) $$"d\ff"))
    (call $errno $"path_rename old" (call $path_rename (i32.const 3) $$"hello\ff" (i32.const 3) $$"ok-name"))
    (call $errno $"path_rename new" (call $path_rename (i32.const 3) $$"hello.txt" (i32.const 3) $$"bad\ff"))
    (call $errno $"path_symlink target" (call $path_symlink $$"t\ff" (i32.const 3) $$"ok-link"))
    (call $errno $"path_symlink name" (call $path_symlink $$"hello.txt" (i32.const 3) $$"n\ff"))
    (call $errno $"path_unlink_file" (call $path_unlink_file (i32.const 3) $$"f\ff"))
    ;; bad UTF-8 on a bad fd: which error wins
    (call $errno $"path_create_directory bad fd" (call $path_create_directory (i32.const 99) $$"d\ff"))
    ;; NUL inside the path
    (call $errno $"path_create_directory a\\00b" (call $path_create_directory (i32.const 3) $$"a\00b"))
    (call $errno $"path_open a\\00b" (call $path_open (i32.const 3) (i32.const 0) $$"hello.txt\00b" (i32.const 0)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2000)))
    ;; valid multi-byte names
    (call $errno $"mkdir \u{e9}t\u{e9}" (call $path_create_directory (i32.const 3) $$"\u{e9}t\u{e9}"))
    (call $errno $"create \u{1f600}.txt" (call $path_open (i32.const 3) (i32.const 0) $$"\u{1f600}.txt" (i32.const 1)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2000)))
    (call $errno $"symlink \u{4e2d}\u{6587} -> \u{1f600}.txt" (call $path_symlink $$"\u{1f600}.txt" (i32.const 3) $$"\u{4e2d}\u{6587}")))
)
