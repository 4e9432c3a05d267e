;; fd_read from stdin: several iovecs (how many bytes one call moves), empty
;; iovecs, reading to EOF, and reads from fds that are not readable.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
;;@include prelude.wat

  (func $iov (param $i i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.add (i32.const 0x1800) (i32.shl (local.get $i) (i32.const 3))) (local.get $ptr))
    (i32.store (i32.add (i32.const 0x1804) (i32.shl (local.get $i) (i32.const 3))) (local.get $len)))

  (func $try (param $label i32) (param $fd i32) (param $n i32) (result i32)
    (local $e i32) (local $got i32)
    (call $canary (i32.const 0x3000) (i32.const 0x100))
    (i32.store (i32.const 0x2000) (i32.const 0xdead))
    (local.set $e (call $fd_read (local.get $fd) (i32.const 0x1800) (local.get $n) (i32.const 0x2000)))
    (call $errno (local.get $label) (local.get $e))
    (local.set $got (i32.load (i32.const 0x2000)))
    (call $val $"  nread=" (i64.extend_i32_u (local.get $got)))
    (call $changed $"  buffers" (i32.const 0x3000) (i32.const 0x100))
    (if (i32.and (i32.eqz (local.get $e)) (i32.ne (local.get $got) (i32.const 0)))
      (then
        (call $puts $"  bytes at the first buffer: ")
        (call $write (i32.const 0x3000) (local.get $got))
        (call $nl)))
    (local.get $got))

  (func (export "_start")
    (call $iov (i32.const 0) (i32.const 0x3000) (i32.const 3))
    (call $iov (i32.const 1) (i32.const 0x3080) (i32.const 4))
    (drop (call $try $"two iovecs (3, 4)" (i32.const 0) (i32.const 2)))
    (call $iov (i32.const 0) (i32.const 0x3000) (i32.const 0))
    (drop (call $try $"one empty iovec" (i32.const 0) (i32.const 1)))
    (drop (call $try $"zero iovecs" (i32.const 0) (i32.const 0)))
    (call $iov (i32.const 0) (i32.const 0x3000) (i32.const 0))
    (call $iov (i32.const 1) (i32.const 0x3000) (i32.const 5))
    (drop (call $try $"empty then 5" (i32.const 0) (i32.const 2)))
    (call $iov (i32.const 0) (i32.const 0x3000) (i32.const 64))
    (block $eof
      (loop $more
        (br_if $eof (i32.eqz (call $try $"rest" (i32.const 0) (i32.const 1))))
        (br $more)))
    (drop (call $try $"after EOF" (i32.const 0) (i32.const 1)))
    (drop (call $try $"stdout" (i32.const 1) (i32.const 1)))
    (drop (call $try $"preopened dir" (i32.const 3) (i32.const 1))))
)
