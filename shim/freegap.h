/* freegap.h: each thread's cache of the untracked pages around the last block it freed, for the
 * free() filter (issue 13).
 *
 * free() goes straight to glibc when the block lies outside [track_lo, track_hi), the span of all
 * tracked pages (alloc.c). When tracked pages are spread (one locked page below the thread heaps,
 * one above), every block lies inside that span, and without this cache every free() would take
 * the state lock to ask the tracker. The cache holds the largest range of untracked pages around a
 * block this thread freed ([lo, hi), from the tracker under the lock, once per miss: a miss costs
 * the one lock it cost before, engine_release taking it only for a block on tracked pages) and the
 * generation it holds for (track_gen, moved by every change of the tracker): a block whose chunk
 * lies inside it, freed while the generation stays, carries no tracked page. Per thread, read and
 * written by its own thread only: no lock, no shared write; filled only for glibc's allocator (the
 * chunk's size word bounds the block).
 *
 * A signal handler may free (and fill) in the middle of a check, or check in the middle of a
 * fill: a fill first sets gen to FREEGAP_NONE (no generation), then moves seq, writes the range,
 * and sets gen last; a check reads seq first and last, gen after the range: it trusts a range
 * only when neither moved (the signal fences keep the compiler's order; the thread's own stores
 * are seen in program order). A fill runs under the guard, entered by a free() from outside the
 * shim (guard.h): a free() in a handler that interrupts a fill fills nothing.
 */
#ifndef MEMAUDIT_SHIM_FREEGAP_H
#define MEMAUDIT_SHIM_FREEGAP_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

#define FREEGAP_NONE (~0UL)

struct freegap {
	unsigned long seq;   /* moved by every fill */
	uintptr_t lo, hi;    /* no tracked page in [lo, hi) */
	unsigned long gen;   /* the generation of track_gen it holds for; FREEGAP_NONE while filling */
	int tracked_last;    /* the last miss was a block on tracked pages (alloc.c, release_tracked) */
};

extern __thread struct freegap shim_freegap __attribute__((tls_model("initial-exec")));

#define FREEGAP_LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

/* Is the block p (glibc's: the cache is filled for no other allocator) on untracked pages? From
 * its start to its chunk's size past it (more than its usable bytes) inside the cached range, at
 * the current generation. */
static inline int freegap_hit(const void *p)
{
	uintptr_t a = (uintptr_t)p, hi;
	unsigned long s = FREEGAP_LOAD(shim_freegap.seq), g;

	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	hi = FREEGAP_LOAD(shim_freegap.hi);
	if (a >= hi || a < FREEGAP_LOAD(shim_freegap.lo) || (((const size_t *)p)[-1] & ~(size_t)7) > hi - a)
		return 0;
	g = FREEGAP_LOAD(shim_freegap.gen);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return g == __atomic_load_n(&shim_proc()->track_gen, __ATOMIC_RELAXED) &&
	       s == FREEGAP_LOAD(shim_freegap.seq);
}

/* Does the block p (usable bytes from it) lie on untracked pages? Asks the engine, under its lock
 * (engine_free_gap); when it does, a block of glibc's has the range around it cached. Returns 1
 * then: the block carries no tracked attribute, engine_release would find nothing. Inside the
 * guard, auditing. */
int freegap_untracked(const void *p, size_t usable);

#endif
