  ;; prelude.wat — spliced into every WAT corpus program at its
  ;; `;;@include prelude.wat` line (see harness/toolchain.py), after the
  ;; program's own imports. Strings are written `$"text"` (an i32 address of
  ;; the NUL-terminated text).
  ;;
  ;; Memory (one page, exported as "memory"):
  ;;   0x0000-0x00ff  left zero
  ;;   0x0100-0x0fff  the prelude's scratch (iovec, number formatting)
  ;;   0x1000-0x7fff  the program's own
  ;;   0x8000-0xffff  the `$"..."` strings
  ;;
  ;; Printing (all to stdout, fd 1):
  ;;   (call $puts $"text")                 text
  ;;   (call $line $"text")                 text\n
  ;;   (call $errno $"fd_read bad-fd" e)    fd_read bad-fd errno=8\n
  ;;   (call $val $"nread=" (i64 v))        nread=5\n
  ;;   (call $hex $"rights=" (i64 v))       rights=0x1fffffff\n
  ;;   (call $write ptr len)                raw bytes
  ;;   (call $canary ptr len) / (call $changed $"label" ptr len)
  ;;        fill with 0xAA / print "label changed=N" (bytes no longer 0xAA)
  (import "wasi_snapshot_preview1" "fd_write" (func $__fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

  (func $write (param $ptr i32) (param $len i32)
    (local $n i32)
    ;; loop: a host may write less than asked
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 0x100) (local.get $ptr))
        (i32.store (i32.const 0x104) (local.get $len))
        (br_if $done (call $__fd_write (i32.const 1) (i32.const 0x100) (i32.const 1) (i32.const 0x108)))
        (local.set $n (i32.load (i32.const 0x108)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $ptr (i32.add (local.get $ptr) (local.get $n)))
        (local.set $len (i32.sub (local.get $len) (local.get $n)))
        (br $more))))

  (func $strlen (param $s i32) (result i32)
    (local $p i32)
    (local.set $p (local.get $s))
    (block $done
      (loop $more
        (br_if $done (i32.eqz (i32.load8_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $more)))
    (i32.sub (local.get $p) (local.get $s)))

  (func $puts (param $s i32)
    (call $write (local.get $s) (call $strlen (local.get $s))))

  (func $nl
    (i32.store8 (i32.const 0x110) (i32.const 10))
    (call $write (i32.const 0x110) (i32.const 1)))

  (func $line (param $s i32)
    (call $puts (local.get $s))
    (call $nl))

  ;; unsigned decimal, formatted right to left into 0x120..0x13f
  (func $put_u64 (param $v i64)
    (local $p i32)
    (local.set $p (i32.const 0x140))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $v) (i64.const 10))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (call $write (local.get $p) (i32.sub (i32.const 0x140) (local.get $p))))

  (func $put_i64 (param $v i64)
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then
        (i32.store8 (i32.const 0x110) (i32.const 45))
        (call $write (i32.const 0x110) (i32.const 1))
        (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (call $put_u64 (local.get $v)))

  ;; hexadecimal with 0x, into 0x150..0x16f
  (func $put_hex (param $v i64)
    (local $p i32)
    (local $d i32)
    (local.set $p (i32.const 0x170))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (local.set $d (i32.wrap_i64 (i64.and (local.get $v) (i64.const 15))))
      (i32.store8 (local.get $p)
        (i32.add (local.get $d) (select (i32.const 87) (i32.const 48) (i32.ge_u (local.get $d) (i32.const 10)))))
      (local.set $v (i64.shr_u (local.get $v) (i64.const 4)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (local.set $p (i32.sub (local.get $p) (i32.const 2)))
    (i32.store16 (local.get $p) (i32.const 0x7830)) ;; "0x"
    (call $write (local.get $p) (i32.sub (i32.const 0x170) (local.get $p))))

  (func $errno (param $label i32) (param $e i32)
    (call $puts (local.get $label))
    (call $puts $" errno=")
    (call $put_u64 (i64.extend_i32_u (local.get $e)))
    (call $nl))

  (func $val (param $label i32) (param $v i64)
    (call $puts (local.get $label))
    (call $put_i64 (local.get $v))
    (call $nl))

  (func $hex (param $label i32) (param $v i64)
    (call $puts (local.get $label))
    (call $put_hex (local.get $v))
    (call $nl))

  (func $canary (param $ptr i32) (param $len i32)
    (memory.fill (local.get $ptr) (i32.const 0xAA) (local.get $len)))

  (func $changed (param $label i32) (param $ptr i32) (param $len i32)
    (local $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (if (i32.ne (i32.load8_u (local.get $ptr)) (i32.const 0xAA))
          (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (br $more)))
    (call $puts (local.get $label))
    (call $puts $" changed=")
    (call $put_u64 (i64.extend_i32_u (local.get $n)))
    (call $nl))
