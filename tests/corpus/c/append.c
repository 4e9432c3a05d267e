/* O_APPEND: every write lands at the end, whatever lseek says; two fds on
 * one file, one appending and one not. */
#include "common.h"

int main(void) {
    int a = open("/sandbox/log.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
    int b = open("/sandbox/log.txt", O_WRONLY);
    TRY("write a1", write(a, "a1\n", 3));
    TRY("lseek a to 0", lseek(a, 0, SEEK_SET));
    TRY("write a2 (still at the end)", write(a, "a2\n", 3));
    TRY("lseek a cur", lseek(a, 0, SEEK_CUR));
    TRY("write b at 0", write(b, "B", 1));
    TRY("write a3", write(a, "a3\n", 3));
    TRY("fcntl F_GETFL a & O_APPEND", fcntl(a, F_GETFL) & O_APPEND);
    TRY("fcntl F_GETFL b & O_APPEND", fcntl(b, F_GETFL) & O_APPEND);
    TRY("F_SETFL b O_APPEND", fcntl(b, F_SETFL, O_APPEND));
    TRY("write b4", write(b, "b4\n", 3));
    close(a);
    close(b);
    show_file("log.txt", "/sandbox/log.txt");
    FILE *f = fopen("/sandbox/hello.txt", "a");
    fseek(f, 0, SEEK_SET);
    fputs("fopen a\n", f);
    fclose(f);
    show_file("hello.txt", "/sandbox/hello.txt");
    return 0;
}
