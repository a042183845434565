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

#include <pthread.h>

extern __thread int shim_in_guard __attribute__((tls_model("initial-exec")));

/* Cancellation while inside the shim. A thread with asynchronous cancellation enabled can be
 * cancelled at any instruction (pthread_cancel(3)); cancelled inside the shim, it would leave a lock
 * held (the next fork then hangs) or the guard's work half done. So the shim turns cancellation off
 * for as long as the guard is held, with the two calls POSIX lists as async-cancel-safe
 * (pthread_cancel(3), "Asynchronous cancelability"): first the type to deferred, then the state to
 * disabled; on leaving, the state back, then the type. The order matters with glibc 2.36: a
 * cancellation request that arrived meanwhile is acted on by whichever call re-enables it, and
 * pthread_setcancelstate then ends the thread without setting its exit value (pthread_join returns
 * NULL, not PTHREAD_CANCELED: tests/robust/cancel_async.sh), whereas pthread_setcanceltype sets it.
 *
 * That is not enough for a thread whose type was asynchronous. pthread_cancel sends such a thread
 * glibc's cancellation signal when it sees it asynchronous; the signal can arrive after the shim
 * turned cancellation off, in a system call that is a cancellation point (write(2) of a record:
 * glibc makes the type asynchronous around it), where glibc 2.36's handler looks at the type only
 * and ends the thread with the state lock held (seen with gdb: 3 of 100 runs hung). Blocking the
 * signal does not help: glibc's cancellation points then wait for it for ever. So before turning
 * the state off, such a thread settles any request in flight (real.c, shim_cancel_settle): one
 * cancellation-point system call, which returns only once a signal already sent has been handled,
 * then pthread_testcancel, which ends the thread there, holding nothing, with PTHREAD_CANCELED.
 * After that no signal can be sent to it (the type is deferred, then the state disabled). One
 * system call, only for threads with asynchronous cancellation; none otherwise. */
struct cancel_saved {
	int state, type;
};

/* real.c: act on a cancellation request already sent to this thread (see above). */
void shim_cancel_settle(void);

/* real.c: libc's own two functions, not a sanitizer's interceptors of them; NULL until resolved,
 * or when they cannot be found (cancellation is then left alone). */
typedef int cancel_fn(int, int *);
extern cancel_fn *shim_setcanceltype, *shim_setcancelstate;
void shim_cancel_resolve(void);

static inline void cancel_off(struct cancel_saved *c)
{
	if (!shim_setcancelstate)
		shim_cancel_resolve();
	if (!shim_setcancelstate) {
		c->type = -1;
		return;
	}
	shim_setcanceltype(PTHREAD_CANCEL_DEFERRED, &c->type);
	if (c->type == PTHREAD_CANCEL_ASYNCHRONOUS)
		shim_cancel_settle();
	shim_setcancelstate(PTHREAD_CANCEL_DISABLE, &c->state);
}

static inline void cancel_restore(const struct cancel_saved *c)
{
	if (c->type == -1)
		return;
	shim_setcancelstate(c->state, NULL);
	/* back to deferred, the type cancel_off left, changes nothing: glibc's setcanceltype only
	 * swaps the bit (and acts on a request when it makes the type asynchronous), so the call is
	 * left out (issue 13: one libc call per wrapper) */
	if (c->type != PTHREAD_CANCEL_DEFERRED)
		shim_setcanceltype(c->type, NULL);
}

/* What the outermost guard_enter() of this thread saved. */
extern __thread struct cancel_saved shim_guard_cancel __attribute__((tls_model("initial-exec")));
/* Set while the outermost guard has cancellation off (between its cancel_off and cancel_restore):
 * the state and arena locks taken inside then leave it alone (init.c, state_lock; arena.c, lock_in;
 * issue 13: those were four more libc calls per lock, which only saved and put back "off"). */
extern __thread int shim_guard_cancel_off __attribute__((tls_model("initial-exec")));

/* Enter the guard; returns the previous value, to be handed to guard_leave(). The outermost entry
 * also turns cancellation off (above). The guard is set before that, so that a signal handler that
 * interrupts this sequence sees the guard held and leaves the saved state alone (a cancellation
 * in that window ends the thread holding nothing). */
static inline int guard_enter(void)
{
	int prev = shim_in_guard;
	struct cancel_saved c;

	shim_in_guard = 1;
	if (!prev) {
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		cancel_off(&c);
		shim_guard_cancel = c;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		shim_guard_cancel_off = 1;
	}
	return prev;
}

static inline void guard_leave(int prev)
{
	if (!prev) {
		struct cancel_saved c = shim_guard_cancel;
		shim_guard_cancel_off = 0;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		cancel_restore(&c);
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	}
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
