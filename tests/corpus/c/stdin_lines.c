/* Line-oriented stdin with getline and scanf: numbered lines with lengths,
 * a last line without a newline, then numbers summed from the rest. */
#include "common.h"

int main(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int n = 0;
    while ((len = getline(&line, &cap, stdin)) > 0) {
        n++;
        int nl = line[len - 1] == '\n';
        if (nl) line[--len] = 0;
        printf("%d: [%s] len=%zd%s\n", n, line, len, nl ? "" : " (no newline)");
        if (strcmp(line, "numbers:") == 0) break;
    }
    long sum = 0, x;
    int count = 0;
    while (scanf("%ld", &x) == 1) { sum += x; count++; }
    printf("%d numbers, sum=%ld\n", count, sum);
    printf("feof=%d ferror=%d\n", feof(stdin) != 0, ferror(stdin) != 0);
    free(line);
    return 0;
}
