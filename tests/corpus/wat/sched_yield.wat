;; sched_yield, a few times.
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
;;@include prelude.wat
  (func (export "_start")
    (call $errno $"sched_yield" (call $sched_yield))
    (call $errno $"sched_yield" (call $sched_yield))
    (call $errno $"sched_yield" (call $sched_yield)))
)
