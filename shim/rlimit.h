/* rlimit.h: the program's own RLIMIT_MEMLOCK as the simulated target has it (rlimit.c). */
#ifndef MEMAUDIT_SHIM_RLIMIT_H
#define MEMAUDIT_SHIM_RLIMIT_H

/* syscall(nr, a[0..5]) for SYS_getrlimit, SYS_setrlimit and SYS_prlimit64: returns 1 and sets *ret
 * (0, or -1 with errno) when nr is one of them, 0 otherwise. */
int rlimit_syscall(long nr, const long *a, long *ret);

#endif
