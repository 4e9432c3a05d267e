;; path_create_directory: new directories (nested, through symlinks), and
;; names that exist, have missing parents, escape or end in slashes or dots.
(module
  (import "wasi_snapshot_preview1" "path_create_directory" (func $path_create_directory (param i32 i32 i32) (result i32)))
;;@include prelude.wat

  (func $mk (param $label i32) (param $p i32) (param $l i32)
    (call $errno (local.get $label) (call $path_create_directory (i32.const 3) (local.get $p) (local.get $l))))

  (func (export "_start")
    (call $mk $"new" $$"new")
    (call $mk $"new again" $$"new")
    (call $mk $"new/nested" $$"new/nested")
    (call $mk $"a/b (missing parent)" $$"a/b")
    (call $mk $"with-slash/" $$"with-slash/")
    (call $mk $"with-slashes//" $$"with-slashes//")
    (call $mk $"hello.txt (a file)" $$"hello.txt")
    (call $mk $"hello.txt/sub (under a file)" $$"hello.txt/sub")
    (call $mk $"dangling (a dangling symlink)" $$"dangling")
    (call $mk $"link-to-dir (a symlink to a dir)" $$"link-to-dir")
    (call $mk $"link-to-dir/via-link" $$"link-to-dir/via-link")
    (call $mk $"dir/sub/../made-with-dotdot" $$"dir/sub/../made-with-dotdot")
    (call $mk $"." $$".")
    (call $mk $".." $$"..")
    (call $mk $"new/." $$"new/.")
    (call $mk $"../escape" $$"../escape")
    (call $mk $"/sandbox/abs" $$"/sandbox/abs")
    (call $mk $"empty path" $$"")
    (call $errno $"on stdout" (call $path_create_directory (i32.const 1) $$"x")))
)
