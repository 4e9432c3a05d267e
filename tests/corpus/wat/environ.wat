;; environ_sizes_get and environ_get: "NAME=value" strings, NUL-terminated,
;; in the order given; nothing written past the sizes.
(module
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
;;@include prelude.wat

  (func (export "_start")
    (local $n i32) (local $size i32) (local $i i32) (local $p i32)
    (call $canary (i32.const 0x2000) (i32.const 16))
    (call $errno $"environ_sizes_get" (call $environ_sizes_get (i32.const 0x2000) (i32.const 0x2008)))
    (call $changed $"sizes" (i32.const 0x2000) (i32.const 16))
    (local.set $n (i32.load (i32.const 0x2000)))
    (local.set $size (i32.load (i32.const 0x2008)))
    (call $val $"environ_count=" (i64.extend_i32_u (local.get $n)))
    (call $val $"environ_buf_size=" (i64.extend_i32_u (local.get $size)))
    (call $canary (i32.const 0x3000) (i32.const 0x1000))
    (call $canary (i32.const 0x4000) (i32.const 0x3000))
    (call $errno $"environ_get" (call $environ_get (i32.const 0x3000) (i32.const 0x4000)))
    (call $changed $"environ array" (i32.const 0x3000) (i32.const 0x1000))
    (call $changed $"environ_buf" (i32.const 0x4000) (i32.const 0x3000))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (i32.load (i32.add (i32.const 0x3000) (i32.shl (local.get $i) (i32.const 2)))))
        (call $puts $"environ[")
        (call $put_u64 (i64.extend_i32_u (local.get $i)))
        (call $puts $"] at +")
        (call $put_u64 (i64.extend_i32_u (i32.sub (local.get $p) (i32.const 0x4000))))
        (call $puts $": ")
        (call $puts (local.get $p))
        (call $nl)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))
)
