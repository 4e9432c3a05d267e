;; A plain wasm trap after some output: the output is kept, the status is 134.
(module
;;@include prelude.wat
  (func $deeper (call $line $"in deeper") unreachable)
  (func (export "_start")
    (call $line $"before the trap")
    (call $deeper)
    (call $line $"after the trap"))
)
