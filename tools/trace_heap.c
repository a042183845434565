/* trace_heap.c: the allocator's own mappings, recognised from the stacks of the mmap calls that
 * made them (issue 12, item 5): a traced program's malloc makes no call the supervisor sees except
 * the system calls that get it memory. glibc: sysmalloc (a chunk mapped on its own, or the main
 * arena's fallback), new_heap / alloc_new_heap (a thread arena's heap), _int_new_arena; the Go
 * runtime: the heap arenas of runtime.(*mheap) (sysAlloc, grow) and runtime.sysAlloc. The engine
 * asks through the front-end's heap_known (policy/engine/heap.c) for lock-heap, advise-heap and
 * fork-advise-heap.
 *
 * A mapping whose stack has a name for every frame and none of the allocator's is remembered as
 * not heap: heap.c then reads no glibc header to tell (a heap_info at the 64 MiB-aligned address
 * and a chunk header before the block, two process_vm_readv per lock call, both failing for the
 * program's own mmap). A frame without a name (a C library without symbols hides sysmalloc so)
 * leaves the mapping not known, and heap.c reads as before. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tools/trace_frontend.h"

static const char *const heap_functions[] = {
	"sysmalloc", "new_heap", "alloc_new_heap", "_int_new_arena", "__libc_malloc", "malloc",
	"_int_malloc", "__libc_calloc", "calloc", "__libc_realloc", "realloc", "_int_realloc",
	"_int_memalign", "runtime.sysAlloc", "runtime.(*mheap).sysAlloc", "runtime.(*mheap).grow",
	"runtime.(*mheap).alloc", "runtime.(*mheap).allocSpan", "runtime.largeAlloc", NULL,
};

static int heap_function(const char *fn)
{
	size_t i;

	for (i = 0; fn && heap_functions[i]; i++)
		if (strcmp(fn, heap_functions[i]) == 0)
			return 1;
	return 0;
}

/* The call's stack (the engine's interned stack id): 1 when it holds one of the allocator's
 * functions, 0 when every frame has a name and none is the allocator's, -1 when some frame has
 * no name (a C library without symbols may hide sysmalloc there: not known). */
static int by_allocator(struct tfe_proc *t, uint32_t stack)
{
	const char *fn;
	uintptr_t ip;
	int i, named = 1;

	for (i = 0; t->tp && engine_stack_frame(&t->ep, stack, i, &ip, NULL, NULL); i++) {
		if (!trace_stack_symbolize(t->tp, ip, &fn, NULL, NULL, NULL, NULL) || !fn)
			named = 0;
		else if (heap_function(fn))
			return 1;
	}
	return i > 0 && named ? 0 : -1;
}

#define TFE_OTHER_MAX 4096 /* mappings remembered as not heap (beyond: not known, read) */

/* Both lists are kept sorted by address, their ranges disjoint (a range is cut out of both before
 * it is added), so that a lookup is a binary search: with thousands of live mappings a linear scan
 * per audited call cost more than the call (issue 13, bench/lock_scale under trace mode). */

/* The first range of r[0, n) that ends after s (n when none does). */
static size_t first_after(const struct tfe_range *r, size_t n, uintptr_t s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r[mid].end > s)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Insert [s, e) at index i (the caller keeps the order). */
static void insert_at(struct tfe_range **r, size_t *n, size_t *cap, size_t i, uintptr_t s, uintptr_t e)
{
	struct tfe_range *m;

	if (*n == *cap) {
		m = realloc(*r, (*cap ? 2 * *cap : 16) * sizeof *m);
		if (!m)
			return; /* not known: lock-heap not said there / heap.h reads */
		*r = m;
		*cap = *cap ? 2 * *cap : 16;
	}
	memmove(*r + i + 1, *r + i, (*n - i) * sizeof **r);
	(*r)[i] = (struct tfe_range){s, e};
	++*n;
}

/* Add [s, e), which overlaps no range of r. */
static void add_to(struct tfe_range **r, size_t *n, size_t *cap, uintptr_t s, uintptr_t e)
{
	insert_at(r, n, cap, first_after(*r, *n, s), s, e);
}

static void add(struct tfe_proc *t, uintptr_t s, uintptr_t e)
{
	add_to(&t->heap, &t->nheap, &t->capheap, s, e);
}

void tfe_note_mmap(struct tfe_proc *t, uintptr_t s, uintptr_t e, uint32_t stack)
{
	int a = stack ? by_allocator(t, stack) : -1;

	tfe_unmap(t, s, e); /* MAP_FIXED over an older range (Go maps its reservation again) */
	if (a > 0)
		add(t, s, e);
	else if (a == 0 && t->nother < TFE_OTHER_MAX)
		add_to(&t->other, &t->nother, &t->capother, s, e);
}

/* Cut [s, e) out of every range of r (it may split one). */
static void cut(struct tfe_range **r, size_t *n, size_t *cap, uintptr_t s, uintptr_t e)
{
	size_t i = first_after(*r, *n, s), j;

	if (s >= e || i == *n || (*r)[i].start >= e)
		return;
	if ((*r)[i].start < s && (*r)[i].end > e) { /* inside one range: split it */
		uintptr_t end = (*r)[i].end;
		(*r)[i].end = s;
		insert_at(r, n, cap, i + 1, e, end);
		return;
	}
	if ((*r)[i].start < s) /* the first keeps its head */
		(*r)[i++].end = s;
	for (j = i; j < *n && (*r)[j].end <= e; j++) /* wholly inside: dropped */
		;
	if (j < *n && (*r)[j].start < e) /* the last keeps its tail */
		(*r)[j].start = e;
	memmove(*r + i, *r + j, (*n - j) * sizeof **r);
	*n -= j - i;
}

void tfe_unmap(struct tfe_proc *t, uintptr_t s, uintptr_t e)
{
	cut(&t->heap, &t->nheap, &t->capheap, s, e);
	cut(&t->other, &t->nother, &t->capother, s, e);
}

void tfe_heap_moved(struct tfe_proc *t, uintptr_t s, uintptr_t e, uintptr_t ns, uintptr_t ne)
{
	int heap = tfe_heap_known(t, s, e) > 0;

	tfe_unmap(t, s, e);
	tfe_unmap(t, ns, ne);
	if (heap)
		add(t, ns, ne);
}

int tfe_heap_known(struct tfe_proc *t, uintptr_t s, uintptr_t e)
{
	uintptr_t covered = 0;
	size_t i = first_after(t->heap, t->nheap, s);

	if (i < t->nheap && t->heap[i].start < e)
		return 1;
	/* the ranges do not overlap: sum what they cover */
	for (i = first_after(t->other, t->nother, s); i < t->nother && t->other[i].start < e; i++)
		covered += (e < t->other[i].end ? e : t->other[i].end) -
			   (s > t->other[i].start ? s : t->other[i].start);
	return s < e && covered == e - s ? -1 : 0;
}
