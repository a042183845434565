/* rules.h: the rule registry, the one source of truth for SPEC's "Rules" table. Every rule's name,
 * default severity, security severity (for code scanning), one-line meaning, explanation and fix
 * are kept here (rules.c) and nowhere else: the shim takes names and severities from it
 * (findings.c) and checks suppression files against it, the report tool prints its texts (text
 * why/fix, JSON "rules", SARIF driver rules, HTML), and memaudit(7)'s two rule sections and the
 * rules page docs/rules.html (SARIF's helpUri) are generated from it at build time
 * (docs/rules2man.c, docs/rules2html.c). tests/unit/test_rules.c and tests/report/rules.sh fail
 * when they disagree.
 *
 * Pure data: no allocation, no I/O.
 */
#ifndef MEMAUDIT_POLICY_RULES_H
#define MEMAUDIT_POLICY_RULES_H

#include <stddef.h>

/* Ordered: a finding "reaches" MEMAUDIT_FAIL_ON when its severity is >= it. SEV_NONE: never. */
enum severity { SEV_NOTE, SEV_WARNING, SEV_ERROR, SEV_NONE };

/* The rules as the shim names them. The order is arbitrary (users see the registry's order);
 * append new rules just before NRULES. */
enum rule {
	RULE_LOCK_LIMIT,
	RULE_ADVISE_UNALIGNED,
	RULE_MAP_COUNT,
	RULE_CALL_FAILED,
	RULE_LOCK_FREED,
	RULE_UNLOCK_COLLATERAL,
	RULE_REALLOC_PROTECTED,
	RULE_FORK_ADVISE_HEAP,
	RULE_LOCK_HEAP,
	RULE_ADVISE_HEAP,
	RULE_UNLOCK_UNLOCKED,
	RULE_LOCK_LEAK,
	RULE_FORK_UNLOCKED_COPY,
	RULE_DODUMP_COLLATERAL,
	RULE_ALIGN_WASTE,
	RULE_RELEASE_UNWIPED,
	RULE_PROTECTION_LOST,
	RULE_UNLOCK_PARTIAL,
	NRULES
};

/* One rule. The texts are plain (no markup, no tab or newline): each writer escapes them. */
struct rule_def {
	enum rule id;
	const char *name;        /* "unlock-collateral": in logs, reports, suppression files */
	enum severity severity;  /* the default */
	/* GitHub code scanning's security-severity, a decimal number from 0.0 to 10.0 with one
	 * digit after the point ("7.5"), which it shows as critical (9.0 and above), high (7.0 to
	 * 8.9), medium (4.0 to 6.9) or low: errors are high, warnings medium, notes low
	 * (tests/unit/test_rules.c holds each rule to its severity's band). SARIF reports it in
	 * each rule's properties. */
	const char *security_severity;
	const char *summary;     /* SPEC's one-line meaning, lower case, no final full stop */
	const char *explanation; /* one paragraph: why it matters (the kernel's or glibc's reason) */
	const char *fix;         /* one paragraph: what to do instead */
};

/* Every rule, NRULES of them, in the order users read them (SPEC's table: errors, warnings,
 * notes); their number in *n. */
const struct rule_def *rules_table(size_t *n);

/* The rule with this id (id < NRULES). */
const struct rule_def *rules_by_id(enum rule id);

/* The rule called name, or NULL (also for NULL). */
const struct rule_def *rules_by_name(const char *name);

/* Is name a rule's name? (The `known` callback of policy/suppress.h.) */
int rules_known(const char *name);

/* "note", "warning", "error" ("none" for SEV_NONE). */
const char *rules_severity_name(enum severity sev);

#endif
