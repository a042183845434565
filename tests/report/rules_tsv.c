/* rules_tsv.c: prints the rule registry (policy/rules.h) for tests/report/rules.sh, one rule a
 * line in the registry's order: name, severity, summary, explanation, fix, security severity,
 * separated by tabs (the texts hold none: tests/unit/test_rules.c). */
#include "config.h"

#include <stdio.h>

#include "policy/rules.h"

int main(void)
{
	size_t n, i;
	const struct rule_def *r = rules_table(&n);

	for (i = 0; i < n; i++)
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", r[i].name, rules_severity_name(r[i].severity),
		       r[i].summary, r[i].explanation, r[i].fix, r[i].security_severity);
	return fflush(stdout) != 0;
}
