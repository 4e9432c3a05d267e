/* The smallest program: a line on stdout, a line on stderr, status 0. */
#include <stdio.h>

int main(void) {
    printf("hello from %s\n", "wasi");
    fprintf(stderr, "a line on stderr\n");
    return 0;
}
