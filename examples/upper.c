/* upper: copy stdin to stdout with ASCII letters upper-cased; report the
 * number of lines and bytes on stderr. Exit status 0, or 3 when the input
 * does not end in a newline (so the exit column has something to say).
 *
 * Exercises: fd_read on stdin (short reads, EOF), fd_write on stdout and
 * stderr.
 */
#include <stdio.h>

int main(void) {
    long lines = 0, bytes = 0;
    int ch, last = '\n';
    while ((ch = getchar()) != EOF) {
        bytes++;
        if (ch == '\n')
            lines++;
        putchar(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
        last = ch;
    }
    fflush(stdout);
    fprintf(stderr, "upper: %ld lines, %ld bytes%s\n", lines, bytes,
            last == '\n' ? "" : " (no final newline)");
    return last == '\n' ? 0 : 3;
}
