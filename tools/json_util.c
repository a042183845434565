/* json_util.c: jansson values from what the report holds (see json_util.h). */
#include <config.h>

#include "json_util.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Return a JSON string for s; see json_util.h. */
json_t *jstr(const char *s)
{
	json_t *v;
	size_t len;
	char *u, *o;

	if (!s)
		return json_null();
	v = json_string(s);
	if (v)
		return v;
	len = strlen(s);
	u = o = xmalloc(len * 2 + 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x80) {
			*o++ = (char)c;
		} else {
			*o++ = (char)(0xc0 | c >> 6);
			*o++ = (char)(0x80 | (c & 0x3f));
		}
	}
	*o = '\0';
	v = json_string(u);
	free(u);
	return v ? v : json_null();
}

/* Return a JSON integer for an unsigned value, clamped. */
json_t *juint(uint64_t v)
{
	return json_integer(json_int_clamp(v));
}
