/* rule_info.h: what each rule means and how to fix what it finds, for the people who read the
 * report (text, SARIF help, HTML). The same paragraphs are in memaudit(7), RULES.
 */
#ifndef MEMAUDIT_TOOLS_RULE_INFO_H
#define MEMAUDIT_TOOLS_RULE_INFO_H

#include <stddef.h>

struct ma_rule_info {
	const char *id;          /* "unlock-collateral" */
	const char *severity;    /* the default: "error", "warning" or "note" */
	const char *summary;     /* one line: what the rule finds */
	const char *explanation; /* one paragraph: why it matters (the kernel's or glibc's reason) */
	const char *fix;         /* one paragraph: what to do instead */
};

/* Return the rule called id, or NULL when there is none of that name. */
const struct ma_rule_info *ma_rule_info(const char *id);
/* Return every rule, in SPEC's order (errors first), and their number in *n. */
const struct ma_rule_info *ma_rule_table(size_t *n);

#endif
