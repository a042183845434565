/* rlimitmodel.h: setrlimit(2) of a simulated RLIMIT_MEMLOCK, as a pure decision.
 *
 * With MEMAUDIT_MEMLOCK_LIMIT set the shim answers getrlimit/setrlimit/prlimit of RLIMIT_MEMLOCK
 * from a model instead of the kernel (shim/rlimit.c). The model is the kernel's do_prlimit()
 * (kernel/sys.c) for a process without CAP_SYS_RESOURCE, the target's view, as the lock model is
 * the kernel's for a process without CAP_IPC_LOCK.
 *
 * Values are the kernel's 64-bit ones: RLIMIT_INFINITY (RLIM64_INFINITY, all bits set) is the
 * largest value, so "raising to unlimited" is an ordinary raise.
 */
#ifndef MEMAUDIT_POLICY_RLIMITMODEL_H
#define MEMAUDIT_POLICY_RLIMITMODEL_H

#include <stdint.h>

#define RLIMITMODEL_INFINITY UINT64_MAX

struct rlim_pair {
	uint64_t cur; /* the soft limit */
	uint64_t max; /* the hard limit */
};

/* Set *now to *want as do_prlimit() would for a process without CAP_SYS_RESOURCE. Returns 0 (and
 * *now is *want), EINVAL when want->cur > want->max, or EPERM when want->max > now->max ("an
 * unprivileged process may only set its soft limit to a value in the range from 0 up to the hard
 * limit, and (irreversibly) lower its hard limit", getrlimit(2)); *now is unchanged then. */
int rlimitmodel_set(struct rlim_pair *now, const struct rlim_pair *want);

/* A limit in the lock model's terms (policy/lockmodel.h): bytes, -1 for unlimited. Values beyond
 * LLONG_MAX lock more than any address space holds: unlimited as well. */
long long rlimitmodel_bytes(uint64_t v);

/* The inverse: bytes (-1 unlimited) as an rlimit value. */
uint64_t rlimitmodel_value(long long bytes);

#endif
