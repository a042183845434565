/* test_suppress.c: the suppressions file's lines and patterns (policy/suppress.c), as the shim
 * and memaudit-report both read them. */
#include "config.h"

#include <string.h>

#include "policy/suppress.h"
#include "tap.h"

static int known(const char *name)
{
	return !strcmp(name, "lock-heap") || !strcmp(name, "lock-leak");
}

/* Parse a copy of text; returns the error (NULL when good) and the parts in rule/pattern. */
static const char *parse(const char *text, char *rule, char *pattern)
{
	static char line[256], why[160];
	char *r, *p;
	const char *bad;

	strcpy(line, text);
	bad = suppress_parse_line(line, &r, &p, known, why, sizeof why);
	strcpy(rule, r ? r : "(null)");
	strcpy(pattern, p ? p : "(null)");
	return bad;
}

int main(void)
{
	char r[256], p[256];
	const char *bad;

	ok(!parse("lock-heap:main", r, p) && !strcmp(r, "lock-heap") && !strcmp(p, "main"),
	   "rule:pattern");
	ok(!parse("  lock-heap :  my_*_alloc \r", r, p) && !strcmp(r, "lock-heap") &&
		   !strcmp(p, "my_*_alloc"),
	   "blanks around both parts are trimmed (a CRLF file too)");
	ok(!parse("lock-leak:/usr/lib/x86_64-linux-gnu/libfoo.so:1", r, p) &&
		   !strcmp(p, "/usr/lib/x86_64-linux-gnu/libfoo.so:1"),
	   "the pattern may hold colons: only the first one separates");
	ok(!parse("", r, p) && !strcmp(r, "(null)"), "a blank line is nothing");
	ok(!parse("   # lock-heap:main", r, p) && !strcmp(r, "(null)"), "a comment is nothing");
	ok(!parse("lock-*:main", r, p) && !strcmp(r, "lock-*"), "a wildcard rule is not checked");
	bad = parse("lock-heep:main", r, p);
	ok(bad && !strcmp(bad, "unknown rule 'lock-heep'") && !strcmp(r, "(null)"),
	   "an unknown rule name is refused, by name");
	bad = parse("lock-heap", r, p);
	ok(bad && !strcmp(bad, "expected rule:pattern"), "no colon");
	ok(parse(":main", r, p) != NULL, "no rule");
	ok(parse("lock-heap:  ", r, p) != NULL, "no pattern");

	ok(suppress_rule_matches("*", "lock-heap"), "* matches every rule");
	ok(suppress_rule_matches("lock-*", "lock-leak"), "lock-* matches lock-leak");
	ok(!suppress_rule_matches("lock-heap", "lock-leak"), "a name matches only itself");

	ok(suppress_name_matches("main", "main"), "a function by name");
	ok(!suppress_name_matches("mai", "main"), "the whole name, not a prefix");
	ok(suppress_name_matches("libsodium.so*", "/usr/lib/libsodium.so.23.3.0"),
	   "a module by its base name");
	ok(suppress_name_matches("/usr/lib/*", "/usr/lib/libsodium.so.23"), "... or its full path");
	ok(suppress_name_matches("secret.c", "/src/app/secret.c"), "a file by its base name");
	ok(!suppress_name_matches("*", NULL) && !suppress_name_matches("*", ""),
	   "no name matches nothing");
	ok(!suppress_name_matches("app", "/src/app/"), "a trailing slash has no base name");
	plan(tap_count);
	return done_testing();
}
