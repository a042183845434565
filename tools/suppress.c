/* suppress.c: reading and matching suppressions (see suppress.h). */
#include <config.h>

#include "suppress.h"
#include "policy/rules.h"
#include "util.h"
#include "policy/suppress.h"

#include <errno.h>
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

/* Parse one line into s (policy/suppress.h); return NULL, or the reason it is malformed. */
static const char *parse_line(struct ma_suppressions *s, char *line, char *why, size_t len)
{
	char *rule, *pattern;
	const char *bad = suppress_parse_line(line, &rule, &pattern, rules_known, why, len);

	if (bad || !rule)
		return bad;
	GROW(s->v, s->cap, s->n);
	s->v[s->n].rule = xstrdup(rule);
	s->v[s->n].pattern = xstrdup(pattern);
	s->n++;
	return NULL;
}

/* Read a suppressions file; see suppress.h. */
struct ma_suppressions *ma_supp_read(const char *path, char *err, size_t errlen)
{
	struct ma_suppressions *s;
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		char buf[256];
		const char *why;

		lineno++;
		if ((size_t)len != strlen(line))
			why = "NUL byte in line";
		else
			why = parse_line(s, line, buf, sizeof buf);
		if (why) {
			snprintf(err, errlen, "%s:%zu: %s", path, lineno, why);
			goto fail;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
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

/* Load a suppressions file; see suppress.h. */
struct ma_suppressions *ma_supp_load(const char *path)
{
	char err[512];
	struct ma_suppressions *s = ma_supp_read(path, err, sizeof err);

	if (!s)
		fprintf(stderr, MA_PROG ": %s\n", err);
	return s;
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

/* Return whether pattern matches anything a frame is known by. */
static bool frame_matches(const char *pattern, const struct ma_sym_frame *f)
{
	return suppress_name_matches(pattern, f->function) || suppress_name_matches(pattern, f->symbol) ||
	       suppress_name_matches(pattern, f->file) || suppress_name_matches(pattern, f->module);
}

/* Return whether the finding (rule, frames) is suppressed by s. */
bool ma_supp_match(const struct ma_suppressions *s, const char *rule,
		   const struct ma_sym_frame *frames, size_t nframes)
{
	if (!s || !rule)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		if (!suppress_rule_matches(s->v[i].rule, rule))
			continue;
		for (size_t j = 0; j < nframes; j++)
			if (frame_matches(s->v[i].pattern, &frames[j]))
				return true;
	}
	return false;
}
