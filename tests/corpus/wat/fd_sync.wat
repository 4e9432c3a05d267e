;; fd_sync and fd_datasync on files (writable or not), directories and stdio.
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_sync" (func $fd_sync (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_datasync" (func $fd_datasync (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
;;@include prelude.wat

  (func $both (param $label i32) (param $fd i32)
    (call $line (local.get $label))
    (call $errno $"  fd_sync" (call $fd_sync (local.get $fd)))
    (call $errno $"  fd_datasync" (call $fd_datasync (local.get $fd))))

  (func $open (param $p i32) (param $l i32) (param $oflags i32) (param $base i64) (result i32)
    (call $errno $"open" (call $path_open (i32.const 3) (i32.const 0) (local.get $p) (local.get $l) (local.get $oflags)
      (local.get $base) (i64.const 0) (i32.const 0) (i32.const 0x2800)))
    (i32.load (i32.const 0x2800)))

  (func (export "_start")
    (local $fd i32)
    (local.set $fd (call $open $$"hello.txt" (i32.const 0) (i64.const 0x3fffffff)))
    (i32.store (i32.const 0x1800) $"synced ")
    (i32.store (i32.const 0x1804) (i32.const 7))
    (drop (call $fd_write (local.get $fd) (i32.const 0x1800) (i32.const 1) (i32.const 0x2000)))
    (call $both $"writable file" (local.get $fd))
    (call $both $"read-only file" (call $open $$"dir/inner.txt" (i32.const 0) (i64.const 0x2)))
    (call $both $"directory (preopen)" (i32.const 3))
    (call $both $"directory (opened)" (call $open $$"dir" (i32.const 2) (i64.const 0x3fffffbf)))
    (call $both $"stdout" (i32.const 1))
    (call $both $"stdin" (i32.const 0)))
)
