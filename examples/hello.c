/* hello: the smallest WASI program worth running — argv, environ, stdout
 * and stderr.
 *
 *   hello [NAME...]        prints "$GREETING, NAME!" (GREETING defaults to Hello)
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    const char *greeting = getenv("GREETING");
    if (greeting == NULL || *greeting == '\0') greeting = "Hello";

    printf("%s, ", greeting);
    if (argc < 2) {
        printf("world");
    }
    for (int i = 1; i < argc; i++) {
        printf("%s%s", i > 1 ? " " : "", argv[i]);
    }
    printf("!\n");
    printf("This is %s, a WASI preview1 program, running in your browser.\n", argv[0]);

    /* stderr is unbuffered and shown in another colour by the demo. */
    fprintf(stderr, "hello: %d argument%s, greeting from $GREETING=%s\n",
            argc - 1, argc == 2 ? "" : "s", greeting);
    return 0;
}
