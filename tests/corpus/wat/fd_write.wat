;; fd_write's iovec handling: several buffers, empty ones, none at all, and
;; writes to fds that are not writable.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
;;@include prelude.wat

  ;; iovec i at 0x1800 + 8i
  (func $iov (param $i i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.add (i32.const 0x1800) (i32.shl (local.get $i) (i32.const 3))) (local.get $ptr))
    (i32.store (i32.add (i32.const 0x1804) (i32.shl (local.get $i) (i32.const 3))) (local.get $len)))

  (func $try (param $label i32) (param $fd i32) (param $n i32)
    (local $e i32)
    (i32.store (i32.const 0x2000) (i32.const 0xdead))
    (local.set $e (call $fd_write (local.get $fd) (i32.const 0x1800) (local.get $n) (i32.const 0x2000)))
    (call $nl)
    (call $errno (local.get $label) (local.get $e))
    (call $val $"  nwritten=" (i64.load32_u (i32.const 0x2000))))

  (func (export "_start")
    (call $iov (i32.const 0) $"one" (i32.const 3))
    (call $try $"one iovec" (i32.const 1) (i32.const 1))
    (call $iov (i32.const 0) $"ab" (i32.const 2))
    (call $iov (i32.const 1) $"cd" (i32.const 2))
    (call $iov (i32.const 2) $"ef" (i32.const 2))
    (call $try $"three iovecs" (i32.const 1) (i32.const 3))
    (call $iov (i32.const 0) $"x" (i32.const 0))
    (call $iov (i32.const 1) $"gh" (i32.const 2))
    (call $iov (i32.const 2) $"ij" (i32.const 2))
    (call $try $"empty first iovec" (i32.const 1) (i32.const 3))
    (call $iov (i32.const 0) $"x" (i32.const 0))
    (call $iov (i32.const 1) $"x" (i32.const 0))
    (call $try $"two empty iovecs" (i32.const 1) (i32.const 2))
    (call $try $"zero iovecs" (i32.const 1) (i32.const 0))
    (call $iov (i32.const 0) $"to stderr\n" (i32.const 10))
    (call $try $"stderr" (i32.const 2) (i32.const 1))
    (call $iov (i32.const 0) $"nope" (i32.const 4))
    (call $try $"stdin" (i32.const 0) (i32.const 1))
    (call $try $"preopened dir" (i32.const 3) (i32.const 1)))
)
