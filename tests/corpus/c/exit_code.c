/* Exit statuses through libc: `return N` from main, `exit(N)` from nested
 * calls (atexit handlers run, stdio is flushed), `_Exit(N)` (nothing runs),
 * abort(). argv[1] is the mode, argv[2] the code. */
#include "common.h"

static void on_exit_handler(void) { printf("atexit handler ran\n"); }

static void nested(int depth, int mode, int code) {
    if (depth > 0) {
        nested(depth - 1, mode, code);
        printf("unreachable: back at depth %d\n", depth);
        return;
    }
    printf("exiting at the bottom (buffered, not flushed)\n");
    if (mode == 'e') exit(code);
    if (mode == '_') _Exit(code);
    if (mode == 'a') abort();
    if (mode == 'w') __wasi_proc_exit(code);
}

int main(int argc, char **argv) {
    int mode = argc > 1 ? argv[1][0] : 'r';
    int code = argc > 2 ? atoi(argv[2]) : 0;
    atexit(on_exit_handler);
    printf("mode %c code %d\n", mode, code);
    if (mode == 'r') return code;
    nested(3, mode, code);
    return 0;
}
