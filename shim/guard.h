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
#ifdef HAVE_SYS_SINGLE_THREADED_H
#include <sys/single_threaded.h>
#endif

#define SHIM_EXPORT __attribute__((visibility("default")))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* The guard's per-thread state, in one TLS object (struct shim_guard_tls, below): a function
 * reaches every field from one load of its offset from the GOT, where separate variables took one
 * load each (issue 13: a wrapper's two guards loaded four). These names are its fields. */
#define shim_in_guard (shim_guard_tls.in)
#define shim_guard_cancel_skip (shim_guard_tls.cancel_skip)
#define shim_guard_cancel_taken (shim_guard_tls.cancel_taken)
#define shim_guard_cancel (shim_guard_tls.cancel)
#define shim_guard_cancel_off (shim_guard_tls.cancel_off)

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

/* Cancellation left alone (issue 13: the two calls were 264 instructions of the lock loop's 7,088).
 * In a process with one thread, no clone(2) child and no pthread_cancel call made so far, no
 * cancellation request exists and none can come but from this thread: glibc (2.36,
 * nptl/pthread_cancel.c) sets one only from pthread_cancel, and from its SIGCANCEL handler, which
 * pthread_cancel installs and which acts only on a signal from this process (si_pid, SI_TKILL);
 * pthread_create and pthread_cancel (deferred) clear __libc_single_threaded, nothing sets it again
 * (not even fork: objdump of libc.so.6), and the clone(2) wrappers set shim_forked (selfpid.h).
 * The one call that can come while a guard is held is pthread_cancel from a signal handler that
 * interrupted the shim (not async-signal-safe, but glibc does it): its wrapper (real.c) first turns
 * cancellation off for the rest of that guard, as guard_enter would have, when the guard left it
 * alone (shim_guard_cancel_skip). Whoever turns it off sets shim_guard_cancel_taken (the state
 * saved in shim_guard_cancel, put back by guard_leave); the guard clears _skip before it looks at
 * _taken, so that the two never both turn it off. A thread made by clone(2) by inline assembly is
 * not seen (selfpid.h). */
extern int shim_cancel_used __attribute__((visibility("hidden"))); /* real.c: pthread_cancel called */
extern int shim_forked __attribute__((visibility("hidden")));      /* selfpid.h */

/* No other thread: none made by pthread_create (glibc clears __libc_single_threaded at the first,
 * nptl/pthread_create.c, and never sets it again) nor by clone(2) or syscall(SYS_clone, ...)
 * (their wrappers set shim_forked; x86_64 only, elsewhere they are not wrapped). The answer holds
 * until this thread makes one: never from inside the shim, nor from a signal handler
 * (pthread_create and clone are not async-signal-safe, signal-safety(7)). */
static inline int shim_one_thread(void)
{
#if defined(HAVE_SYS_SINGLE_THREADED_H) && defined(__x86_64__)
	return __libc_single_threaded && !__atomic_load_n(&shim_forked, __ATOMIC_RELAXED);
#else
	return 0;
#endif
}

static inline int cancel_cannot_come(void)
{
	return shim_one_thread() && !__atomic_load_n(&shim_cancel_used, __ATOMIC_RELAXED);
}

/* What the outermost guard_enter() of this thread saved. */
/* Set while the outermost guard has cancellation off, or left it alone (above), between its entry
 * and its leave:
 * the state and arena locks taken inside then leave it alone (init.c, state_lock; arena.c, lock_in;
 * issue 13: those were four more libc calls per lock, which only saved and put back "off").
 * GUARD_ALONE: left alone, because the process had one thread (and no cancel): it still has one
 * until the guard is left (shim_one_thread), which the state lock need not ask again. */
#define GUARD_CANCEL_OFF 1
#define GUARD_ALONE 2

struct shim_guard_tls {
	int in;                     /* shim_in_guard: the guard is held */
	int cancel_skip, cancel_taken, cancel_off;
	struct cancel_saved cancel; /* shim_guard_cancel */
};
extern __thread struct shim_guard_tls shim_guard_tls __attribute__((tls_model("initial-exec")));

/* The outermost guard's cancellation off, unless already (_skip cleared: above). */
static inline void guard_cancel_take(void)
{
	struct cancel_saved c;

	shim_guard_cancel_skip = 0;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (!shim_guard_cancel_taken) {
		cancel_off(&c);
		shim_guard_cancel = c;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		shim_guard_cancel_taken = 1;
	}
}

/* Enter the guard; returns the previous value, to be handed to guard_leave(). The outermost entry
 * also turns cancellation off (above), unless it cannot come. The guard is set before that, so
 * that a signal handler that interrupts this sequence sees the guard held and leaves the saved
 * state alone (a cancellation in that window ends the thread holding nothing). */
static inline int guard_enter(void)
{
	int prev = shim_in_guard;

	shim_in_guard = 1;
	if (!prev) {
		/* _skip before the test: a pthread_cancel in between either finds it set, or comes
		 * before the test and makes it fail (above) */
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		shim_guard_cancel_skip = 1;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		if (likely(cancel_cannot_come())) {
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			shim_guard_cancel_off = GUARD_ALONE;
		} else {
			guard_cancel_take();
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			shim_guard_cancel_off = GUARD_CANCEL_OFF;
		}
	}
	return prev;
}

static inline void guard_leave(int prev)
{
	if (!prev) {
		shim_guard_cancel_off = 0;
		shim_guard_cancel_skip = 0;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		if (shim_guard_cancel_taken) {
			struct cancel_saved c = shim_guard_cancel;
			shim_guard_cancel_taken = 0;
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			cancel_restore(&c);
		}
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	}
	shim_in_guard = prev;
}

static inline int guard_held(void)
{
	return shim_in_guard;
}

#endif
