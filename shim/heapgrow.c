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

#include "engine/frontend.h"
#include "audit_internal.h"
#include "findings.h"
#include "guard.h"
#include "heap.h"
#include "heapgrow.h"
#include "policy/lockmodel.h"
#include "policy/pages.h"
#include "policy/tracker.h"
#include "records.h"
#include "stack.h"
#include "state.h"

uintptr_t heapgrow_before(void)
{
	return (uintptr_t)sbrk(0);
}


int heapgrow_after(void *p, uintptr_t brk_before, const char *op, int can_refuse)
{
	uintptr_t brk_after = (uintptr_t)sbrk(0), s = 0, e = 0;
	struct engine_frames cap;
	struct event ev = {0};
	size_t already = 0, pages;
	int g, err, refuse = 0, saved = errno;

	if (brk_after > brk_before) {
		s = page_up(brk_before, S.page_size);
		e = page_up(brk_after, S.page_size);
	} else if (!p || !heap_mmapped_chunk((uintptr_t)p, &s, &e)) {
		return 0; /* served from memory the process already had */
	}
	if (e <= s)
		return 0;
	g = guard_enter();
	S.fe->capture(S.fe_ctx, &cap);
	S.fe->lock(S.fe_ctx);
	if (S.exited || !S.lockall_future) {
		S.fe->unlock(S.fe_ctx);
		guard_leave(g);
		errno = saved;
		return 0;
	}
	tracker_query(S.tracker, s, e, &already);
	pages = (size_t)((e - s) >> page_shift(S.page_size)) - already;
	err = lockmodel_map_locked(S.memlock_limit, S.page_size, tracker_locked_pages(S.tracker), pages);
	refuse = err && can_refuse && shim_enforcing();
	ev.op = "heap-grow";
	ev.ok = !refuse;
	ev.err = refuse ? ENOMEM : 0;
	ev.injected = refuse;
	ev.stack = stack_intern(&cap);
	ev.keys = EV_ADDR | EV_LEN | EV_CHARGED | EV_LOCKED_BYTES;
	ev.addr = s;
	ev.len = e - s;
	/* refused by the target, the growth locks nothing there (its malloc returns NULL), also when
	 * the real call went through */
	if (!err)
		ev.charged = (uint64_t)(tracker_set(S.tracker, s, e, TRACK_LOCKED, ev.stack) > 0 ? pages : 0);
	ev.locked_bytes = shim_locked_bytes();
	audit_commit(&ev);
	if (err) {
		char msg[320];
		snprintf(msg, sizeof msg,
			 "%s: the heap grows by %zu pages under mlockall(MCL_FUTURE), which RLIMIT_MEMLOCK %lld does not allow a process without CAP_IPC_LOCK: malloc returns NULL there%s",
			 op, pages, S.memlock_limit, refuse ? " (memaudit made it fail)" : "");
		finding(RULE_LOCK_LIMIT, S.seq, ev.stack, 0, msg);
	}
	S.fe->unlock(S.fe_ctx);
	guard_leave(g);
	errno = saved;
	return refuse;
}
