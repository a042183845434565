/* arena.h: the shim's private allocator.
 *
 * Everything the shim keeps (tracker nodes, interned stacks, module names) and every allocation made
 * while a thread holds the guard (dlsym, the unwinder, glibc's atexit/atfork bookkeeping) comes from
 * here, never from the application's heap: the application's heap layout is what it would be
 * without the shim. Memory is a static bootstrap pool (used until mmap has been resolved) and then
 * anonymous mappings obtained with the real mmap.
 *
 * Thread-safe (one internal lock). A signal handler that interrupts this thread inside the arena
 * (possible: handlers that interrupt the shim allocate here) never waits on that lock: see arena.c.
 */
#ifndef MEMAUDIT_SHIM_ARENA_H
#define MEMAUDIT_SHIM_ARENA_H

#include <stddef.h>
#include <stdint.h>

void *arena_malloc(size_t size);
void *arena_calloc(size_t n, size_t size);
void *arena_realloc(void *p, size_t size);
/* alignment: a power of two. */
void *arena_memalign(size_t alignment, size_t size);
void arena_free(void *p);
size_t arena_usable_size(void *p);

/* The static pools (boot and signal), and bounds around them and every mapping of the arena
 * (they only widen, with relaxed stores: arena.c), read by the inline test below. */
#define ARENA_POOLS (512 * 1024)
extern char arena_pools[ARENA_POOLS] __attribute__((visibility("hidden")));
extern char *arena_owned_lo __attribute__((visibility("hidden"))),
	*arena_owned_hi __attribute__((visibility("hidden")));

/* May p have been returned by this arena? 0: certainly not. Inline, one compare: the free() fast
 * path tests it for every pointer. The bounds hold the pools (in this library's bss) and the
 * arena's mappings, which are made below the libraries at start-up: what lies between is the
 * libraries, rarely a heap block ("maybe": arena_owns_mapped answers). Bounds read while a
 * mapping is added may be one old, one new: the span then still holds every older block. */
static inline int arena_may_own(const void *p)
{
	uintptr_t a = (uintptr_t)p, lo = (uintptr_t)__atomic_load_n(&arena_owned_lo, __ATOMIC_RELAXED);

	return __builtin_expect(a - lo < (uintptr_t)__atomic_load_n(&arena_owned_hi, __ATOMIC_RELAXED) - lo, 0);
}

/* arena_owns() after arena_may_own(): is p in one of the arena's mappings (or a pool)? */
int arena_owns_mapped(const void *p);

/* True when p was returned by this arena. */
static inline int arena_owns(const void *p)
{
	return arena_may_own(p) && arena_owns_mapped(p);
}

/* Callbacks for policy/tracker.h's struct tracker_alloc. */
void *arena_alloc_cb(size_t size, void *ctx);
void arena_free_cb(void *p, size_t size, void *ctx);

/* fork: the prepare handler takes the arena lock (returns 1; 0 when fork was called by a signal
 * handler, reentered, that interrupted this thread inside the arena), the parent releases it, the
 * child re-creates it; both are told whether prepare took it. */
int arena_fork_prepare(int reentered);
void arena_fork_parent(int taken);
void arena_reinit_child(int taken);

#endif
