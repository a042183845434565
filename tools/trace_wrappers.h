/* trace_wrappers.h: which functions are system-call wrappers (trace_wrappers.c), the frames a
 * stack of trace mode starts after. */
#ifndef MEMAUDIT_TOOLS_TRACE_WRAPPERS_H
#define MEMAUDIT_TOOLS_TRACE_WRAPPERS_H

#include <stdbool.h>

/* Whether the function called name (a symbol name as in the symbol table) only wraps a traced
 * system call: libc's stubs (any of glibc's aliases: __mmap64, __GI___munmap), syscall(), and Go's
 * syscall packages and runtime stubs. */
bool trace_is_wrapper(const char *name);

#endif
