/* whatif_note.c: see whatif_note.h. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_fmt.h"
#include "whatif_note.h"

/* Write v as MEMAUDIT_MEMLOCK_LIMIT takes it: "32K", "8M", or bytes. */
static void env_size(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "GMK";

	for (int u = 0; u < 3; u++) {
		uint64_t unit = UINT64_C(1) << (10 * (3 - u));

		if (v && v % unit == 0) {
			snprintf(buf, len, "%" PRIu64 "%c", v / unit, units[u]);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64, v);
}

/* Append to buf[0..len) at *used, cut to fit. */
static void add(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	*used += n > 0 ? (size_t)n : 0;
}

/* The separator before item i of n in "a, b and c". */
static const char *sep(size_t i, size_t n)
{
	return i == 0 ? "" : i + 1 < n ? ", " : " and ";
}

bool ma_whatif_note(const struct ma_process *p, char *buf, size_t len)
{
	const struct ma_whatif *c = NULL, *below[MA_LOG_MAX_WHATIF];
	size_t n = 0, used = 0;
	const char *op;
	char sz[32];

	buf[0] = '\0';
	if (!p->log.memlock_read)
		return false;
	for (size_t i = 0; i < p->log.nwhatif; i++)
		if (p->log.whatif[i].configured)
			c = &p->log.whatif[i];
	for (size_t i = 0; c && i < p->log.nwhatif; i++) {
		const struct ma_whatif *w = &p->log.whatif[i];

		if (!w->configured && !w->unlimited && (c->unlimited || w->limit < c->limit))
			below[n++] = w;
	}
	if (!n)
		return false;
	/* "... the rows for 32 KiB and 64 KiB are predicted without the program adapting to them;
	 * for the exact answer run it with MEMAUDIT_MEMLOCK_LIMIT=32K (or 64K)." */
	op = p->log.memlock_read_op ? p->log.memlock_read_op : "getrlimit";
	add(buf, len, &used, "the program read its RLIMIT_MEMLOCK (%s) and may size its locking by "
	    "it: the row%s for ", strcmp(op, "fork") ? op : "in the parent, before fork()",
	    n > 1 ? "s" : "");
	for (size_t i = 0; i < n; i++)
		add(buf, len, &used, "%s%s", sep(i, n), limit_str(below[i], sz, sizeof sz));
	add(buf, len, &used, " %s predicted without the program adapting to %s; for the exact "
	    "answer run it with MEMAUDIT_MEMLOCK_LIMIT=", n > 1 ? "are" : "is", n > 1 ? "them" : "it");
	for (size_t i = 0; i < n; i++) {
		env_size(below[i]->limit, sz, sizeof sz);
		add(buf, len, &used, "%s%s", i == 0 ? "" : i == 1 ? " (or " : ", ", sz);
	}
	add(buf, len, &used, "%s", n > 1 ? ")." : ".");
	return true;
}
