;; Adversarial uses of the preopens themselves (issue #8): removing, renaming
;; and renumbering over them, and working from a directory descriptor whose
;; directory was removed. fd 3 is /sandbox, fd 4 is /other.
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func $path_create_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_remove_directory" (func $path_remove_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename" (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))
;;@include prelude.wat

  ;; opens path from dirfd; prints the errno; returns the fd or -1
  (func $open (param $label i32) (param $dirfd i32) (param $p i32) (param $l i32) (param $oflags i32) (result i32)
    (local $e i32)
    (local.set $e (call $path_open (local.get $dirfd) (i32.const 0) (local.get $p) (local.get $l)
      (local.get $oflags) (i64.const 0x3fffffbf) (i64.const 0x3fffffbf) (i32.const 0) (i32.const 0x2000)))
    (call $errno (local.get $label) (local.get $e))
    (if (result i32) (local.get $e) (then (i32.const -1)) (else (i32.load (i32.const 0x2000)))))

  (func $read (param $label i32) (param $fd i32)
    (local $e i32)
    (i32.store (i32.const 0x2200) (i32.const 0x3000))
    (i32.store (i32.const 0x2204) (i32.const 64))
    (local.set $e (call $fd_read (local.get $fd) (i32.const 0x2200) (i32.const 1) (i32.const 0x2208)))
    (call $puts (local.get $label))
    (if (local.get $e)
      (then (call $errno $"" (local.get $e)))
      (else (call $puts $": ") (call $write (i32.const 0x3000) (i32.load (i32.const 0x2208))))))

  (func (export "_start")
    (local $d i32) (local $f i32)
    ;; the preopen itself cannot be removed or renamed from inside
    (call $errno $"rmdir ." (call $path_remove_directory (i32.const 3) $$"."))
    (call $errno $"rmdir ./" (call $path_remove_directory (i32.const 3) $$"./"))
    (call $errno $"rmdir .." (call $path_remove_directory (i32.const 3) $$".."))
    (call $errno $"rmdir dir/.." (call $path_remove_directory (i32.const 3) $$"dir/.."))
    (call $errno $"unlink ." (call $path_unlink_file (i32.const 3) $$"."))
    (call $errno $"rename . -> x" (call $path_rename (i32.const 3) $$"." (i32.const 3) $$"x"))
    (call $errno $"rename dir/.. -> x" (call $path_rename (i32.const 3) $$"dir/.." (i32.const 3) $$"x"))
    (call $errno $"rename dir -> ." (call $path_rename (i32.const 3) $$"dir" (i32.const 3) $$"."))
    (call $errno $"rename emptydir -> other ." (call $path_rename (i32.const 3) $$"emptydir" (i32.const 4) $$"."))
    (call $errno $"rename other . -> sandbox x" (call $path_rename (i32.const 4) $$"." (i32.const 3) $$"x"))
    (call $errno $"rename other odir -> sandbox dir/sub/odir" (call $path_rename (i32.const 4) $$"odir" (i32.const 3) $$"dir/sub/odir"))

    ;; a directory fd whose directory is removed: nothing may be created through it
    (call $errno $"mkdir victim-dir" (call $path_create_directory (i32.const 3) $$"victim-dir"))
    (local.set $d (call $open $"open victim-dir" (i32.const 3) $$"victim-dir" (i32.const 2)))
    (call $errno $"rmdir victim-dir" (call $path_remove_directory (i32.const 3) $$"victim-dir"))
    (call $errno $"  create in removed dir" (call $path_open (local.get $d) (i32.const 0) $$"x" (i32.const 1)
      (i64.const 0x3fffffff) (i64.const 0) (i32.const 0) (i32.const 0x2000)))
    (call $errno $"  mkdir in removed dir" (call $path_create_directory (local.get $d) $$"y"))
    (call $errno $"  open .. from removed dir" (call $path_open (local.get $d) (i32.const 0) $$".." (i32.const 0)
      (i64.const 0x3fffffbf) (i64.const 0) (i32.const 0) (i32.const 0x2000)))
    (call $errno $"  stat . of removed dir" (call $path_filestat_get (local.get $d) (i32.const 0) $$"." (i32.const 0x2100)))
    (call $errno $"  rename into removed dir" (call $path_rename (i32.const 3) $$"hello.txt" (local.get $d) $$"stolen"))
    (drop (call $fd_close (local.get $d)))

    ;; a subdirectory fd cannot climb to its parent, even inside the preopen
    (local.set $d (call $open $"open dir" (i32.const 3) $$"dir" (i32.const 2)))
    (drop (call $open $"  open ../hello.txt from dir" (local.get $d) $$"../hello.txt" (i32.const 0)))
    (drop (call $open $"  open sub/../../hello.txt from dir" (local.get $d) $$"sub/../../hello.txt" (i32.const 0)))
    (drop (call $open $"  open rel-in from dir" (local.get $d) $$"rel-in" (i32.const 0)))
    ;; moving the subdirectory away under its fd: the fd follows it
    (call $errno $"rename dir -> moved-dir" (call $path_rename (i32.const 3) $$"dir" (i32.const 3) $$"moved-dir"))
    (local.set $f (call $open $"  open inner.txt from the moved dir's fd" (local.get $d) $$"inner.txt" (i32.const 0)))
    (if (i32.ge_s (local.get $f) (i32.const 0)) (then (call $read $"  read" (local.get $f)) (drop (call $fd_close (local.get $f)))))
    (call $errno $"rename moved-dir -> dir" (call $path_rename (i32.const 3) $$"moved-dir" (i32.const 3) $$"dir"))

    ;; renumbering over a preopen: fd 3 becomes the subdirectory, then a file
    (call $errno $"renumber dir fd -> 3" (call $fd_renumber (local.get $d) (i32.const 3)))
    (call $errno $"prestat 3" (call $fd_prestat_get (i32.const 3) (i32.const 0x2300)))
    (drop (call $open $"open inner.txt from 3" (i32.const 3) $$"inner.txt" (i32.const 0)))
    (drop (call $open $"open ../hello.txt from 3" (i32.const 3) $$"../hello.txt" (i32.const 0)))
    (local.set $f (call $open $"open other o.txt" (i32.const 4) $$"o.txt" (i32.const 0)))
    (call $errno $"renumber file -> 3" (call $fd_renumber (local.get $f) (i32.const 3)))
    (drop (call $open $"open inner.txt from 3 (a file)" (i32.const 3) $$"inner.txt" (i32.const 0)))
    (call $read $"read 3" (i32.const 3))
    ;; the other preopen onto 3, then closed
    (call $errno $"renumber 4 -> 3" (call $fd_renumber (i32.const 4) (i32.const 3)))
    (call $errno $"prestat 3" (call $fd_prestat_get (i32.const 3) (i32.const 0x2300)))
    (call $errno $"prestat 4" (call $fd_prestat_get (i32.const 4) (i32.const 0x2300)))
    (local.set $f (call $open $"open o.txt from 3" (i32.const 3) $$"o.txt" (i32.const 0)))
    (if (i32.ge_s (local.get $f) (i32.const 0)) (then (call $read $"  read" (local.get $f)) (drop (call $fd_close (local.get $f)))))
    (drop (call $open $"open ../dir0/hello.txt from 3" (i32.const 3) $$"../dir0/hello.txt" (i32.const 0)))
    (call $errno $"close 3" (call $fd_close (i32.const 3)))
    (drop (call $open $"open o.txt from closed 3" (i32.const 3) $$"o.txt" (i32.const 0)))
    (call $errno $"mkdir from closed 3" (call $path_create_directory (i32.const 3) $$"z")))
)
