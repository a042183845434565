/* events.h: what the engine records about the audited calls that the policy does not decide on
 * (those go through call.h), after the real call returned.
 *
 * Each function captures the caller's stack (outside the lock), then under the lock interns
 * it, updates the page tracker with what the kernel did (only successful calls change state), and
 * writes the event record. errno is the caller's business: wrappers save and restore it.
 * `via` is 1 when the call came through syscall(2).
 */
#ifndef MEMAUDIT_ENGINE_EVENTS_H
#define MEMAUDIT_ENGINE_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy/engine/proc.h"

void engine_munlockall(struct engine_proc *p, int via, int ret, int err);
void engine_mremap(struct engine_proc *p, void *old, size_t old_len, size_t new_len, int flags,
		   void *result, int err);
void engine_memfd_secret(struct engine_proc *p, unsigned flags, long ret, int err);
void engine_fork(struct engine_proc *p, pid_t child, int err);

/* Might the heap block at blk (of usable size n) lie on tracked pages (p->track_lo/hi: nothing is
 * tracked outside them)? Cheap, lock-free: the free()/realloc() fast path. */
static inline int engine_may_overlap(const struct engine_proc *p, const void *blk, size_t n)
{
	uintptr_t a = (uintptr_t)blk;
	uintptr_t hi = __atomic_load_n(&p->track_hi, __ATOMIC_RELAXED);

	return a < hi && a + n > __atomic_load_n(&p->track_lo, __ATOMIC_RELAXED);
}

/* The untracked pages around addr, for a per-thread cache of the free() filter: 1 with
 * [*lo, *hi) holding no tracked page and *gen the generation (p->track_gen) it holds for, 0 when
 * addr is on a tracked page or nothing is to be cached. Takes the lock. */
int engine_free_gap(struct engine_proc *p, uintptr_t addr, uintptr_t *lo, uintptr_t *hi,
		    unsigned long *gen);

/* free() or realloc() of a heap block that may overlap tracked pages (engine_may_overlap): records
 * the event when it does, with its stack. Call before the real call. Returns 1 when it recorded. */
int engine_release(struct engine_proc *p, const char *op, void *blk, size_t usable, size_t new_len);

#endif
