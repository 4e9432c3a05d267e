/* What wasi-libc lacks and the real programs call: no processes in WASI
 * preview1, so system() fails as it does where no shell exists (C11 7.22.4.8:
 * a null command asks whether a shell exists; the answer is no). */
#include <errno.h>
#include <stdlib.h>

int system(const char *command) {
    if (command == NULL) return 0;
    errno = ENOSYS;
    return -1;
}

/* No temporary directory in WASI preview1 either: Lua's io.tmpfile() fails. */
#include <stdio.h>

FILE *tmpfile(void) {
    errno = ENOSYS;
    return NULL;
}
