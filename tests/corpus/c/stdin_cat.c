/* Read all of stdin with read(2) in small chunks; print the byte count, the
 * number of lines, a hash, and the first 200 bytes back (uppercased, escaped). */
#include "common.h"
#include <ctype.h>

int main(void) {
    unsigned char buf[7];
    size_t total = 0, lines = 0, reads = 0;
    uint32_t hash = 2166136261u; /* FNV-1a */
    printf("data: \"");
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0) {
            printf("\"\nread: E%s\n", errname(errno));
            return 1;
        }
        if (n == 0) break;
        reads++;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = buf[i];
            lines += c == '\n';
            hash = (hash ^ c) * 16777619u;
            if (total++ >= 200) continue;
            if (c == '\n') printf("\\n");
            else if (c < 32 || c > 126) printf("\\x%02x", c);
            else putchar(toupper(c));
        }
    }
    printf("\"%s\nbytes=%zu lines=%zu fnv1a=%08x\n", total > 200 ? "..." : "", total, lines, (unsigned)hash);
    printf("read after EOF: %zd\n", read(0, buf, sizeof buf));
    return 0;
}
