/* test_timeline.c: the bounded locked-bytes series of the HTML chart (tools/timeline.c): it never
 * holds more than MA_TIMELINE_MAX buckets, keeps every peak and the last value, stays in order,
 * and keeps times from going backwards. */
#include "config.h"

#include <stdint.h>

#include "tap.h"
#include "tools/timeline.h"

/* Return the highest value over the buckets of tl. */
static uint64_t highest(const struct ma_timeline *tl)
{
	uint64_t m = 0;

	for (size_t i = 0; i < tl->n; i++)
		if (tl->b[i].max > m)
			m = tl->b[i].max;
	return m;
}

/* Return whether the buckets of tl are in order, each covering later points than the one
 * before. */
static int ordered(const struct ma_timeline *tl)
{
	for (size_t i = 0; i < tl->n; i++) {
		if (tl->b[i].n_first > tl->b[i].n_last || tl->b[i].t_first > tl->b[i].t_last)
			return 0;
		if (i && (tl->b[i].n_first <= tl->b[i - 1].n_last ||
			  tl->b[i].t_first < tl->b[i - 1].t_last))
			return 0;
	}
	return 1;
}

int main(void)
{
	struct ma_timeline tl = { 0 };
	size_t most = 0;

	plan(12);

	for (uint64_t i = 1; i <= 10; i++)
		ma_timeline_add(&tl, true, i * 100, i, i * 4096);
	is_int(tl.n, 10, "few points: one bucket each");
	ok(tl.b[3].t_first == 400 && tl.b[3].max == 16384 && tl.b[3].last == 16384,
	   "a bucket of one point holds it exactly");
	ok(!tl.untimed, "every point had a time");
	ma_timeline_free(&tl);

	for (uint64_t i = 1; i <= 1000000; i++) {
		ma_timeline_add(&tl, true, i * 10, i, i == 777777 ? UINT64_C(1) << 40 : i % 5 * 4096);
		if (tl.n > most)
			most = tl.n;
	}
	ok(most <= MA_TIMELINE_MAX, "a million points: never more than MA_TIMELINE_MAX buckets");
	ok(tl.n >= MA_TIMELINE_MAX / 2, "...and at least half of them used");
	ok(tl.cap <= MA_TIMELINE_MAX, "...nor more allocated");
	is_int(tl.points, 1000000, "every point counted");
	ok(highest(&tl) == UINT64_C(1) << 40, "the single peak survives downsampling");
	ok(tl.b[tl.n - 1].last == 0 && tl.b[tl.n - 1].n_last == 1000000 &&
	   tl.b[0].n_first == 1, "the first and last points are kept");
	ok(ordered(&tl), "buckets in order");
	ma_timeline_free(&tl);

	ma_timeline_add(&tl, true, 500, 1, 4096);
	ma_timeline_add(&tl, true, 300, 2, 8192);
	ma_timeline_add(&tl, false, 0, 3, 0);
	ok(tl.b[1].t_first == 500 && tl.b[2].t_first == 500,
	   "a time that goes backwards, or none, is taken as the latest");
	ok(tl.untimed, "a point without time is remembered");
	ma_timeline_free(&tl);
	return done_testing();
}
