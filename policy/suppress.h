/* suppress.h: the lines of a suppressions file (SPEC: MEMAUDIT_SUPPRESSIONS and memaudit-report
 * --suppressions), shared by the shim and the report tool so that both read a file the same way.
 *
 * One suppression a line, `rule:pattern`; blank lines and lines starting with '#' are ignored,
 * leading and trailing blanks are trimmed. rule is a rule name or an fnmatch(3) pattern over rule
 * names ("*" = every rule); pattern is an fnmatch(3) pattern over the names a stack frame is known
 * by (function, source file, module: each as a full path and as its base name). A finding is
 * suppressed when its rule matches and a frame of its stack matches the pattern.
 *
 * Pure: no allocation, no I/O; lines are parsed in place.
 */
#ifndef MEMAUDIT_POLICY_SUPPRESS_H
#define MEMAUDIT_POLICY_SUPPRESS_H

#include <stddef.h>

/* Parse one line (without its newline) in place. Returns NULL when the line is good: *rule and
 * *pattern point into it, or are both NULL for a blank or comment line. Otherwise returns why it
 * is malformed (a constant, or written into why[0..len)). known(name) says whether a rule name
 * (one without wildcards) exists. */
const char *suppress_parse_line(char *line, char **rule, char **pattern,
				int (*known)(const char *name), char *why, size_t len);

/* Does the suppression (rule, pattern) apply to a finding of rule `finding_rule`? */
int suppress_rule_matches(const char *rule, const char *finding_rule);

/* Does pattern match name, or name's part after its last '/'? (NULL and "" never match.) */
int suppress_name_matches(const char *pattern, const char *name);

#endif
