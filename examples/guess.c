/* guess: a number-guessing game on stdin. The answer is fixed (42, or
 * $SECRET), so a run is reproducible and can be checked against another host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    const char *secret_env = getenv("SECRET");
    int secret = secret_env ? atoi(secret_env) : 42;
    char line[256];
    int tries = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("I'm thinking of a number between 1 and 100.\n");
    for (;;) {
        printf("Your guess? ");
        fflush(stdout);
        if (fgets(line, sizeof line, stdin) == NULL) {
            printf("\nGave up after %d tries; it was %d.\n", tries, secret);
            return 1;
        }
        char *end;
        long guess = strtol(line, &end, 10);
        if (end == line || (*end != '\n' && *end != '\0' && *end != '\r')) {
            line[strcspn(line, "\r\n")] = '\0';
            fprintf(stderr, "'%s' is not a number\n", line);
            continue;
        }
        tries++;
        if (guess < secret) {
            printf("Too low.\n");
        } else if (guess > secret) {
            printf("Too high.\n");
        } else {
            printf("Correct! %d it is, found in %d %s.\n", secret, tries, tries == 1 ? "try" : "tries");
            return 0;
        }
    }
}
