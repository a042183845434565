/* syscalls.c: see syscalls.h. */
#include "config.h"

#include <sys/syscall.h>

#include "policy/engine/syscalls.h"

int engine_call_of_syscall(long nr, const long *a, struct engine_call *c)
{
	switch (nr) {
	case SYS_mlock:
		*c = (struct engine_call){.kind = CK_LOCK, .op = "mlock", .addr = (uintptr_t)a[0], .len = (size_t)a[1]};
		break;
#ifdef SYS_mlock2
	case SYS_mlock2:
		*c = (struct engine_call){.kind = CK_LOCK, .op = "mlock2", .addr = (uintptr_t)a[0],
				      .len = (size_t)a[1], .has_flags = 1, .flags = (unsigned)a[2]};
		break;
#endif
	case SYS_mlockall:
		*c = (struct engine_call){.kind = CK_LOCKALL, .op = "mlockall", .flags = (unsigned)a[0]};
		break;
	case SYS_madvise:
		*c = (struct engine_call){.kind = CK_ADVISE, .op = "madvise", .addr = (uintptr_t)a[0],
				      .len = (size_t)a[1], .advice = (int)a[2]};
		break;
	case SYS_munlock:
		*c = (struct engine_call){.kind = CK_UNLOCK, .op = "munlock", .addr = (uintptr_t)a[0], .len = (size_t)a[1]};
		break;
	case SYS_munmap:
		*c = (struct engine_call){.kind = CK_UNMAP, .op = "munmap", .addr = (uintptr_t)a[0], .len = (size_t)a[1]};
		break;
	case SYS_mprotect:
		*c = (struct engine_call){.kind = CK_PROTECT, .op = "mprotect", .addr = (uintptr_t)a[0],
				      .len = (size_t)a[1], .prot = (int)a[2]};
		break;
	case SYS_mmap:
		*c = (struct engine_call){.kind = CK_MAP, .op = "mmap", .addr = (uintptr_t)a[0], .len = (size_t)a[1],
				      .prot = (int)a[2], .flags = (unsigned)a[3], .fd = (int)a[4]};
		break;
	default:
		return 0;
	}
	c->via = 1;
	return 1;
}
