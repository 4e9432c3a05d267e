/* Names: UTF-8 (accents, CJK, emoji), spaces and odd characters, the 255-byte
 * limit of one component, and case sensitivity. */
#include "common.h"

int main(void) {
    const char *names[] = {"café.txt", "日本語", "😀 smile", "with space", "-dash", "semi;colon", "quote'\"",
                           "UPPER.txt", "upper.txt", ".hidden", "a\tb", "back\\slash", NULL};
    char path[600];
    for (int i = 0; names[i]; i++) {
        snprintf(path, sizeof path, "/sandbox/%s", names[i]);
        write_file(path, names[i]);
    }
    show_dir("sandbox", "/sandbox");
    show_file("UPPER.txt", "/sandbox/UPPER.txt");
    show_file("upper.txt", "/sandbox/upper.txt");
    char longname[300];
    memset(longname, 'n', 255);
    longname[255] = 0;
    snprintf(path, sizeof path, "/sandbox/%s", longname);
    TRY("create a 255-byte name", open(path, O_CREAT | O_WRONLY, 0644));
    memset(longname, 'm', 256);
    longname[256] = 0;
    snprintf(path, sizeof path, "/sandbox/%s", longname);
    TRY("create a 256-byte name", open(path, O_CREAT | O_WRONLY, 0644));
    TRY("mkdir a 256-byte name", mkdir(path, 0755));
    show_stat("stat a 256-byte name", path, 0);
    TRY("mkdir é", mkdir("/sandbox/é", 0755));
    TRY("mkdir é (decomposed: e + U+0301)", mkdir("/sandbox/e\xcc\x81", 0755));
    return 0;
}
