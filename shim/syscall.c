/* syscall.c: syscall(2), for the numbers that lock, advise or map memory.
 *
 * OpenSSL's secure heap calls syscall(SYS_mlock2, ...) directly (crypto/mem_sec.c), and
 * memfd_secret(2) has no glibc wrapper at all: both bypass every libc-level wrapper. Those numbers
 * are audited exactly like the libc calls; every other number is forwarded untouched.
 *
 * syscall() is variadic. Like glibc's own implementation (sysdeps/unix/sysv/linux/x86_64/syscall.S)
 * it passes six argument registers whatever the number takes; reading six longs with va_arg is
 * what every ABI glibc supports allows for integer and pointer arguments.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "audit.h"
#include "guard.h"
#include "real.h"
#include "state.h"

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447 /* include/uapi/asm-generic/unistd.h, the same on x86_64 */
#endif

static int audited(long nr)
{
	switch (nr) {
	case SYS_mlock:
	case SYS_munlock:
	case SYS_mlockall:
	case SYS_munlockall:
	case SYS_madvise:
	case SYS_mmap:
	case SYS_munmap:
	case SYS_memfd_secret:
#ifdef SYS_mlock2
	case SYS_mlock2:
#endif
		return 1;
	}
	return 0;
}

/* Record the call, whose raw result is ret (-1 with err on failure). */
static void record(long nr, const long *a, long ret, int err)
{
	int r = ret == -1 ? -1 : 0;

	switch (nr) {
	case SYS_mlock:
		audit_lock("mlock", 1, (void *)a[0], (size_t)a[1], 0, 0, r, err);
		break;
#ifdef SYS_mlock2
	case SYS_mlock2:
		audit_lock("mlock2", 1, (void *)a[0], (size_t)a[1], 1, (unsigned)a[2], r, err);
		break;
#endif
	case SYS_munlock:
		audit_munlock(1, (void *)a[0], (size_t)a[1], r, err);
		break;
	case SYS_mlockall:
		audit_mlockall(1, (int)a[0], r, err);
		break;
	case SYS_munlockall:
		audit_munlockall(1, r, err);
		break;
	case SYS_madvise:
		audit_madvise("madvise", 1, (void *)a[0], (size_t)a[1], (int)a[2], r == 0, err);
		break;
	case SYS_mmap:
		audit_mmap(1, (void *)a[0], (size_t)a[1], (int)a[2], (int)a[3], (int)a[4],
			   r ? MAP_FAILED : (void *)ret, err);
		break;
	case SYS_munmap:
		audit_munmap(1, (void *)a[0], (size_t)a[1], r, err);
		break;
	case SYS_memfd_secret:
		audit_memfd_secret((unsigned)a[0], ret, err);
		break;
	}
}

SHIM_EXPORT long syscall(long nr, ...)
{
	long a[6], ret;
	va_list ap;
	int err, i, g;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (unlikely(!real_ready()))
		real_resolve();
	if (!audited(nr) || !shim_auditing())
		return real.syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	ret = real.syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	err = errno;
	g = guard_enter();
	record(nr, a, ret, ret == -1 ? err : 0);
	guard_leave(g);
	errno = err;
	return ret;
}
