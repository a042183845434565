/* freegap.c: see freegap.h. */
#include "config.h"

#pragma GCC visibility push(hidden)
#include "freegap.h"
#include "heapblocks.h"
#include "policy/engine/events.h"
#pragma GCC visibility pop

__thread struct freegap shim_freegap __attribute__((tls_model("initial-exec")));

#define FREEGAP_STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

int freegap_untracked(const void *p, size_t usable)
{
	uintptr_t lo, hi;
	unsigned long gen;

	if (!engine_free_gap(shim_proc(), (uintptr_t)p, &lo, &hi, &gen) || usable > hi - (uintptr_t)p)
		return 0;
	if (!((uintptr_t)p & heapblocks_glibc))
		return 1;
	if (lo < 4096)
		lo = 4096; /* never NULL's neighbourhood: the check reads the word before the block */
	FREEGAP_STORE(shim_freegap.gen, FREEGAP_NONE);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	FREEGAP_STORE(shim_freegap.seq, shim_freegap.seq + 1);
	FREEGAP_STORE(shim_freegap.lo, lo);
	FREEGAP_STORE(shim_freegap.hi, hi);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	FREEGAP_STORE(shim_freegap.gen, gen);
	return 1;
}
