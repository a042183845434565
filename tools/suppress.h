/* suppress.h: the suppressions file of memaudit-report --suppressions (and MEMAUDIT_SUPPRESSIONS).
 *
 * One suppression a line, `rule:pattern`; blank lines and lines starting with '#' are ignored,
 * leading and trailing blanks are trimmed. rule is a rule name or an fnmatch(3) pattern over rule
 * names ("*" = every rule). pattern is an fnmatch(3) pattern matched against each frame's function,
 * source file (full path or basename) and module (full path or basename); a finding is suppressed
 * when its rule matches and any frame of its stack matches the pattern.
 */
#ifndef MEMAUDIT_TOOLS_SUPPRESS_H
#define MEMAUDIT_TOOLS_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "symbolize.h"

struct ma_suppressions;

/* Read the suppressions file at path. Returns NULL after printing one line on stderr
 * ("memaudit-report: FILE: reason" or "memaudit-report: FILE:LINE: reason") when the file cannot be
 * read or a line is malformed. */
struct ma_suppressions *ma_supp_load(const char *path);
/* The same without printing: NULL with the reason ("FILE: reason", "FILE:LINE: reason") in
 * err[0..errlen) (the supervisor of trace mode says it as the preload library does). */
struct ma_suppressions *ma_supp_read(const char *path, char *err, size_t errlen);
/* Free what ma_supp_load returned (NULL is fine). */
void ma_supp_free(struct ma_suppressions *s);

/* Return whether a finding of rule with these frames is suppressed (s may be NULL: never). */
bool ma_supp_match(const struct ma_suppressions *s, const char *rule,
		   const struct ma_sym_frame *frames, size_t nframes);

#endif
