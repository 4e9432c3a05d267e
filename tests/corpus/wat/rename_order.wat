;; path_rename's order of checks where two errnos could answer (Linux
;; renameat(2), do_renameat2): the new parent removed is ENOENT before any
;; other check on the entries; the target an ancestor of the source's
;; directory is ENOTEMPTY before the file-onto-directory EISDIR. Found by the
;; fuzzer's native sample (issue #18). fd 3 is /sandbox.
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename" (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_remove_directory" (func $path_remove_directory (param i32 i32 i32) (result i32)))
;;@include prelude.wat

  ;; opens directory path from dirfd; prints the errno; returns the fd or -1
  (func $opendir (param $label i32) (param $dirfd i32) (param $p i32) (param $l i32) (result i32)
    (local $e i32)
    (local.set $e (call $path_open (local.get $dirfd) (i32.const 0) (local.get $p) (local.get $l)
      (i32.const 2) (i64.const 0x3fffffbf) (i64.const 0x3fffffbf) (i32.const 0) (i32.const 0x2000)))
    (call $errno (local.get $label) (local.get $e))
    (if (result i32) (local.get $e) (then (i32.const -1)) (else (i32.load (i32.const 0x2000)))))

  (func $mv (param $label i32) (param $fd1 i32) (param $a i32) (param $al i32) (param $fd2 i32) (param $b i32) (param $bl i32)
    (call $errno (local.get $label) (call $path_rename (local.get $fd1) (local.get $a) (local.get $al) (local.get $fd2) (local.get $b) (local.get $bl))))

  (func (export "_start")
    (local $b i32) (local $gone i32)
    (call $line $"onto an ancestor of the source:")
    (call $mv $"  file onto its parent" (i32.const 3) $$"a/f" (i32.const 3) $$"a")
    (call $mv $"  file onto its grandparent" (i32.const 3) $$"a/b/g" (i32.const 3) $$"a")
    (call $mv $"  symlink onto its parent" (i32.const 3) $$"a/s" (i32.const 3) $$"a")
    (call $mv $"  dir onto its parent" (i32.const 3) $$"a/b/c" (i32.const 3) $$"a/b")
    (call $mv $"  file onto its parent/ (trailing slash first)" (i32.const 3) $$"a/f" (i32.const 3) $$"a/")
    (call $mv $"  missing onto its parent (source first)" (i32.const 3) $$"a/missing" (i32.const 3) $$"a")
    (call $mv $"  file onto a non-empty dir elsewhere" (i32.const 3) $$"a/f" (i32.const 3) $$"full")
    (call $mv $"  file onto a sibling dir" (i32.const 3) $$"a/f" (i32.const 3) $$"a/b")
    (local.set $b (call $opendir $"  open a/b" (i32.const 3) $$"a/b"))
    (call $mv $"  file via a/b's fd onto a/b" (local.get $b) $$"g" (i32.const 3) $$"a/b")
    (call $mv $"  file via a/b's fd onto a" (local.get $b) $$"g" (i32.const 3) $$"a")
    (call $mv $"  file onto its parent, same fd" (local.get $b) $$"c/h" (local.get $b) $$"c")

    (call $line $"into a removed directory:")
    (local.set $gone (call $opendir $"  open e/gone" (i32.const 3) $$"e/gone"))
    (call $errno $"  rmdir e/gone" (call $path_remove_directory (i32.const 3) $$"e/gone"))
    (call $mv $"  file into it" (i32.const 3) $$"top" (local.get $gone) $$"x")
    (call $mv $"  file into it, name/" (i32.const 3) $$"top" (local.get $gone) $$"x/")
    (call $mv $"  its old parent into it" (i32.const 3) $$"e" (local.get $gone) $$"x")
    (call $mv $"  a dir into it" (i32.const 3) $$"emptyd" (local.get $gone) $$"x")
    (call $mv $"  a file onto its ." (i32.const 3) $$"top" (local.get $gone) $$".")
    (call $mv $"  a file onto its .." (i32.const 3) $$"top" (local.get $gone) $$"..")
    (call $mv $"  missing into it" (i32.const 3) $$"missing" (local.get $gone) $$"x")
    (call $mv $"  out of it" (local.get $gone) $$"x" (i32.const 3) $$"y")
    (call $mv $"  out of it onto an ancestor" (local.get $gone) $$"x" (i32.const 3) $$"e")
    (call $errno $"  link a file into it" (call $path_link (i32.const 3) (i32.const 0) $$"top" (local.get $gone) $$"x"))
    (call $errno $"  link a dir into it" (call $path_link (i32.const 3) (i32.const 0) $$"emptyd" (local.get $gone) $$"x"))
    (call $errno $"  link a missing file into it" (call $path_link (i32.const 3) (i32.const 0) $$"missing" (local.get $gone) $$"x"))
    (call $errno $"  symlink into it" (call $path_symlink $$"top" (local.get $gone) $$"x")))
)
