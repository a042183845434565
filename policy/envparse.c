/* envparse.c: see envparse.h. Strict: no leading or trailing junk, no signs, no overflow. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "policy/envparse.h"

int envparse_policy(const char *s, int *out)
{
	static const char *const names[] = {"off", "audit", "warn", "enforce", "strict"};
	int i;

	for (i = 0; i < 5; i++)
		if (s && strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

int envparse_argv(const char *s, int *out)
{
	if (s && strcmp(s, "full") == 0)
		*out = ENVPARSE_ARGV_FULL;
	else if (s && strcmp(s, "first") == 0)
		*out = ENVPARSE_ARGV_FIRST;
	else
		return -1;
	return 0;
}

/* Parse decimal digits of s into *v; returns the first non-digit, or NULL on none or overflow. */
static const char *digits(const char *s, unsigned long long *v)
{
	const char *p = s;

	*v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (*v > (UINT64_MAX - 9) / 10)
			return NULL;
		*v = *v * 10 + (unsigned)(*p - '0');
	}
	return p == s ? NULL : p;
}

int envparse_size(const char *s, long long *out)
{
	unsigned long long v, mul = 1;
	const char *p;

	if (!s)
		return -1;
	if (strcmp(s, "unlimited") == 0) {
		*out = -1;
		return 0;
	}
	p = digits(s, &v);
	if (!p)
		return -1;
	switch (*p) {
	case 'k': case 'K': mul = 1ull << 10; p++; break;
	case 'm': case 'M': mul = 1ull << 20; p++; break;
	case 'g': case 'G': mul = 1ull << 30; p++; break;
	}
	if (*p == 'i' || *p == 'B')
		return -1; /* "KiB", "KB": say what is accepted rather than guess */
	if (*p || v > (unsigned long long)INT64_MAX / mul)
		return -1;
	*out = (long long)(v * mul);
	return 0;
}

int envparse_page_size(const char *s, size_t min, size_t *out)
{
	long long v;

	if (envparse_size(s, &v) != 0 || v <= 0 || (v & (v - 1)) || (size_t)v < min ||
	    v > (1ll << 30))
		return -1;
	*out = (size_t)v;
	return 0;
}

int envparse_count(const char *s, long lo, long hi, long *out)
{
	unsigned long long v;
	const char *p;

	if (!s || !(p = digits(s, &v)) || *p || v < (unsigned long long)lo || v > (unsigned long long)hi)
		return -1;
	*out = (long)v;
	return 0;
}

int envparse_run_id(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char c = s[n];

		if (n >= ENVPARSE_RUN_ID_MAX ||
		    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return -1;
	}
	return n ? 0 : -1;
}
