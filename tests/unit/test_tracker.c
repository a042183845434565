/* test_tracker.c: unit tests of policy/tracker.c and policy/pages.h (TAP).
 *
 * Hand-computed cases first, then a 40,000-range scale run, then a randomized comparison against a
 * per-page model. Addresses are written as page numbers: pg(n) is page n of a fixed window.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/pages.h"
#include "policy/tracker.h"
#include "tap.h"
#include "unit/tracker_util.h"

#define P 4096u
#define BASE ((uintptr_t)0x10000000)
#define TOP ((uintptr_t)0xfffffffffffff000) /* highest page-aligned end: 2^64 is not representable */

#define L TRACK_LOCKED
#define DD TRACK_DONTDUMP
#define DF TRACK_DONTFORK
#define WF TRACK_WIPEONFORK

/* Address of page n of the test window. */
static uintptr_t pg(long n)
{
	return BASE + (uintptr_t)n * P;
}

static struct actx actx;
static const struct tracker_alloc talloc = { t_alloc, t_free, &actx };

/* A fresh tracker with 4 KiB pages on the counting allocator, unlimited budget. */
static struct tracker *fresh(void)
{
	actx.budget = -1;
	return tracker_new(P, &talloc);
}

static int count_cb(const struct tracker_range *r, void *arg)
{
	(void)r;
	++*(long *)arg;
	return 0;
}

/* Number of maximal ranges reported by foreach over everything. */
static long nranges(const struct tracker *t)
{
	long n = 0;

	tracker_foreach(t, 0, UINTPTR_MAX, count_cb, &n);
	return n;
}

/* Does range i of s equal [s, e) with attrs a? */
static int range_is(const struct snap *s, int i, uintptr_t start, uintptr_t end, unsigned attrs)
{
	if (i >= s->n || i >= SNAP_MAX)
		return 0;
	return s->r[i].start == start && s->r[i].end == end && s->r[i].attrs == attrs;
}

/* ---- structural invariants ------------------------------------------------------------------- */

struct inv {
	int bad;
	int have_prev;
	struct tracker_range prev;
	size_t locked;
	uintptr_t lo, hi;
	long n;
	const char *why;
};

static int inv_cb(const struct tracker_range *r, void *arg)
{
	struct inv *v = arg;

	if (r->start >= r->end || page_offset(r->start, P) || page_offset(r->end, P))
		v->why = "empty or unaligned range";
	else if (r->attrs == 0 || (r->attrs & ~TRACK_ALL))
		v->why = "bad attrs";
	for (unsigned i = 0; i < TRACK_NATTRS; i++)
		if (!(r->attrs & (1u << i)) && r->site[i] != 0)
			v->why = "site kept for an absent bit";
	if (v->have_prev) {
		if (v->prev.end > r->start)
			v->why = "out of order or overlapping";
		if (v->prev.end == r->start && v->prev.attrs == r->attrs &&
		    memcmp(v->prev.site, r->site, sizeof(r->site)) == 0)
			v->why = "not coalesced";
	} else {
		v->lo = r->start;
	}
	if (r->attrs & L)
		v->locked += (r->end - r->start) / P;
	v->hi = r->end;
	v->prev = *r;
	v->have_prev = 1;
	v->n++;
	if (v->why) {
		v->bad = 1;
		return 1;
	}
	return 0;
}

/* Check every invariant of t visible through the interface; prints why on failure. */
static int invariants(const struct tracker *t)
{
	struct inv v = { 0 };
	uintptr_t lo = 1, hi = 1;

	tracker_foreach(t, 0, UINTPTR_MAX, inv_cb, &v);
	tracker_bounds(t, &lo, &hi);
	if (!v.why && v.locked != tracker_locked_pages(t))
		v.why = "locked count differs from the ranges";
	if (!v.why && (lo != v.lo || hi != v.hi))
		v.why = "bounds differ from the ranges";
	if (!v.why && tracker_empty(t) != (v.n == 0))
		v.why = "tracker_empty is wrong";
	if (v.why)
		printf("#   invariant broken: %s\n", v.why);
	return v.why == NULL;
}

/* ---- pages.h --------------------------------------------------------------------------------- */

static void test_pages(void)
{
	uintptr_t s = 0, e = 0;

	ok(page_size_valid(4096) && page_size_valid(65536) && !page_size_valid(0) &&
	   !page_size_valid(4095) && !page_size_valid(6144), "page_size_valid");
	is_int(page_shift(4096), 12, "page_shift(4096)");
	is_int(page_down(pg(3) + 17, P), pg(3), "page_down unaligned");
	is_int(page_down(pg(3), P), pg(3), "page_down aligned");
	is_int(page_up(pg(3) + 1, P), pg(4), "page_up unaligned");
	is_int(page_up(pg(3), P), pg(3), "page_up aligned");
	is_int(page_up(UINTPTR_MAX, P), 0, "page_up wraps like PAGE_ALIGN");
	ok(page_up_checked(UINTPTR_MAX - 5, P, &s) == -1, "page_up_checked: last page overflows");
	ok(page_up_checked(TOP, P, &s) == 0 && s == TOP, "page_up_checked: top page start is fine");
	ok(page_up_checked(TOP - 1, P, &s) == 0 && s == TOP, "page_up_checked: rounds to TOP");

	/* mm/mlock.c: len = PAGE_ALIGN(len + offset_in_page(start)); start &= PAGE_MASK */
	is_int(pages_in(pg(0), 0, P), 0, "pages_in: zero length, aligned");
	is_int(pages_in(pg(0) + 100, 1, P), 1, "pages_in: one byte is one page");
	is_int(pages_in(pg(0) + P - 1, 2, P), 2, "pages_in: two bytes across a boundary are two pages");
	is_int(pages_in(pg(0), P, P), 1, "pages_in: one exact page");
	is_int(pages_in(pg(0) + 1, P, P), 2, "pages_in: a page's worth, unaligned, is two pages");
	is_int(pages_in(pg(0) + 1, 0, P), 1, "pages_in: zero length at an unaligned start is one page");
	is_int(pages_in(pg(0) + 100, SIZE_MAX - 50, P), 1, "pages_in: wrapped length, as the kernel");
	is_int(pages_in(pg(0), SIZE_MAX, P), 0, "pages_in: SIZE_MAX wraps to nothing, as the kernel");

	ok(page_range_lock(pg(2) + 5, 10, P, &s, &e) == 0 && s == pg(2) && e == pg(3),
	   "page_range_lock: inside one page");
	ok(page_range_lock(pg(2) + P - 1, 2, P, &s, &e) == 0 && s == pg(2) && e == pg(4),
	   "page_range_lock: straddling");
	ok(page_range_lock(pg(2), 0, P, &s, &e) == 0 && s == e, "page_range_lock: empty");
	ok(page_range_lock(TOP - P, P, P, &s, &e) == 0 && s == TOP - P && e == TOP,
	   "page_range_lock: ending at the top page's start");
	s = e = 7;
	ok(page_range_lock(TOP, P, P, &s, &e) == -1 && s == 7 && e == 7,
	   "page_range_lock: ending at 2^64 is EINVAL, outputs untouched");
	ok(page_range_lock(TOP - P + 1, P, P, &s, &e) == -1, "page_range_lock: unaligned, overflowing");
	ok(page_range_lock(pg(1), SIZE_MAX - P - 1, P, &s, &e) == -1, "page_range_lock: huge length");

	ok(page_range_advise(pg(1), 1, P, &s, &e) == 0 && s == pg(1) && e == pg(2),
	   "page_range_advise: length rounded up");
	ok(page_range_advise(pg(1) + 8, P, P, &s, &e) == -1, "page_range_advise: unaligned start");
	ok(page_range_advise(pg(1), 0, P, &s, &e) == 0 && s == e, "page_range_advise: len 0");
	ok(page_range_advise(pg(1), SIZE_MAX, P, &s, &e) == -1, "page_range_advise: rounds to 0");
	ok(page_range_advise(TOP, P, P, &s, &e) == -1, "page_range_advise: wraps");
}

/* ---- hand-computed tracker cases ------------------------------------------------------------- */

static void test_new(void)
{
	struct tracker *t;
	uintptr_t lo = 1, hi = 1;

	ok(tracker_new(0, &talloc) == NULL, "tracker_new rejects page size 0");
	ok(tracker_new(3000, &talloc) == NULL, "tracker_new rejects a page size that is no power of 2");
	actx.budget = 0;
	ok(tracker_new(P, &talloc) == NULL, "tracker_new: NULL when out of memory");
	t = fresh();
	ok(t && tracker_empty(t), "new tracker is empty");
	tracker_bounds(t, &lo, &hi);
	ok(lo == 0 && hi == 0, "empty bounds are [0,0)");
	is_int(tracker_locked_pages(t), 0, "no locked pages");
	is_int(tracker_set(t, pg(5), pg(5), L, 1), 0, "empty range: nothing set");
	is_int(tracker_set(t, pg(5), pg(4), L, 1), 0, "reversed range: nothing set");
	is_int(tracker_set(t, pg(5), pg(6), 0, 1), 0, "no attrs: nothing set");
	ok(tracker_empty(t), "still empty");
	tracker_destroy(t);
	tracker_destroy(NULL);
	is_int(actx.live, 0, "destroy frees everything");
}

static void test_overlap_counting(void)
{
	struct tracker *t = fresh();
	size_t locked = 0;

	is_int(tracker_set(t, pg(0), pg(4), L, 1), 4, "mlock 4 pages charges 4");
	is_int(tracker_set(t, pg(2), pg(6), L, 2), 2, "overlapping mlock charges only the 2 new pages");
	is_int(tracker_set(t, pg(0), pg(6), L, 3), 0, "mlock of locked pages charges nothing");
	is_int(tracker_locked_pages(t), 6, "6 pages locked");
	is_int(tracker_set(t, pg(0), pg(10), DD, 4), 0, "DONTDUMP gains no lock");
	is_int(tracker_locked_pages(t), 6, "still 6 locked");
	is_int(tracker_clear(t, pg(8), pg(12), L), 0, "munlock of never-locked pages unlocks none");
	is_int(tracker_clear(t, pg(1), pg(3), L), 2, "munlock of 2 locked pages");
	is_int(tracker_locked_pages(t), 4, "4 locked");
	is_int(tracker_query(t, pg(0), pg(10), &locked), L | DD, "query OR of attrs");
	is_int(locked, 4, "query counts 4 locked");
	is_int(tracker_clear(t, pg(0), pg(10), L), 4, "munlock of everything unlocks the other 4");
	is_int(tracker_locked_pages(t), 0, "nothing locked");
	is_int(tracker_clear(t, pg(0), pg(10), DD), 0, "clearing DONTDUMP unlocks nothing");
	ok(tracker_empty(t), "empty after clearing every bit");
	ok(invariants(t), "invariants");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

static void test_hole_punch(void)
{
	struct tracker *t = fresh();
	struct snap s;
	size_t locked = 99;

	tracker_set(t, pg(0), pg(10), L, 1);
	is_int(tracker_clear(t, pg(4), pg(5), L), 1, "munlock in the middle unlocks one page");
	s = take(t);
	is_int(s.n, 2, "the range is split in two");
	ok(range_is(&s, 0, pg(0), pg(4), L) && range_is(&s, 1, pg(5), pg(10), L), "[0,4) and [5,10)");
	ok(s.r[0].site[0] == 1 && s.r[1].site[0] == 1, "both halves keep the site");
	is_int(tracker_locked_pages(t), 9, "9 locked");
	is_int(tracker_query(t, pg(4), pg(5), &locked), 0, "the hole is untracked");
	is_int(locked, 0, "no locked page in the hole");
	is_int(tracker_query(t, pg(3), pg(6), &locked), L, "around the hole: locked");
	is_int(locked, 2, "2 locked pages around the hole");
	is_int(tracker_clear(t, pg(2), pg(8), L), 5, "a wider munlock across the hole unlocks 5");
	s = take(t);
	ok(s.n == 2 && range_is(&s, 0, pg(0), pg(2), L) && range_is(&s, 1, pg(8), pg(10), L),
	   "[0,2) and [8,10) remain");
	is_int(tracker_set(t, pg(2), pg(8), L, 1), 6, "relocking the hole charges its 6 pages");
	is_int(nranges(t), 1, "same site: coalesced back into one range");
	ok(invariants(t), "invariants");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

static void test_unaligned(void)
{
	struct tracker *t = fresh();
	uintptr_t s, e;

	/* two 32-byte objects on one page, a third straddling two pages */
	page_range_lock(pg(0) + 64, 32, P, &s, &e);
	is_int(tracker_set(t, s, e, L, 1), 1, "mlock of 32 bytes charges its page");
	page_range_lock(pg(0) + 128, 32, P, &s, &e);
	is_int(tracker_set(t, s, e, L, 2), 0, "second object on the same page charges nothing");
	page_range_lock(pg(1) - 8, 16, P, &s, &e);
	is_int(tracker_set(t, s, e, L, 3), 1, "straddling object charges only its second page");
	is_int(tracker_locked_pages(t), 2, "2 pages locked");
	page_range_lock(pg(0) + 64, 32, P, &s, &e);
	is_int(tracker_clear(t, s, e, L), 1, "munlock of the first object unlocks the shared page");
	is_int(tracker_query(t, pg(0), pg(1), NULL), 0, "...and with it the neighbour");
	is_int(tracker_locked_pages(t), 1, "1 page locked");
	ok(invariants(t), "invariants");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

static void test_remove(void)
{
	struct tracker *t = fresh();
	struct snap s;

	tracker_set(t, pg(0), pg(8), L, 1);
	tracker_set(t, pg(4), pg(12), DD, 2);
	is_int(tracker_remove(t, pg(2), pg(6)), 4, "munmap of 4 locked pages unlocks 4");
	s = take(t);
	ok(s.n == 3 && range_is(&s, 0, pg(0), pg(2), L) && range_is(&s, 1, pg(6), pg(8), L | DD) &&
	   range_is(&s, 2, pg(8), pg(12), DD),
	   "what remains: [0,2) L, [6,8) L|DD, [8,12) DD");
	is_int(tracker_locked_pages(t), 4, "4 locked");
	is_int(tracker_remove(t, pg(20), pg(30)), 0, "munmap of untracked pages unlocks none");
	is_int(tracker_remove(t, pg(7), pg(11)), 1, "munmap across L|DD and DD unlocks 1");
	is_int(tracker_query(t, pg(7), pg(11), NULL), 0, "the unmapped part is gone");
	is_int(tracker_remove(t, 0, TOP), 3, "munmap of everything");
	ok(tracker_empty(t), "empty");
	ok(invariants(t), "invariants");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

static void test_clear_all(void)
{
	struct tracker *t = fresh();
	uintptr_t lo, hi;

	tracker_set(t, pg(0), pg(3), L, 1);
	tracker_set(t, pg(10), pg(15), L | DD, 2);
	tracker_set(t, pg(20), pg(22), DF, 3);
	tracker_set(t, pg(30), pg(31), WF | L, 4);
	is_int(tracker_locked_pages(t), 9, "9 locked");
	actx.budget = 0;
	is_int(tracker_clear_all(t, L), 9, "munlockall unlocks 9, without allocating");
	actx.budget = -1;
	is_int(tracker_locked_pages(t), 0, "none locked");
	is_int(nranges(t), 3, "DD, DF and WF ranges remain");
	is_int(tracker_query(t, 0, TOP, NULL), DD | DF | WF, "the other bits are untouched");
	is_int(tracker_clear_all(t, DF | WF), 0, "clearing fork bits everywhere");
	tracker_bounds(t, &lo, &hi);
	ok(lo == pg(10) && hi == pg(15), "bounds shrink to the DONTDUMP range");
	is_int(tracker_clear_all(t, TRACK_ALL), 0, "clear everything");
	ok(tracker_empty(t), "empty");
	tracker_bounds(t, &lo, &hi);
	ok(lo == 0 && hi == 0, "bounds [0,0)");
	is_int(actx.live, 2, "only the tracker itself and its spare node are left allocated");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

static void test_coalesce(void)
{
	struct tracker *t = fresh();
	struct snap s;

	tracker_set(t, pg(0), pg(2), L, 7);
	tracker_set(t, pg(2), pg(4), L, 7);
	is_int(nranges(t), 1, "adjacent same attrs and site: one range");
	tracker_set(t, pg(6), pg(8), L, 7);
	is_int(nranges(t), 2, "a gap: two ranges");
	tracker_set(t, pg(4), pg(6), L, 7);
	s = take(t);
	ok(s.n == 1 && range_is(&s, 0, pg(0), pg(8), L), "filling the gap joins both sides: [0,8)");
	tracker_set(t, pg(8), pg(10), L, 8);
	is_int(nranges(t), 2, "same attrs, different site: not coalesced");
	tracker_set(t, pg(8), pg(10), L, 7);
	is_int(nranges(t), 1, "same site again: coalesced");
	tracker_set(t, pg(3), pg(5), DD, 9);
	is_int(nranges(t), 3, "DONTDUMP in the middle: three ranges");
	tracker_clear(t, pg(3), pg(5), DD);
	is_int(nranges(t), 1, "cleared again: coalesced back (the cleared bit's site is forgotten)");
	tracker_clear(t, pg(0), pg(10), DF);
	is_int(nranges(t), 1, "clearing an absent bit changes nothing");
	tracker_set(t, pg(10), pg(12), DD, 9);
	tracker_set(t, pg(12), pg(14), DD, 9);
	is_int(nranges(t), 2, "L range, then one DD range");
	tracker_clear(t, pg(0), pg(10), L);
	is_int(nranges(t), 1, "emptied range vanishes; the DD range stays one");
	ok(invariants(t), "invariants");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

static void test_query_bounds(void)
{
	struct tracker *t = fresh();
	size_t locked = 0;
	uintptr_t lo, hi;

	tracker_set(t, pg(10), pg(20), L, 1);
	tracker_set(t, pg(15), pg(25), DD, 2);
	tracker_set(t, pg(40), pg(41), WF, 3);
	is_int(tracker_query(t, pg(0), pg(10), &locked), 0, "query before the first range");
	is_int(locked, 0, "no locked pages there");
	is_int(tracker_query(t, pg(19), pg(21), &locked), L | DD, "query across a boundary");
	is_int(locked, 1, "one of the two pages locked");
	is_int(tracker_query(t, pg(22), pg(40), &locked), DD, "query stops before [40,41)");
	is_int(tracker_query(t, pg(12), pg(12), &locked), 0, "empty query");
	is_int(locked, 0, "empty query: 0 locked");
	is_int(tracker_query(t, 0, UINTPTR_MAX, &locked), L | DD | WF, "query everything");
	is_int(locked, 10, "10 locked in all");
	tracker_bounds(t, &lo, &hi);
	ok(lo == pg(10) && hi == pg(41), "bounds [10,41)");
	tracker_remove(t, pg(40), pg(41));
	tracker_bounds(t, &lo, &hi);
	ok(lo == pg(10) && hi == pg(25), "bounds [10,25) after removing the last range");
	tracker_clear(t, pg(0), pg(12), L);
	tracker_bounds(t, &lo, &hi);
	ok(lo == pg(12) && hi == pg(25), "bounds [12,25) after unlocking the first pages");
	ok(invariants(t), "invariants");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

struct stop {
	int calls;
};

static int stop_cb(const struct tracker_range *r, void *arg)
{
	struct stop *s = arg;

	(void)r;
	return ++s->calls == 2 ? 42 : 0;
}

static void test_foreach(void)
{
	struct tracker *t = fresh();
	struct snap s = { 0 };
	struct stop st = { 0 };

	tracker_set(t, pg(0), pg(4), L, 1);
	tracker_set(t, pg(6), pg(8), DD, 1);
	tracker_set(t, pg(10), pg(12), DF, 1);
	tracker_foreach(t, pg(2), pg(11), snap_cb, &s);
	ok(s.n == 3 && range_is(&s, 0, pg(2), pg(4), L) && range_is(&s, 1, pg(6), pg(8), DD) &&
	   range_is(&s, 2, pg(10), pg(11), DF), "foreach clips to [2,11)");
	is_int(tracker_foreach(t, 0, UINTPTR_MAX, stop_cb, &st), 42, "foreach returns fn's value");
	is_int(st.calls, 2, "...and stops there");
	s.n = 0;
	tracker_foreach(t, pg(4), pg(6), snap_cb, &s);
	is_int(s.n, 0, "foreach over a gap calls nothing");
	tracker_destroy(t);
}

static void test_sites(void)
{
	struct tracker *t = fresh();
	struct snap s;

	tracker_set(t, pg(0), pg(4), L, 1);
	tracker_set(t, pg(2), pg(6), DD, 2);
	s = take(t);
	ok(s.n == 3 && range_is(&s, 0, pg(0), pg(2), L) && range_is(&s, 1, pg(2), pg(4), L | DD) &&
	   range_is(&s, 2, pg(4), pg(6), DD), "three ranges: L, L|DD, DD");
	ok(s.r[0].site[0] == 1 && s.r[0].site[1] == 0, "[0,2): locked from site 1");
	ok(s.r[1].site[0] == 1 && s.r[1].site[1] == 2, "[2,4): locked from 1, dontdump from 2");
	ok(s.r[2].site[0] == 0 && s.r[2].site[1] == 2, "[4,6): dontdump from 2");
	tracker_set(t, pg(3), pg(4), L, 3);
	s = take(t);
	ok(s.n == 4 && range_is(&s, 1, pg(2), pg(3), L | DD) && range_is(&s, 2, pg(3), pg(4), L | DD),
	   "relocking one page from another site splits it off");
	ok(s.r[2].site[0] == 3 && s.r[2].site[1] == 2, "the relocked page takes the new lock site only");
	tracker_clear(t, pg(0), pg(6), L);
	s = take(t);
	ok(s.n == 1 && range_is(&s, 0, pg(2), pg(6), DD) && s.r[0].site[0] == 0 && s.r[0].site[1] == 2,
	   "unlocking everything leaves one DD range from site 2");
	tracker_set(t, pg(10), pg(12), L | DF, 5);
	s = take(t);
	ok(s.n == 2 && s.r[1].site[0] == 5 && s.r[1].site[1] == 0 && s.r[1].site[2] == 5 &&
	   s.r[1].site[3] == 0, "setting two bits at once records the site for both");
	tracker_set(t, pg(10), pg(12), TRACK_ALL | 0x100, 6);
	s = take(t);
	ok(s.n == 2 && s.r[1].attrs == TRACK_ALL && s.r[1].site[0] == 6 && s.r[1].site[3] == 6,
	   "unknown attribute bits are ignored");
	ok(invariants(t), "invariants");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

static void test_oom(void)
{
	struct tracker *t = fresh();
	struct snap before, after;
	long live;

	tracker_set(t, pg(0), pg(10), L, 1);
	tracker_set(t, pg(20), pg(22), DD, 2);
	tracker_set(t, pg(24), pg(26), DD, 3);
	before = take(t);
	live = actx.live;

	actx.budget = 0;
	is_int(tracker_clear(t, pg(4), pg(5), L), -1, "OOM: munlock splitting a range fails");
	is_int(tracker_set(t, pg(4), pg(5), DD, 9), -1, "OOM: advice inside a range fails");
	is_int(tracker_set(t, pg(30), pg(31), L, 9), -1, "OOM: a new range fails");
	is_int(tracker_remove(t, pg(4), pg(5)), -1, "OOM: munmap splitting a range fails");
	actx.budget = 1;
	is_int(tracker_set(t, pg(4), pg(5), DD, 9), -1, "OOM: a split needing 2 nodes with 1 available");
	actx.budget = 2;
	is_int(tracker_set(t, pg(15), pg(30), L, 9), -1, "OOM: filling 3 gaps with 2 nodes available");
	actx.budget = 0;
	after = take(t);
	ok(snap_equal(&before, &after), "the tracker is unchanged after every failure");
	is_int(tracker_locked_pages(t), 10, "locked count unchanged");
	is_int(actx.live, live, "nothing leaked by the failures");
	ok(invariants(t), "invariants");

	is_int(tracker_set(t, pg(0), pg(10), L, 1), 0, "OOM: a no-op set needs no node");
	is_int(tracker_set(t, pg(10), pg(12), L, 1), 2, "OOM: extending a range with the same site");
	is_int(tracker_clear(t, pg(0), pg(4), L), 4, "OOM: trimming a range's end needs no node");
	is_int(tracker_remove(t, pg(20), pg(22)), 0, "OOM: munmap of a whole range needs no node");
	is_int(tracker_clear_all(t, TRACK_ALL), 8, "OOM: clear_all needs no node");
	ok(tracker_empty(t), "empty");

	actx.budget = 3;
	tracker_set(t, pg(0), pg(1), DD, 1);
	tracker_set(t, pg(2), pg(3), DD, 1);
	tracker_set(t, pg(4), pg(5), DD, 1);
	is_int(actx.budget, 1, "three ranges: the spare node clear_all kept, then two of the budget");
	before = take(t);
	actx.budget = 1;
	is_int(tracker_set(t, pg(0), pg(5), L, 2), -1, "OOM: locking across 2 gaps with 1 node");
	after = take(t);
	ok(snap_equal(&before, &after), "unchanged");
	actx.budget = 2;
	is_int(tracker_set(t, pg(0), pg(5), L, 2), 5, "with 2 nodes it succeeds (3 are reused)");
	is_int(actx.budget, 0, "exactly 2 nodes were taken");
	is_int(nranges(t), 5, "alternating L|DD and L");
	ok(invariants(t), "invariants");
	actx.budget = -1;
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

static void test_other_page_size(void)
{
	const size_t ps = 65536;
	struct tracker *t;
	uintptr_t s, e;

	actx.budget = -1;
	t = tracker_new(ps, &talloc);
	page_range_lock(0x7f0000010000 + 5, 70000, ps, &s, &e);
	ok(s == 0x7f0000010000 && e == 0x7f0000030000, "64 KiB pages: 70000 bytes span 2 pages");
	is_int(tracker_set(t, s, e, L, 1), 2, "64 KiB pages: 2 pages charged");
	is_int(tracker_clear(t, s, s + ps, L), 1, "64 KiB pages: 1 unlocked");
	is_int(tracker_locked_pages(t), 1, "64 KiB pages: 1 locked");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

static void test_top_of_address_space(void)
{
	struct tracker *t = fresh();
	struct snap s;
	size_t locked = 0;
	uintptr_t lo, hi;

	is_int(tracker_set(t, TOP - 4 * P, TOP, L, 1), 4, "lock the 4 pages below the top");
	is_int(tracker_set(t, 0, P, DD, 2), 0, "advise page 0");
	tracker_bounds(t, &lo, &hi);
	ok(lo == 0 && hi == TOP, "bounds [0, TOP)");
	is_int(tracker_clear(t, TOP - 3 * P, TOP - 2 * P, L), 1, "punch a hole near the top");
	is_int(tracker_query(t, TOP - 8 * P, TOP, &locked), L, "query up to the top");
	is_int(locked, 3, "3 locked there");
	is_int(tracker_set(t, TOP - 8 * P, TOP, DF, 3), 0, "advice over the top range fills gaps");
	s = take(t);
	ok(s.n == 5 && range_is(&s, 4, TOP - P * 2, TOP, L | DF), "last range ends at TOP");
	is_int(tracker_remove(t, TOP - 2 * P, TOP), 2, "unmap the top two pages");
	ok(invariants(t), "invariants");
	is_int(tracker_clear_all(t, TRACK_ALL), 1, "clear_all with ranges at both ends");
	ok(tracker_empty(t), "empty");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

/* ---- scale ----------------------------------------------------------------------------------- */

/* MADV_DONTDUMP on every other page of a big mapping (the map-count exhaustion pattern), then a
 * lock over all of it, then the reverse. Must complete quickly; the time is only printed. */
static void test_scale(void)
{
	const long n = 80000;
	struct tracker *t = fresh();
	clock_t c0 = clock();
	long bad = 0, total;
	size_t locked;

	for (long i = 0; i < n; i += 2)
		bad += tracker_set(t, pg(i), pg(i + 1), DD, (uint32_t)i) != 0;
	is_int(bad, 0, "40,000 alternating MADV_DONTDUMP calls");
	is_int(nranges(t), 40000, "40,000 ranges");
	is_int(tracker_set(t, pg(0), pg(n), L, 1), n, "mlock over the whole mapping charges 80,000");
	is_int(nranges(t), n, "80,000 ranges (L|DD with distinct sites, and L)");
	is_int(tracker_clear(t, pg(0), pg(n), DD), 0, "MADV_DODUMP over the whole mapping");
	is_int(nranges(t), 1, "coalesced into one locked range");
	bad = 0;
	total = 0;
	for (long i = 1; i < n; i += 2) {
		long r = tracker_clear(t, pg(i), pg(i + 1), L);

		bad += r != 1;
		total += r;
	}
	is_int(bad, 0, "40,000 alternating munlock calls each unlock one page");
	is_int(nranges(t), 40000, "40,000 ranges again");
	is_int(tracker_query(t, pg(0), pg(n), &locked), L, "query over all of them");
	is_int(locked, 40000, "40,000 locked");
	for (long i = 0; i < n; i += 2)
		bad += tracker_query(t, pg(i), pg(i + 1), NULL) != L;
	is_int(bad, 0, "40,000 point queries");
	ok(invariants(t), "invariants at 40,000 ranges");
	is_int(tracker_remove(t, pg(0), pg(n)), 40000, "munmap of the mapping");
	ok(tracker_empty(t), "empty");
	is_int(actx.live, 2, "all nodes freed but the one spare");
	tracker_destroy(t);
	printf("# scale test: %.3f s CPU\n", (double)(clock() - c0) / CLOCKS_PER_SEC);
}

/* ---- randomized comparison with a per-page model --------------------------------------------- */

#define W 256

struct model {
	unsigned attrs[W];
	uint32_t site[W][TRACK_NATTRS];
};

static long random_ooms;        /* operations that returned -1 under a random budget */

/* Apply set/clear to pages [a, b) of the model; returns pages that gained (set) or lost (clear)
 * TRACK_LOCKED. */
static long model_apply(struct model *m, int a, int b, unsigned clear, unsigned set, uint32_t site)
{
	long n = 0;

	for (int p = a; p < b; p++) {
		unsigned old = m->attrs[p], now = (old & ~clear) | set;

		n += ((old ^ now) & L) != 0;
		for (unsigned i = 0; i < TRACK_NATTRS; i++) {
			if (set & (1u << i))
				m->site[p][i] = site;
			else if (!(now & (1u << i)))
				m->site[p][i] = 0;
		}
		m->attrs[p] = now;
	}
	return n;
}

struct cmp {
	uintptr_t base;
	struct model seen;
	long ranges;
	int outside;
};

static int cmp_cb(const struct tracker_range *r, void *arg)
{
	struct cmp *c = arg;

	c->ranges++;
	if (r->start < c->base || r->end > c->base + (uintptr_t)W * P) {
		c->outside = 1;
		return 1;
	}
	for (uintptr_t a = r->start; a < r->end; a += P) {
		size_t p = (a - c->base) / P;

		c->seen.attrs[p] = r->attrs;
		memcpy(c->seen.site[p], r->site, sizeof(r->site));
	}
	return 0;
}

/* Number of maximal runs of identical (attrs, site) with attrs != 0 in the model. */
static long model_runs(const struct model *m)
{
	long n = 0;

	for (int p = 0; p < W; p++) {
		if (!m->attrs[p])
			continue;
		if (p > 0 && m->attrs[p - 1] == m->attrs[p] &&
		    memcmp(m->site[p - 1], m->site[p], sizeof(m->site[p])) == 0)
			continue;
		n++;
	}
	return n;
}

/* Does the tracker hold exactly the model, in maximal ranges, with a consistent locked count? */
static int matches(const struct tracker *t, const struct model *m, uintptr_t base)
{
	static struct cmp c;
	size_t locked = 0;

	memset(&c, 0, sizeof(c));
	c.base = base;
	tracker_foreach(t, 0, UINTPTR_MAX, cmp_cb, &c);
	if (c.outside || memcmp(&c.seen, m, sizeof(*m)) != 0)
		return 0;
	if (c.ranges != model_runs(m))
		return 0;
	for (int p = 0; p < W; p++)
		locked += (m->attrs[p] & L) != 0;
	return locked == tracker_locked_pages(t);
}

/* One random operation on both. Returns 0 when they disagree. A random allocation budget is set
 * before some operations: a -1 result must then leave the tracker as the model was. */
static int random_step(struct tracker *t, struct model *m, uintptr_t base)
{
	int a = (int)rnd(W), b = a + 1 + (int)rnd(rnd(4) ? 16 : W - a);
	unsigned attrs = 1 + rnd(TRACK_ALL);
	uint32_t site = 1 + rnd(3);
	struct model next = *m;
	long got, want;
	int kind = (int)rnd(100);

	if (b > W)
		b = W;
	actx.budget = rnd(8) == 0 ? (long)rnd(3) : -1;
	if (kind < 50) {
		want = model_apply(&next, a, b, 0, attrs, site);
		got = tracker_set(t, base + (uintptr_t)a * P, base + (uintptr_t)b * P, attrs, site);
	} else if (kind < 80) {
		want = model_apply(&next, a, b, attrs, 0, 0);
		got = tracker_clear(t, base + (uintptr_t)a * P, base + (uintptr_t)b * P, attrs);
	} else if (kind < 97) {
		want = model_apply(&next, a, b, TRACK_ALL, 0, 0);
		got = tracker_remove(t, base + (uintptr_t)a * P, base + (uintptr_t)b * P);
	} else {
		want = model_apply(&next, 0, W, attrs, 0, 0);
		got = tracker_clear_all(t, attrs);
	}
	actx.budget = -1;
	if (got == -1) {
		random_ooms++;
		return matches(t, m, base);     /* out of memory: unchanged */
	}
	*m = next;
	if (got != want) {
		printf("#   op %d on [%d,%d): got %ld, want %ld\n", kind, a, b, got, want);
		return 0;
	}
	return matches(t, m, base);
}

/* Random queries against the model. */
static int random_query(const struct tracker *t, const struct model *m, uintptr_t base)
{
	int a = (int)rnd(W), b = a + (int)rnd(W - a + 1);
	unsigned want = 0;
	size_t wl = 0, gl = 0;

	for (int p = a; p < b; p++) {
		want |= m->attrs[p];
		wl += (m->attrs[p] & L) != 0;
	}
	return tracker_query(t, base + (uintptr_t)a * P, base + (uintptr_t)b * P, &gl) == want &&
	       gl == wl;
}

/* tracker_gap at a random page against the model: 0 on a tracked page, else the untracked pages
 * around it, up to the nearest tracked page each side (the ends of the address space when none). */
static int random_gap(struct tracker *t, const struct model *m, uintptr_t base)
{
	int x = (int)rnd(W), a = x, b = x;
	uintptr_t lo, hi, off = rnd(P);

	if (m->attrs[x])
		return tracker_gap(t, base + (uintptr_t)x * P + off, &lo, &hi) == 0;
	while (a > 0 && !m->attrs[a - 1])
		a--;
	while (b < W && !m->attrs[b])
		b++;
	return tracker_gap(t, base + (uintptr_t)x * P + off, &lo, &hi) == 1 &&
	       lo == (a == 0 ? 0 : base + (uintptr_t)a * P) &&
	       hi == (b == W ? UINTPTR_MAX : base + (uintptr_t)b * P);
}

static void test_random(uintptr_t base, const char *where)
{
	static struct model m;
	struct tracker *t = fresh();
	int step, fails = 0, qfails = 0, gfails = 0, nonempty = 0;
	char name[128];

	memset(&m, 0, sizeof(m));
	for (step = 0; step < 5000 && !fails; step++) {
		if (!random_step(t, &m, base)) {
			printf("#   diverged at step %d\n", step);
			fails++;
		}
		qfails += !random_query(t, &m, base);
		gfails += !random_gap(t, &m, base);
		nonempty += !tracker_empty(t);
		if (!invariants(t))
			fails++;
	}
	snprintf(name, sizeof(name), "5000 random operations %s match the page model", where);
	is_int(fails, 0, name);
	snprintf(name, sizeof(name), "random queries %s match the page model", where);
	is_int(qfails, 0, name);
	snprintf(name, sizeof(name), "random gaps %s match the page model", where);
	is_int(gfails, 0, name);
	ok(nonempty > 1000, "the random run kept the tracker busy");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak after the random run");
}

/* The shortcuts for one lone range (tracker.c, update_simple and unchanged): the same results as
 * the general path, and the change count moves with every change. */
static void test_lone_range(void)
{
	struct tracker *t = fresh();
	struct snap s;
	uint64_t c;
	long live;

	is_int(tracker_set(t, pg(4), pg(6), L, 1), 2, "a lone lock gains 2 pages");
	live = actx.live;
	c = tracker_changes(t);
	actx.budget = 0;
	is_int(tracker_set(t, pg(4), pg(6), L, 1), 0, "the same lock again: nothing, no node");
	is_int(tracker_set(t, pg(4), pg(5), L, 1), 0, "a lock inside it: nothing, no node");
	is_int(tracker_clear(t, pg(4), pg(6), DD), 0, "clearing a bit it lacks: nothing");
	actx.budget = -1;
	ok(tracker_changes(t) == c, "nothing changed: the change count stays");
	is_int(tracker_set(t, pg(4), pg(6), DD, 2), 0, "advice on exactly that range, in place");
	ok(tracker_changes(t) != c, "a change moves the change count");
	is_int(actx.live, live, "changed in place: no node");
	s = take(t);
	ok(s.n == 1 && s.r[0].attrs == (L | DD) && s.r[0].site[0] == 1 && s.r[0].site[1] == 2,
	   "one range with both bits and their sites");
	is_int(tracker_clear(t, pg(0), pg(10), L), 2, "an unlock around it unlocks 2 pages");
	s = take(t);
	ok(s.n == 1 && s.r[0].start == pg(4) && s.r[0].end == pg(6) && s.r[0].attrs == DD &&
	   s.r[0].site[0] == 0 && s.r[0].site[1] == 2, "DONTDUMP stays, without the lock's site");
	is_int(tracker_remove(t, pg(2), pg(8)), 0, "an unmap around it");
	ok(tracker_empty(t), "empty");
	is_int(actx.live, live, "its node is kept as the spare");
	actx.budget = 0;
	is_int(tracker_set(t, pg(8), pg(9), L, 3), 1, "a new lone lock takes the spare: no allocation");
	is_int(tracker_remove(t, pg(8), pg(9)), 1, "and gives it back");
	actx.budget = -1;
	is_int(actx.live, live, "still the one spare");
	is_int(tracker_locked_pages(t), 0, "no page locked");
	ok(invariants(t), "invariants");
	tracker_destroy(t);
	is_int(actx.live, 0, "no leak");
}

int main(void)
{
	test_pages();
	test_new();
	test_overlap_counting();
	test_hole_punch();
	test_unaligned();
	test_remove();
	test_clear_all();
	test_coalesce();
	test_query_bounds();
	test_foreach();
	test_sites();
	test_oom();
	test_lone_range();
	test_other_page_size();
	test_top_of_address_space();
	test_scale();
	test_random(BASE, "in a low window");
	test_random(TOP - (uintptr_t)W * P, "at the top of the address space");
	ok(random_ooms > 100, "the random runs hit out-of-memory failures");
	printf("# %ld random operations failed for lack of memory\n", random_ooms);
	plan(tap_count);
	return done_testing();
}
