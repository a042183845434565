/* report_fmt.c: short texts shared by the text and HTML reports (see report_fmt.h). */
#include <config.h>

#include "report_fmt.h"
#include "names.h"

#include <inttypes.h>
#include <stdio.h>

/* Return "s" unless n is 1. */
const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* Write v as a short size; see report_fmt.h. */
const char *size_str(uint64_t v, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)v;
	int u = 0;

	if (v < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", v);
		return buf;
	}
	while (d >= 1024 && u < 6) {
		d /= 1024;
		u++;
	}
	if (d == (double)(uint64_t)d)
		snprintf(buf, len, "%.0f %s", d, units[u]);
	else
		snprintf(buf, len, "%.1f %s", d, units[u]);
	return buf;
}

/* Write v exactly; see report_fmt.h. */
const char *exact_size_str(uint64_t v, char *buf, size_t len)
{
	static const char *const units[] = { "EiB", "PiB", "TiB", "GiB", "MiB", "KiB" };

	for (int u = 0; u < 6; u++) {
		uint64_t unit = UINT64_C(1) << (10 * (6 - u));

		if (v && v % unit == 0) {
			snprintf(buf, len, "%" PRIu64 " %s", v / unit, units[u]);
			return buf;
		}
	}
	snprintf(buf, len, "%" PRIu64 " B", v);
	return buf;
}

/* Write a what-if limit; see report_fmt.h. */
const char *limit_str(const struct ma_whatif *w, char *buf, size_t len)
{
	if (w->unlimited) {
		snprintf(buf, len, "unlimited");
		return buf;
	}
	return exact_size_str(w->limit, buf, len);
}

/* Write the failures of s; see report_fmt.h. */
const char *failures_str(const struct ma_site *s, char *buf, size_t len)
{
	size_t used = 0;
	char name[32];

	buf[0] = '\0';
	for (size_t i = 0; i < s->nfailures && used < len - 1; i++) {
		const struct ma_errcount *e = &s->failures[i];

		used += (size_t)snprintf(buf + used, len - used, "%s%s %" PRIu64, i ? "," : "",
					 errno_name(e->err, name, sizeof name), e->count);
		if (e->injected == e->count && used < len - 1)
			used += (size_t)snprintf(buf + used, len - used, " (injected)");
		else if (e->injected && used < len - 1)
			used += (size_t)snprintf(buf + used, len - used, " (%" PRIu64 " injected)",
						 e->injected);
	}
	if (!s->nfailures)
		snprintf(buf, len, "-");
	return buf;
}

/* Write the op of s with its advice; see report_fmt.h. */
const char *op_str(const struct ma_site *s, char *buf, size_t len)
{
	int posix = s->op == MA_OP_POSIX_MADVISE, shown = 0;
	size_t used = (size_t)snprintf(buf, len, "%s", ma_op_name(s->op));

	for (int a = 0; a < 64 && used < len - 1; a++) {
		const char *nm = advice_name(a, posix);

		if (!(s->advice_seen & (UINT64_C(1) << a)))
			continue;
		used += (size_t)snprintf(buf + used, len - used, shown ? "+%s" : " %s",
					 nm ? nm : "?");
		shown++;
	}
	return buf;
}
