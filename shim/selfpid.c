/* selfpid.c: see selfpid.h. */
#include "config.h"

#include <sys/mman.h>
#include <unistd.h>

#include "guard.h"
#include "real.h"
#include "selfpid.h"

int shim_vm_child;

/* The page: its first word is the pid, 0 until read in this process. NULL: no cache. */
static pid_t *cache;
/* Bumped whenever a process stores its pid in the page: the thread-id caches of the threads a
 * fork copied are older than their process (one of them even of an ancestor whose pid a
 * descendant may get back). */
static unsigned epoch;

static __thread pid_t tid_cached, tid_pid __attribute__((tls_model("initial-exec")));
static __thread unsigned tid_epoch __attribute__((tls_model("initial-exec")));

void selfpid_setup(void)
{
#if defined(MADV_WIPEONFORK) && defined(__x86_64__) /* vfork is wrapped on x86_64 only */
	void *pg = real.mmap(NULL, (size_t)real.sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (pg == MAP_FAILED)
		return;
	if (real.madvise(pg, (size_t)real.sysconf(_SC_PAGESIZE), MADV_WIPEONFORK) != 0) {
		real.munmap(pg, (size_t)real.sysconf(_SC_PAGESIZE));
		return;
	}
	__atomic_store_n(&cache, (pid_t *)pg, __ATOMIC_RELEASE);
#endif
}

static void store(pid_t pid)
{
	__atomic_add_fetch(&epoch, 1, __ATOMIC_RELAXED);
	__atomic_store_n(cache, pid, __ATOMIC_RELAXED);
}

pid_t shim_pid(void)
{
	pid_t *c = __atomic_load_n(&cache, __ATOMIC_ACQUIRE), pid;

	if (unlikely(!c || __atomic_load_n(&shim_vm_child, __ATOMIC_RELAXED)))
		return getpid();
	pid = __atomic_load_n(c, __ATOMIC_RELAXED);
	if (likely(pid))
		return pid;
	pid = getpid();
	/* checked again: a vfork child made meanwhile must not leave its pid in our page */
	if (!__atomic_load_n(&shim_vm_child, __ATOMIC_SEQ_CST))
		store(pid);
	return pid;
}

void selfpid_child(pid_t pid)
{
	if (cache && !__atomic_load_n(&shim_vm_child, __ATOMIC_RELAXED))
		store(pid);
}

pid_t shim_tid(void)
{
	pid_t pid = shim_pid();
	unsigned e = __atomic_load_n(&epoch, __ATOMIC_RELAXED);

	if (unlikely(tid_pid != pid || tid_epoch != e || !tid_cached)) {
		tid_cached = gettid();
		tid_pid = pid;
		tid_epoch = e;
	}
	return tid_cached;
}
