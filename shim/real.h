/* real.h: the next definition (normally glibc's) of every function the shim wraps.
 *
 * One declarative table, REAL_FUNCS, drives the typedefs, the pointer slots and the lookup
 * (torsocks' LIBC_* quartets, socket_wrapper's symbol table). Each entry is
 *   X(name, return type, (parameters), required)
 * A required symbol that cannot be found stops the process with a message (no point auditing
 * half a libc); an optional one (absent from older glibc) leaves its slot NULL, and its wrapper then
 * fails with ENOSYS as glibc itself would.
 */
#ifndef MEMAUDIT_SHIM_REAL_H
#define MEMAUDIT_SHIM_REAL_H

#include <stddef.h>
#include <sys/types.h>

struct rlimit;
struct rlimit64;

#define REAL_FUNCS(X)                                                                         \
	X(malloc, void *, (size_t), 1)                                                        \
	X(calloc, void *, (size_t, size_t), 1)                                                \
	X(realloc, void *, (void *, size_t), 1)                                               \
	X(reallocarray, void *, (void *, size_t, size_t), 0)                                  \
	X(free, void, (void *), 1)                                                            \
	X(posix_memalign, int, (void **, size_t, size_t), 1)                                  \
	X(aligned_alloc, void *, (size_t, size_t), 1)                                         \
	X(memalign, void *, (size_t, size_t), 1)                                              \
	X(valloc, void *, (size_t), 1)                                                        \
	X(pvalloc, void *, (size_t), 1)                                                       \
	X(malloc_usable_size, size_t, (void *), 1)                                            \
	X(mlock, int, (const void *, size_t), 1)                                              \
	X(mlock2, int, (const void *, size_t, unsigned int), 0)                               \
	X(munlock, int, (const void *, size_t), 1)                                            \
	X(mlockall, int, (int), 1)                                                            \
	X(munlockall, int, (void), 1)                                                         \
	X(madvise, int, (void *, size_t, int), 1)                                             \
	X(posix_madvise, int, (void *, size_t, int), 1)                                       \
	X(mmap, void *, (void *, size_t, int, int, int, off_t), 1)                            \
	X(munmap, int, (void *, size_t), 1)                                                   \
	X(mremap, void *, (void *, size_t, size_t, int, void *), 1)                           \
	X(mprotect, int, (void *, size_t, int), 1)                                            \
	X(pkey_mprotect, int, (void *, size_t, int, int), 0)                                  \
	X(syscall, long, (long, long, long, long, long, long, long), 1)                       \
	X(fork, pid_t, (void), 1)                                                             \
	X(_Fork, pid_t, (void), 0)                                                            \
	X(_exit, void, (int), 1)                                                              \
	X(_Exit, void, (int), 1)                                                              \
	X(sysconf, long, (int), 1)                                                            \
	X(getpagesize, int, (void), 1)                                                        \
	X(getauxval, unsigned long, (unsigned long), 1)                                       \
	X(getrlimit, int, (int, struct rlimit *), 1)                                          \
	X(getrlimit64, int, (int, struct rlimit64 *), 1)                                      \
	X(setrlimit, int, (int, const struct rlimit *), 1)                                    \
	X(setrlimit64, int, (int, const struct rlimit64 *), 1)                                \
	X(prlimit, int, (pid_t, int, const struct rlimit *, struct rlimit *), 1)              \
	X(prlimit64, int, (pid_t, int, const struct rlimit64 *, struct rlimit64 *), 1)        \
	X(setuid, int, (uid_t), 1)                                                            \
	X(seteuid, int, (uid_t), 1)                                                           \
	X(setreuid, int, (uid_t, uid_t), 1)                                                   \
	X(setresuid, int, (uid_t, uid_t, uid_t), 1)                                   \
	X(pthread_cancel, int, (pthread_t), 1)

#define REAL_TYPEDEF(name, ret, params, required) typedef ret(real_##name##_fn) params;
REAL_FUNCS(REAL_TYPEDEF)
#undef REAL_TYPEDEF

struct real_table {
#define REAL_SLOT(name, ret, params, required) real_##name##_fn *name;
	REAL_FUNCS(REAL_SLOT)
#undef REAL_SLOT
};

/* Filled once by real_resolve(); read-only afterwards. Before, malloc, calloc and free hold
 * functions that call real_resolve() first: they can be called at any time. */
extern struct real_table real;

/* Look every symbol up with dlsym(RTLD_NEXT). Idempotent and thread-safe; calls to the allocation
 * functions made by dlsym itself while this runs are served by the shim's arena (shim/arena.h).
 * Returns when every required slot is set; otherwise prints why and _exits. */
void real_resolve(void);

/* True once real_resolve() has completed: inline, the malloc and free fast paths test it. */
extern int real_resolved;
static inline int real_ready(void)
{
	return __atomic_load_n(&real_resolved, __ATOMIC_ACQUIRE);
}

#endif
