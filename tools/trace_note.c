/* trace_note.c: see trace_note.h. */
#include <config.h>

#include "trace_note.h"

#include <stdio.h>
#include <string.h>

/* Append the names to buf at *at, comma-separated. */
static void names(char *buf, size_t len, size_t *at, char *const *v, size_t n)
{
	for (size_t i = 0; i < n && *at < len; i++)
		*at += (size_t)snprintf(buf + *at, len - *at, "%s%s", i ? ", " : "", v[i]);
}

bool ma_trace_list(char *const *v, size_t n, char *buf, size_t len)
{
	size_t at = 0;

	if (len)
		buf[0] = '\0';
	names(buf, len, &at, v, n);
	return n > 0;
}

bool ma_is_traced(const struct ma_log *l)
{
	return l->frontend && strcmp(l->frontend, "trace") == 0;
}

bool ma_trace_note(const struct ma_log *l, char *buf, size_t len)
{
	size_t at = 0;

	if (len)
		buf[0] = '\0';
	if (!ma_is_traced(l) || len == 0)
		return false;
	at = (size_t)snprintf(buf, len, "traced (trace mode): ");
	if (l->nunchecked && at < len) {
		at += (size_t)snprintf(buf + at, len - at, "not checked, free() and realloc() make no "
				       "system call: ");
		names(buf, len, &at, l->unchecked, l->nunchecked);
	}
	if (l->npartly && at < len) {
		at += (size_t)snprintf(buf + at, len - at, "%schecked only at munlock and munmap: ",
				       l->nunchecked ? "; " : "");
		names(buf, len, &at, l->partly, l->npartly);
	}
	if (!l->nunchecked && !l->npartly && at < len)
		snprintf(buf + at, len - at, "every rule checked");
	return true;
}
