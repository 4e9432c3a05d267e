;; harness/bench/syscall_iso.py's module: the syscall workload's two calls
;; (fd_pwrite, fd_pread of 16 B at offsets cycling over 64 KiB, as
;; programs/syscall.c makes them) in a loop, through the polyfill's imports,
;; and the same loop through empty imports of the same signature ("iso"),
;; one with the i64 offset and one with an i32 in its place; and the i64
;; signature reached through a wasm function that passes the offset on to
;; JS as two i32 halves (what a trampoline in the glue would do).
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pwrite" (func $pwrite (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pread" (func $pread (param i32 i32 i32 i64 i32) (result i32)))
  (import "iso" "noop" (func $noop (param i32 i32 i32 i64 i32) (result i32)))
  (import "iso" "noop32" (func $noop32 (param i32 i32 i32 i32 i32) (result i32)))
  (import "iso" "split" (func $split (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "f")
  (data (i32.const 200) "\2c\01\00\00\10\00\00\00") ;; one iovec: 16 B at 300
  ;; creates /f in the first preopen (fd 3); its fd at 404; the errno
  (func (export "open") (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 1)
      (i64.const 0x1fffffff) (i64.const 0x1fffffff) (i32.const 0) (i32.const 404)))
  (func (export "fd") (result i32) (i32.load (i32.const 404)))
  (func $offset (param $i i32) (result i32) (i32.and (i32.mul (local.get $i) (i32.const 16)) (i32.const 65535)))
  ;; each loop: n calls; the OR of their results (0: all succeeded)
  (func (export "pwrite") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.or (local.get $acc) (call $pwrite (i32.load (i32.const 404)) (i32.const 200) (i32.const 1)
        (i64.extend_i32_u (call $offset (local.get $i))) (i32.const 400))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "pread") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.or (local.get $acc) (call $pread (i32.load (i32.const 404)) (i32.const 200) (i32.const 1)
        (i64.extend_i32_u (call $offset (local.get $i))) (i32.const 400))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "noop") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.or (local.get $acc) (call $noop (i32.load (i32.const 404)) (i32.const 200) (i32.const 1)
        (i64.extend_i32_u (call $offset (local.get $i))) (i32.const 400))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "noop32") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.or (local.get $acc) (call $noop32 (i32.load (i32.const 404)) (i32.const 200) (i32.const 1)
        (call $offset (local.get $i)) (i32.const 400))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  ;; fd_pwrite's signature in wasm, the offset handed to JS as two i32s
  (func $trampoline (param i32 i32 i32 i64 i32) (result i32)
    (call $split (local.get 0) (local.get 1) (local.get 2) (i32.wrap_i64 (local.get 3))
      (i32.wrap_i64 (i64.shr_u (local.get 3) (i64.const 32))) (local.get 4)))
  (func (export "split") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.or (local.get $acc) (call $trampoline (i32.load (i32.const 404)) (i32.const 200) (i32.const 1)
        (i64.extend_i32_u (call $offset (local.get $i))) (i32.const 400))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
)
