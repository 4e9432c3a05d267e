/* startup: the trivial program; the driver times instantiate + _start of
 * many instances. `main` leaves a mark that the driver reads through the
 * exported `bench_ran` after each _start, so a host that does not really
 * run the program is caught. */
static volatile int ran;

__attribute__((export_name("bench_ran"))) int bench_ran(void) { return ran; }

int main(void) {
    ran = 1;
    return 0;
}
