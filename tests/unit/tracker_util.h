/* tracker_util.h: what the tracker's unit tests share (test_tracker.c, test_tracker_lone.c): a
 * counting allocator that can be told to fail, snapshots of a tracker's ranges, a reproducible
 * random generator. Static, for one test program each. */
#ifndef MEMAUDIT_TESTS_TRACKER_UTIL_H
#define MEMAUDIT_TESTS_TRACKER_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/tracker.h"

/* A malloc-backed allocator that counts live blocks and allocations, fills what it gives with
 * garbage (the engine's gives recycled nodes as they are) and can be told to fail:
 * budget < 0 is unlimited, otherwise the number of allocations that will still succeed. */
struct actx {
	long live;
	long budget;
	long allocs;
};

static inline void *t_alloc(size_t size, void *ctx)
{
	struct actx *a = ctx;
	void *p;

	if (a->budget == 0)
		return NULL;
	if (a->budget > 0)
		a->budget--;
	a->live++;
	a->allocs++;
	p = malloc(size);
	return p ? memset(p, 0xa5, size) : NULL; /* not cleared: the tracker must not need it */
}

static inline void t_free(void *p, size_t size, void *ctx)
{
	struct actx *a = ctx;

	(void)size;
	a->live--;
	free(p);
}

/* ---- snapshots through tracker_foreach ------------------------------------------------------- */

#define SNAP_MAX 64

struct snap {
	int n;
	struct tracker_range r[SNAP_MAX];
};

static inline int snap_cb(const struct tracker_range *r, void *arg)
{
	struct snap *s = arg;

	if (s->n < SNAP_MAX)
		s->r[s->n] = *r;
	s->n++;
	return 0;
}

/* All ranges of t, in order (the count may exceed SNAP_MAX; only the first SNAP_MAX are kept). */
static inline struct snap take(const struct tracker *t)
{
	struct snap s = { 0 };

	tracker_foreach(t, 0, UINTPTR_MAX, snap_cb, &s);
	return s;
}

/* Same ranges, field by field (struct tracker_range has padding, so no memcmp of whole structs). */
static inline int snap_equal(const struct snap *a, const struct snap *b)
{
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n && i < SNAP_MAX; i++) {
		const struct tracker_range *x = &a->r[i], *y = &b->r[i];

		if (x->start != y->start || x->end != y->end || x->attrs != y->attrs ||
		    memcmp(x->site, y->site, sizeof(x->site)) != 0)
			return 0;
	}
	return 1;
}

/* xorshift64: reproducible runs; a test may seed rng_state. */
static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static inline uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

#endif
