/* selfpid.c: see selfpid.h. */
#include "config.h"

#include <unistd.h>
#if defined(__has_include) && __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>
#define HAVE_SINGLE_THREADED 1
#endif

#include "guard.h"
#include "selfpid.h"

int shim_forked;

/* The pid, 0 until read; forks in progress (between prepare and parent or child). */
static pid_t cached;
static int forking;
/* Bumped whenever the process stores its pid: the thread-id caches of the threads a fork copied
 * are older than their process (one of them even of an ancestor whose pid a descendant may get
 * back). */
static unsigned epoch;

static __thread pid_t tid_cached, tid_pid __attribute__((tls_model("initial-exec")));
static __thread unsigned tid_epoch __attribute__((tls_model("initial-exec")));

static int trusted(void)
{
	/* x86_64 only: elsewhere vfork() and clone() are not wrapped (process.c) */
#if defined(__x86_64__)
	return !__atomic_load_n(&shim_forked, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&forking, __ATOMIC_ACQUIRE);
#else
	return 0;
#endif
}

pid_t shim_pid(void)
{
	pid_t pid;

	if (unlikely(!trusted()))
		return getpid();
	pid = __atomic_load_n(&cached, __ATOMIC_RELAXED);
	if (likely(pid))
		return pid;
	pid = getpid();
	if (trusted()) {
		__atomic_add_fetch(&epoch, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&cached, pid, __ATOMIC_RELAXED);
	}
	return pid;
}

void selfpid_fork_prepare(void)
{
	__atomic_add_fetch(&forking, 1, __ATOMIC_SEQ_CST);
}

void selfpid_fork_parent(void)
{
	__atomic_sub_fetch(&forking, 1, __ATOMIC_SEQ_CST);
}

void selfpid_child(pid_t pid)
{
	__atomic_add_fetch(&epoch, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&cached, pid, __ATOMIC_RELAXED);
	/* the one thread of the child: no other fork is in progress here */
	__atomic_store_n(&forking, 0, __ATOMIC_SEQ_CST);
}

pid_t shim_tid(void)
{
	pid_t pid;
	unsigned e = __atomic_load_n(&epoch, __ATOMIC_RELAXED);

	/* The cache trusted and the epoch the one this thread's id was read in: no pid was stored
	 * since (every store bumps the epoch), so the pid it was read for is still the process's, and
	 * it need not be asked (a forked child's epoch is past its parent's: its thread, whose TLS it
	 * copied, reads its id again; vfork and clone make the cache untrusted for good). Issue 13:
	 * asked on every audited call. */
	if (likely(tid_cached && tid_epoch == e && trusted()))
		return tid_cached;
	pid = shim_pid();
	e = __atomic_load_n(&epoch, __ATOMIC_RELAXED);

	if (unlikely(tid_pid != pid || tid_epoch != e || !tid_cached)) {
		tid_cached = gettid();
		tid_pid = pid;
		tid_epoch = e;
	}
	return tid_cached;
}

int shim_alone(void)
{
#ifdef HAVE_SINGLE_THREADED
	return __libc_single_threaded && trusted();
#else
	return 0;
#endif
}
