;; proc_raise with a few signals (wasmtime does not support it).
(module
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
;;@include prelude.wat
  (func (export "_start")
    (call $errno $"proc_raise none (0)" (call $proc_raise (i32.const 0)))
    (call $errno $"proc_raise winch (28)" (call $proc_raise (i32.const 28)))
    (call $errno $"proc_raise usr1 (10)" (call $proc_raise (i32.const 10)))
    (call $errno $"proc_raise abrt (6)" (call $proc_raise (i32.const 6)))
    (call $errno $"proc_raise kill (9)" (call $proc_raise (i32.const 9)))
    (call $line $"still running"))
)
