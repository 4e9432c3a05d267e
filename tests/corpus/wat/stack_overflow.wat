;; Unbounded recursion exhausts the stack: a trap like any other.
(module
;;@include prelude.wat
  (func $down (param $n i64) (result i64)
    (i64.add (call $down (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))
  (func (export "_start")
    (call $line $"recursing")
    (drop (call $down (i64.const 0)))
    (call $line $"returned"))
)
