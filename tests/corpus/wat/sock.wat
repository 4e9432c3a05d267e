;; The socket calls on things that are not sockets (preview1 has no way to
;; create one): stdio, the preopen, a file.
(module
  (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send" (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $sock_shutdown (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
;;@include prelude.wat

  (func $sweep (param $label i32) (param $fd i32)
    (call $line (local.get $label))
    (i32.store (i32.const 0x1800) (i32.const 0x3000))
    (i32.store (i32.const 0x1804) (i32.const 8))
    (call $errno $"  sock_accept" (call $sock_accept (local.get $fd) (i32.const 0) (i32.const 0x2000)))
    (call $errno $"  sock_accept nonblock" (call $sock_accept (local.get $fd) (i32.const 4) (i32.const 0x2000)))
    (call $errno $"  sock_recv" (call $sock_recv (local.get $fd) (i32.const 0x1800) (i32.const 1) (i32.const 0) (i32.const 0x2000) (i32.const 0x2004)))
    (call $errno $"  sock_recv peek|waitall" (call $sock_recv (local.get $fd) (i32.const 0x1800) (i32.const 1) (i32.const 3) (i32.const 0x2000) (i32.const 0x2004)))
    (call $errno $"  sock_send" (call $sock_send (local.get $fd) (i32.const 0x1800) (i32.const 1) (i32.const 0) (i32.const 0x2000)))
    (call $errno $"  sock_shutdown rd" (call $sock_shutdown (local.get $fd) (i32.const 1)))
    (call $errno $"  sock_shutdown rd|wr" (call $sock_shutdown (local.get $fd) (i32.const 3))))

  (func (export "_start")
    (call $sweep $"stdin" (i32.const 0))
    (call $sweep $"stdout" (i32.const 1))
    (call $sweep $"preopen" (i32.const 3))
    (call $errno $"open hello.txt" (call $path_open (i32.const 3) (i32.const 0) $$"hello.txt" (i32.const 0)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2800)))
    (call $sweep $"file" (i32.load (i32.const 0x2800))))
)
