/* Clocks through libc: clock_gettime, clock_getres, time, gettimeofday,
 * nanosleep and usleep really wait (measured on the monotonic clock). */
#include "common.h"
#include <sys/time.h>
#include <time.h>

static long long ns(clockid_t id) {
    struct timespec t;
    if (clock_gettime(id, &t) < 0) return -1;
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
    struct timespec r;
    TRY("clock_getres REALTIME", clock_getres(CLOCK_REALTIME, &r));
    TRY("clock_getres MONOTONIC", clock_getres(CLOCK_MONOTONIC, &r));
    printf("monotonic resolution <= 1ms: %s\n", r.tv_sec == 0 && r.tv_nsec <= 1000000 ? "yes" : "no");
    long long rt = ns(CLOCK_REALTIME);
    printf("realtime after 2020: %s\n", rt > 1577836800000000000LL ? "yes" : "no");
    time_t t = time(NULL);
    printf("time() within 10 s of realtime: %s\n", llabs((long long)t - rt / 1000000000LL) <= 10 ? "yes" : "no");
    struct timeval tv;
    TRY("gettimeofday", gettimeofday(&tv, NULL));
    printf("gettimeofday within 10 s: %s\n", llabs((long long)tv.tv_sec - rt / 1000000000LL) <= 10 ? "yes" : "no");
    long long m0 = ns(CLOCK_MONOTONIC);
    struct timespec d = {0, 20 * 1000 * 1000};
    TRY("nanosleep 20ms", nanosleep(&d, NULL));
    long long m1 = ns(CLOCK_MONOTONIC);
    printf("nanosleep waited >= 20ms: %s\n", m1 - m0 >= 20000000LL ? "yes" : "no");
    TRY("usleep 10ms", usleep(10000));
    long long m2 = ns(CLOCK_MONOTONIC);
    printf("usleep waited >= 10ms: %s\n", m2 - m1 >= 10000000LL ? "yes" : "no");
    struct timespec bad = {0, 2000000000};
    TRY("nanosleep tv_nsec 2e9", nanosleep(&bad, NULL));
    TRY("sleep 0", sleep(0));
    struct tm tm;
    time_t fixed = 1234567890;
    gmtime_r(&fixed, &tm);
    char buf[64];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    printf("gmtime(1234567890) = %s\n", buf);
    return 0;
}
