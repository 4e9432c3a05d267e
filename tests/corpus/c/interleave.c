/* How output from stdio and raw writes interleave within one stream:
 * line buffering, full buffering, fflush, and write(2) bypassing the buffer. */
#include "common.h"

int main(void) {
    printf("1 printf, no newline yet...");
    write(1, "[2 raw write]\n", 14);
    printf(" 3 newline now\n");
    fflush(stdout);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("4 line buffered\n");
    write(1, "[5 raw write]\n", 14);
    setvbuf(stdout, NULL, _IOFBF, 4096);
    printf("6 fully buffered\n");
    write(1, "[7 raw write, before 6]\n", 24);
    fflush(stdout);
    fprintf(stderr, "8 stderr is unbuffered: ");
    write(2, "[9]", 3);
    fprintf(stderr, " 10\n");
    puts("11 puts");
    fputs("12 no newline at exit", stdout);
    return 0;
}
