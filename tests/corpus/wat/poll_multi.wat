;; poll_oneoff with several subscriptions ready at once (issue #18): fd_write
;; on files, stdout and stderr (ready at once) and clocks already due (relative
;; 0, absolute in 1970), together — how many events and in which order wasmtime
;; reports them: every ready fd in subscription order, and the due clocks only
;; when no fd is ready (a due clock still takes wasmtime a poll round), in
;; subscription order. fd_read on a file or stdin is left out: wasmtime reads
;; files on a worker thread, so whether that event comes with the others
;; depends on timing (seen both ways in a few runs).
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
;;@include prelude.wat

  ;; subscription i at 0x3000 + 48i: userdata 0, tag 8, then at 16:
  ;;   clock: id 16, timeout 24, precision 32, flags 40;  fd: fd 16
  (func $sub_clock (param $i i32) (param $ud i64) (param $id i32) (param $timeout i64) (param $flags i32)
    (local $p i32)
    (local.set $p (i32.add (i32.const 0x3000) (i32.mul (local.get $i) (i32.const 48))))
    (memory.fill (local.get $p) (i32.const 0) (i32.const 48))
    (i64.store (local.get $p) (local.get $ud))
    (i32.store8 offset=8 (local.get $p) (i32.const 0))
    (i32.store offset=16 (local.get $p) (local.get $id))
    (i64.store offset=24 (local.get $p) (local.get $timeout))
    (i64.store offset=32 (local.get $p) (i64.const 0))
    (i32.store16 offset=40 (local.get $p) (local.get $flags)))

  (func $sub_fd (param $i i32) (param $ud i64) (param $type i32) (param $fd i32)
    (local $p i32)
    (local.set $p (i32.add (i32.const 0x3000) (i32.mul (local.get $i) (i32.const 48))))
    (memory.fill (local.get $p) (i32.const 0) (i32.const 48))
    (i64.store (local.get $p) (local.get $ud))
    (i32.store8 offset=8 (local.get $p) (local.get $type))
    (i32.store offset=16 (local.get $p) (local.get $fd)))

  ;; events at 0x4000 + 32i: userdata 0, error 8, type 10, nbytes 16, flags 24
  (func $poll (param $label i32) (param $n i32) (param $show_nbytes i32)
    (local $e i32) (local $k i32) (local $i i32) (local $p i32)
    (call $canary (i32.const 0x4000) (i32.const 0x200))
    (i32.store (i32.const 0x2000) (i32.const 0xdead))
    (local.set $e (call $poll_oneoff (i32.const 0x3000) (i32.const 0x4000) (local.get $n) (i32.const 0x2000)))
    (call $errno (local.get $label) (local.get $e))
    (local.set $k (i32.load (i32.const 0x2000)))
    (call $val $"  nevents=" (i64.extend_i32_u (local.get $k)))
    (if (i32.eqz (local.get $e))
      (then
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $i) (local.get $k)))
            (local.set $p (i32.add (i32.const 0x4000) (i32.shl (local.get $i) (i32.const 5))))
            (call $puts $"  event userdata=")
            (call $put_u64 (i64.load (local.get $p)))
            (call $puts $" error=")
            (call $put_u64 (i64.load16_u offset=8 (local.get $p)))
            (call $puts $" type=")
            (call $put_u64 (i64.load8_u offset=10 (local.get $p)))
            (if (local.get $show_nbytes)
              (then
                (call $puts $" nbytes=")
                (call $put_u64 (i64.load offset=16 (local.get $p)))))
            (call $puts $" flags=")
            (call $put_u64 (i64.load16_u offset=24 (local.get $p)))
            (call $nl)
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $each))))))

  (func (export "_start")
    (local $file i32)
    (call $errno $"open hello.txt" (call $path_open (i32.const 3) (i32.const 0) $$"hello.txt" (i32.const 0)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2800)))
    (local.set $file (i32.load (i32.const 0x2800)))
    (call $sub_fd (i32.const 0) (i64.const 41) (i32.const 2) (local.get $file))
    (call $sub_fd (i32.const 1) (i64.const 42) (i32.const 2) (i32.const 1))
    (call $sub_fd (i32.const 2) (i64.const 43) (i32.const 2) (i32.const 2))
    (call $poll $"file, stdout, stderr writes" (i32.const 3) (i32.const 0))
    (call $sub_fd (i32.const 0) (i64.const 51) (i32.const 2) (i32.const 2))
    (call $sub_fd (i32.const 1) (i64.const 52) (i32.const 2) (local.get $file))
    (call $sub_fd (i32.const 2) (i64.const 53) (i32.const 2) (i32.const 1))
    (call $poll $"stderr, file, stdout writes" (i32.const 3) (i32.const 0))
    (call $sub_clock (i32.const 0) (i64.const 61) (i32.const 1) (i64.const 0) (i32.const 0))
    (call $sub_fd (i32.const 1) (i64.const 62) (i32.const 2) (local.get $file))
    (call $poll $"monotonic relative 0 + file write" (i32.const 2) (i32.const 0))
    (call $sub_clock (i32.const 0) (i64.const 71) (i32.const 0) (i64.const 1000) (i32.const 1))
    (call $sub_fd (i32.const 1) (i64.const 72) (i32.const 2) (local.get $file))
    (call $sub_fd (i32.const 2) (i64.const 73) (i32.const 2) (i32.const 1))
    (call $poll $"realtime absolute 1970 + file and stdout writes" (i32.const 3) (i32.const 0))
    (call $sub_clock (i32.const 0) (i64.const 81) (i32.const 1) (i64.const 0) (i32.const 0))
    (call $sub_clock (i32.const 1) (i64.const 82) (i32.const 0) (i64.const 1000) (i32.const 1))
    (call $poll $"two clocks due" (i32.const 2) (i32.const 0))
    (call $sub_clock (i32.const 0) (i64.const 91) (i32.const 0) (i64.const 1000) (i32.const 1))
    (call $sub_clock (i32.const 1) (i64.const 92) (i32.const 1) (i64.const 10000000000) (i32.const 0))
    (call $sub_clock (i32.const 2) (i64.const 93) (i32.const 1) (i64.const 0) (i32.const 0))
    (call $poll $"due, 10s, due" (i32.const 3) (i32.const 0)))
)
