;; path_unlink_file: files, symlinks (the link, not the target), and
;; directories, missing paths, trailing slashes, escapes.
(module
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
;;@include prelude.wat

  (func $rm (param $label i32) (param $p i32) (param $l i32)
    (call $errno (local.get $label) (call $path_unlink_file (i32.const 3) (local.get $p) (local.get $l))))

  (func (export "_start")
    (call $rm $"hello.txt" $$"hello.txt")
    (call $rm $"hello.txt again" $$"hello.txt")
    (call $rm $"link-to-dir (a symlink to a dir)" $$"link-to-dir")
    (call $rm $"dangling" $$"dangling")
    (call $rm $"loop-a" $$"loop-a")
    (call $rm $"abs-link" $$"abs-link")
    (call $rm $"dir (a directory)" $$"dir")
    (call $rm $"emptydir (an empty directory)" $$"emptydir")
    (call $rm $"empty.txt/ (trailing slash)" $$"empty.txt/")
    (call $rm $"link-to-hello/ (trailing slash)" $$"link-to-hello/")
    (call $rm $"dir/inner.txt" $$"dir/inner.txt")
    (call $rm $"dir/sub/.. (ends in ..)" $$"dir/sub/..")
    (call $rm $"." $$".")
    (call $rm $"../x" $$"../x")
    (call $rm $"empty path" $$"")
    (call $rm $"missing/x" $$"missing/x")
    (call $errno $"on stdout" (call $path_unlink_file (i32.const 1) $$"x")))
)
