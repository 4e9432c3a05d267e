;; fd_fdstat_set_rights: shrinking, keeping and growing the rights of files,
;; directories and stdio, and what fd_fdstat_get says afterwards.
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_rights" (func $fd_fdstat_set_rights (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
;;@include prelude.wat

  (func $rights (param $fd i32)
    (drop (call $fd_fdstat_get (local.get $fd) (i32.const 0x2000)))
    (call $hex $"  base now " (i64.load (i32.const 0x2008)))
    (call $hex $"  inheriting now " (i64.load (i32.const 0x2010))))

  (func $set (param $label i32) (param $fd i32) (param $base i64) (param $inh i64)
    (call $errno (local.get $label) (call $fd_fdstat_set_rights (local.get $fd) (local.get $base) (local.get $inh)))
    (call $rights (local.get $fd)))

  (func (export "_start")
    (local $fd i32)
    (call $errno $"open hello.txt read-only" (call $path_open (i32.const 3) (i32.const 0) $$"hello.txt" (i32.const 0)
      (i64.const 0x2) (i64.const 0) (i32.const 0) (i32.const 0x2800)))
    (local.set $fd (i32.load (i32.const 0x2800)))
    (call $rights (local.get $fd))
    (call $set $"file: same rights" (local.get $fd) (i64.const 0x2) (i64.const 0))
    (call $set $"file: drop fd_read" (local.get $fd) (i64.const 0) (i64.const 0))
    (i32.store (i32.const 0x1800) (i32.const 0x3000))
    (i32.store (i32.const 0x1804) (i32.const 4))
    (call $errno $"file: read afterwards" (call $fd_read (local.get $fd) (i32.const 0x1800) (i32.const 1) (i32.const 0x2100)))
    (call $set $"file: add fd_write" (local.get $fd) (i64.const 0x42) (i64.const 0))
    (call $set $"file: everything" (local.get $fd) (i64.const 0x3fffffff) (i64.const 0x3fffffff))
    (call $set $"stdout: drop all" (i32.const 1) (i64.const 0) (i64.const 0))
    (call $set $"preopen: drop inheriting" (i32.const 3) (i64.const 0x3fffffff) (i64.const 0)))
)
