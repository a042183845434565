/* mman.c: the lock, advice and mapping calls of <sys/mman.h>.
 *
 * Every wrapper has the same shape: not auditing (inside the shim, policy off, after the exit
 * record) -> straight to libc; otherwise the real call, then the record (policy/engine/events.h) under the guard,
 * then errno as the real call left it.
 *
 * Only calls made through the PLT are seen: glibc's malloc maps, unmaps and advises its own memory
 * through internal aliases (__mmap, __munmap, __madvise: include/sys/mman.h) that no preload
 * library can interpose. engine_release covers the one such effect that matters to lock accounting.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mman.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4 /* include/uapi/linux/mman.h; glibc headers since 2.32 */
#endif

#include "policy/engine/call.h"
#include "policy/engine/events.h"
#include "policy/engine/readable.h"
#include "guard.h"
#include "policy/pages.h"
#include "real.h"
#include "stack.h"
#include "state.h"

#define AUDIT(call)                         \
	do {                                \
		int g_ = guard_enter();     \
		call;                       \
		guard_leave(g_);            \
	} while (0)

/* A call the policy decides on (policy/engine/call.h): its verdict, the real call unless refused, the record;
 * evaluates to the return value, with errno as the caller must see it. For calls returning 0 or -1. */
#define RUN_CHECKED(c, real_call)                                            \
	({                                                                   \
		struct engine_frames f_;                                     \
		int g_ = guard_enter(), inj_ = stack_call_begin(shim_proc(), c, &f_), ret_, err_; \
		guard_leave(g_);                                             \
		if (inj_) {                                                  \
			ret_ = -1;                                           \
			err_ = inj_;                                         \
		} else {                                                     \
			ret_ = (real_call);                                  \
			err_ = errno;                                        \
		}                                                            \
		g_ = guard_enter();                                          \
		engine_call_end(shim_proc(), c, ret_ == 0, err_, inj_ != 0, 0);               \
		guard_leave(g_);                                             \
		errno = err_;                                                \
		ret_;                                                        \
	})

/* c zeroed, then the fields given set: the audited wrappers' engine_call. Zeroed by 16-byte stores,
 * not by the `rep stos` gcc makes of an initializer's zeroing (issue 13: 22 instructions counted
 * per call, and a slow start). Both store types are may_alias: they write the struct's fields as
 * other types, which strict aliasing would otherwise let gcc move past the fields' own stores. */
#define CALL_INIT(c, ...)                                                                  \
	do {                                                                               \
		typedef uint64_t v2_ __attribute__((vector_size(16), aligned(8), may_alias)); \
		typedef uint64_t w1_ __attribute__((may_alias));                            \
		char *p_ = (char *)(c);                                                    \
		size_t i_;                                                                 \
		_Static_assert(sizeof *(c) % 8 == 0, "engine_call: whole words");          \
		_Pragma("GCC unroll 32")                                                   \
		for (i_ = 0; i_ + 16 <= sizeof *(c); i_ += 16)                             \
			*(v2_ *)(p_ + i_) = (v2_){0, 0};                                   \
		if (sizeof *(c) % 16)                                                      \
			*(w1_ *)(p_ + sizeof *(c) - 8) = 0;                                \
		__VA_ARGS__;                                                               \
	} while (0)

/* ---- A simulated page size (MEMAUDIT_PAGE_SIZE larger than the real one) ----
 * Mappings are placed and sized in simulated pages, so what the program sees is what a kernel
 * with that page size gives it; calls such a kernel refuses for misalignment are refused under
 * enforce and strict. Without simulation each helper is the identity. */

static int sim_active(void)
{
	return shim_proc()->page_size != shim_proc()->real_page_size;
}

/* enforce/strict on a simulated page size: addr is not aligned to it. */
static int sim_misaligned(const void *addr)
{
	return sim_active() && engine_enforcing(shim_proc()) && !page_aligned((uintptr_t)addr, shim_proc()->page_size);
}

/* The length the simulated kernel acts on: whole simulated pages, when addr is aligned to one. */
static size_t sim_len(const void *addr, size_t len)
{
	uintptr_t up;

	if (!sim_active() || !page_aligned((uintptr_t)addr, shim_proc()->page_size) ||
	    page_up_checked(len, shim_proc()->page_size, &up) != 0)
		return len;
	return up;
}

/* mmap(2) on the simulated kernel: EINVAL for a MAP_FIXED address or a file offset that is not a
 * multiple of its page size (enforce, strict only). */
static int sim_map_refused(void *addr, int flags, off_t off)
{
	if (!sim_active() || !engine_enforcing(shim_proc()))
		return 0;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !page_aligned((uintptr_t)addr, shim_proc()->page_size))
		return EINVAL;
	return page_aligned((uintptr_t)off, shim_proc()->page_size) ? 0 : EINVAL;
}

/* mmap placed at an address aligned to the simulated page, len rounded up to it: reserve enough
 * address space to find an aligned start, map there with MAP_FIXED (so a file mapping still
 * starts at its offset), then give back the rest of the reservation. */
static void *sim_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	size_t ps = shim_proc()->page_size, want, span;
	uintptr_t res, start;
	void *p;
	int err;

	if (!sim_active() || (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) || len == 0 ||
	    page_up_checked(len, ps, &want) != 0 || want > SIZE_MAX - ps)
		return real.mmap(addr, sim_len(addr, len), prot, flags, fd, off);
	span = want + ps - shim_proc()->real_page_size;
	p = real.mmap(addr, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return p;
	res = (uintptr_t)p;
	start = page_up(res, ps);
	p = real.mmap((void *)start, want, prot, flags | MAP_FIXED, fd, off);
	if (p == MAP_FAILED) {
		err = errno;
		real.munmap((void *)res, span);
		errno = err;
		return p;
	}
	if (start > res)
		real.munmap((void *)res, start - res);
	if (res + span > start + want)
		real.munmap((void *)(start + want), res + span - (start + want));
	return p;
}

SHIM_EXPORT int mlock(const void *addr, size_t len)
{
	struct engine_call c;

	if (!shim_auditing())
		return real.mlock(addr, len);
	CALL_INIT(&c, c.kind = CK_LOCK, c.op = "mlock", c.addr = (uintptr_t)addr, c.len = len);
	return RUN_CHECKED(&c, real.mlock(addr, len));
}

SHIM_EXPORT int mlock2(const void *addr, size_t len, unsigned int flags)
{
	struct engine_call c;

	if (!real_ready())
		real_resolve();
	if (!real.mlock2) {
		errno = ENOSYS;
		return -1;
	}
	if (!shim_auditing())
		return real.mlock2(addr, len, flags);
	CALL_INIT(&c, c.kind = CK_LOCK, c.op = "mlock2",
		  c.addr = (uintptr_t)addr, c.len = len, c.has_flags = 1, c.flags = flags);
	return RUN_CHECKED(&c, real.mlock2(addr, len, flags));
}

SHIM_EXPORT int munlock(const void *addr, size_t len)
{
	struct engine_call c;

	if (!shim_auditing())
		return real.munlock(addr, len);
	CALL_INIT(&c, c.kind = CK_UNLOCK, c.op = "munlock", c.addr = (uintptr_t)addr, c.len = len);
	return RUN_CHECKED(&c, real.munlock(addr, len));
}

SHIM_EXPORT int mlockall(int flags)
{
	struct engine_call c;

	if (!shim_auditing())
		return real.mlockall(flags);
	CALL_INIT(&c, c.kind = CK_LOCKALL, c.op = "mlockall", c.flags = (unsigned)flags);
	return RUN_CHECKED(&c, real.mlockall(flags));
}

SHIM_EXPORT int munlockall(void)
{
	int ret, err;

	if (!shim_auditing())
		return real.munlockall();
	ret = real.munlockall();
	err = errno;
	AUDIT(engine_munlockall(shim_proc(), 0, ret, err));
	errno = err;
	return ret;
}

SHIM_EXPORT int madvise(void *addr, size_t len, int advice)
{
	struct engine_call c;

	if (!shim_auditing())
		return real.madvise(addr, len, advice);
	CALL_INIT(&c, c.kind = CK_ADVISE, c.op = "madvise",
		  c.addr = (uintptr_t)addr, c.len = len, c.advice = advice);
	return RUN_CHECKED(&c, real.madvise(addr, len, advice));
}

/* posix_madvise returns the error number instead of setting errno (posix_madvise(3)). */
SHIM_EXPORT int posix_madvise(void *addr, size_t len, int advice)
{
	struct engine_call c;
	struct engine_frames f;
	int ret, saved, inj, g;

	if (!shim_auditing())
		return real.posix_madvise(addr, len, advice);
	CALL_INIT(&c, c.kind = CK_ADVISE, c.op = "posix_madvise",
		  c.addr = (uintptr_t)addr, c.len = len, c.advice = advice);
	saved = errno;
	g = guard_enter();
	inj = stack_call_begin(shim_proc(), &c, &f);
	guard_leave(g);
	ret = inj ? inj : real.posix_madvise(addr, len, advice);
	g = guard_enter();
	engine_call_end(shim_proc(), &c, ret == 0, ret, inj != 0, 0);
	guard_leave(g);
	errno = saved;
	return ret;
}

/* mmap that locks (MAP_LOCKED, or any mapping after mlockall(MCL_FUTURE)) is a lock call: the
 * kernel charges it against RLIMIT_MEMLOCK and refuses it with EAGAIN (mlock_future_ok). */
SHIM_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct engine_call c;
	struct engine_frames f;
	void *ret;
	int err, inj, g;

	if (!shim_auditing())
		return real.mmap(addr, len, prot, flags, fd, off);
	CALL_INIT(&c, c.kind = CK_MAP, c.op = "mmap",
		  c.addr = (uintptr_t)addr, c.len = len, c.prot = prot, c.flags = (unsigned)flags, c.fd = fd);
	g = guard_enter();
	inj = stack_call_begin(shim_proc(), &c, &f);
	guard_leave(g);
	if (!inj)
		inj = sim_map_refused(addr, flags, off);
	if (inj) {
		ret = MAP_FAILED;
		err = inj;
	} else {
		ret = sim_mmap(addr, len, prot, flags, fd, off);
		err = errno;
	}
	g = guard_enter();
	engine_call_end(shim_proc(), &c, ret != MAP_FAILED, err, inj != 0, (uintptr_t)ret);
	guard_leave(g);
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
	struct engine_call c;

	if (!shim_auditing())
		return real.munmap(addr, len);
	CALL_INIT(&c, c.kind = CK_UNMAP, c.op = "munmap", c.addr = (uintptr_t)addr, c.len = len);
	/* munmap(2): "EINVAL addr ... not aligned" on the simulated page (enforce, strict only) */
	return RUN_CHECKED(&c, sim_misaligned(addr) ? (errno = EINVAL, -1)
						    : real.munmap(addr, sim_len(addr, len)));
}

/* mremap(2): the fifth argument, new_address, is read only with MREMAP_FIXED (where it is the
 * address) or MREMAP_DONTUNMAP (Linux 5.7: where it is a hint, as mmap's addr); otherwise the
 * caller may not have passed it. */
SHIM_EXPORT void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL, *ret;
	va_list ap;
	int err;

	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	if (!shim_auditing())
		return real.mremap(old, old_len, new_len, flags, new_addr);
	/* the old pages go (or, MREMAP_DONTUNMAP, are emptied) and MREMAP_FIXED replaces what was at
	 * new_addr: never copied in-process again, marked before the call (readable.h) */
	AUDIT(engine_unreadable(shim_proc(), (uintptr_t)old, old_len);
	      if (flags & MREMAP_FIXED) engine_unreadable(shim_proc(), (uintptr_t)new_addr, new_len));
	ret = real.mremap(old, old_len, new_len, flags, new_addr);
	err = errno;
	AUDIT(engine_mremap(shim_proc(), old, old_len, new_len, flags, ret, err));
	errno = err;
	return ret;
}

SHIM_EXPORT int mprotect(void *addr, size_t len, int prot)
{
	struct engine_call c;

	if (!shim_auditing())
		return real.mprotect(addr, len, prot);
	CALL_INIT(&c, c.kind = CK_PROTECT, c.op = "mprotect",
		  c.addr = (uintptr_t)addr, c.len = len, c.prot = prot);
	/* mprotect(2): "EINVAL addr is not ... a multiple of the system page size", on the simulated
	 * page (enforce, strict only) */
	return RUN_CHECKED(&c, sim_misaligned(addr) ? (errno = EINVAL, -1)
						    : real.mprotect(addr, sim_len(addr, len), prot));
}

/* pkey_mprotect(2) (glibc 2.27): a protection key whose rights the thread may take away with
 * pkey_set (a write of PKRU, no system call) makes the pages fault on access in this process,
 * while process_vm_readv, which the kernel does for another task, ignores the key. Not audited
 * otherwise: its pages are never copied in-process again (readable.h), marked before the call. */
SHIM_EXPORT int pkey_mprotect(void *addr, size_t len, int prot, int pkey)
{
	if (!real_ready())
		real_resolve();
	if (!real.pkey_mprotect) {
		errno = ENOSYS;
		return -1;
	}
	if (shim_auditing()) {
		int e = errno;
		AUDIT(engine_unreadable(shim_proc(), (uintptr_t)addr, len));
		errno = e;
	}
	return real.pkey_mprotect(addr, len, prot, pkey);
}
