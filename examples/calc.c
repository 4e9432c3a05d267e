/* calc: an interactive calculator — reads one expression per line from
 * stdin and prints its value, until EOF or "quit".
 *
 *   > 2 * (3 + 4)
 *   14
 *   > ans / 4
 *   3.5
 *
 * Grammar (recursive descent, doubles):
 *   expr   := term (('+' | '-') term)*
 *   term   := power (('*' | '/' | '%') power)*
 *   power  := unary ('^' power)?
 *   unary  := '-' unary | '+' unary | atom
 *   atom   := NUMBER | 'ans' | '(' expr ')'
 *
 * Errors go to stderr; the exit code is the number of lines that failed
 * (capped at 125), so a script can tell.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *src;   /* the line being parsed */
static const char *pos;   /* where the parser is in it */
static const char *error; /* first error, or NULL */
static double ans;

static void fail(const char *message) {
    if (error == NULL) error = message;
}

static void skip_space(void) {
    while (*pos == ' ' || *pos == '\t') pos++;
}

static int accept(char c) {
    skip_space();
    if (*pos == c) {
        pos++;
        return 1;
    }
    return 0;
}

static double expr(void);

static double atom(void) {
    skip_space();
    if (accept('(')) {
        double v = expr();
        if (!accept(')')) fail("expected ')'");
        return v;
    }
    if (strncmp(pos, "ans", 3) == 0) {
        pos += 3;
        return ans;
    }
    if (isdigit((unsigned char)*pos) || *pos == '.') {
        char *end;
        double v = strtod(pos, &end);
        pos = end;
        return v;
    }
    fail(*pos ? "unexpected character" : "unexpected end of line");
    return 0;
}

static double unary(void) {
    if (accept('-')) return -unary();
    if (accept('+')) return unary();
    return atom();
}

static double power(void) {
    double base = unary();
    if (accept('^')) return pow(base, power());
    return base;
}

static double term(void) {
    double v = power();
    for (;;) {
        if (accept('*')) {
            v *= power();
        } else if (accept('/')) {
            double d = power();
            if (d == 0) fail("division by zero");
            v /= d;
        } else if (accept('%')) {
            double d = power();
            if (d == 0) fail("division by zero");
            v = fmod(v, d);
        } else {
            return v;
        }
    }
}

static double expr(void) {
    double v = term();
    for (;;) {
        if (accept('+')) v += term();
        else if (accept('-')) v -= term();
        else return v;
    }
}

int main(void) {
    char line[1024];
    int failures = 0;

    /* stdout is a pipe, not a tty, so libc would buffer it whole: flush
     * each line, and the prompt by hand. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("calc: type an expression (+ - * / %% ^, parentheses, 'ans'); 'quit' or EOF ends\n");

    for (;;) {
        printf("> ");
        fflush(stdout);
        if (fgets(line, sizeof line, stdin) == NULL) {
            printf("\n");
            break;
        }
        line[strcspn(line, "\r\n")] = '\0';
        src = pos = line;
        skip_space();
        if (*pos == '\0') continue;
        if (strcmp(pos, "quit") == 0 || strcmp(pos, "exit") == 0) break;

        error = NULL;
        double v = expr();
        skip_space();
        if (error == NULL && *pos != '\0') fail("unexpected character");
        if (error != NULL) {
            fprintf(stderr, "error: %s at column %d\n", error, (int)(pos - src) + 1);
            failures++;
            continue;
        }
        ans = v;
        printf("%.12g\n", v);
    }
    printf("bye\n");
    return failures > 125 ? 125 : failures;
}
