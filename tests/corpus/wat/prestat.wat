;; fd_prestat_get and fd_prestat_dir_name for every preopen (fd 3 up to the
;; first EBADF), with exact, larger and too-small buffers, and on fds that are
;; not preopens.
(module
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
;;@include prelude.wat

  (func $name (param $label i32) (param $fd i32) (param $len i32)
    (call $canary (i32.const 0x3000) (i32.const 64))
    (call $errno (local.get $label) (call $fd_prestat_dir_name (local.get $fd) (i32.const 0x3000) (local.get $len)))
    (call $changed $"  buffer" (i32.const 0x3000) (i32.const 64))
    (call $puts $"  bytes: ")
    (call $write (i32.const 0x3000) (local.get $len))
    (call $nl))

  (func (export "_start")
    (local $fd i32) (local $e i32) (local $n i32)
    (local.set $fd (i32.const 3))
    (block $done
      (loop $each
        (call $canary (i32.const 0x2000) (i32.const 16))
        (local.set $e (call $fd_prestat_get (local.get $fd) (i32.const 0x2000)))
        (call $puts $"fd ")
        (call $put_u64 (i64.extend_i32_u (local.get $fd)))
        (call $nl)
        (call $errno $"  fd_prestat_get" (local.get $e))
        (call $changed $"  prestat" (i32.const 0x2000) (i32.const 16))
        (br_if $done (local.get $e))
        (call $val $"  tag=" (i64.load8_u (i32.const 0x2000)))
        (local.set $n (i32.load (i32.const 0x2004)))
        (call $val $"  pr_name_len=" (i64.extend_i32_u (local.get $n)))
        (call $name $"  dir_name exact" (local.get $fd) (local.get $n))
        (call $name $"  dir_name +8" (local.get $fd) (i32.add (local.get $n) (i32.const 8)))
        (call $name $"  dir_name -1" (local.get $fd) (i32.sub (local.get $n) (i32.const 1)))
        (call $name $"  dir_name 0" (local.get $fd) (i32.const 0))
        (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
        (br $each)))
    (call $errno $"stdin fd_prestat_get" (call $fd_prestat_get (i32.const 0) (i32.const 0x2000)))
    (call $errno $"stdin fd_prestat_dir_name" (call $fd_prestat_dir_name (i32.const 0) (i32.const 0x3000) (i32.const 8)))
    (call $errno $"open dir" (call $path_open (i32.const 3) (i32.const 0) $$"dir" (i32.const 2)
      (i64.const 0x3fffffbf) (i64.const 0x3fffffff) (i32.const 0) (i32.const 0x2800)))
    (call $errno $"opened dir fd_prestat_get" (call $fd_prestat_get (i32.load (i32.const 0x2800)) (i32.const 0x2000)))
    (call $errno $"opened dir fd_prestat_dir_name" (call $fd_prestat_dir_name (i32.load (i32.const 0x2800)) (i32.const 0x3000) (i32.const 8))))
)
