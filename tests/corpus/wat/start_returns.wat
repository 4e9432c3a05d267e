;; A _start that returns without calling proc_exit and prints nothing: status 0.
(module
  (memory (export "memory") 1)
  (func (export "_start")))
