;; clock_res_get and clock_time_get for the four clocks: which work, and
;; properties of the values (never the values themselves).
(module
  (import "wasi_snapshot_preview1" "clock_res_get" (func $clock_res_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
;;@include prelude.wat

  (func $yesno (param $label i32) (param $ok i32)
    (call $puts (local.get $label))
    (if (local.get $ok) (then (call $line $"yes")) (else (call $line $"no"))))

  (func $clock (param $id i32) (param $name i32)
    (local $e i32) (local $t1 i64) (local $t2 i64)
    (call $line (local.get $name))
    (call $canary (i32.const 0x2000) (i32.const 16))
    (local.set $e (call $clock_res_get (local.get $id) (i32.const 0x2000)))
    (call $errno $"  clock_res_get" (local.get $e))
    (if (local.get $e) (then (call $changed $"  res" (i32.const 0x2000) (i32.const 16))))
    (if (i32.eqz (local.get $e))
      (then (call $yesno $"  res in (0, 1s]: "
        (i32.and (i64.gt_u (i64.load (i32.const 0x2000)) (i64.const 0))
                 (i64.le_u (i64.load (i32.const 0x2000)) (i64.const 1000000000))))))
    (call $canary (i32.const 0x2000) (i32.const 16))
    (local.set $e (call $clock_time_get (local.get $id) (i64.const 1) (i32.const 0x2000)))
    (call $errno $"  clock_time_get" (local.get $e))
    (if (local.get $e) (then (call $changed $"  time" (i32.const 0x2000) (i32.const 16))))
    (if (i32.eqz (local.get $e))
      (then
        (local.set $t1 (i64.load (i32.const 0x2000)))
        (drop (call $clock_time_get (local.get $id) (i64.const 0) (i32.const 0x2000)))
        (local.set $t2 (i64.load (i32.const 0x2000)))
        (call $yesno $"  second reading >= first: " (i64.ge_u (local.get $t2) (local.get $t1)))
        (if (i32.eqz (local.get $id))
          (then (call $yesno $"  after 2020 and before 2100: "
            (i32.and (i64.gt_u (local.get $t1) (i64.const 1577836800000000000))
                     (i64.lt_u (local.get $t1) (i64.const 4102444800000000000))))))))
    ;; an enormous precision is only a hint
    (call $errno $"  clock_time_get precision=2^64-1" (call $clock_time_get (local.get $id) (i64.const -1) (i32.const 0x2000))))

  (func (export "_start")
    (call $clock (i32.const 0) $"realtime")
    (call $clock (i32.const 1) $"monotonic")
    (call $clock (i32.const 2) $"process_cputime_id")
    (call $clock (i32.const 3) $"thread_cputime_id"))
)
