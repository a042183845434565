/* heapgrow.c: the heap under mlockall(MCL_FUTURE).
 *
 * MCL_FUTURE locks every later mapping and every growth of the heap: the kernel charges brk(2)
 * growth and malloc's own mmap'd chunks against RLIMIT_MEMLOCK (mlock_future_ok: brk fails with
 * ENOMEM, mmap with EAGAIN, and malloc then returns NULL). glibc's malloc makes those calls through
 * internal aliases no wrapper sees, so the allocation wrappers look at what an allocation did: the
 * program break before and after, and the chunk's own mapping. Only while MCL_FUTURE is in force;
 * otherwise allocations take the fast path.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "policy/engine/apply.h"
#include "policy/engine/findings.h"
#include "policy/engine/frontend.h"
#include "policy/engine/heap.h"
#include "policy/engine/heapgrow.h"
#include "policy/engine/proc.h"
#include "policy/engine/stacks.h"
#include "shim/logwriter/records.h"
#include "policy/lockmodel.h"
#include "policy/pages.h"
#include "policy/tracker.h"

/* Charge [s, e) (whole pages) to the MCL_FUTURE heap and record it: event heap-grow and, over the
 * limit, lock-limit. refuse: enforce refuses it (nothing is locked then). Lock held. Returns
 * whether the target's kernel would refuse it. */
static int charge(struct engine_proc *p, uintptr_t s, uintptr_t e, const char *op, int can_refuse,
		  struct engine_frames *cap, int *refused)
{
	struct event ev = {0};
	size_t already = 0, pages;
	int err, refuse;

	tracker_query(p->tracker, s, e, &already);
	pages = (size_t)((e - s) >> page_shift(p->page_size)) - already;
	err = lockmodel_map_locked(p->memlock_limit, p->page_size, tracker_locked_pages(p->tracker), pages);
	refuse = err && can_refuse && engine_enforcing(p);
	ev.op = "heap-grow";
	ev.ok = !refuse;
	ev.err = refuse ? ENOMEM : 0;
	ev.injected = refuse;
	ev.stack = engine_stack_intern(p, cap);
	ev.keys = EV_ADDR | EV_LEN | EV_CHARGED | EV_LOCKED_BYTES;
	ev.addr = s;
	ev.len = e - s;
	/* refused by the target, the growth locks nothing there (its malloc returns NULL), also when
	 * the real call went through */
	if (!err)
		ev.charged = (uint64_t)(tracker_set(p->tracker, s, e, TRACK_LOCKED, ev.stack) > 0 ? pages : 0);
	ev.locked_bytes = engine_locked_bytes(p);
	apply_commit(p, &ev);
	if (err) {
		char msg[320];
		snprintf(msg, sizeof msg,
			 "%s: the heap grows by %zu pages under mlockall(MCL_FUTURE), which RLIMIT_MEMLOCK %lld does not allow a process without CAP_IPC_LOCK: malloc returns NULL there%s",
			 op, pages, p->memlock_limit, refuse ? " (memaudit made it fail)" : "");
		finding(p, RULE_LOCK_LIMIT, p->seq, ev.stack, 0, msg);
	}
	*refused = refuse;
	return err;
}

int engine_heap_grow(struct engine_proc *p, void *blk, uintptr_t brk_before, const char *op,
		     int can_refuse)
{
	uintptr_t brk_after = p->fe->brk_now(p->fe_ctx), s = 0, e = 0;
	struct engine_frames cap;
	int refuse = 0, saved = errno;

	if (brk_after > brk_before) {
		s = page_up(brk_before, p->page_size);
		e = page_up(brk_after, p->page_size);
	} else if (!blk || !heap_mmapped_chunk(p, (uintptr_t)blk, &s, &e)) {
		return 0; /* served from memory the process already had */
	}
	if (e <= s)
		return 0;
	p->fe->capture(p->fe_ctx, &cap);
	p->fe->lock(p->fe_ctx);
	if (!p->exited && p->lockall_future)
		charge(p, s, e, op, can_refuse, &cap, &refuse);
	p->fe->unlock(p->fe_ctx);
	errno = saved;
	return refuse;
}

int engine_brk_refused(struct engine_proc *p, uintptr_t brk_now, uintptr_t want)
{
	uintptr_t s = page_up(brk_now, p->page_size), e = page_up(want, p->page_size);
	struct engine_frames cap;
	size_t already = 0, pages;
	int refuse = 0;

	if (!p->lockall_future || !engine_enforcing(p) || !brk_now || e <= s || p->exited)
		return 0;
	/* the kernel's brk(2): mlock_future_ok(mm, mm->def_flags, newbrk - oldbrk) before it moves */
	tracker_query(p->tracker, s, e, &already);
	pages = (size_t)((e - s) >> page_shift(p->page_size)) - already;
	if (!lockmodel_map_locked(p->memlock_limit, p->page_size, tracker_locked_pages(p->tracker), pages))
		return 0; /* it fits: it runs, and engine_heap_grow charges what it did */
	p->fe->capture(p->fe_ctx, &cap);
	p->fe->lock(p->fe_ctx);
	charge(p, s, e, "brk", 1, &cap, &refuse);
	p->fe->unlock(p->fe_ctx);
	return refuse;
}
