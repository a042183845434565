/* mman.c: the lock, advice and mapping calls of <sys/mman.h>.
 *
 * Every wrapper has the same shape: not auditing (inside the shim, policy off, after the exit
 * record) -> straight to libc; otherwise the real call, then the record (audit.h) under the guard,
 * then errno as the real call left it.
 *
 * Only calls made through the PLT are seen: glibc's malloc maps, unmaps and advises its own memory
 * through internal aliases (__mmap, __munmap, __madvise: include/sys/mman.h) that no preload
 * library can interpose. audit_release covers the one such effect that matters to lock accounting.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>

#include "audit.h"
#include "guard.h"
#include "real.h"
#include "state.h"

#define AUDIT(call)                         \
	do {                                \
		int g_ = guard_enter();     \
		call;                       \
		guard_leave(g_);            \
	} while (0)

SHIM_EXPORT int mlock(const void *addr, size_t len)
{
	int ret, err;

	if (!shim_auditing())
		return real.mlock(addr, len);
	ret = real.mlock(addr, len);
	err = errno;
	AUDIT(audit_lock("mlock", 0, addr, len, 0, 0, ret, err));
	errno = err;
	return ret;
}

SHIM_EXPORT int mlock2(const void *addr, size_t len, unsigned int flags)
{
	int ret, err;

	if (!real_ready())
		real_resolve();
	if (!real.mlock2) {
		errno = ENOSYS;
		return -1;
	}
	if (!shim_auditing())
		return real.mlock2(addr, len, flags);
	ret = real.mlock2(addr, len, flags);
	err = errno;
	AUDIT(audit_lock("mlock2", 0, addr, len, 1, flags, ret, err));
	errno = err;
	return ret;
}

SHIM_EXPORT int munlock(const void *addr, size_t len)
{
	int ret, err;

	if (!shim_auditing())
		return real.munlock(addr, len);
	ret = real.munlock(addr, len);
	err = errno;
	AUDIT(audit_munlock(0, addr, len, ret, err));
	errno = err;
	return ret;
}

SHIM_EXPORT int mlockall(int flags)
{
	int ret, err;

	if (!shim_auditing())
		return real.mlockall(flags);
	ret = real.mlockall(flags);
	err = errno;
	AUDIT(audit_mlockall(0, flags, ret, err));
	errno = err;
	return ret;
}

SHIM_EXPORT int munlockall(void)
{
	int ret, err;

	if (!shim_auditing())
		return real.munlockall();
	ret = real.munlockall();
	err = errno;
	AUDIT(audit_munlockall(0, ret, err));
	errno = err;
	return ret;
}

SHIM_EXPORT int madvise(void *addr, size_t len, int advice)
{
	int ret, err;

	if (!shim_auditing())
		return real.madvise(addr, len, advice);
	ret = real.madvise(addr, len, advice);
	err = errno;
	AUDIT(audit_madvise("madvise", 0, addr, len, advice, ret == 0, err));
	errno = err;
	return ret;
}

/* posix_madvise returns the error number instead of setting errno (posix_madvise(3)). */
SHIM_EXPORT int posix_madvise(void *addr, size_t len, int advice)
{
	int ret, saved;

	if (!shim_auditing())
		return real.posix_madvise(addr, len, advice);
	saved = errno;
	ret = real.posix_madvise(addr, len, advice);
	AUDIT(audit_madvise("posix_madvise", 0, addr, len, advice, ret == 0, ret));
	errno = saved;
	return ret;
}

SHIM_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *ret;
	int err;

	if (!shim_auditing())
		return real.mmap(addr, len, prot, flags, fd, off);
	ret = real.mmap(addr, len, prot, flags, fd, off);
	err = errno;
	AUDIT(audit_mmap(0, addr, len, prot, flags, fd, ret, err));
	errno = err;
	return ret;
}

#if UINTPTR_MAX == UINT64_MAX
/* On 64-bit ABIs mmap64 is the same function under a second name (glibc exports both). */
SHIM_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
	__attribute__((alias("mmap")));
#endif

SHIM_EXPORT int munmap(void *addr, size_t len)
{
	int ret, err;

	if (!shim_auditing())
		return real.munmap(addr, len);
	ret = real.munmap(addr, len);
	err = errno;
	AUDIT(audit_munmap(0, addr, len, ret, err));
	errno = err;
	return ret;
}

/* mremap(2): the fifth argument exists only with MREMAP_FIXED. */
SHIM_EXPORT void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL, *ret;
	va_list ap;
	int err;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	if (!shim_auditing())
		return real.mremap(old, old_len, new_len, flags, new_addr);
	ret = real.mremap(old, old_len, new_len, flags, new_addr);
	err = errno;
	AUDIT(audit_mremap(old, old_len, new_len, flags, ret, err));
	errno = err;
	return ret;
}

SHIM_EXPORT int mprotect(void *addr, size_t len, int prot)
{
	int ret, err;

	if (!shim_auditing())
		return real.mprotect(addr, len, prot);
	ret = real.mprotect(addr, len, prot);
	err = errno;
	AUDIT(audit_mprotect(addr, len, prot, ret, err));
	errno = err;
	return ret;
}
