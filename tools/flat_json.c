/* flat_json.c: the in-place scanner for flat log records (see flat_json.h). */
#include <config.h>

#include "flat_json.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The state of one scan: the input not read yet, and where the next string goes. */
struct scan {
	const char *p, *end;
	char *out;
};

/* Skip JSON whitespace. */
static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Read a string of printable ASCII without escapes into the scratch buffer; return it, or NULL
 * when the string is not of that kind. */
static const char *scan_string(struct scan *s)
{
	const char *start;
	char *copy = s->out;

	if (s->p == s->end || *s->p != '"')
		return NULL;
	start = ++s->p;
	while (s->p < s->end && *s->p != '"') {
		unsigned char c = (unsigned char)*s->p;

		if (c < 0x20 || c > 0x7e || c == '\\')
			return NULL;
		s->p++;
	}
	if (s->p == s->end)
		return NULL;
	memcpy(copy, start, (size_t)(s->p - start));
	copy[s->p - start] = '\0';
	s->out += s->p - start + 1;
	s->p++;
	return copy;
}

/* Read an integer: -?(0|[1-9][0-9]*) that fits an int64 and is not followed by a fraction or an
 * exponent (which would make it a real to jansson). */
static bool scan_int(struct scan *s, int64_t *out)
{
	bool negative = false;
	uint64_t v = 0, limit;

	if (s->p < s->end && *s->p == '-') {
		negative = true;
		s->p++;
	}
	if (s->p == s->end || *s->p < '0' || *s->p > '9')
		return false;
	if (*s->p == '0' && s->p + 1 < s->end && s->p[1] >= '0' && s->p[1] <= '9')
		return false; /* a leading zero: not JSON */
	limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
		unsigned d = (unsigned)(*s->p - '0');

		if (v > (limit - d) / 10)
			return false; /* out of range: jansson rejects it */
		v = v * 10 + d;
		s->p++;
	}
	if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
		return false;
	*out = negative ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* Read the literal word if it is next. */
static bool scan_word(struct scan *s, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n))
		return false;
	s->p += n;
	return true;
}

/* Read a scalar value (integer, string, true, false, null) into v. */
static bool scan_scalar(struct scan *s, struct flat_value *v)
{
	if (s->p == s->end)
		return false;
	if (*s->p == '"') {
		v->type = FLAT_STR;
		return (v->s = scan_string(s)) != NULL;
	}
	if (scan_word(s, "true")) {
		v->type = FLAT_TRUE;
	} else if (scan_word(s, "false")) {
		v->type = FLAT_FALSE;
	} else if (scan_word(s, "null")) {
		v->type = FLAT_NULL;
	} else {
		v->type = FLAT_INT;
		return scan_int(s, &v->i);
	}
	/* a word must end there: "truex" is not JSON */
	return s->p == s->end || !((*s->p >= 'a' && *s->p <= 'z') || (*s->p >= '0' && *s->p <= '9'));
}

/* Read an array of scalars (its elements are checked, not kept). */
static bool scan_array(struct scan *s)
{
	struct flat_value ignored;

	s->p++; /* '[' */
	skip_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return true;
	}
	for (;;) {
		skip_ws(s);
		if (!scan_scalar(s, &ignored))
			return false;
		skip_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return true;
		}
		return false;
	}
}

/* Read one "key": value pair into r->f[r->n]. */
static bool scan_field(struct scan *s, struct flat_rec *r)
{
	struct flat_field *f;

	if (r->n == FLAT_MAX_KEYS)
		return false;
	f = &r->f[r->n];
	skip_ws(s);
	if (!(f->key = scan_string(s)))
		return false;
	f->key_len = strlen(f->key);
	skip_ws(s);
	if (s->p == s->end || *s->p != ':')
		return false;
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == '[') {
		f->v.type = FLAT_ARRAY;
		if (!scan_array(s))
			return false;
	} else if (!scan_scalar(s, &f->v)) {
		return false;
	}
	r->n++;
	return true;
}

/* Scan a line; see flat_json.h. */
bool flat_parse(struct flat_rec *r, const char *line, size_t len)
{
	struct scan s = { .p = line, .end = line + len };

	if (len + 1 > r->scratch_cap) {
		free(r->scratch);
		r->scratch_cap = len + 1;
		r->scratch = xmalloc(r->scratch_cap);
	}
	s.out = r->scratch;
	r->n = 0;
	skip_ws(&s);
	if (s.p == s.end || *s.p != '{')
		return false;
	s.p++;
	skip_ws(&s);
	if (s.p < s.end && *s.p == '}') {
		s.p++;
	} else {
		for (;;) {
			if (!scan_field(&s, r))
				return false;
			skip_ws(&s);
			if (s.p < s.end && *s.p == ',') {
				s.p++;
				continue;
			}
			if (s.p < s.end && *s.p == '}') {
				s.p++;
				break;
			}
			return false;
		}
	}
	skip_ws(&s);
	return s.p == s.end;
}

/* Return the last value of key in r. */
const struct flat_value *flat_get(const struct flat_rec *r, const char *key)
{
	size_t len = strlen(key);

	for (size_t i = r->n; i-- > 0;)
		if (r->f[i].key_len == len && r->f[i].key[0] == key[0] &&
		    !memcmp(r->f[i].key, key, len))
			return &r->f[i].v;
	return NULL;
}

/* Free the scratch buffer. */
void flat_free(struct flat_rec *r)
{
	free(r->scratch);
	r->scratch = NULL;
	r->scratch_cap = 0;
}
