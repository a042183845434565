/* suppress.c: reading and matching suppressions (see suppress.h). */
#include <config.h>

#include "suppress.h"
#include "util.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct supp {
	char *rule, *pattern;
};

struct ma_suppressions {
	struct supp *v;
	size_t n, cap;
};

/* Return whether name is one of memaudit's rules. */
bool ma_rule_known(const char *name)
{
	static const char *const rules[] = {
		"lock-limit",     "advise-unaligned", "lock-freed",       "unlock-collateral",
		"dodump-collateral", "realloc-protected", "fork-advise-heap", "map-count",
		"lock-heap",      "advise-heap",      "align-waste",      "call-failed",
		"release-unwiped", "protection-lost", "unlock-unlocked",  "lock-leak",
		"fork-unlocked-copy",
	};

	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (!strcmp(rules[i], name))
			return true;
	return false;
}

/* Return s without leading and trailing blanks (modifies s). */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Parse one non-comment line into s; return NULL, or the reason it is malformed (possibly written
 * into why[0..len)). */
static const char *parse_line(struct ma_suppressions *s, char *line, char *why, size_t len)
{
	char *colon = strchr(line, ':'), *rule, *pattern;

	if (!colon)
		return "expected rule:pattern";
	*colon = '\0';
	rule = trim(line);
	pattern = trim(colon + 1);
	if (!*rule || !*pattern)
		return "expected rule:pattern";
	if (!strpbrk(rule, "*?[") && !ma_rule_known(rule)) {
		snprintf(why, len, "unknown rule '%s'", rule);
		return why;
	}
	GROW(s->v, s->cap, s->n);
	s->v[s->n].rule = xstrdup(rule);
	s->v[s->n].pattern = xstrdup(pattern);
	s->n++;
	return NULL;
}

/* Load a suppressions file; see suppress.h. */
struct ma_suppressions *ma_supp_load(const char *path)
{
	struct ma_suppressions *s;
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;

	if (!f) {
		fprintf(stderr, MA_PROG ": %s: %s\n", path, strerror(errno));
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		char buf[256];
		const char *why;
		char *t;

		lineno++;
		if ((size_t)len != strlen(line)) {
			why = "NUL byte in line";
		} else {
			t = trim(line);
			if (!*t || *t == '#')
				continue;
			why = parse_line(s, t, buf, sizeof buf);
		}
		if (why) {
			fprintf(stderr, MA_PROG ": %s:%zu: %s\n", path, lineno, why);
			goto fail;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, MA_PROG ": %s: %s\n", path, strerror(errno ? errno : EIO));
		goto fail;
	}
	free(line);
	fclose(f);
	return s;
fail:
	free(line);
	fclose(f);
	ma_supp_free(s);
	return NULL;
}

/* Free s. */
void ma_supp_free(struct ma_suppressions *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].rule);
		free(s->v[i].pattern);
	}
	free(s->v);
	free(s);
}

/* Return whether pattern matches name (NULL never matches). */
static bool match(const char *pattern, const char *name)
{
	return name && *name && fnmatch(pattern, name, 0) == 0;
}

/* Return whether pattern matches anything a frame is known by. */
static bool frame_matches(const char *pattern, const struct ma_sym_frame *f)
{
	return match(pattern, f->function) || match(pattern, f->file) ||
	       (f->file && match(pattern, base_name(f->file))) || match(pattern, f->module) ||
	       (f->module && match(pattern, base_name(f->module)));
}

/* Return whether the finding (rule, frames) is suppressed by s. */
bool ma_supp_match(const struct ma_suppressions *s, const char *rule,
		   const struct ma_sym_frame *frames, size_t nframes)
{
	if (!s || !rule)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		if (fnmatch(s->v[i].rule, rule, 0) != 0)
			continue;
		for (size_t j = 0; j < nframes; j++)
			if (frame_matches(s->v[i].pattern, &frames[j]))
				return true;
	}
	return false;
}
