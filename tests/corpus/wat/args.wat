;; args_sizes_get and args_get: the exact layout args_get writes (pointers into
;; argv_buf, each string NUL-terminated, nothing written past the sizes).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
;;@include prelude.wat

  (func (export "_start")
    (local $argc i32) (local $size i32) (local $i i32) (local $p i32)
    (call $canary (i32.const 0x2000) (i32.const 16))
    (call $errno $"args_sizes_get" (call $args_sizes_get (i32.const 0x2000) (i32.const 0x2008)))
    (call $changed $"sizes" (i32.const 0x2000) (i32.const 16))
    (local.set $argc (i32.load (i32.const 0x2000)))
    (local.set $size (i32.load (i32.const 0x2008)))
    (call $val $"argc=" (i64.extend_i32_u (local.get $argc)))
    (call $val $"argv_buf_size=" (i64.extend_i32_u (local.get $size)))
    ;; argv array at 0x3000, strings at 0x4000; both surrounded by canaries
    (call $canary (i32.const 0x3000) (i32.const 0x1000))
    (call $canary (i32.const 0x4000) (i32.const 0x3000))
    (call $errno $"args_get" (call $args_get (i32.const 0x3000) (i32.const 0x4000)))
    (call $changed $"argv array" (i32.const 0x3000) (i32.const 0x1000))
    (call $changed $"argv_buf" (i32.const 0x4000) (i32.const 0x3000))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $argc)))
        (local.set $p (i32.load (i32.add (i32.const 0x3000) (i32.shl (local.get $i) (i32.const 2)))))
        (call $puts $"argv[")
        (call $put_u64 (i64.extend_i32_u (local.get $i)))
        (call $puts $"] at +")
        (call $put_u64 (i64.extend_i32_u (i32.sub (local.get $p) (i32.const 0x4000))))
        (call $puts $" len ")
        (call $put_u64 (i64.extend_i32_u (call $strlen (local.get $p))))
        (call $puts $": ")
        (call $puts (local.get $p))
        (call $nl)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    ;; an argv_buf that is exactly the right size at the very end of memory works
    (call $errno $"args_get into the last bytes of memory"
      (call $args_get (i32.const 0x3000) (i32.sub (i32.const 0x10000) (local.get $size)))))
)
