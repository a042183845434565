/* guard.h: the one re-entrancy guard shared by every wrapper, malloc and mman families alike.
 *
 * While a thread runs shim code (resolving symbols, unwinding, updating the tracker, writing the
 * log) its guard is set. Any wrapped call made in that time (the unwinder or dlsym calling malloc, a
 * signal handler calling mlock) bypasses auditing: allocations go to the shim's own arena, mman
 * calls go straight to libc. Without one guard across both families an mmap wrapper can deadlock
 * against a malloc wrapper (jemalloc issue #329).
 *
 * initial-exec TLS: the shim is preloaded, so its TLS block is static and reading it never calls
 * __tls_get_addr (which may allocate).
 */
#ifndef MEMAUDIT_SHIM_GUARD_H
#define MEMAUDIT_SHIM_GUARD_H

extern __thread int shim_in_guard __attribute__((tls_model("initial-exec")));

/* Enter the guard; returns the previous value, to be handed to guard_leave(). */
static inline int guard_enter(void)
{
	int prev = shim_in_guard;
	shim_in_guard = 1;
	return prev;
}

static inline void guard_leave(int prev)
{
	shim_in_guard = prev;
}

static inline int guard_held(void)
{
	return shim_in_guard;
}

#define SHIM_EXPORT __attribute__((visibility("default")))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#endif
