/* lockmodel.c: see lockmodel.h. Each function follows the order of checks in mm/mlock.c. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "policy/lockmodel.h"

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 0x01
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

size_t lockmodel_limit_pages(long long limit_bytes, size_t page_size)
{
	if (limit_bytes < 0)
		return SIZE_MAX;
	return (size_t)((unsigned long long)limit_bytes / page_size);
}

/* can_do_mlock(): without CAP_IPC_LOCK, locking is allowed only with a non-zero RLIMIT_MEMLOCK. */
static int can_do_mlock(long long limit_bytes)
{
	return limit_bytes != 0;
}

int lockmodel_mlock(long long limit_bytes, size_t page_size, size_t locked, size_t charge)
{
	size_t limit = lockmodel_limit_pages(limit_bytes, page_size);

	if (!can_do_mlock(limit_bytes))
		return EPERM;
	if (limit != SIZE_MAX && (charge > limit || locked > limit - charge))
		return ENOMEM;
	return 0;
}

int lockmodel_mlock2_flags(unsigned flags)
{
	return (flags & ~(unsigned)MLOCK_ONFAULT) ? EINVAL : 0;
}

int lockmodel_mlockall(int flags, long long limit_bytes, size_t page_size, size_t total_vm_bytes)
{
	size_t limit = lockmodel_limit_pages(limit_bytes, page_size);

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return EINVAL;
	if (!can_do_mlock(limit_bytes))
		return EPERM;
	if ((flags & MCL_CURRENT) && limit != SIZE_MAX && total_vm_bytes / page_size > limit)
		return ENOMEM;
	return 0;
}

int lockmodel_map_locked(long long limit_bytes, size_t page_size, size_t locked, size_t new_pages)
{
	size_t limit = lockmodel_limit_pages(limit_bytes, page_size);

	/* mlock_future_ok() has no can_do_mlock(): at limit 0 any locked page is simply too many. */
	if (limit != SIZE_MAX && (new_pages > limit || locked > limit - new_pages))
		return EAGAIN;
	return 0;
}
