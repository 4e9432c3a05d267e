/* A failed assert: the message on stderr, then abort (a trap). */
#undef NDEBUG /* zig cc -O2 defines it */
#include <assert.h>
#include <stdio.h>

int main(int argc, char **argv) {
    printf("argc is %d\n", argc);
    fflush(stdout);
    assert(argc == 42 && "argc should be 42");
    printf("not reached\n");
    return 0;
}
