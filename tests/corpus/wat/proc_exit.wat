;; proc_exit from three calls deep with the code in argv[1] (decimal): the
;; status is the code; wasmtime refuses codes >= 126 with a trap.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
;;@include prelude.wat

  (func $code (result i32)
    (local $p i32) (local $n i32) (local $c i32)
    (drop (call $args_sizes_get (i32.const 0x1000) (i32.const 0x1004)))
    (if (i32.lt_u (i32.load (i32.const 0x1000)) (i32.const 2)) (then (return (i32.const 0))))
    (drop (call $args_get (i32.const 0x1010) (i32.const 0x1100)))
    (local.set $p (i32.load (i32.const 0x1014)))
    (block $done
      (loop $digit
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $done (i32.eqz (local.get $c)))
        (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $digit)))
    (local.get $n))

  (func $level3 (param $c i32)
    (call $val $"exiting with " (i64.extend_i32_u (local.get $c)))
    (call $proc_exit (local.get $c))
    (call $line $"still running after proc_exit"))
  (func $level2 (param $c i32) (call $level3 (local.get $c)) (call $line $"back in level2"))
  (func $level1 (param $c i32) (call $level2 (local.get $c)) (call $line $"back in level1"))

  (func (export "_start")
    (call $level1 (call $code))
    (call $line $"back in _start"))
)
