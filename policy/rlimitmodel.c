/* rlimitmodel.c: see rlimitmodel.h. The checks follow do_prlimit() in kernel/sys.c, in its order. */
#include "config.h"

#include <errno.h>
#include <limits.h>

#include "policy/rlimitmodel.h"

int rlimitmodel_set(struct rlim_pair *now, const struct rlim_pair *want)
{
	/* do_prlimit: "if (new_rlim->rlim_cur > new_rlim->rlim_max) return -EINVAL;" before any
	 * permission check (getrlimit(2): EINVAL "rlim->rlim_cur was greater than rlim->rlim_max"). */
	if (want->cur > want->max)
		return EINVAL;
	/* "if (new_rlim->rlim_max > rlim->rlim_max && !capable(CAP_SYS_RESOURCE)) retval = -EPERM;"
	 * Lowering the hard limit, and any soft limit up to the new hard one, is allowed. */
	if (want->max > now->max)
		return EPERM;
	*now = *want;
	return 0;
}

long long rlimitmodel_bytes(uint64_t v)
{
	return v > (uint64_t)LLONG_MAX ? -1 : (long long)v;
}

uint64_t rlimitmodel_value(long long bytes)
{
	return bytes < 0 ? RLIMITMODEL_INFINITY : (uint64_t)bytes;
}
