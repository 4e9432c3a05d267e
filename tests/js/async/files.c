/* Worker-runner test program: creates /work/out.txt, then appends each line
 * of stdin to it until EOF (so a run stopped while it waits for input has
 * written to its copy of the directory, never to the page's). */
#include <stdio.h>

int main(void) {
    FILE *f = fopen("/work/out.txt", "w");
    if (!f) { perror("/work/out.txt"); return 1; }
    fputs("started\n", f);
    fflush(f);
    printf("ready\n");
    fflush(stdout);
    char line[256];
    while (fgets(line, sizeof line, stdin)) { fputs(line, f); fflush(f); }
    fclose(f);
    printf("done\n");
    return 0;
}
