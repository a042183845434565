/* trace_heap.c: the allocator's own mappings, recognised from the stacks of the mmap calls that
 * made them (issue 12, item 5): a traced program's malloc makes no call the supervisor sees except
 * the system calls that get it memory. glibc: sysmalloc (a chunk mapped on its own, or the main
 * arena's fallback), new_heap / alloc_new_heap (a thread arena's heap), _int_new_arena; the Go
 * runtime: the heap arenas of runtime.(*mheap) (sysAlloc, grow) and runtime.sysAlloc. The engine
 * asks through the front-end's heap_known (policy/engine/heap.c) for lock-heap, advise-heap and
 * fork-advise-heap. */
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

/* The call's stack (the engine's interned stack id) holds one of the allocator's functions. */
static int by_allocator(struct tfe_proc *t, uint32_t stack)
{
	const char *fn;
	uintptr_t ip;
	int i;

	for (i = 0; t->tp && engine_stack_frame(&t->ep, stack, i, &ip, NULL, NULL); i++)
		if (trace_stack_symbolize(t->tp, ip, &fn, NULL, NULL, NULL, NULL) && heap_function(fn))
			return 1;
	return 0;
}

static void add(struct tfe_proc *t, uintptr_t s, uintptr_t e)
{
	struct tfe_range *n;

	if (t->nheap == t->capheap) {
		n = realloc(t->heap, (t->capheap ? 2 * t->capheap : 16) * sizeof *n);
		if (!n)
			return; /* not known as heap: lock-heap not said there */
		t->heap = n;
		t->capheap = t->capheap ? 2 * t->capheap : 16;
	}
	t->heap[t->nheap++] = (struct tfe_range){s, e};
}

void tfe_note_mmap(struct tfe_proc *t, uintptr_t s, uintptr_t e, uint32_t stack)
{
	tfe_unmap(t, s, e); /* MAP_FIXED over an older range (Go maps its reservation again) */
	if (stack && by_allocator(t, stack))
		add(t, s, e);
}

/* Cut [s, e) out of every known range (it may split one). */
void tfe_unmap(struct tfe_proc *t, uintptr_t s, uintptr_t e)
{
	size_t i;

	for (i = 0; i < t->nheap; i++) {
		struct tfe_range r = t->heap[i];
		if (s >= r.end || e <= r.start)
			continue;
		if (s > r.start && e < r.end) {
			t->heap[i].end = s;
			add(t, e, r.end);
		} else if (s > r.start) {
			t->heap[i].end = s;
		} else if (e < r.end) {
			t->heap[i].start = e;
		} else {
			t->heap[i--] = t->heap[--t->nheap];
		}
	}
}

void tfe_heap_moved(struct tfe_proc *t, uintptr_t s, uintptr_t e, uintptr_t ns, uintptr_t ne)
{
	if (!trace_frontend.heap_known(t, s, e))
		return;
	tfe_unmap(t, s, e);
	tfe_unmap(t, ns, ne);
	add(t, ns, ne);
}
