/* test_rules.c: the rule registry (policy/rules.c) is whole and well-formed: one row per enum rule,
 * unique names a suppression file can spell, a security severity in its severity's band, plain
 * one-paragraph texts that every writer (troff, JSON, SARIF, HTML, the TSV of
 * tests/report/rules.sh) can take as they are, and the suppressions parser accepts exactly the
 * registry's names. tests/report/rules.sh checks the tools against it. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "policy/rules.h"
#include "policy/suppress.h"
#include "tap.h"

/* Is s non-empty, printable ASCII or UTF-8 text without a tab, newline or backslash? */
static int plain(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\')
			return 0;
	return 1;
}

/* Is name lower-case words joined by single hyphens ("unlock-collateral")? */
static int well_named(const char *name)
{
	const char *p;

	if (!name || !islower((unsigned char)name[0]))
		return 0;
	for (p = name; *p; p++)
		if (!(islower((unsigned char)*p) || (*p == '-' && p[1] && p[1] != '-')))
			return 0;
	return 1;
}

/* Does the suppressions parser take "name:main"? */
static int parser_accepts(const char *name)
{
	char line[128], why[160], *rule, *pattern;

	snprintf(line, sizeof line, "%s:main", name);
	return !suppress_parse_line(line, &rule, &pattern, rules_known, why, sizeof why) && rule &&
	       !strcmp(rule, name);
}

static void whole(const struct rule_def *t, size_t n)
{
	int seen[NRULES] = { 0 }, once = 1;
	size_t i;

	is_int(n, NRULES, "one row per enum rule");
	for (i = 0; i < n; i++)
		if ((unsigned)t[i].id < NRULES)
			seen[t[i].id]++;
	for (i = 0; i < NRULES; i++)
		once &= seen[i] == 1 && rules_by_id((enum rule)i) && rules_by_id((enum rule)i)->id == i;
	ok(once, "every enum rule has exactly one row, found by rules_by_id");
}

static void names(const struct rule_def *t, size_t n)
{
	int good = 1, unique = 1, found = 1, parsed = 1;
	size_t i, j;

	for (i = 0; i < n; i++) {
		good &= well_named(t[i].name);
		for (j = 0; j < i; j++)
			unique &= strcmp(t[i].name, t[j].name) != 0;
		found &= rules_by_name(t[i].name) == &t[i] && rules_known(t[i].name);
		parsed &= parser_accepts(t[i].name);
	}
	ok(good, "names are lower-case words joined by hyphens");
	ok(unique, "names are unique");
	ok(found, "rules_by_name and rules_known find every name");
	ok(parsed, "the suppressions parser accepts every name");
	ok(!parser_accepts("lock-heep") && !parser_accepts("LOCK-HEAP") && !parser_accepts("lock"),
	   "the suppressions parser refuses names that are not the registry's");
	ok(!rules_by_name(NULL) && !rules_by_name("") && !rules_known("lock-heap "),
	   "no rule for NULL, \"\" or a name with a blank");
}

static void severities(const struct rule_def *t, size_t n)
{
	int valid = 1, ordered = 1;
	size_t i;

	for (i = 0; i < n; i++) {
		valid &= t[i].severity <= SEV_ERROR;
		ordered &= i == 0 || t[i - 1].severity >= t[i].severity;
	}
	ok(valid, "every default severity is note, warning or error");
	ok(ordered, "errors first, then warnings, then notes (SPEC's order)");
	ok(!strcmp(rules_severity_name(SEV_NOTE), "note") &&
		   !strcmp(rules_severity_name(SEV_WARNING), "warning") &&
		   !strcmp(rules_severity_name(SEV_ERROR), "error") &&
		   !strcmp(rules_severity_name(SEV_NONE), "none"),
	   "severity names");
}

/* Return the tenths of s when it is "D.D" or "10.0" (GitHub's security-severity: a decimal number
 * from 0.0 to 10.0), else -1. */
static int tenths(const char *s)
{
	if (s && !strcmp(s, "10.0"))
		return 100;
	if (!s || !isdigit((unsigned char)s[0]) || s[1] != '.' || !isdigit((unsigned char)s[2]) ||
	    s[3])
		return -1;
	return (s[0] - '0') * 10 + (s[2] - '0');
}

/* Each rule's security severity is a number in its severity's band of GitHub's scale: errors high
 * (7.0 to 8.9), warnings medium (4.0 to 6.9), notes low (0.1 to 3.9); within a severity, the
 * order of the table does not matter. */
static void security_severities(const struct rule_def *t, size_t n)
{
	static const int lo[] = { [SEV_NOTE] = 1, [SEV_WARNING] = 40, [SEV_ERROR] = 70 };
	static const int hi[] = { [SEV_NOTE] = 39, [SEV_WARNING] = 69, [SEV_ERROR] = 89 };
	int number = 1, band = 1;
	size_t i;

	for (i = 0; i < n; i++) {
		int v = tenths(t[i].security_severity), sev = t[i].severity;
		int in = sev <= SEV_ERROR && v >= lo[sev] && v <= hi[sev];

		number &= v >= 0;
		band &= in;
		if (!in)
			printf("#   %s: security severity \"%s\" for a%s %s\n", t[i].name,
			       t[i].security_severity ? t[i].security_severity : "(null)",
			       sev == SEV_ERROR ? "n" : "", rules_severity_name(t[i].severity));
	}
	ok(number, "every security severity is a number from 0.0 to 10.0 written D.D");
	ok(band, "errors are high (7.0-8.9), warnings medium (4.0-6.9), notes low (0.1-3.9)");
	ok(tenths("7.5") == 75 && tenths("10.0") == 100 && tenths("7") < 0 && tenths("7.50") < 0 &&
		   tenths("-1.0") < 0 && tenths(NULL) < 0,
	   "(the check of the number: 7.5 and 10.0 are numbers, 7, 7.50, -1.0 are not)");
}

static void texts(const struct rule_def *t, size_t n)
{
	int good = 1, summary = 1;
	size_t i, len;

	for (i = 0; i < n; i++) {
		good &= plain(t[i].summary) && plain(t[i].explanation) && plain(t[i].fix);
		len = strlen(t[i].summary);
		summary &= t[i].summary[len - 1] != '.' &&
			   (!isupper((unsigned char)t[i].summary[0]) || !strncmp(t[i].summary, "MADV_", 5));
	}
	ok(good, "summary, explanation and fix are plain one-line texts (no tab, newline, backslash)");
	ok(summary, "summaries are SPEC's meanings: no full stop, no capital but in MADV_*");
}

int main(void)
{
	size_t n;
	const struct rule_def *t = rules_table(&n);
	const struct rule_def *partial = rules_by_name("unlock-partial");

	whole(t, n);
	names(t, n);
	severities(t, n);
	security_severities(t, n);
	texts(t, n);
	ok(partial && partial->id == RULE_UNLOCK_PARTIAL && partial->severity == SEV_NOTE,
	   "unlock-partial is RULE_UNLOCK_PARTIAL, a note (issue 9)");
	plan(tap_count);
	return done_testing();
}
