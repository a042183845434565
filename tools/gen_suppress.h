/* gen_suppress.h: memaudit-report --gen-suppressions, a suppressions file (suppress.h) for the
 * findings of a report: a baseline that lets CI fail on new findings only, as valgrind's
 * --gen-suppressions does.
 *
 * One entry per distinct (rule, pattern): a comment line naming the rule, its severity, how many
 * findings it covers and their call sites, then the `rule:pattern` line. The pattern names the
 * frame that made the call: the innermost frame in the program's own code (not libc, ld.so or
 * memaudit) that is not an inlined call, by its function (the symbol table's name, which the
 * preload library matches too); without a function name, its source file's base name (which only
 * the report can match), else its module's base name. A finding whose stack has no frame gets a
 * comment only. fnmatch(3) wildcards in a name are escaped, and characters the suppressions reader
 * would trim or cannot read (blanks at the ends, control characters) become '?'. Entries are sorted
 * by severity (errors first), rule and pattern, so that a baseline's diff shows what changed.
 */
#ifndef MEMAUDIT_TOOLS_GEN_SUPPRESS_H
#define MEMAUDIT_TOOLS_GEN_SUPPRESS_H

#include <stddef.h>
#include <stdio.h>

#include "report_model.h"

/* Write the suppressions for the findings of procs[0..n) (symbolized and suppressed already) that
 * are not suppressed. Returns 0, or -1 when writing failed (ferror(out)). */
int ma_write_suppressions(FILE *out, struct ma_process **procs, size_t n);

#endif
