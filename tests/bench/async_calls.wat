;; Async-mode benchmark module (tests/bench/async_bench.mjs): a reactor whose
;; exports call one preview1 import N times.
;;   loop_clock(n)  clock_time_get(monotonic)   never waits
;;   loop_write(n)  fd_write(1, 1 byte)         waits only on a full WritableStream
;;   loop_write_fd(fd, n)  fd_write(fd, 1 byte)  (a MemFS file: no stdio function)
;;   loop_read(n)   fd_read(0, 1 byte)          waits when stdin has nothing yet
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; an iovec at 0: one byte at 16; results at 32
  (data (i32.const 0) "\10\00\00\00\01\00\00\00")
  (data (i32.const 16) "x")
  (func (export "_initialize"))
  (func (export "loop_clock") (param $n i32)
    (loop $l
      (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 32)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "loop_write") (param $n i32)
    (loop $l
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "loop_write_fd") (param $fd i32) (param $n i32)
    (loop $l
      (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 32)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "loop_read") (param $n i32)
    (loop $l
      (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 32)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
