/* getentropy and arc4random (random_get underneath): buffers get filled,
 * two draws differ, the 256-byte limit of getentropy. Never prints the bytes. */
#include "common.h"

int main(void) {
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    TRY("getentropy 64", getentropy(a, sizeof a));
    TRY("getentropy 64 again", getentropy(b, sizeof b));
    printf("two draws differ: %s\n", memcmp(a, b, sizeof a) ? "yes" : "no");
    int zeros = 0;
    for (size_t i = 0; i < sizeof a; i++) zeros += a[i] == 0;
    printf("not all zero: %s\n", zeros < 64 ? "yes" : "no");
    unsigned char big[300];
    TRY("getentropy 256", getentropy(big, 256));
    TRY("getentropy 257", getentropy(big, 257));
    TRY("getentropy 0", getentropy(big, 0));
    uint32_t x = arc4random(), y = arc4random();
    printf("arc4random twice differs: %s\n", x != y ? "yes" : "no");
    printf("arc4random_uniform(10) < 10: %s\n", arc4random_uniform(10) < 10 ? "yes" : "no");
    return 0;
}
