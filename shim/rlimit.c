/* rlimit.c: RLIMIT_MEMLOCK as the program is told it, so that a program that sizes its locking by
 * its limit adapts to the simulated target as it would on the target (as pagesize.c does for the
 * page size).
 *
 * Libraries read getrlimit(RLIMIT_MEMLOCK) and lock only what fits. Told the real, larger limit
 * (root's, say), they would lock more than on the target, and the simulation would report failures
 * that never happen there.
 *
 * With MEMAUDIT_MEMLOCK_LIMIT set (engine_proc's memlock_modelled) the own process's
 * RLIMIT_MEMLOCK is a model: soft and hard limit both start at the variable's value, as for a user
 * who ran `ulimit -l 64` (which sets both). getrlimit, getrlimit64, prlimit and prlimit64 of pid 0
 * or a thread of this process report it. setrlimit, setrlimit64 and prlimit with a new value
 * change it as do_prlimit() (kernel/sys.c) does for a process without CAP_SYS_RESOURCE
 * (policy/rlimitmodel.h), and the kernel's own limit is left alone: the target is an unprivileged
 * process, and this one may be root. Without the variable the simulated limit is the process's own
 * soft limit: the real calls run and the simulated limit follows what they report and what they
 * successfully set.
 *
 * Either way the model (policy/engine/memlock.c) changes memlock_limit under the lock, and the configured
 * what-if limit (whatif[3]) with it until a lock call fails at it. The first read and every attempt
 * to set are logged (the memlock record, docs/log-format.md): the report then says that the
 * smaller what-if limits are predicted without the program adapting to them.
 *
 * Other resources, other processes and policy off pass through untouched; errno is kept on
 * success. syscall(SYS_prlimit64 / SYS_getrlimit / SYS_setrlimit) comes here from syscall.c.
 * The limit a modelled process set is not carried across execve(2): the new image starts again
 * from MEMAUDIT_MEMLOCK_LIMIT.
 */
#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy/engine/memlock.h"
#include "guard.h"
#include "policy/rlimitmodel.h"
#include "real.h"
#include "rlimit.h"
#include "state.h"

/* One shape for every entry point: on the ABIs memaudit supports (LP64) struct rlimit is struct
 * rlimit64, and glibc implements all of them with the prlimit64 system call. */
_Static_assert(sizeof(struct rlimit) == sizeof(struct rlimit64) && sizeof(rlim_t) == 8 &&
		       RLIM_INFINITY == RLIM64_INFINITY && RLIM64_INFINITY == RLIMITMODEL_INFINITY,
	       "struct rlimit must be struct rlimit64");

enum entry { GETRLIMIT, GETRLIMIT64, SETRLIMIT, SETRLIMIT64, PRLIMIT, PRLIMIT64, SYS_GET, SYS_SET,
	     SYS_PRLIMIT64 };

static const char *const entry_names[] = {
	"getrlimit", "getrlimit64", "setrlimit", "setrlimit64", "prlimit", "prlimit64",
	"getrlimit", "setrlimit", "prlimit64",
};

/* The real call of an entry point: 0, or -1 with errno set. */
static int real_call(enum entry e, pid_t pid, int res, const struct rlimit64 *want,
		     struct rlimit64 *old)
{
	switch (e) {
	case GETRLIMIT:
		return real.getrlimit(res, (struct rlimit *)old);
	case GETRLIMIT64:
		return real.getrlimit64(res, old);
	case SETRLIMIT:
		return real.setrlimit(res, (const struct rlimit *)want);
	case SETRLIMIT64:
		return real.setrlimit64(res, want);
	case PRLIMIT:
		return real.prlimit(pid, res, (const struct rlimit *)want, (struct rlimit *)old);
	case PRLIMIT64:
		return real.prlimit64(pid, res, want, old);
	case SYS_GET:
		return (int)real.syscall(SYS_getrlimit, res, (long)old, 0, 0, 0, 0);
	case SYS_SET:
		return (int)real.syscall(SYS_setrlimit, res, (long)want, 0, 0, 0, 0);
	case SYS_PRLIMIT64:
		return (int)real.syscall(SYS_prlimit64, pid, res, (long)want, (long)old, 0, 0);
	}
	return 0;
}

/* The process is audited (policy not off, log open): its limit is the simulated one. Unlike
 * shim_auditing() this stays true after the exit record, so that a destructor sees the same limit
 * as main did. */
static int simulating(void)
{
	if (guard_held())
		return 0;
	if (unlikely(!__atomic_load_n(&shim_active, __ATOMIC_ACQUIRE)))
		shim_init();
	return __atomic_load_n(&shim_active, __ATOMIC_ACQUIRE);
}

/* pid names this process: 0, its pid, or one of its threads (prlimit(2) takes any thread id:
 * find_task_by_vpid, and the limits belong to the thread group). tgkill(2) with signal 0 checks
 * exactly that without sending anything. */
static int own_process(pid_t pid)
{
	int saved = errno, own;

	if (pid == 0 || pid == getpid())
		return 1;
	own = pid > 0 && real.syscall(SYS_tgkill, getpid(), pid, 0, 0, 0, 0) == 0;
	errno = saved;
	return own;
}

/* The pointer as the program passed it: getrlimit and setrlimit are declared nonnull, and the
 * compiler would otherwise drop our NULL checks (the kernel answers EFAULT for them). */
static inline const void *opaque(const void *p)
{
	__asm__("" : "+r"(p));
	return p;
}

/* One call on the own RLIMIT_MEMLOCK: the engine's model of it (policy/engine/memlock.h), under the
 * guard. */
static int memlock_call(enum entry e, struct rlim_pair *old, const struct rlim_pair *want,
			int real_err)
{
	int g = guard_enter(),
	    err = engine_memlock(shim_proc(), entry_names[e], e >= SYS_GET, old, want, real_err);

	guard_leave(g);
	return err;
}

/* Every entry point: a call on resource res of process pid (0: the caller) that may set a new
 * limit (want) and may report the one before (old). Returns as the real function does. */
static int rlimit_entry(enum entry e, pid_t pid, int res, const struct rlimit64 *want,
			struct rlimit64 *old)
{
	struct rlim_pair o, w;
	int r, err;

	if (unlikely(!real_ready()))
		real_resolve();
	if (res != RLIMIT_MEMLOCK || (!opaque(want) && !opaque(old)) || !simulating() ||
	    !own_process(pid))
		return real_call(e, pid, res, want, old);
	if (want && shim_proc()->memlock_modelled) {
		/* Answered from the model; the kernel is not asked (so its EFAULT for a bad, non-NULL
		 * pointer is not reproduced: the values are read here). */
		w = (struct rlim_pair){want->rlim_cur, want->rlim_max};
		err = memlock_call(e, old ? &o : NULL, &w, 0);
		if (err) {
			errno = err;
			return -1;
		}
		if (old)
			*old = (struct rlimit64){o.cur, o.max};
		return 0;
	}
	if (want)
		w = (struct rlim_pair){want->rlim_cur, want->rlim_max};
	r = real_call(e, pid, res, want, old);
	if (r != 0 && !want)
		return r; /* a read that failed (EFAULT) tells the program nothing */
	err = r != 0 ? errno : 0;
	if (old && !r)
		o = (struct rlim_pair){old->rlim_cur, old->rlim_max};
	memlock_call(e, old && !r ? &o : NULL, want ? &w : NULL, err);
	if (old && !r)
		*old = (struct rlimit64){o.cur, o.max};
	if (r != 0)
		errno = err;
	return r;
}

SHIM_EXPORT int getrlimit(__rlimit_resource_t res, struct rlimit *rl)
{
	return rlimit_entry(GETRLIMIT, 0, res, NULL, (struct rlimit64 *)rl);
}

SHIM_EXPORT int getrlimit64(__rlimit_resource_t res, struct rlimit64 *rl)
{
	return rlimit_entry(GETRLIMIT64, 0, res, NULL, rl);
}

SHIM_EXPORT int setrlimit(__rlimit_resource_t res, const struct rlimit *rl)
{
	return rlimit_entry(SETRLIMIT, 0, res, (const struct rlimit64 *)rl, NULL);
}

SHIM_EXPORT int setrlimit64(__rlimit_resource_t res, const struct rlimit64 *rl)
{
	return rlimit_entry(SETRLIMIT64, 0, res, rl, NULL);
}

SHIM_EXPORT int prlimit(pid_t pid, __rlimit_resource_t res, const struct rlimit *want,
			struct rlimit *old)
{
	return rlimit_entry(PRLIMIT, pid, res, (const struct rlimit64 *)want,
			    (struct rlimit64 *)old);
}

SHIM_EXPORT int prlimit64(pid_t pid, __rlimit_resource_t res, const struct rlimit64 *want,
			  struct rlimit64 *old)
{
	return rlimit_entry(PRLIMIT64, pid, res, want, old);
}

int rlimit_syscall(long nr, const long *a, long *ret)
{
	switch (nr) {
	case SYS_getrlimit:
		*ret = rlimit_entry(SYS_GET, 0, (int)a[0], NULL, (struct rlimit64 *)a[1]);
		return 1;
	case SYS_setrlimit:
		*ret = rlimit_entry(SYS_SET, 0, (int)a[0], (const struct rlimit64 *)a[1], NULL);
		return 1;
	case SYS_prlimit64:
		*ret = rlimit_entry(SYS_PRLIMIT64, (pid_t)a[0], (int)a[1],
				    (const struct rlimit64 *)a[2], (struct rlimit64 *)a[3]);
		return 1;
	}
	return 0;
}
