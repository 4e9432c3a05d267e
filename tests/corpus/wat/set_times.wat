;; fd_filestat_set_times and path_filestat_set_times: explicit times read back
;; exactly, *_NOW moves a time forward, contradictory flags are EINVAL, and
;; symlinks are followed or not.
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_times" (func $fd_filestat_set_times (param i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_set_times" (func $path_filestat_set_times (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
;;@include prelude.wat

  ;; filestat at 0x2000: atim at +40, mtim at +48
  (func $times (param $label i32) (param $flags i32) (param $p i32) (param $len i32)
    (local $e i32)
    (local.set $e (call $path_filestat_get (i32.const 3) (local.get $flags) (local.get $p) (local.get $len) (i32.const 0x2000)))
    (if (local.get $e)
      (then (call $errno (local.get $label) (local.get $e)))
      (else
        (call $puts (local.get $label))
        (call $puts $" atim=")
        (call $put_u64 (i64.load (i32.const 0x2028)))
        (call $puts $" mtim=")
        (call $put_u64 (i64.load (i32.const 0x2030)))
        (call $nl))))

  (func $mtim (param $p i32) (param $len i32) (result i64)
    (drop (call $path_filestat_get (i32.const 3) (i32.const 1) (local.get $p) (local.get $len) (i32.const 0x2000)))
    (i64.load (i32.const 0x2030)))

  (func (export "_start")
    (local $fd i32) (local $before i64)
    (call $errno $"open hello.txt" (call $path_open (i32.const 3) (i32.const 0) $$"hello.txt" (i32.const 0)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2800)))
    (local.set $fd (i32.load (i32.const 0x2800)))
    ;; ATIM|MTIM with explicit values
    (call $errno $"fd set atim+mtim" (call $fd_filestat_set_times (local.get $fd)
      (i64.const 1000000000123456789) (i64.const 1200000000987654321) (i32.const 5)))
    (call $times $"  hello.txt" (i32.const 1) $$"hello.txt")
    ;; only MTIM: atim unchanged
    (call $errno $"fd set mtim only" (call $fd_filestat_set_times (local.get $fd) (i64.const 42) (i64.const 1300000000000000001) (i32.const 4)))
    (call $times $"  hello.txt" (i32.const 1) $$"hello.txt")
    ;; only ATIM
    (call $errno $"fd set atim only" (call $fd_filestat_set_times (local.get $fd) (i64.const 7) (i64.const 42) (i32.const 1)))
    (call $times $"  hello.txt" (i32.const 1) $$"hello.txt")
    ;; no flags: nothing changes
    (call $errno $"fd set nothing" (call $fd_filestat_set_times (local.get $fd) (i64.const 1) (i64.const 1) (i32.const 0)))
    (call $times $"  hello.txt" (i32.const 1) $$"hello.txt")
    ;; the epoch itself
    (call $errno $"fd set both to 0" (call $fd_filestat_set_times (local.get $fd) (i64.const 0) (i64.const 0) (i32.const 5)))
    (call $times $"  hello.txt" (i32.const 1) $$"hello.txt")
    ;; MTIM_NOW: later than the epoch, and the given value is ignored
    (local.set $before (call $mtim $$"hello.txt"))
    (call $errno $"fd set mtim now" (call $fd_filestat_set_times (local.get $fd) (i64.const 0) (i64.const 5) (i32.const 8)))
    (call $puts $"  mtim advanced: ")
    (if (i64.gt_u (call $mtim $$"hello.txt") (i64.const 1577836800000000000))
      (then (call $line $"yes")) (else (call $line $"no")))
    ;; contradictory flags
    (call $errno $"fd atim+atim_now" (call $fd_filestat_set_times (local.get $fd) (i64.const 0) (i64.const 0) (i32.const 3)))
    (call $errno $"fd mtim+mtim_now" (call $fd_filestat_set_times (local.get $fd) (i64.const 0) (i64.const 0) (i32.const 12)))
    (call $errno $"fd on stdout" (call $fd_filestat_set_times (i32.const 1) (i64.const 0) (i64.const 0) (i32.const 5)))
    (call $errno $"fd on the preopen" (call $fd_filestat_set_times (i32.const 3) (i64.const 5) (i64.const 6) (i32.const 5)))
    ;; path_filestat_set_times
    (call $errno $"path set dir/inner.txt" (call $path_filestat_set_times (i32.const 3) (i32.const 1) $$"dir/inner.txt"
      (i64.const 111) (i64.const 222) (i32.const 5)))
    (call $times $"  dir/inner.txt" (i32.const 1) $$"dir/inner.txt")
    (call $errno $"path set dir" (call $path_filestat_set_times (i32.const 3) (i32.const 1) $$"dir"
      (i64.const 333) (i64.const 444) (i32.const 5)))
    (call $times $"  dir" (i32.const 1) $$"dir")
    (call $errno $"path set through link-to-hello (follow)" (call $path_filestat_set_times (i32.const 3) (i32.const 1) $$"link-to-hello"
      (i64.const 555) (i64.const 666) (i32.const 5)))
    (call $times $"  hello.txt" (i32.const 1) $$"hello.txt")
    (call $errno $"path set link-to-hello itself (nofollow)" (call $path_filestat_set_times (i32.const 3) (i32.const 0) $$"link-to-hello"
      (i64.const 777) (i64.const 888) (i32.const 5)))
    (call $times $"  link-to-hello (lstat)" (i32.const 0) $$"link-to-hello")
    (call $times $"  hello.txt" (i32.const 1) $$"hello.txt")
    (call $errno $"path set dangling (follow)" (call $path_filestat_set_times (i32.const 3) (i32.const 1) $$"dangling"
      (i64.const 1) (i64.const 2) (i32.const 5)))
    (call $errno $"path set missing" (call $path_filestat_set_times (i32.const 3) (i32.const 1) $$"missing"
      (i64.const 1) (i64.const 2) (i32.const 5)))
    (call $errno $"path set atim+atim_now" (call $path_filestat_set_times (i32.const 3) (i32.const 1) $$"hello.txt"
      (i64.const 1) (i64.const 2) (i32.const 3)))
    (call $errno $"path set .." (call $path_filestat_set_times (i32.const 3) (i32.const 1) $$".."
      (i64.const 1) (i64.const 2) (i32.const 5))))
)
