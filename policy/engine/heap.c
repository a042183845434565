/* heap.c: see heap.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "policy/engine/frontend.h"
#include "policy/engine/heap.h"
#include "policy/engine/proc.h"

#define HEAP_MAX_SIZE ((uintptr_t)64 << 20) /* 2 * DEFAULT_MMAP_THRESHOLD_MAX on 64-bit */

/* start_brk: field 47 of the target's /proc stat (proc(5)), read once. */
static uintptr_t start_brk(struct engine_proc *p)
{
	char buf[2048], *q;
	ssize_t n;
	int field;

	if (p->start_brk)
		return p->start_brk;
	n = p->fe->proc_read(p->fe_ctx, "stat", buf, sizeof buf - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	q = strrchr(buf, ')'); /* the command name may hold spaces: count fields after it */
	if (!q)
		return 0;
	for (field = 2; *q && field < 47; q++)
		if (*q == ' ')
			field++;
	p->start_brk = (uintptr_t)strtoull(q, NULL, 10);
	return p->start_brk;
}

/* A thread arena's heap at h: its heap_info's ar_ptr leads to an arena whose own heap names the
 * same arena (a self-consistent pair, which random data is very unlikely to be). */
static int thread_heap(struct engine_proc *p, uintptr_t a)
{
	uintptr_t h = a & ~(HEAP_MAX_SIZE - 1), info[3], ar, info2[1];

	if (p->fe->heap_maybe_arena && !p->fe->heap_maybe_arena(p->fe_ctx, h))
		return 0;
	if (p->fe->mem_read(p->fe_ctx, h, info, sizeof info) != 0)
		return 0;
	ar = info[0];
	if (!ar || info[2] == 0 || info[2] > HEAP_MAX_SIZE || a >= h + info[2])
		return 0;
	if (p->fe->mem_read(p->fe_ctx, ar & ~(HEAP_MAX_SIZE - 1), info2, sizeof info2) != 0)
		return 0;
	return info2[0] == ar;
}

/* The header of a chunk glibc mapped on its own (malloc/malloc.c): the size word before p has
 * IS_MMAPPED (2) and not PREV_INUSE (1), and prev_size holds the distance from the page-aligned
 * start of the mapping. */
int heap_mmapped_chunk(struct engine_proc *p, uintptr_t blk, uintptr_t *s, uintptr_t *e)
{
	size_t hdr[2];
	uintptr_t start;

	if (!p->glibc_malloc || blk < 16 ||
	    (p->fe->heap_maybe_chunk && !p->fe->heap_maybe_chunk(p->fe_ctx, blk)) ||
	    p->fe->mem_read(p->fe_ctx, blk - 16, hdr, sizeof hdr) != 0)
		return 0;
	if (!(hdr[1] & 2) || (hdr[1] & 1) || (hdr[1] & ~(size_t)7) < p->real_page_size)
		return 0;
	start = blk - 16 - hdr[0];
	if ((start & (p->real_page_size - 1)) != 0 || hdr[0] >= p->real_page_size)
		return 0;
	*s = start;
	*e = start + hdr[0] + (hdr[1] & ~(size_t)7);
	return 1;
}

int heap_in_brk(struct engine_proc *p, uintptr_t s, uintptr_t e)
{
	uintptr_t lo = start_brk(p);

	return lo && s >= lo && e <= p->fe->brk_now(p->fe_ctx);
}

int heap_contains(struct engine_proc *p, uintptr_t block, uintptr_t s, uintptr_t e)
{
	uintptr_t lo = start_brk(p), hi = p->fe->brk_now(p->fe_ctx), cs, ce;
	int known;

	if (lo && s < hi && e > lo)
		return 1;
	known = p->fe->heap_known ? p->fe->heap_known(p->fe_ctx, s, e) : 0;
	if (known)
		return known > 0;
	return thread_heap(p, s) || heap_mmapped_chunk(p, block, &cs, &ce);
}
