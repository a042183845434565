/* test_tracker_lone.c: the shortcut of policy/tracker.c for an empty or one-range tracker
 * (update_lone) against the general path (TAP).
 *
 * This file builds a second copy of tracker.c with TRACKER_NO_LONE, its public functions renamed
 * gen_*, so that each random operation runs on two trackers, one through the shortcut (libpolicy)
 * and one without it, and everything observable must agree: results, ranges and sites, locked
 * pages, bounds, the change count, queries and walks of random ranges, and the allocations (an out-of-memory budget fails both alike).
 * The operations favour the shapes the shortcut takes: few ranges, whole-range clears and removes.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/tracker.h"
#include "tap.h"
#include "unit/tracker_util.h"

/* The general path: tracker.c again, without the shortcut, under other names. tracker.h is
 * already included, so its declarations keep the real names; the copies need no prototypes. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#define TRACKER_NO_LONE 1
#define tracker_new gen_tracker_new
#define tracker_destroy gen_tracker_destroy
#define tracker_set gen_tracker_set
#define tracker_clear gen_tracker_clear
#define tracker_clear_all gen_tracker_clear_all
#define tracker_remove gen_tracker_remove
#define tracker_query gen_tracker_query
#define tracker_locked_pages gen_tracker_locked_pages
#define tracker_empty gen_tracker_empty
#define tracker_changes gen_tracker_changes
#define tracker_bounds gen_tracker_bounds
#define tracker_gap gen_tracker_gap
#define tracker_foreach gen_tracker_foreach
#include "../../policy/tracker.c"
#undef tracker_new
#undef tracker_destroy
#undef tracker_set
#undef tracker_clear
#undef tracker_clear_all
#undef tracker_remove
#undef tracker_query
#undef tracker_locked_pages
#undef tracker_empty
#undef tracker_changes
#undef tracker_bounds
#undef tracker_gap
#undef tracker_foreach
#pragma GCC diagnostic pop

#define P 4096u
#define W 48                            /* pages of the window: fewer ranges than SNAP_MAX */

/* Do the two trackers show the same state, and answer the same on [qs, qe)? */
static int same(const struct tracker *a, const struct tracker *b, uintptr_t qs, uintptr_t qe)
{
	struct snap sa = {0}, sb = {0}, qa = {0}, qb = {0};
	uintptr_t alo, ahi, blo, bhi;
	size_t al = 0, bl = 0;

	tracker_foreach(a, 0, UINTPTR_MAX, snap_cb, &sa);
	gen_tracker_foreach(b, 0, UINTPTR_MAX, snap_cb, &sb);
	if (tracker_foreach(a, qs, qe, snap_cb, &qa) != gen_tracker_foreach(b, qs, qe, snap_cb, &qb))
		return 0;
	if (tracker_bounds(a, &alo, &ahi) != tracker_changes(a))
		return 0;
	gen_tracker_bounds(b, &blo, &bhi);
	return snap_equal(&sa, &sb) && snap_equal(&qa, &qb) && alo == blo && ahi == bhi &&
	       tracker_query(a, qs, qe, &al) == gen_tracker_query(b, qs, qe, &bl) && al == bl &&
	       tracker_locked_pages(a) == gen_tracker_locked_pages(b) &&
	       tracker_changes(a) == gen_tracker_changes(b) && tracker_empty(a) == gen_tracker_empty(b);
}

/* Ranges held, at most 2 counted. */
static int shape(const struct tracker *t)
{
	struct snap s = {0};

	tracker_foreach(t, 0, UINTPTR_MAX, snap_cb, &s);
	return s.n > 2 ? 2 : s.n;
}

/* A range of the window: often the one range held (exactly), or one around it, or all of a
 * larger tracker from one of its first ranges on, else random. */
static void pick(const struct tracker *t, uintptr_t base, uintptr_t *s, uintptr_t *e)
{
	struct snap cur = {0};
	int a = (int)rnd(W), b = a + 1 + (int)rnd(rnd(2) ? 4 : W - a);

	tracker_foreach(t, 0, UINTPTR_MAX, snap_cb, &cur);
	if (b > W)
		b = W;
	*s = base + (uintptr_t)a * P;
	*e = base + (uintptr_t)b * P;
	if (cur.n > 1 && rnd(3) == 0) {
		*s = cur.r[rnd(2) ? 0 : 1].start;       /* from one of the first two ranges on */
		*e = base + (uintptr_t)W * P;
	} else if (cur.n == 1 && rnd(3)) {
		*s = cur.r[0].start;
		*e = cur.r[0].end;
		if (rnd(2) && *s > base)
			*s -= P * (1 + rnd((uint32_t)((*s - base) / P)));
		if (rnd(2) && *e < base + (uintptr_t)W * P)
			*e += P * rnd((uint32_t)((base + (uintptr_t)W * P - *e) / P) + 1);
	}
}

static void test_random(size_t page, uintptr_t base, const char *where)
{
	struct actx fa = {0, -1, 0}, ga = {0, -1, 0};
	struct tracker_alloc fal = {t_alloc, t_free, &fa}, gal = {t_alloc, t_free, &ga};
	struct tracker *f = tracker_new(page, &fal), *g = gen_tracker_new(page, &gal);
	int step, fails = 0, shapes[3] = {0, 0, 0}, ooms = 0;
	char name[160];

	for (step = 0; step < 20000 && !fails; step++) {
		unsigned attrs = 1 + rnd(TRACK_ALL);
		uint32_t site = 1 + rnd(2);
		int kind = (int)rnd(100);
		uintptr_t s, e, qs, qe;
		long x, y;

		shapes[shape(f)]++;
		pick(f, base, &s, &e);
		fa.budget = ga.budget = rnd(10) == 0 ? (long)rnd(2) : -1;
		if (kind < 45) {
			x = tracker_set(f, s, e, attrs, site);
			y = gen_tracker_set(g, s, e, attrs, site);
		} else if (kind < 75) {
			x = tracker_clear(f, s, e, attrs);
			y = gen_tracker_clear(g, s, e, attrs);
		} else if (kind < 95) {
			x = tracker_remove(f, s, e);
			y = gen_tracker_remove(g, s, e);
		} else {
			x = tracker_clear_all(f, attrs);
			y = gen_tracker_clear_all(g, attrs);
		}
		fa.budget = ga.budget = -1;
		ooms += x == -1;
		pick(f, base, &qs, &qe);        /* a query around what is there, or anywhere */
		if (x != y || fa.live != ga.live || fa.allocs != ga.allocs || !same(f, g, qs, qe)) {
			printf("#   op %d on [%#lx, %#lx) attrs %u: %ld vs %ld\n", kind, (unsigned long)s,
			       (unsigned long)e, attrs, x, y);
			fails++;
		}
	}
	snprintf(name, sizeof name, "20000 random operations %s: the shortcut agrees with the general path", where);
	is_int(fails, 0, name);
	printf("# shapes: %d empty, %d one range, %d more\n", shapes[0], shapes[1], shapes[2]);
	ok(shapes[0] > 2000 && shapes[1] > 2000 && shapes[2] > 2000,
	   "the run took empty, one-range and larger trackers");
	ok(ooms > 100, "the run hit out-of-memory failures");
	tracker_destroy(f);
	gen_tracker_destroy(g);
	ok(fa.live == 0 && ga.live == 0, "no leak");
}

int main(void)
{
	rng_state = 0x9e3779b97f4a7c15ull;
	test_random(P, (uintptr_t)0x10000000, "with 4 KiB pages");
	test_random(P, UINTPTR_MAX - (uintptr_t)W * P + 1 - P, "at the top of the address space");
	test_random(1, 0x10000000, "with one-byte pages (the regions)");
	plan(tap_count);
	return done_testing();
}
