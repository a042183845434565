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

#include "policy/engine/call.h"
#include "policy/engine/events.h"
#include "policy/engine/readable.h"
#include "policy/engine/syscalls.h"
#include "guard.h"
#include "real.h"
#include "rlimit.h"
#include "selfpid.h"
#include "stack.h"
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

/* A number that makes a child without the atfork handlers (selfpid.h). */
static int makes_child(long nr)
{
	switch (nr) {
	case SYS_clone:
#ifdef SYS_clone3
	case SYS_clone3:
#endif
#ifdef SYS_fork
	case SYS_fork:
#endif
#ifdef SYS_vfork
	case SYS_vfork:
#endif
		return 1;
	}
	return 0;
}

/* Numbers that can make memory unreadable or move the break behind glibc's back, which are not
 * audited() otherwise: the wipe check's in-process copy (policy/engine/readable.h) must know of
 * them before they run. (mmap, munmap and madvise are audited: engine_call_begin marks them.) */
static int loses_readable(long nr)
{
	switch (nr) {
	case SYS_mprotect:
	case SYS_mremap:
	case SYS_brk:
#ifdef SYS_pkey_mprotect
	case SYS_pkey_mprotect:
#endif
		return 1;
	}
	return 0;
}

static void before_unreadable(long nr, const long *a)
{
	int g = guard_enter(), e = errno;

	if (nr == SYS_brk) {
		/* a raw brk leaves glibc's cached break (sbrk(0)) stale: the heap's bound is lost */
		engine_readable_off(shim_proc());
	} else {
		engine_unreadable(shim_proc(), (uintptr_t)a[0], (size_t)a[1]);
		/* mremap(old, old_len, new_len, MREMAP_FIXED, new_addr) */
		if (nr == SYS_mremap && (a[3] & MREMAP_FIXED))
			engine_unreadable(shim_proc(), (uintptr_t)a[4], (size_t)a[2]);
	}
	errno = e;
	guard_leave(g);
}

/* Record a call that is only recorded, whose raw result is ret (-1 with err on failure). */
static void record(long nr, const long *a, long ret, int err)
{
	int r = ret == -1 ? -1 : 0;

	switch (nr) {
	case SYS_munlockall:
		engine_munlockall(shim_proc(), 1, r, err);
		break;
	case SYS_memfd_secret:
		engine_memfd_secret(shim_proc(), (unsigned)a[0], ret, err);
		break;
	}
}

SHIM_EXPORT long syscall(long nr, ...)
{
	long a[6], ret;
	struct engine_call c;
	struct engine_frames f;
	va_list ap;
	int err, i, g, inj;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (unlikely(!real_ready()))
		real_resolve();
	if (rlimit_syscall(nr, a, &ret))
		return ret;
	if (makes_child(nr))
		__atomic_store_n(&shim_forked, 1, __ATOMIC_SEQ_CST); /* selfpid.h */
	if (unlikely(loses_readable(nr)) && shim_auditing())
		before_unreadable(nr, a);
	if (!audited(nr) || !shim_auditing())
		return real.syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (engine_call_of_syscall(nr, a, &c)) { /* SYS_mprotect is not audited() here */
		g = guard_enter();
		inj = stack_call_begin(shim_proc(), &c, &f);
		guard_leave(g);
		if (inj) {
			ret = -1;
			err = inj;
		} else {
			ret = real.syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
			err = errno;
		}
		g = guard_enter();
		engine_call_end(shim_proc(), &c, ret != -1, err, inj != 0, (uintptr_t)ret);
		guard_leave(g);
		errno = err;
		return ret;
	}
	ret = real.syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	err = errno;
	g = guard_enter();
	record(nr, a, ret, ret == -1 ? err : 0);
	guard_leave(g);
	errno = err;
	return ret;
}
