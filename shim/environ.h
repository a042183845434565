/* environ.h: the MEMAUDIT_* variables, also before libc has set up the environment.
 *
 * A program built with AddressSanitizer runs ASan's initialisation from its .preinit_array, which
 * the dynamic linker calls before libc's own initialisation has set __environ (elf/dl-init.c runs
 * the executable's preinit functions first; csu/init-first.c sets __environ): ASan's first
 * allocation enters the shim, which then finds getenv() empty and would run with the defaults.
 * /proc/self/environ holds the initial environment at any time, so it answers instead until
 * __environ is there.
 */
#ifndef MEMAUDIT_SHIM_ENVIRON_H
#define MEMAUDIT_SHIM_ENVIRON_H

/* getenv(3), or the initial environment while libc has none yet. */
const char *shim_getenv(const char *name);

/* secure_getenv(3): NULL in secure-execution mode (AT_SECURE), else shim_getenv. */
const char *shim_secure_getenv(const char *name);

/* The program's short name: program_invocation_short_name, or the kernel's comm while libc has
 * not set it. buf holds the latter; returns "" when neither is known. */
const char *shim_progname(char *buf, int cap);

#endif
