/* events.c: see events.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "policy/engine/apply.h"
#include "policy/engine/events.h"
#include "policy/engine/findings.h"
#include "policy/engine/frontend.h"
#include "policy/engine/heap.h"
#include "policy/engine/maps.h"
#include "policy/engine/proc.h"
#include "policy/engine/regions.h"
#include "policy/engine/stacks.h"
#include "shim/logwriter/records.h"
#include "policy/pages.h"
#include "policy/tracker.h"

/* After the tracker changed: publish its bounds for the lock-free free() filter, and move the
 * generation that the per-thread gap caches check (shim/freegap.h). Lock held. */
static void publish_bounds(struct engine_proc *p)
{
	uintptr_t lo, hi;
	uint64_t c = tracker_bounds(p->tracker, &lo, &hi);

	__atomic_store_n(&p->track_lo, lo, __ATOMIC_RELAXED);
	__atomic_store_n(&p->track_hi, hi, __ATOMIC_RELAXED);
	if (c != p->track_changes) {
		p->track_changes = c;
		__atomic_store_n(&p->track_gen, p->track_gen + 1, __ATOMIC_RELAXED);
	}
}

int engine_free_gap(struct engine_proc *p, uintptr_t addr, uintptr_t *lo, uintptr_t *hi,
		    unsigned long *gen)
{
	int r = 0;

	p->fe->lock(p->fe_ctx);
	if (!p->exited && !p->unaudited) {
		/* a change not published yet (a fork child's locks cleared, engine_fork_child) would
		 * not have moved the generation: published now */
		if (tracker_changes(p->tracker) != p->track_changes)
			publish_bounds(p);
		r = tracker_gap(p->tracker, addr, lo, hi);
		*gen = p->track_gen;
	}
	p->fe->unlock(p->fe_ctx);
	return r;
}

/* Capture the stack, take the lock and start an event; returns 0 when nothing is to be recorded
 * (the exit record is written already), with the lock released. */
static int begin(struct engine_proc *p, struct event *ev, const char *op, int via, int ok, int err)
{
	struct engine_frames c;

	p->fe->capture(p->fe_ctx, &c);
	p->fe->lock(p->fe_ctx);
	if (p->exited) {
		p->fe->unlock(p->fe_ctx);
		return 0;
	}
	ev->op = op;
	ev->via_syscall = via;
	ev->ok = ok;
	ev->err = err;
	ev->stack = engine_stack_intern(p, &c);
	return 1;
}

void apply_commit(struct engine_proc *p, struct event *ev)
{
	rec_event(p, ev);
	publish_bounds(p);
}

static void end(struct engine_proc *p, struct event *ev)
{
	apply_commit(p, ev);
	p->fe->unlock(p->fe_ctx);
}

static uint64_t count_pages(struct engine_proc *p, uintptr_t s, uintptr_t e)
{
	return (e - s) >> page_shift(p->page_size);
}

void apply_lock(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len,
		int has_flags, unsigned flags)
{
	uintptr_t s = 0, e = 0;
	long charged = 0;

	ev->keys |= EV_ADDR | EV_LEN | EV_PAGES | EV_CHARGED | EV_LOCKED_BYTES | (has_flags ? EV_FLAGS : 0);
	ev->addr = addr;
	ev->len = len;
	ev->flags = flags;
	if (page_range_lock(addr, len, p->page_size, &s, &e) == 0)
		ev->pages = count_pages(p, s, e);
	if (ev->ok && !ev->target_refused && e > s)
		charged = tracker_set(p->tracker, s, e, TRACK_LOCKED, ev->stack);
	ev->charged = charged > 0 ? (uint64_t)charged : 0;
	ev->locked_bytes = engine_locked_bytes(p);
}

void apply_unlock(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len)
{
	uintptr_t s = 0, e = 0;
	long unlocked = 0;

	ev->keys |= EV_ADDR | EV_LEN | EV_PAGES | EV_UNLOCKED | EV_LOCKED_BYTES;
	ev->addr = addr;
	ev->len = len;
	if (page_range_lock(addr, len, p->page_size, &s, &e) == 0)
		ev->pages = count_pages(p, s, e);
	if (ev->ok && e > s)
		unlocked = tracker_clear(p->tracker, s, e, TRACK_LOCKED);
	ev->unlocked = unlocked > 0 ? (uint64_t)unlocked : 0;
	ev->locked_bytes = engine_locked_bytes(p);
}

/* mlockall(MCL_CURRENT): each mapping, locked at the call's stack. */
struct lock_all {
	struct engine_proc *p;
	uint32_t stack;
};

static void lock_whole_vma(const struct vma *v, void *arg)
{
	struct lock_all *la = arg;
	struct engine_proc *p = la->p;

	tracker_set(p->tracker, page_down(v->start, p->page_size), page_up(v->end, p->page_size),
		    TRACK_LOCKED, la->stack);
}

void apply_lockall(struct engine_proc *p, struct event *ev, int flags)
{
	ev->keys |= EV_FLAGS | EV_LOCKED_BYTES;
	ev->flags = flags;
	/* A refused mlockall sets nothing: the limit is checked before any flag is (apply_mlockall_flags
	 * runs only after the check in mm/mlock.c's mlockall) */
	if (ev->ok && !ev->target_refused) {
		p->lockall_future = (flags & MCL_FUTURE) != 0;
		p->lockall_active = (flags & (MCL_CURRENT | MCL_FUTURE)) != 0;
		/* MCL_CURRENT locks every mapping there is (apply_mlockall_flags), whether or not
		 * memaudit saw it being made; the kernel skips VM_SPECIAL ones ([vdso], [vvar]) */
		if (flags & MCL_CURRENT)
			maps_foreach(p, lock_whole_vma, &(struct lock_all){p, ev->stack});
	}
	ev->locked_bytes = engine_locked_bytes(p);
}

void engine_munlockall(struct engine_proc *p, int via, int ret, int err)
{
	struct event ev = {0};
	long unlocked = 0;

	if (!begin(p, &ev, "munlockall", via, ret == 0, err))
		return;
	ev.keys = EV_UNLOCKED | EV_LOCKED_BYTES;
	if (ret == 0) {
		unlocked = tracker_clear_all(p->tracker, TRACK_LOCKED);
		regions_unlock_all(p);
		p->lockall_future = 0;
		p->lockall_active = 0;
	}
	ev.unlocked = unlocked > 0 ? (uint64_t)unlocked : 0;
	ev.locked_bytes = engine_locked_bytes(p);
	end(p, &ev);
}

/* What an advice does to the tracked attributes: bits set, bits cleared (madvise(2)). */
void advice_effect(int advice, unsigned *set, unsigned *clear)
{
	*set = *clear = 0;
	switch (advice) {
	case MADV_DONTDUMP: *set = TRACK_DONTDUMP; break;
	case MADV_DODUMP: *clear = TRACK_DONTDUMP; break;
	case MADV_DONTFORK: *set = TRACK_DONTFORK; break;
	case MADV_DOFORK: *clear = TRACK_DONTFORK; break;
#ifdef MADV_WIPEONFORK
	case MADV_WIPEONFORK: *set = TRACK_WIPEONFORK; break;
	case MADV_KEEPONFORK: *clear = TRACK_WIPEONFORK; break;
#endif
	}
}

void apply_advice(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len,
		  int advice)
{
	uintptr_t s = 0, e = 0;
	unsigned set, clear;

	ev->keys |= EV_ADDR | EV_LEN | EV_ADVICE | EV_PAGES;
	ev->addr = addr;
	ev->len = len;
	ev->advice = advice;
	if (page_range_advise(addr, len, p->page_size, &s, &e) == 0)
		ev->pages = count_pages(p, s, e);
	/* "ENOMEM: addresses in the range are not mapped": the advice is still applied to the mapped
	 * parts (mm/madvise.c), so a partial failure updates the tracker too. posix_madvise's advice
	 * values are POSIX_MADV_* (none of them protects anything). */
	if ((ev->ok || ev->err == ENOMEM) && e > s && strcmp(ev->op, "madvise") == 0) {
		advice_effect(advice, &set, &clear);
		if (set)
			tracker_set(p->tracker, s, e, set, ev->stack);
		if (clear)
			tracker_clear(p->tracker, s, e, clear);
	}
}

void apply_mmap(struct engine_proc *p, struct event *ev, uintptr_t hint, size_t len,
		int prot, int flags, int fd, uintptr_t result)
{
	uintptr_t s = result, e = s + page_up(len, p->page_size);

	ev->keys |= EV_ADDR | EV_LEN | EV_PROT | EV_FLAGS | EV_FD | EV_RESULT | EV_CHARGED | EV_LOCKED_BYTES;
	ev->addr = hint;
	ev->len = len;
	ev->prot = prot;
	ev->flags = flags;
	ev->fd = fd;
	ev->result = result;
	if (ev->ok && e > s) {
		long charged = 0;
		/* MAP_FIXED replaces whatever was there, attributes included. */
		tracker_remove(p->tracker, s, e);
		if (((flags & MAP_LOCKED) || p->lockall_future) && !ev->target_refused)
			charged = tracker_set(p->tracker, s, e, TRACK_LOCKED, ev->stack);
		ev->charged = charged > 0 ? (uint64_t)charged : 0;
	}
	ev->locked_bytes = engine_locked_bytes(p);
}

void apply_unmap(struct engine_proc *p, struct event *ev, uintptr_t addr, size_t len)
{
	uintptr_t e = 0;
	long unlocked = 0;

	ev->keys |= EV_ADDR | EV_LEN | EV_UNLOCKED | EV_LOCKED_BYTES;
	ev->addr = addr;
	ev->len = len;
	if (ev->ok && page_up_checked(addr + len, p->page_size, &e) == 0 && e > addr)
		unlocked = tracker_remove(p->tracker, page_down(addr, p->page_size), e);
	ev->unlocked = unlocked > 0 ? (uint64_t)unlocked : 0;
	ev->locked_bytes = engine_locked_bytes(p);
}

/* Collects the tracked ranges of a mapping that mremap moves. */
struct moved {
	int n;
	struct tracker_range r[64];
};

static int collect(const struct tracker_range *r, void *arg)
{
	struct moved *m = arg;

	if (m->n == 64)
		return 1;
	m->r[m->n++] = *r;
	return 0;
}

/* mremap moves a mapping's flags with it (VM_LOCKED included; growing a locked mapping locks and
 * charges the new part, mm/mremap.c); shrinking drops the tail. */
void engine_mremap(struct engine_proc *p, void *old, size_t old_len, size_t new_len, int flags,
		   void *result, int err)
{
	struct event ev = {0};
	int ok = result != MAP_FAILED;
	uintptr_t os = (uintptr_t)old, oe = os + page_up(old_len, p->page_size);
	uintptr_t ns = (uintptr_t)result, ne = ns + page_up(new_len, p->page_size);
	struct moved m = {0};
	int i;

	if (!begin(p, &ev, "mremap", 0, ok, err))
		return;
	ev.keys = EV_ADDR | EV_LEN | EV_NEW_LEN | EV_FLAGS | EV_RESULT | EV_LOCKED_BYTES;
	ev.addr = os;
	ev.len = old_len;
	ev.new_len = new_len;
	ev.flags = flags;
	ev.result = ns;
	if (ok && oe > os) {
		/* the regions do not follow a mapping that moves: what a call meant to protect at
		 * the old address is gone from there (and the tail of one that shrinks) */
		regions_forget(p, ns == os ? (ne < oe ? ne : oe) : os, oe);
		unsigned last_attrs = tracker_query(p->tracker, oe - p->page_size, oe, NULL);
		tracker_foreach(p->tracker, os, oe, collect, &m);
		tracker_remove(p->tracker, os, oe);
		for (i = 0; i < m.n; i++) {
			uintptr_t rs = ns + (m.r[i].start - os), re = ns + (m.r[i].end - os);
			unsigned b;
			if (rs >= ne)
				continue;
			for (b = 0; b < TRACK_NATTRS; b++)
				if (m.r[i].attrs & (1u << b))
					tracker_set(p->tracker, rs, re < ne ? re : ne, 1u << b, m.r[i].site[b]);
		}
		if (ne > ns + (oe - os) && (last_attrs & TRACK_LOCKED))
			tracker_set(p->tracker, ns + (oe - os), ne, TRACK_LOCKED, ev.stack);
	}
	ev.locked_bytes = engine_locked_bytes(p);
	maps_update(p, 0, 0, 2); /* at most 2 new mappings (maps.h) */
	end(p, &ev);
}

void apply_protect(struct event *ev, uintptr_t addr, size_t len, int prot)
{
	ev->keys |= EV_ADDR | EV_LEN | EV_PROT;
	ev->addr = addr;
	ev->len = len;
	ev->prot = prot;
}

void engine_memfd_secret(struct engine_proc *p, unsigned flags, long ret, int err)
{
	struct event ev = {0};

	if (!begin(p, &ev, "memfd_secret", 1, ret >= 0, err))
		return;
	ev.keys = EV_FLAGS | EV_RESULT;
	ev.flags = flags;
	ev.result = ret >= 0 ? (uintptr_t)ret : 0;
	end(p, &ev);
}

/* Locked pages a fork child gets as unlocked copies: locked, and neither DONTFORK nor
 * WIPEONFORK. */
struct copies {
	size_t page_size, pages;
};

static int unlocked_copies(const struct tracker_range *r, void *arg)
{
	struct copies *c = arg;

	if ((r->attrs & TRACK_LOCKED) && !(r->attrs & (TRACK_DONTFORK | TRACK_WIPEONFORK)))
		c->pages += (r->end - r->start) / c->page_size;
	return 0;
}

void engine_fork(struct engine_proc *p, pid_t child, int err)
{
	struct event ev = {0};
	struct copies c = {p->page_size, 0};
	char msg[256];

	if (!begin(p, &ev, "fork", 0, child >= 0, err))
		return;
	ev.keys = EV_CHILD;
	ev.child = child;
	apply_commit(p, &ev);
	if (child > 0) {
		tracker_foreach(p->tracker, 0, UINTPTR_MAX, unlocked_copies, &c);
		if (c.pages) {
			snprintf(msg, sizeof msg,
				 "fork() while %zu locked pages are not marked MADV_DONTFORK or MADV_WIPEONFORK: the child has unlocked copies of them (mlock(2): locks are not inherited)",
				 c.pages);
			finding(p, RULE_FORK_UNLOCKED_COPY, p->seq, ev.stack, 0, msg);
		}
	}
	p->fe->unlock(p->fe_ctx);
}


/* lock-freed and realloc-protected, for a free or realloc event just written: about the bytes of
 * this block that a live lock or advice call named (regions.h), never a neighbour's on a shared
 * page. Lock held. */
static void judge_release(struct engine_proc *p, const char *op, const struct event *ev, const struct block_regions *h)
{
	char msg[320];
	int is_realloc = strcmp(op, "realloc") == 0;
	int b = (h->attrs & TRACK_LOCKED) ? 0 : 1; /* the bit index realloc-protected speaks of */

	/* Under mlockall every page is locked by design and freeing is normal (mlockall(2)). */
	if ((h->attrs & TRACK_LOCKED) && !p->lockall_active) {
		snprintf(msg, sizeof msg,
			 "%s() of a heap block of which %llu bytes are still locked by an mlock that was never undone: the lock stays on the pages and on whatever malloc puts there next; munlock (and wipe) before freeing, or use a locked pool",
			 op, (unsigned long long)h->bytes[0]);
		finding(p, RULE_LOCK_FREED, p->seq, ev->stack, h->stack[0], msg);
	}
	if (is_realloc && (h->attrs & (TRACK_LOCKED | TRACK_DONTDUMP))) {
		snprintf(msg, sizeof msg,
			 "realloc() of a block of which %llu bytes are %s: the data may move to memory that is neither locked nor excluded from core dumps, and the old copy is left behind unwiped",
			 (unsigned long long)h->bytes[b], b == 0 ? "locked" : "excluded from core dumps");
		finding(p, RULE_REALLOC_PROTECTED, p->seq, ev->stack, h->stack[b], msg);
	}
}

int engine_release(struct engine_proc *p, const char *op, void *blk, size_t usable, size_t new_len)
{
	struct event ev;
	uintptr_t s = page_down((uintptr_t)blk, p->page_size), e = page_up((uintptr_t)blk + usable, p->page_size);
	uintptr_t ms = 0, me = 0, bs = (uintptr_t)blk, be = bs + usable;
	size_t locked = 0;
	unsigned attrs;
	struct engine_frames c;
	struct block_regions h;
	long unlocked;
	uint64_t unwiped = 0, covered = 0, changes = 0;
	int is_free = strcmp(op, "free") == 0, mapped;

	p->fe->lock(p->fe_ctx);
	attrs = p->exited ? 0 : tracker_query(p->tracker, s, e, &locked);
	/* Worth an event: the block holds bytes a call named, or its free() unmaps tracked pages (a
	 * chunk glibc mmap'd). A block that merely shares a page with them is not the program's
	 * protected memory: the lock or advice call that shared the page was reported already. */
	mapped = attrs && is_free && heap_mmapped_chunk(p, bs, &ms, &me);
	if (attrs) {
		regions_in_block(p, bs, be, &h);
		changes = tracker_changes(p->regions);
	}
	p->fe->unlock(p->fe_ctx);
	if (!attrs || (!h.attrs && !mapped))
		return 0;
	p->fe->capture(p->fe_ctx, &c);
	p->fe->lock(p->fe_ctx);
	if (!p->exited) {
		/* the regions again when another thread may have changed them meanwhile (their call
		 * ids too: those change only with them) */
		if (tracker_changes(p->regions) != changes)
			regions_in_block(p, bs, be, &h);
		/* release-unwiped (free only: realloc-protected covers realloc): read before free()
		 * writes its list pointers into the block */
		if (is_free)
			unwiped = regions_unwiped(p, bs, be, TRACK_LOCKED | TRACK_DONTDUMP, 1, &covered);
		/* every field named, as in engine_call_end (call.c): no clearing of the whole first */
		ev = (struct event){
			.op = op, .via_syscall = 0, .ok = 1, .err = 0, .stack = engine_stack_intern(p, &c),
			.keys = EV_ADDR | EV_LEN | EV_LOCKED_PAGES | EV_ATTRS | EV_LOCKED_BYTES |
				(new_len ? EV_NEW_LEN : 0),
			.addr = bs, .len = usable, .new_len = new_len, .flags = 0, .advice = 0, .prot = 0,
			.fd = 0, .child = 0, .result = 0, .pages = 0, .charged = 0, .unlocked = 0,
			.locked_pages = locked, .locked_bytes = 0, .attrs = attrs, .injected = 0,
			.target_refused = 0, .call = 0, .map_count = 0,
		};
		/* free() of a chunk glibc mmap'd unmaps it, and the kernel forgets its locks with it
		 * ("implicit unlock on munmap"). Forgotten before the real free; nothing reuses the
		 * range until free returns. */
		if (mapped) {
			unlocked = tracker_remove(p->tracker, ms, me);
			ev.keys |= EV_UNLOCKED;
			ev.unlocked = unlocked > 0 ? (uint64_t)unlocked : 0;
		}
		ev.locked_bytes = engine_locked_bytes(p);
		rec_batch_begin(p);
		rec_event(p, &ev);
		publish_bounds(p);
		judge_release(p, op, &ev, &h);
		if (is_free)
			regions_judge_unwiped(p, op, ev.stack, unwiped, covered);
		rec_batch_end(p);
		/* the block is gone: whatever a call meant to protect in it is no more */
		regions_forget(p, bs, be);
	}
	p->fe->unlock(p->fe_ctx);
	return 1;
}
