/* argv and the environment as libc sees them: every argument, every
 * variable in order, getenv hits and misses. */
#include "common.h"

extern char **environ;

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    int n = 0;
    for (char **e = environ; e && *e; e++) printf("environ[%d]=\"%s\"\n", n++, *e);
    printf("environ count=%d\n", n);
    const char *names[] = {"HOME", "EMPTY", "EQ", "MISSING", "PATH"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        printf("getenv(%s)=%s%s%s\n", names[i], v ? "\"" : "", v ? v : "NULL", v ? "\"" : "");
    }
    return 0;
}
