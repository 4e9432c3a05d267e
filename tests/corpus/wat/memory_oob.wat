;; A load past the end of memory traps.
(module
;;@include prelude.wat
  (func (export "_start")
    (call $line $"loading from 0x10000")
    (drop (i32.load (i32.const 0x10000)))
    (call $line $"loaded"))
)
