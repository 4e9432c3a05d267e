/* setjmp/longjmp over wasm exceptions: the runtime that LLVM's
 * `-mllvm -wasm-enable-sjlj` lowering calls (the ABI of LLVM's
 * WebAssemblyLowerEmscriptenEHSjLj pass, as wasi-libc's libsetjmp implements
 * it; zig's wasi-libc ships the header but not the library). Only `lua-repl`
 * uses it: its REPL must survive a Lua error, which unwinds with longjmp.
 *
 * jmp_buf's first words belong to this runtime: which call of the function
 * that called setjmp (its "invocation id") and which setjmp in it (the
 * label). longjmp throws tag 1 (LLVM's C_LONGJMP) with {env, val}; the
 * function that called setjmp catches it and asks __wasm_setjmp_test whether
 * the jmp_buf is one of its own. */
#include <stdint.h>
#include <stdlib.h>

struct wasm_longjmp_args {
    void *env;
    int val;
};

struct jmp_buf_impl {
    void *func_invocation_id;
    uint32_t label;
    struct wasm_longjmp_args arg; /* what longjmp throws: it must outlive the unwinding */
};

void __wasm_setjmp(void *env, uint32_t label, void *func_invocation_id) {
    struct jmp_buf_impl *jb = env;
    if (label == 0 || func_invocation_id == NULL) abort();
    jb->func_invocation_id = func_invocation_id;
    jb->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *func_invocation_id) {
    struct jmp_buf_impl *jb = env;
    if (jb->label == 0 || func_invocation_id == NULL) abort();
    return jb->func_invocation_id == func_invocation_id ? jb->label : 0;
}

void __wasm_longjmp(void *env, int val) {
    struct jmp_buf_impl *jb = env;
    jb->arg.env = env;
    jb->arg.val = val == 0 ? 1 : val;
    __builtin_wasm_throw(1, &jb->arg);
}
