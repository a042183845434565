/* test_mapcount.c: VMA splits and merges of protection changes against hand-computed cases, and
 * the alternating-page DONTDUMP figure measured on this machine (KERNEL.md: the 32754th call fails
 * at vm.max_map_count 65530). */
#include "config.h"

#include <errno.h>
#include <sys/mman.h>

#include "policy/mapcount.h"
#include "policy/tracker.h"
#include "tap.h"

#define P 4096u
#define RW (PROT_READ | PROT_WRITE)

static struct vma anon(uintptr_t s, uintptr_t e, unsigned flags)
{
	struct vma v = {s, e, RW, flags, 0, 0, 0};
	return v;
}

int main(void)
{
	struct vma one[1] = {anon(0x100000, 0x100000 + 16 * P, 0)};
	struct vma three[3];
	long after = 0;
	int r;

	r = mapcount_change(one, 1, 0x100000 + 4 * P, 0x100000 + 5 * P, TRACK_DONTDUMP, 0, -1, 10, 100, &after);
	ok(r == 0 && after == 12, "a page in the middle: two splits");
	r = mapcount_change(one, 1, 0x100000, 0x100000 + P, TRACK_DONTDUMP, 0, -1, 10, 100, &after);
	ok(r == 0 && after == 11, "the first page: one split");
	r = mapcount_change(one, 1, 0x100000 + 15 * P, 0x100000 + 16 * P, TRACK_DONTDUMP, 0, -1, 10, 100, &after);
	ok(r == 0 && after == 11, "the last page: one split");
	r = mapcount_change(one, 1, 0x100000, 0x100000 + 16 * P, TRACK_DONTDUMP, 0, -1, 10, 100, &after);
	ok(r == 0 && after == 10, "the whole VMA: no split");
	r = mapcount_change(one, 1, 0x100000 + 4 * P, 0x100000 + 5 * P, 0, TRACK_DONTDUMP, -1, 10, 100, &after);
	ok(r == 0 && after == 10, "clearing a flag that is not set: nothing changes");
	r = mapcount_change(one, 1, 0x100000 + 4 * P, 0x100000 + 5 * P, 0, 0, PROT_READ, 10, 100, &after);
	ok(r == 0 && after == 12, "mprotect of a page in the middle: two splits");

	/* [0,4) plain | [4,5) dd | [5,16) plain: one mapping after a DONTDUMP in the middle */
	three[0] = anon(0x100000, 0x100000 + 4 * P, 0);
	three[1] = anon(0x100000 + 4 * P, 0x100000 + 5 * P, TRACK_DONTDUMP);
	three[2] = anon(0x100000 + 5 * P, 0x100000 + 16 * P, 0);
	r = mapcount_change(three, 3, 0x100000 + 4 * P, 0x100000 + 5 * P, 0, TRACK_DONTDUMP, -1, 12, 100, &after);
	ok(r == 0 && after == 10, "DODUMP of the middle piece: it joins both neighbours again");
	r = mapcount_change(three, 3, 0x100000 + 3 * P, 0x100000 + 4 * P, TRACK_DONTDUMP, 0, -1, 12, 100, &after);
	ok(r == 0 && after == 12, "DONTDUMP of the page before it: the boundary moves, no new VMA");
	r = mapcount_change(three, 3, 0x100000 + 5 * P, 0x100000 + 6 * P, TRACK_DONTDUMP, 0, -1, 12, 100, &after);
	ok(r == 0 && after == 12, "DONTDUMP of the page after it: the boundary moves, no new VMA");
	r = mapcount_change(three, 3, 0x100000 + 2 * P, 0x100000 + 8 * P, TRACK_DONTDUMP, 0, -1, 12, 100, &after);
	ok(r == 0 && after == 12, "DONTDUMP across it: pieces merge into one dd VMA");
	three[2].ident = 42; /* a file mapping: never merges with anonymous memory */
	r = mapcount_change(three, 3, 0x100000 + 5 * P, 0x100000 + 6 * P, TRACK_DONTDUMP, 0, -1, 12, 100, &after);
	ok(r == 0 && after == 13, "a file VMA does not merge with an anonymous one");

	/* the limit: split_vma refuses at count >= max */
	r = mapcount_change(one, 1, 0x100000 + 4 * P, 0x100000 + 5 * P, TRACK_DONTDUMP, 0, -1, 99, 100, &after);
	ok(r == ENOMEM && after == 100, "count 99 of 100, two splits needed: the second is refused");
	r = mapcount_change(one, 1, 0x100000, 0x100000 + P, TRACK_DONTDUMP, 0, -1, 99, 100, &after);
	ok(r == 0 && after == 100, "count 99 of 100, one split needed: it fits");
	r = mapcount_change(one, 1, 0x100000, 0x100000 + P, TRACK_DONTDUMP, 0, -1, 100, 100, &after);
	ok(r == ENOMEM && after == 100, "count 100 of 100: any split is refused");
	r = mapcount_change(one, 1, 0x100000, 0x100000 + 16 * P, TRACK_DONTDUMP, 0, -1, 100, 100, &after);
	ok(r == 0, "count 100 of 100: a change without split is allowed");

	/* KERNEL.md: DONTDUMP on every other page of one large mapping, vm.max_map_count 65530,
	 * fails at call 32754 when the process starts from C0 mappings with C0 in {24, 25}. Call k
	 * (k >= 2) needs two splits at count C0 + 1 + 2 (k - 2); it fails when count + 1 >= max. */
	{
		long count = 25, k;
		int failed_at = 0;
		for (k = 1; k <= 40000 && !failed_at; k++) {
			struct vma cur[2];
			size_t nv = 0;
			uintptr_t base = 0x10000000, page = base + (uintptr_t)(2 * (k - 1)) * P;
			if (k > 1)
				cur[nv++] = anon(page - P, page, 0); /* prev: plain page */
			cur[nv++] = anon(k > 1 ? page - P : base, base + 100000 * P, 0);
			if (k > 1) {
				cur[0] = anon(page - 2 * P, page - P, TRACK_DONTDUMP);
				cur[1] = anon(page - P, base + 100000 * P, 0);
			}
			r = mapcount_change(cur, nv, page, page + P, TRACK_DONTDUMP, 0, -1, count, 65530, &count);
			if (r)
				failed_at = (int)k;
		}
		is_int(failed_at, 32754, "alternating pages from 25 mappings: the 32754th DONTDUMP fails");
	}

	plan(tap_count);
	return done_testing();
}
