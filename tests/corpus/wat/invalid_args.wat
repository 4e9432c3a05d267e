;; Arguments wiggle cannot decode: an enum value out of range or a flags value
;; with an undefined bit. wasmtime traps on these (wiggle's GuestError while
;; converting the argument) instead of returning EINVAL. Each is its own case:
;; argv[1]'s first letter picks the call. Values just inside the range are
;; checked too (they must not trap).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_res_get" (func $clock_res_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_advise" (func $fd_advise (param i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $fd_fdstat_set_flags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_rights" (func $fd_fdstat_set_rights (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_times" (func $fd_filestat_set_times (param i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $sock_shutdown (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (param i32 i32 i32) (result i32)))
;;@include prelude.wat

  ;; the first byte of argv[1], or 0
  (func $selector (result i32)
    (drop (call $args_sizes_get (i32.const 0x1000) (i32.const 0x1004)))
    (if (i32.lt_u (i32.load (i32.const 0x1000)) (i32.const 2)) (then (return (i32.const 0))))
    (drop (call $args_get (i32.const 0x1010) (i32.const 0x1100)))
    (i32.load8_u (i32.load (i32.const 0x1014))))

  (func (export "_start")
    (block $done
    (block $z (block $y (block $x (block $w (block $v (block $u (block $t (block $s (block $r (block $q
    (block $p (block $o (block $n (block $m (block $l (block $k (block $j (block $i (block $h (block $g
    (block $f (block $e (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d $e $f $g $h $i $j $k $l $m $n $o $p $q $r $s $t $u $v $w $x $y $z $done
        (i32.sub (call $selector) (i32.const 97))))
    ;; a: clockid 4
      (call $errno $"clock_time_get clockid=3" (call $clock_time_get (i32.const 3) (i64.const 0) (i32.const 0x2000)))
      (call $errno $"clock_time_get clockid=4" (call $clock_time_get (i32.const 4) (i64.const 0) (i32.const 0x2000)))
      (br $done))
    ;; b: clock_res_get clockid -1
      (call $errno $"clock_res_get clockid=-1" (call $clock_res_get (i32.const -1) (i32.const 0x2000)))
      (br $done))
    ;; c: whence 3
      (call $errno $"fd_seek whence=2" (call $fd_seek (i32.const 3) (i64.const 0) (i32.const 2) (i32.const 0x2000)))
      (call $errno $"fd_seek whence=3" (call $fd_seek (i32.const 3) (i64.const 0) (i32.const 3) (i32.const 0x2000)))
      (br $done))
    ;; d: whence 3 on a bad fd: the argument is decoded before the fd is looked up
      (call $errno $"fd_seek fd=99 whence=3" (call $fd_seek (i32.const 99) (i64.const 0) (i32.const 3) (i32.const 0x2000)))
      (br $done))
    ;; e: advice 6
      (call $errno $"fd_advise advice=5" (call $fd_advise (i32.const 3) (i64.const 0) (i64.const 0) (i32.const 5)))
      (call $errno $"fd_advise advice=6" (call $fd_advise (i32.const 3) (i64.const 0) (i64.const 0) (i32.const 6)))
      (br $done))
    ;; f: fdflags bit 5
      (call $errno $"fd_fdstat_set_flags fdflags=0x20" (call $fd_fdstat_set_flags (i32.const 1) (i32.const 0x20)))
      (br $done))
    ;; g: rights bit 30 (rights has 30 flags, 0..29)
      (call $errno $"fd_fdstat_set_rights base=0x3fffffff" (call $fd_fdstat_set_rights (i32.const 3) (i64.const 0x3fffffff) (i64.const 0x3fffffff)))
      (call $errno $"fd_fdstat_set_rights base=0x40000000" (call $fd_fdstat_set_rights (i32.const 3) (i64.const 0x40000000) (i64.const 0)))
      (br $done))
    ;; h: rights with the sign bit (an i64 < 0)
      (call $errno $"path_open rights=-1" (call $path_open (i32.const 3) (i32.const 0) $$"hello.txt" (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0x2000)))
      (br $done))
    ;; i: fstflags bit 4
      (call $errno $"fd_filestat_set_times fstflags=0x10" (call $fd_filestat_set_times (i32.const 3) (i64.const 0) (i64.const 0) (i32.const 0x10)))
      (br $done))
    ;; j: lookupflags bit 1
      (call $errno $"path_filestat_get lookupflags=2" (call $path_filestat_get (i32.const 3) (i32.const 2) $$"hello.txt" (i32.const 0x2000)))
      (br $done))
    ;; k: oflags bit 4
      (call $errno $"path_open oflags=0x10" (call $path_open (i32.const 3) (i32.const 0) $$"new.txt" (i32.const 0x10) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 0x2000)))
      (br $done))
    ;; l: path_open fdflags bit 5
      (call $errno $"path_open fdflags=0x20" (call $path_open (i32.const 3) (i32.const 0) $$"new.txt" (i32.const 1) (i64.const 0) (i64.const 0) (i32.const 0x20) (i32.const 0x2000)))
      (br $done))
    ;; m: path_link old_flags bit 1
      (call $errno $"path_link lookupflags=2" (call $path_link (i32.const 3) (i32.const 2) $$"hello.txt" (i32.const 3) $$"new-link"))
      (br $done))
    ;; n: signal 31 (signal has 31 values, 0..30)
      (call $errno $"proc_raise signal=30" (call $proc_raise (i32.const 30)))
      (call $errno $"proc_raise signal=31" (call $proc_raise (i32.const 31)))
      (br $done))
    ;; o: sdflags bit 2
      (call $errno $"sock_shutdown sdflags=4" (call $sock_shutdown (i32.const 3) (i32.const 4)))
      (br $done))
    ;; p: riflags bit 2
      (call $errno $"sock_recv riflags=4" (call $sock_recv (i32.const 3) (i32.const 0x1000) (i32.const 0) (i32.const 4) (i32.const 0x2000) (i32.const 0x2004)))
      (br $done))
    ;; q: sock_accept fdflags bit 5
      (call $errno $"sock_accept fdflags=0x20" (call $sock_accept (i32.const 3) (i32.const 0x20) (i32.const 0x2000)))
      (br $done))
    ;; r: poll_oneoff: subscription with eventtype 3
      (i64.store (i32.const 0x3000) (i64.const 7))        ;; userdata
      (i32.store8 (i32.const 0x3008) (i32.const 3))       ;; tag: not an eventtype
      (call $errno $"poll_oneoff eventtype=3" (call $poll_oneoff (i32.const 0x3000) (i32.const 0x3100) (i32.const 1) (i32.const 0x2000)))
      (call $val $"nevents=" (i64.load32_u (i32.const 0x2000)))
      (br $done))
    ;; s: poll_oneoff: clock subscription with subclockflags bit 1
      (i64.store (i32.const 0x3000) (i64.const 7))
      (i32.store8 (i32.const 0x3008) (i32.const 0))       ;; clock
      (i32.store (i32.const 0x3010) (i32.const 1))        ;; monotonic
      (i64.store (i32.const 0x3018) (i64.const 1000))     ;; timeout
      (i64.store (i32.const 0x3020) (i64.const 0))        ;; precision
      (i32.store16 (i32.const 0x3028) (i32.const 2))      ;; flags: undefined bit
      (call $errno $"poll_oneoff subclockflags=2" (call $poll_oneoff (i32.const 0x3000) (i32.const 0x3100) (i32.const 1) (i32.const 0x2000)))
      (call $val $"nevents=" (i64.load32_u (i32.const 0x2000)))
      (br $done))
    ;; t: poll_oneoff: clock subscription with clockid 9
      (i64.store (i32.const 0x3000) (i64.const 7))
      (i32.store8 (i32.const 0x3008) (i32.const 0))
      (i32.store (i32.const 0x3010) (i32.const 9))
      (i64.store (i32.const 0x3018) (i64.const 1000))
      (i64.store (i32.const 0x3020) (i64.const 0))
      (i32.store16 (i32.const 0x3028) (i32.const 0))
      (call $errno $"poll_oneoff clockid=9" (call $poll_oneoff (i32.const 0x3000) (i32.const 0x3100) (i32.const 1) (i32.const 0x2000)))
      (call $val $"nevents=" (i64.load32_u (i32.const 0x2000)))
      (br $done))
    ;; u: fstflags: all four defined bits (ATIM|ATIM_NOW is EINVAL, not a trap)
      (call $errno $"fd_filestat_set_times fstflags=0xf" (call $fd_filestat_set_times (i32.const 3) (i64.const 0) (i64.const 0) (i32.const 0xf)))
      (br $done))
    ;; v: path_open oflags: all four defined bits
      (call $errno $"path_open oflags=0xf" (call $path_open (i32.const 3) (i32.const 0) $$"new.txt" (i32.const 0xf) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 0x2000)))
      (br $done))
    ;; w, x, y, z: spare
    ))))
    (call $line $"(no trap)"))
)
