/* call.c: see call.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "policy/engine/alignwaste.h"
#include "policy/engine/apply.h"
#include "policy/engine/call.h"
#include "policy/engine/findings.h"
#include "policy/engine/frontend.h"
#include "policy/engine/heap.h"
#include "policy/engine/maps.h"
#include "policy/engine/msg.h"
#include "policy/engine/proc.h"
#include "policy/engine/readable.h"
#include "policy/engine/regions.h"
#include "policy/engine/stacks.h"
#include "policy/engine/target.h"
#include "shim/logwriter/records.h"
#include "policy/lockmodel.h"
#include "policy/mapcount.h"
#include "policy/pages.h"
#include "policy/tracker.h"

/* What the call asks of the lock budget, computed once under the lock for every limit. */
struct demand {
	size_t locked;    /* pages locked now */
	size_t charge;    /* pages the call would newly lock */
	size_t total_vm;  /* mlockall: the address space, bytes */
};

/* The errno the target kernel returns for c at limit (0: the limit lets it through). Errors that
 * do not depend on the limit (bad flags) are left to the real call. */
static inline int err_at(struct engine_proc *p, const struct engine_call *c, const struct demand *d, long long limit)
{
	switch (c->kind) {
	case CK_LOCK:
		if (c->has_flags && lockmodel_mlock2_flags(c->flags))
			return 0;
		return lockmodel_mlock(limit, p->page_size, d->locked, d->charge);
	case CK_LOCKALL:
		if (lockmodel_mlockall((int)c->flags, -1, p->page_size, 0))
			return 0;
		return lockmodel_mlockall((int)c->flags, limit, p->page_size, d->total_vm);
	case CK_MAP:
		return lockmodel_map_locked(limit, p->page_size, d->locked, d->charge);
	default:
		break; /* not a lock call */
	}
	return 0;
}

static void decide_map_count_read(struct engine_proc *p, struct engine_call *c);

/* The map-count model (decide_map_count_read, below): the common call, whose change cannot reach
 * the limit by the bound kept (maps_need_check), decided inline without a call (issue 13). Every
 * kind but a mapping reads the maps only when maps_need_check(p, 2) says so. */
static inline void decide_map_count(struct engine_proc *p, struct engine_call *c)
{
	c->map_exact = 0;
	c->map_err = 0;
	if (p->map_count_off || (c->kind != CK_MAP && !maps_need_check(p, 2)))
		return;
	decide_map_count_read(p, c);
}

/* A limit in bytes in the order of what it allows: -1 (unlimited) above every other. */
static unsigned long long limit_key(long long limit)
{
	return limit < 0 ? ~0ull : (unsigned long long)limit;
}

/* Pages a lock call would newly lock. Lock held. */
static void measure(struct engine_proc *p, const struct engine_call *c, struct demand *d)
{
	uintptr_t s, e;
	size_t already = 0;

	d->locked = tracker_locked_pages(p->tracker);
	d->charge = 0;
	d->total_vm = 0;
	switch (c->kind) {
	case CK_LOCK:
		if (page_range_lock(c->addr, c->len, p->page_size, &s, &e) == 0 && e > s) {
			tracker_query(p->tracker, s, e, &already);
			d->charge = (size_t)((e - s) >> page_shift(p->page_size)) - already;
		} else {
			/* An overflowing range: the kernel checks the limit with its wrapped count
			 * before it returns EINVAL (policy/pages.h). */
			d->charge = pages_in(c->addr, c->len, p->page_size);
		}
		break;
	case CK_MAP:
		d->charge = pages_in(0, c->len, p->page_size);
		break;
	case CK_LOCKALL:
		if (c->flags & MCL_CURRENT)
			d->total_vm = target_vm_size_bytes(p->fe, p->fe_ctx);
		break;
	default:
		break; /* not a lock call */
	}
}

/* Does every what-if with no refused call yet let lock call c through? By err_at's monotony
 * (decide, below), exactly when the smallest of their limits does: one evaluation, none when that
 * limit is the one in force, instead of the loop's tests per what-if (issue 13: the common lock
 * call, which every what-if lets through). The smallest limit is kept in p until whatif[]
 * changes. 1 too when every what-if has its refused call. */
static inline int whatif_all_pass(struct engine_proc *p, const struct engine_call *c, const struct demand *d)
{
	if (!p->whatif_floor_set) {
		unsigned long long min = ~0ull;
		int i;

		p->whatif_undecided = 0;
		for (i = 0; i < 4; i++)
			if (!p->whatif[i].call) {
				p->whatif_undecided = 1;
				if (limit_key(p->whatif[i].limit) < min)
					min = limit_key(p->whatif[i].limit);
			}
		p->whatif_floor = min == ~0ull ? -1 : (long long)min;
		p->whatif_floor_set = 1;
	}
	if (!p->whatif_undecided)
		return 1;
	if (p->whatif_floor == p->memlock_limit)
		return !c->limit_err;
	return !err_at(p, c, d, p->whatif_floor);
}

/* Inlined into engine_call_begin, its one caller: one frame per call, not two (issue 13). */
static inline __attribute__((always_inline)) int decide(struct engine_proc *p, struct engine_call *c)
{
	struct engine_frames cap;
	const struct engine_frames *f = c->frames;
	struct demand d;
	long long last;
	unsigned long long pass;
	int i, last_err, have_pass;

	if (!f) {
		p->fe->capture(p->fe_ctx, &cap);
		f = &cap;
	}
	p->fe->lock(p->fe_ctx);
	if (p->exited) {
		p->fe->unlock(p->fe_ctx);
		c->skip = 1;
		return 0;
	}
	c->skip = 0;
	c->stack = engine_stack_intern(p, f);
	c->limit_err = 0;
	c->unaligned = 0;
	c->map_err = 0;
	c->map_exact = 0;
	c->unwiped = c->unwiped_of = 0;
	__builtin_memset(c->whatif_err, 0, sizeof c->whatif_err); /* inline: -fno-builtin here */
	/* before the real call, under the lock: another thread's wipe check must not copy pages this
	 * call is about to make unreadable (readable.h) */
	if (c->kind != CK_LOCK && c->kind != CK_UNLOCK && c->kind != CK_LOCKALL)
		readable_before_call(p, c); /* locks do not change what reads: no call (issue 13) */
	if (c->kind == CK_UNLOCK || c->kind == CK_PROTECT || c->kind == CK_UNMAP) {
		c->call = 0;
		c->locked = 0;
		if (c->kind == CK_UNLOCK) {
			uintptr_t us, ue;
			if (page_range_lock(c->addr, c->len, p->page_size, &us, &ue) == 0 && ue > us)
				tracker_query(p->tracker, us, ue, &c->locked);
			/* release-unwiped: the bytes it names, read before they can be swapped out */
			if (c->addr + c->len > c->addr)
				c->unwiped = regions_unwiped(p, c->addr, c->addr + c->len, TRACK_LOCKED, 0,
							     &c->unwiped_of);
		} else if (c->kind == CK_UNMAP) {
			uintptr_t ue;
			/* ... and the whole pages munmap gives back, read before they are gone; but
			 * private anonymous memory exposes nothing: the kernel frees its pages and
			 * zero-fills any page before it maps it again, and unmapped pages are never
			 * swapped (mmap(2) MAP_ANONYMOUS: "initialized to zero") */
			if (page_up_checked(c->addr + c->len, p->page_size, &ue) == 0 && ue > c->addr) {
				c->unwiped = regions_unwiped(p, c->addr, ue, TRACK_LOCKED | TRACK_DONTDUMP, 0,
							     &c->unwiped_of);
				if (c->unwiped && maps_private_anon(p, c->addr, ue))
					c->unwiped = c->unwiped_of = 0;
			}
		}
		decide_map_count(p, c);
		p->fe->unlock(p->fe_ctx);
		return engine_enforcing(p) ? c->map_err : 0;
	}
	if (c->kind == CK_ADVISE) {
		c->call = 0;
		c->unaligned = !page_aligned(c->addr, p->page_size);
		if (!c->unaligned)
			decide_map_count(p, c);
		p->fe->unlock(p->fe_ctx);
		/* madvise(2): "EINVAL addr is not page-aligned" (mm/madvise.c checks it after the
		 * advice value, which gives EINVAL as well). */
		if (!engine_enforcing(p))
			return 0;
		return c->unaligned ? EINVAL : c->map_err;
	}
	if (c->kind == CK_MAP && !(c->flags & MAP_LOCKED) && !p->lockall_future) {
		c->call = 0; /* a mapping that locks nothing: no lock limit, only the map count */
		decide_map_count(p, c);
		p->fe->unlock(p->fe_ctx);
		return engine_enforcing(p) ? c->map_err : 0;
	}
	c->call = ++p->lock_calls;
	measure(p, c, &d);
	c->limit_err = err_at(p, c, &d, p->memlock_limit);
	/* err_at is a function of the limit for this call: a what-if at the limit in force (the
	 * fourth follows it, engine.c and memlock.c) or at the one before it is not evaluated again
	 * (issue 13: five evaluations per lock call). It is a monotone one too: a limit that lets the
	 * call through lets any larger one through, and unlimited (lockmodel.c: EPERM only at 0, then
	 * pages against limit / page size, or constant), so a what-if at or above a limit known to
	 * pass is not evaluated either: in the common case only the 32 KiB one is. */
	last = p->memlock_limit;
	last_err = c->limit_err;
	have_pass = !c->limit_err;
	pass = limit_key(p->memlock_limit);
	for (i = whatif_all_pass(p, c, &d) ? 4 : 0; i < 4; i++) {
		long long lim = p->whatif[i].limit;

		if (p->whatif[i].call)
			continue; /* that target failed earlier: the program would not be here */
		if (lim == p->memlock_limit) {
			c->whatif_err[i] = c->limit_err;
		} else if (have_pass && limit_key(lim) >= pass) {
			c->whatif_err[i] = 0;
		} else {
			if (lim != last) {
				last = lim;
				last_err = err_at(p, c, &d, last);
				if (!last_err && (!have_pass || limit_key(lim) < pass)) {
					have_pass = 1;
					pass = limit_key(lim);
				}
			}
			c->whatif_err[i] = last_err;
		}
		if (c->whatif_err[i]) {
			p->whatif[i].call = c->call;
			p->whatif_floor_set = 0;
		}
	}
	c->locked = d.locked;
	c->charge = c->kind == CK_LOCKALL ? d.total_vm / p->page_size : d.charge;
	/* the limit is checked before any VMA is touched (do_mlock, mlock_future_ok) */
	if (!c->limit_err)
		decide_map_count(p, c);
	p->fe->unlock(p->fe_ctx);
	if (!engine_enforcing(p))
		return 0;
	return c->limit_err ? c->limit_err : c->map_err;
}

/* errno is saved and restored: this runs before the real call, whose errno the caller must see
 * unchanged when it succeeds (the unwinder, the log writer and procfs reads may all set it). */
/* The map-count model (maps.h, policy/mapcount.h): would this flag change need more mappings
 * than the simulated vm.max_map_count? Lock held, c->map_exact and c->map_err 0, asked only when
 * decide_map_count cannot tell without the maps. Sets c->map_err to the kernel's errno for it:
 * EAGAIN from madvise (KERNEL.md, measured), ENOMEM from the others (mlock(2), mprotect(2),
 * munmap and mmap: mm/vma.c, mm/mmap.c). */
static void decide_map_count_read(struct engine_proc *p, struct engine_call *c)
{
	static struct maps_view mv; /* the lock is held */
	uintptr_t s, e;
	unsigned set = 0, clear = 0;
	int prot = -1;
	long after;

	if (c->kind == CK_ADVISE) {
		advice_effect(c->advice, &set, &clear);
		if ((!set && !clear) || page_range_advise(c->addr, c->len, p->page_size, &s, &e) != 0)
			return;
	} else if (c->kind == CK_LOCK || c->kind == CK_UNLOCK) {
		if (c->kind == CK_LOCK)
			set = TRACK_LOCKED;
		else
			clear = TRACK_LOCKED;
		if (page_range_lock(c->addr, c->len, p->page_size, &s, &e) != 0)
			return;
	} else if (c->kind == CK_PROTECT || c->kind == CK_UNMAP) {
		if (page_range_advise(c->addr, c->len, p->page_size, &s, &e) != 0)
			return; /* misaligned: the kernel's EINVAL, not a map-count matter */
		prot = c->kind == CK_PROTECT ? c->prot : -1;
	} else if (c->kind == CK_MAP) {
		/* do_mmap(): "if (mm->map_count > sysctl_max_map_count) return -ENOMEM" (note >) */
		if (!maps_need_check(p, 1) || maps_read(p, 0, 0, &mv) != 0)
			return;
		c->map_count = mv.count;
		if (mv.count > p->max_map_count)
			c->map_err = ENOMEM;
		return;
	} else {
		return;
	}
	if (e <= s || !maps_need_check(p, 2) || maps_read(p, s, e, &mv) != 0 || !mv.complete)
		return;
	c->map_count = mv.count;
	if (c->kind == CK_UNMAP) {
		/* unmapping the inside of one VMA leaves two: the only munmap that adds a mapping,
		 * and the only one checked (vms_gather_munmap_vmas, mm/vma.c) */
		size_t i;
		for (i = 0; i < mv.n; i++)
			if (mv.v[i].start < s && e < mv.v[i].end && mv.count >= p->max_map_count)
				c->map_err = ENOMEM;
		return; /* how many it removes is not modelled: the count stays a bound */
	}
	c->map_exact = 1;
	if (mapcount_change(mv.v, mv.n, s, e, set, clear, prot, mv.count, p->max_map_count, &after))
		c->map_err = c->kind == CK_ADVISE ? EAGAIN : ENOMEM;
	c->map_after = after;
}

int engine_call_begin(struct engine_proc *p, struct engine_call *c)
{
	int saved = errno, r = decide(p, c);

	errno = saved;
	return r;
}

/* "64 KiB", "8 MiB", "4095 bytes", "unlimited" */
static const char *human(long long bytes, char *buf, size_t cap)
{
	if (bytes < 0)
		snprintf(buf, cap, "unlimited");
	else if (bytes && bytes % (1 << 20) == 0)
		snprintf(buf, cap, "%lld MiB", bytes >> 20);
	else if (bytes && bytes % 1024 == 0)
		snprintf(buf, cap, "%lld KiB", bytes >> 10);
	else
		snprintf(buf, cap, "%lld bytes", bytes);
	return buf;
}

/* The message of a heap rule made on every call of a kind, a pure function of one input: the
 * call's name (a string constant, so its address says which) or its advice. Built once per input
 * and kept, as regions_judge_unwiped keeps its text (issue 13: ~300 bytes copied per call). Shared
 * by every process of a tracer; the lock is held. */
struct kept_msg {
	const char *key; /* NULL: not made yet */
	uint64_t gen;    /* msg_generation of text */
	char text[320];
};

static const struct kept_msg *lock_heap_msg(const char *op)
{
	static struct kept_msg k;
	struct msg m;

	if (k.key != op) {
		msg_init(&m, k.text, sizeof k.text);
		msg_str(&m, op);
		msg_str(&m, " of malloc heap memory: whole pages are locked, shared with other objects and allocator metadata, and free() does not unlock them; take secrets from one locked pool instead (sodium_malloc, OPENSSL_secure_malloc, or a dedicated mmap region)");
		k.key = op;
		k.gen = msg_generation();
	}
	return &k;
}

static const struct kept_msg *advise_heap_msg(int advice)
{
	static struct kept_msg k[2]; /* MADV_DONTDUMP, MADV_DODUMP */
	struct kept_msg *x = &k[advice != MADV_DONTDUMP];
	struct msg m;

	if (!x->key) {
		msg_init(&m, x->text, sizeof x->text);
		msg_str(&m, advice == MADV_DONTDUMP ? "madvise(MADV_DONTDUMP)" : "madvise(MADV_DODUMP)");
		msg_str(&m, " on malloc heap memory: the advice covers whole pages, outlives free() and ");
		msg_str(&m, advice == MADV_DONTDUMP ? "hides" : "exposes");
		msg_str(&m, " the neighbours on them; use a dedicated mmap region");
		x->key = "made";
		x->gen = msg_generation();
	}
	return x;
}

/* The heap rules of a lock, unlock or advice call. Lock held. */
static void judge_heap(struct engine_proc *p, const struct engine_call *c, int ok)
{
	uintptr_t s, e;
	char msg[320];
	const struct kept_msg *k;

	if (c->kind == CK_UNLOCK) {
		if (ok && c->locked == 0 && page_range_lock(c->addr, c->len, p->page_size, &s, &e) == 0 && e > s) {
			snprintf(msg, sizeof msg,
				 "munlock(%zu bytes) of pages that are not locked: a lock it was meant to undo never happened, or another munlock undid it already",
				 c->len);
			finding(p, RULE_UNLOCK_UNLOCKED, p->seq, c->stack, 0, msg);
		}
		return;
	}
	if (c->kind == CK_LOCK) {
		/* the pages of a page-aligned block that covers them hold nothing else: not shared */
		if (page_range_lock(c->addr, c->len, p->page_size, &s, &e) != 0 || e <= s ||
		    !heap_contains(p, c->addr, s, e) || alignwaste_block_covers(p, s, e))
			return;
		k = lock_heap_msg(c->op);
		finding_kept(p, RULE_LOCK_HEAP, p->seq, c->stack, 0, k->text, k->gen);
		return;
	}
	if (c->kind != CK_ADVISE || strcmp(c->op, "madvise") != 0 ||
	    page_range_advise(c->addr, c->len, p->page_size, &s, &e) != 0 || e <= s)
		return;
	switch (c->advice) {
	case MADV_DONTFORK:
#ifdef MADV_WIPEONFORK
	case MADV_WIPEONFORK:
#endif
		if (!heap_contains(p, c->addr, s, e))
			return;
		snprintf(msg, sizeof msg,
			 "madvise(%s) on malloc heap memory: the child of a fork gets %s allocator pages and its malloc breaks; use a dedicated mmap region",
			 c->advice == MADV_DONTFORK ? "MADV_DONTFORK" : "MADV_WIPEONFORK",
			 c->advice == MADV_DONTFORK ? "no" : "zeroed");
		finding(p, RULE_FORK_ADVISE_HEAP, p->seq, c->stack, 0, msg);
		break;
	case MADV_DONTDUMP:
	case MADV_DODUMP:
		if (!heap_contains(p, c->addr, s, e))
			return;
		k = advise_heap_msg(c->advice);
		finding_kept(p, RULE_ADVISE_HEAP, p->seq, c->stack, 0, k->text, k->gen);
		break;
	}
}

/* Write the findings of a finished call. Lock held, the event just written (p->seq is its seq). */
static void judge(struct engine_proc *p, const struct engine_call *c, int ok, int err, int injected, uintptr_t result)
{
	char msg[512], lim[32], en[32];

	if (c->limit_err) {
		snprintf(msg, sizeof msg,
			 "%s(%zu bytes) fails with %s for a process without CAP_IPC_LOCK at RLIMIT_MEMLOCK %s: %zu pages locked, this call adds %zu, the limit is %zu%s",
			 c->op, c->len, errno_name(c->limit_err, en, sizeof en),
			 human(p->memlock_limit, lim, sizeof lim), c->locked, c->charge,
			 lockmodel_limit_pages(p->memlock_limit, p->page_size),
			 injected ? " (memaudit refused it)" : ok ? " (the real call was let through)" : " (the kernel refused it)");
		finding(p, RULE_LOCK_LIMIT, p->seq, c->stack, 0, msg);
	}
	if (c->unaligned) {
		snprintf(msg, sizeof msg,
			 "%s(%#lx, %zu): start is not aligned to the %zu-byte page: the kernel returns EINVAL and applies no advice",
			 c->op, (unsigned long)c->addr, c->len, p->page_size);
		finding(p, RULE_ADVISE_UNALIGNED, p->seq, c->stack, 0, msg);
	}
	if (c->map_err) {
		snprintf(msg, sizeof msg,
			 "%s(%zu bytes) needs more mappings than vm.max_map_count %ld allows (the process has %ld): the kernel fails it with %s%s",
			 c->op, c->len, p->max_map_count, c->map_count, errno_name(c->map_err, en, sizeof en),
			 injected ? " (memaudit refused it)" : "; later calls are not checked for it");
		finding(p, RULE_MAP_COUNT, p->seq, c->stack, 0, msg);
		/* passed through, the process now has more mappings than the target allows: every
		 * later change would be over it too, and each check reads all of /proc/self/maps */
		if (!injected)
			p->map_count_off = 1;
	}
	judge_heap(p, c, ok);
	if (ok && c->unwiped)
		regions_judge_unwiped(p, c->op, c->stack, c->unwiped, c->unwiped_of);
	regions_after_call(p, c, ok, result);
	if (!ok && (c->kind == CK_LOCK || c->kind == CK_LOCKALL || c->kind == CK_ADVISE)) {
		snprintf(msg, sizeof msg, "%s(%zu bytes) failed with %s%s: that protection is not in effect",
			 c->op, c->len, errno_name(err, en, sizeof en), injected ? " (injected by memaudit)" : "");
		finding(p, RULE_CALL_FAILED, p->seq, c->stack, 0, msg);
	}
}

void engine_call_end(struct engine_proc *p, struct engine_call *c, int ok, int err, int injected,
		     uintptr_t result)
{
	struct event ev;
	int i;

	if (c->skip)
		return;
	p->fe->lock(p->fe_ctx);
	if (p->exited) {
		p->fe->unlock(p->fe_ctx);
		return;
	}
	/* Every field named, the zeros too: with a member left out, gcc clears the whole struct
	 * first (176 bytes, `rep stosq` on x86-64: 27 instructions and a slow start per call, issue
	 * 13) before it stores the rest; named, it stores each once, the zeros 16 bytes at a time.
	 * A member added to struct event and not named here is still zero, only slower. */
	ev = (struct event){
		.op = c->op, .via_syscall = c->via, .ok = ok, .err = err, .stack = c->stack, .keys = 0,
		.addr = 0, .len = 0, .new_len = 0, .flags = 0, .advice = 0, .prot = 0, .fd = 0, .child = 0,
		.result = 0, .pages = 0, .charged = 0, .unlocked = 0, .locked_pages = 0, .locked_bytes = 0,
		.attrs = 0, .injected = injected, .target_refused = ok && c->limit_err, .call = c->call,
		.map_count = 0,
	};
	rec_batch_begin(p);
	switch (c->kind) {
	case CK_LOCK:
		apply_lock(p, &ev, c->addr, c->len, c->has_flags, c->flags);
		break;
	case CK_LOCKALL:
		apply_lockall(p, &ev, (int)c->flags);
		break;
	case CK_MAP:
		apply_mmap(p, &ev, c->addr, c->len, c->prot, (int)c->flags, c->fd, result);
		break;
	case CK_ADVISE:
		apply_advice(p, &ev, c->addr, c->len, c->advice);
		break;
	case CK_UNLOCK:
		apply_unlock(p, &ev, c->addr, c->len);
		break;
	case CK_PROTECT:
		apply_protect(&ev, c->addr, c->len, c->prot);
		break;
	case CK_UNMAP:
		apply_unmap(p, &ev, c->addr, c->len);
		break;
	}
	if (c->map_exact)
		ev.keys |= EV_MAP_COUNT;
	ev.map_count = c->map_exact ? (injected || !ok ? c->map_count : c->map_after) : 0;
	if (c->map_exact)
		maps_update(p, injected || ok, ev.map_count, 2);
	else if (ok && (c->kind == CK_MAP || c->kind == CK_UNMAP))
		maps_update(p, 0, 0, 1);
	else if (ok && c->kind != CK_LOCKALL)
		maps_update(p, 0, 0, 2);
	apply_commit(p, &ev);
	if (c->whatif_err[0] | c->whatif_err[1] | c->whatif_err[2] | c->whatif_err[3]) /* rarely */
		for (i = 0; i < 4; i++)
			if (c->whatif_err[i])
				rec_whatif(p, p->whatif[i].limit, c->call, p->seq, c->stack, c->whatif_err[i]);
	judge(p, c, ok, err, injected, result);
	rec_batch_end(p);
	p->fe->unlock(p->fe_ctx);
}
