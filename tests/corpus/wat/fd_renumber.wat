;; fd_renumber: moving a file onto another open fd (which is closed), onto
;; itself, onto unopened fds, onto stdout (later output goes into the file),
;; and a preopen onto a file's fd.
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
;;@include prelude.wat

  (func $open (param $p i32) (param $l i32) (result i32)
    (call $errno $"open" (call $path_open (i32.const 3) (i32.const 0) (local.get $p) (local.get $l) (i32.const 1)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2800)))
    (call $val $"  fd=" (i64.load32_u (i32.const 0x2800)))
    (i32.load (i32.const 0x2800)))

  (func $first_bytes (param $label i32) (param $fd i32)
    (local $e i32)
    (i32.store (i32.const 0x1800) (i32.const 0x3000))
    (i32.store (i32.const 0x1804) (i32.const 5))
    (local.set $e (call $fd_read (local.get $fd) (i32.const 0x1800) (i32.const 1) (i32.const 0x2000)))
    (call $puts (local.get $label))
    (if (local.get $e)
      (then (call $errno $"" (local.get $e)))
      (else (call $puts $" reads: ") (call $write (i32.const 0x3000) (i32.load (i32.const 0x2000))) (call $nl))))

  (func (export "_start")
    (local $a i32) (local $b i32) (local $c i32)
    (local.set $a (call $open $$"hello.txt"))
    (local.set $b (call $open $$"dir/inner.txt"))
    (call $errno $"renumber a -> b" (call $fd_renumber (local.get $a) (local.get $b)))
    (call $first_bytes $"  a" (local.get $a))
    (call $first_bytes $"  b" (local.get $b))
    (call $errno $"renumber b -> b" (call $fd_renumber (local.get $b) (local.get $b)))
    (call $first_bytes $"  b" (local.get $b))
    (call $errno $"renumber b -> 20 (not open)" (call $fd_renumber (local.get $b) (i32.const 20)))
    (call $first_bytes $"  b" (local.get $b))
    (call $first_bytes $"  20" (i32.const 20))
    (call $errno $"renumber 20 -> b (not open)" (call $fd_renumber (i32.const 20) (local.get $b)))
    ;; the freed number is reused by the next open
    (local.set $c (call $open $$"empty.txt"))
    ;; a file onto stdout: what follows goes into out.txt
    (local.set $a (call $open $$"out.txt"))
    (call $errno $"renumber out.txt -> stdout" (call $fd_renumber (local.get $a) (i32.const 1)))
    (call $line $"this line went into out.txt")
    (call $errno $"renumber the preopen 3 -> c" (call $fd_renumber (i32.const 3) (local.get $c)))
    (call $errno $"  fd_fdstat_get 3" (call $fd_fdstat_get (i32.const 3) (i32.const 0x2000)))
    (call $errno $"  fd_fdstat_get c" (call $fd_fdstat_get (local.get $c) (i32.const 0x2000)))
    (call $val $"  c filetype=" (i64.load8_u (i32.const 0x2000)))
    (call $errno $"renumber c -> 3 (3 is closed now)" (call $fd_renumber (local.get $c) (i32.const 3)))
    (call $errno $"renumber stdin -> stderr" (call $fd_renumber (i32.const 0) (i32.const 2)))
    (call $errno $"  fd_fdstat_get stdin" (call $fd_fdstat_get (i32.const 0) (i32.const 0x2000))))
)
