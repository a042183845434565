/* suppress.c: see suppress.h. */
#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "suppress.h"

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* s without leading and trailing blanks (modifies s). */
static char *trim(char *s)
{
	char *e;

	while (blank(*s))
		s++;
	e = s + strlen(s);
	while (e > s && blank(e[-1]))
		*--e = '\0';
	return s;
}

const char *suppress_parse_line(char *line, char **rule, char **pattern,
				int (*known)(const char *name), char *why, size_t len)
{
	char *t = trim(line), *colon;

	*rule = *pattern = NULL;
	if (!*t || *t == '#')
		return NULL;
	colon = strchr(t, ':');
	if (!colon)
		return "expected rule:pattern";
	*colon = '\0';
	*rule = trim(t);
	*pattern = trim(colon + 1);
	if (!**rule || !**pattern) {
		*rule = *pattern = NULL;
		return "expected rule:pattern";
	}
	if (!strpbrk(*rule, "*?[") && !known(*rule)) {
		snprintf(why, len, "unknown rule '%s'", *rule);
		*rule = *pattern = NULL;
		return why;
	}
	return NULL;
}

int suppress_rule_matches(const char *rule, const char *finding_rule)
{
	return fnmatch(rule, finding_rule, 0) == 0;
}

int suppress_name_matches(const char *pattern, const char *name)
{
	const char *base;

	if (!name || !*name)
		return 0;
	if (fnmatch(pattern, name, 0) == 0)
		return 1;
	base = strrchr(name, '/');
	return base && base[1] && fnmatch(pattern, base + 1, 0) == 0;
}
