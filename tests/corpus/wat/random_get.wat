;; random_get fills exactly the buffer it is given (checked with canaries,
;; never printing the bytes); zero-length and large requests.
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
;;@include prelude.wat

  ;; number of bytes in [p, p+n) that are not 0xAA (from the canary)
  (func $count (param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $c i32)
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.add (local.get $c) (i32.ne (i32.load8_u (local.get $p)) (i32.const 0xAA))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $each)))
    (local.get $c))

  (func (export "_start")
    (call $canary (i32.const 0x3000) (i32.const 0x4000))
    (call $errno $"random_get 256" (call $random_get (i32.const 0x3010) (i32.const 256)))
    (call $val $"  canary bytes before the buffer changed: " (i64.extend_i32_u (call $count (i32.const 0x3000) (i32.const 16))))
    (call $val $"  canary bytes after the buffer changed: " (i64.extend_i32_u (call $count (i32.const 0x3110) (i32.const 16))))
    (call $puts $"  buffer looks random (>200 of 256 bytes not 0xAA): ")
    (if (i32.gt_u (call $count (i32.const 0x3010) (i32.const 256)) (i32.const 200))
      (then (call $line $"yes")) (else (call $line $"no")))
    (call $canary (i32.const 0x3000) (i32.const 0x100))
    (call $errno $"random_get 0" (call $random_get (i32.const 0x3000) (i32.const 0)))
    (call $val $"  changed: " (i64.extend_i32_u (call $count (i32.const 0x3000) (i32.const 0x100))))
    (call $errno $"random_get 0 at the end of memory" (call $random_get (i32.const 0x10000) (i32.const 0)))
    (call $errno $"random_get 16 KiB" (call $random_get (i32.const 0x3000) (i32.const 0x4000))))
)
