/* timeline.c: the bounded locked-bytes series of a process (see timeline.h). */
#include <config.h>

#include "timeline.h"
#include "util.h"

#include <string.h>

/* Return a and b (a before b) as one bucket. */
static struct ma_tl_bucket merged(const struct ma_tl_bucket *a, const struct ma_tl_bucket *b)
{
	struct ma_tl_bucket m = *a;

	m.t_last = b->t_last;
	m.n_last = b->n_last;
	m.max = a->max > b->max ? a->max : b->max;
	m.last = b->last;
	return m;
}

/* Halve the number of buckets by merging neighbours; later buckets hold twice as many points. */
static void halve(struct ma_timeline *tl)
{
	for (size_t i = 0; i < tl->n / 2; i++)
		tl->b[i] = merged(&tl->b[2 * i], &tl->b[2 * i + 1]);
	tl->n /= 2;
	tl->stride *= 2;
}

/* Add a point; see timeline.h. */
void ma_timeline_add(struct ma_timeline *tl, bool has_t, uint64_t t, uint64_t n, uint64_t bytes)
{
	struct ma_tl_bucket pt = { .n_first = n, .n_last = n, .max = bytes, .last = bytes };
	uint64_t latest = tl->n ? tl->b[tl->n - 1].t_last : 0;

	if (!has_t)
		tl->untimed = true;
	pt.t_first = pt.t_last = has_t && t > latest ? t : latest;
	tl->points++;
	if (!tl->stride)
		tl->stride = 1;
	if (tl->n && tl->in_last < tl->stride) {
		tl->b[tl->n - 1] = merged(&tl->b[tl->n - 1], &pt);
		tl->in_last++;
		return;
	}
	if (tl->n == MA_TIMELINE_MAX)
		halve(tl);
	GROW(tl->b, tl->cap, tl->n);
	tl->b[tl->n++] = pt;
	tl->in_last = 1;
}

/* Free the buckets. */
void ma_timeline_free(struct ma_timeline *tl)
{
	free(tl->b);
	memset(tl, 0, sizeof *tl);
}
