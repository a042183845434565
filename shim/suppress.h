/* suppress.h (shim): MEMAUDIT_SUPPRESSIONS, read once at load (policy/suppress.h has the format).
 * A suppressed finding is still logged, marked "suppressed", so that the report can count it; it
 * is not printed, does not abort (MEMAUDIT_ABORT) and does not make the strict exit status.
 *
 * In the shim a pattern is matched against each frame's module (path and base name) and its
 * function's name from the module's symbol tables (dladdr(3), then the file's .symtab): source
 * file names need debug information, which only memaudit-report reads; a file pattern suppresses
 * in the report, where the same file is given with --suppressions. */
#ifndef MEMAUDIT_SHIM_SUPPRESS_H
#define MEMAUDIT_SHIM_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

struct engine_proc;

/* Read the file at path (init, single-threaded). Returns 0, or -1 with one line saying why
 * ("FILE: reason" or "FILE:LINE: reason") in err. */
int shim_suppress_load(const char *path, char *err, size_t cap);

/* Is a finding of rule (a name from the rules table: the same pointer each time) at call site
 * `stack` suppressed? Lock held. */
int shim_suppressed(const struct engine_proc *p, const char *rule, uint32_t stack);

#endif
