/* The socket calls libc exposes (accept, recv, send, shutdown) on things
 * that are not sockets; sched_yield for good measure. */
#include "common.h"
#include <sched.h>
#include <sys/socket.h>

int main(void) {
    char buf[8];
    int fd = open("/sandbox/hello.txt", O_RDWR);
    int fds[] = {0, 1, 3, fd, 99};
    const char *names[] = {"stdin", "stdout", "preopen", "file", "fd 99"};
    for (int i = 0; i < 5; i++) {
        printf("%s\n", names[i]);
        TRY("  accept", accept(fds[i], NULL, NULL));
        TRY("  recv", recv(fds[i], buf, sizeof buf, 0));
        TRY("  send", send(fds[i], "x", 1, 0));
        TRY("  shutdown SHUT_RDWR", shutdown(fds[i], SHUT_RDWR));
    }
    TRY("sched_yield", sched_yield());
    return 0;
}
