// The startup target's guest: a C main that does nothing.
int main(void) { return 0; }
