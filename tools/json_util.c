/* json_util.c: jansson values from what the report holds (see json_util.h). */
#include <config.h>

#include "json_util.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Return a JSON string for s; see json_util.h. */
json_t *jstr(const char *s)
{
	char *u;
	json_t *v;

	if (!s)
		return json_null();
	u = ma_bytes_encode(s);
	v = json_string(u);
	free(u);
	return v ? v : json_null();
}

/* Return a JSON integer for an unsigned value, clamped. */
json_t *juint(uint64_t v)
{
	return json_integer(json_int_clamp(v));
}
