/* readable.c: see readable.h. */
#include "config.h"

#include <sys/mman.h>

#include "policy/engine/frontend.h"
#include "policy/engine/heap.h"
#include "policy/engine/proc.h"
#include "policy/engine/readable.h"
#include "policy/pages.h"
#include "policy/tracker.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000 /* include/uapi/asm-generic/mman-common.h */
#endif

/* p->unreadable: the pages some seen call may have made unreadable, in simulated pages (a
 * superset of the real ones the call acted on); made at the first such call. Out of memory: no
 * in-process read from then on. */
void readable_lose(struct engine_proc *p, uintptr_t addr, size_t len)
{
	uintptr_t s = page_down(addr, p->page_size), e;

	if (!p->fe->view || p->readable_off || len == 0)
		return;
	if (addr + len < addr || page_up_checked(addr + len, p->page_size, &e) != 0)
		e = page_down(UINTPTR_MAX, p->page_size);
	if (!p->unreadable)
		p->unreadable = tracker_new(p->page_size, &p->talloc);
	if (!p->unreadable || (e > s && tracker_set(p->unreadable, s, e, TRACK_LOCKED, 0) < 0))
		p->readable_off = 1;
}

/* Advice after which a page of private anonymous memory still reads (madvise(2)): hints, the
 * flags the tracker follows, and the ones that drop the contents (the next touch maps a zeroed
 * page: MADV_DONTNEED, MADV_FREE). Not MADV_REMOVE, MADV_HWPOISON (the next touch gets SIGBUS),
 * MADV_SOFT_OFFLINE, MADV_GUARD_INSTALL (Linux 6.13, mm/madvise.c madvise_guard_install: the
 * next touch gets SIGSEGV), nor any value this file does not know. */
static int advice_keeps_readable(int advice)
{
	switch (advice) {
	case 0: case 1: case 2: case 3: case 4: /* NORMAL RANDOM SEQUENTIAL WILLNEED DONTNEED */
	case 8:                                 /* FREE */
	case 10: case 11: case 12: case 13:     /* DONTFORK DOFORK MERGEABLE UNMERGEABLE */
	case 14: case 15: case 16: case 17:     /* HUGEPAGE NOHUGEPAGE DONTDUMP DODUMP */
	case 18: case 19: case 20: case 21:     /* WIPEONFORK KEEPONFORK COLD PAGEOUT */
	case 22: case 23: case 24: case 25:     /* POPULATE_READ/WRITE DONTNEED_LOCKED COLLAPSE */
	case 103:                               /* GUARD_REMOVE */
		return 1;
	}
	return 0;
}

void readable_before_call(struct engine_proc *p, const struct engine_call *c)
{
	switch (c->kind) {
	case CK_PROTECT: /* any protection: the simplest that is right */
	case CK_UNMAP:
		readable_lose(p, c->addr, c->len);
		break;
	case CK_MAP:
		/* a new mapping lands where nothing is mapped, except with MAP_FIXED */
		if (c->flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
			readable_lose(p, c->addr, c->len);
		break;
	case CK_ADVISE:
		/* posix_madvise's values are hints (glibc: POSIX_MADV_DONTNEED does nothing) */
		if (c->op[0] == 'm' && !advice_keeps_readable(c->advice))
			readable_lose(p, c->addr, c->len);
		break;
	default:
		break; /* locks do not change what reads */
	}
}

int readable_proven(struct engine_proc *p, uintptr_t s, uintptr_t e, int live_block)
{
	if (!p->fe->view || p->readable_off || e <= s)
		return 0;
	/* another thread's free() may trim the top of the heap (sbrk(-extra)) at any moment: only a
	 * live block's bytes are safe from that, or a process with no other thread */
	if (!live_block && !(p->fe->one_thread && p->fe->one_thread(p->fe_ctx)))
		return 0;
	/* a live block of glibc's malloc is mapped readable and writable wherever it lies: the
	 * main arena's break (or its mmap fallback), a thread arena's heap below its size, which
	 * grow_heap made PROT_READ | PROT_WRITE (malloc/arena.c), a chunk sysmalloc_mmap mapped
	 * PROT_READ | PROT_WRITE on its own (malloc/malloc.c) */
	if (!(live_block && p->glibc_malloc) && !heap_in_brk(p, s, e))
		return 0;
	return !p->unreadable ||
	       !tracker_query(p->unreadable, page_down(s, p->page_size), page_up(e, p->page_size), NULL);
}

int readable_copy(struct engine_proc *to, const struct engine_proc *from)
{
	to->unreadable = NULL;
	/* the supervisor (the only user of engine_proc_copy) has no view: nothing to copy, and
	 * a copy that failed would only cost speed */
	if (from->unreadable)
		to->readable_off = 1;
	return 0;
}

void readable_destroy(struct engine_proc *p)
{
	if (p->unreadable)
		tracker_destroy(p->unreadable);
	p->unreadable = NULL;
}

void engine_unreadable(struct engine_proc *p, uintptr_t addr, size_t len)
{
	if (!p->fe->view)
		return;
	p->fe->lock(p->fe_ctx);
	readable_lose(p, addr, len);
	p->fe->unlock(p->fe_ctx);
}

void engine_readable_off(struct engine_proc *p)
{
	if (!p->fe->view)
		return;
	p->fe->lock(p->fe_ctx);
	p->readable_off = 1;
	p->fe->unlock(p->fe_ctx);
}
