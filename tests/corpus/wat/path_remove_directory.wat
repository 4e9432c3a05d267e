;; path_remove_directory: empty and non-empty directories, files, symlinks,
;; trailing slashes, dots and escapes.
(module
  (import "wasi_snapshot_preview1" "path_remove_directory" (func $path_remove_directory (param i32 i32 i32) (result i32)))
;;@include prelude.wat

  (func $rd (param $label i32) (param $p i32) (param $l i32)
    (call $errno (local.get $label) (call $path_remove_directory (i32.const 3) (local.get $p) (local.get $l))))

  (func (export "_start")
    (call $rd $"emptydir" $$"emptydir")
    (call $rd $"emptydir again" $$"emptydir")
    (call $rd $"dir (not empty)" $$"dir")
    (call $rd $"dir/sub/ (trailing slash)" $$"dir/sub/")
    (call $rd $"hello.txt (a file)" $$"hello.txt")
    (call $rd $"link-to-dir (a symlink to a dir)" $$"link-to-dir")
    (call $rd $"dangling" $$"dangling")
    (call $rd $"." $$".")
    (call $rd $"dir/.." $$"dir/..")
    (call $rd $"../x" $$"../x")
    (call $rd $"missing" $$"missing")
    (call $rd $"empty path" $$"")
    (call $errno $"on stdout" (call $path_remove_directory (i32.const 1) $$"x")))
)
