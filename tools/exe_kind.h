/* exe_kind.h: what the launcher (tools/memaudit) needs to know of a program file before it runs
 * it: statically linked (no PT_INTERP: nothing is preloaded into it) and a Go program (section
 * .go.buildinfo or .note.go.buildid: its system calls bypass the C library). memaudit-report
 * --exe-kind prints it: one exec instead of the dozen od, awk, tail and grep processes the shell
 * took for it (18 ms of every launch). */
#ifndef MEMAUDIT_TOOLS_EXE_KIND_H
#define MEMAUDIT_TOOLS_EXE_KIND_H

#include <stdbool.h>

/* Set *is_static and *is_go for the file at path; both false for anything that is not ELF or
 * cannot be read. */
void ma_exe_kind(const char *path, bool *is_static, bool *is_go);

#endif
