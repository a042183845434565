/* call.h: the calls the policy decides on before they reach the kernel: the lock calls (mlock,
 * mlock2, mlockall, and mmap that locks: MAP_LOCKED or after mlockall(MCL_FUTURE)), the advice
 * calls (madvise, posix_madvise), and the calls that split mappings (munlock, mprotect, munmap,
 * mmap) for the map-count model.
 *
 * engine_call_begin() captures the stack and asks policy/ what the target kernel would do: at the
 * configured limit, and at each what-if limit (32 KiB, 64 KiB, 8 MiB, configured) that no earlier
 * call has exceeded yet. It returns the errno to fail the call with (enforce, strict: the target
 * refuses it) or 0 to make the real call; errno is left as it was. engine_call_end() records what
 * happened: the event, the what-if records of the limits this call was the first to exceed, and
 * the findings.
 */
#ifndef MEMAUDIT_ENGINE_CALL_H
#define MEMAUDIT_ENGINE_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "policy/engine/proc.h"

enum engine_call_kind {
	CK_LOCK, CK_LOCKALL, CK_MAP, CK_ADVISE, /* checked against the lock limit and the map count */
	CK_UNLOCK, CK_PROTECT, CK_UNMAP,        /* checked against the map count only */
};

struct engine_call {
	/* the call, filled by the wrapper */
	enum engine_call_kind kind;
	const char *op;
	int via;            /* through syscall(2) */
	uintptr_t addr;
	size_t len;
	int has_flags;      /* mlock2 */
	unsigned flags;     /* mlock2, mlockall; mmap flags */
	int advice;
	int prot, fd;       /* mmap */
	const struct engine_frames *frames; /* the stack, when the wrapper captured it itself (fewer
			     * of its own frames to unwind); NULL: engine_call_begin asks the front-end */
	/* filled by engine_call_begin */
	int skip;           /* not auditing: make the real call and nothing else */
	uint32_t stack;
	uint64_t call;      /* index among lock calls, 0 for advice */
	int limit_err;      /* errno at the configured limit (0: allowed) */
	int whatif_err[4];  /* errno at what-if limit i, when this call is the first refused there */
	int unaligned;      /* advice start not aligned to the simulated page size */
	size_t locked;      /* lock calls: pages locked before the call; munlock: locked pages in its range */
	size_t charge;      /* lock calls: pages it would add (mlockall: the address space's pages) */
	uint64_t unwiped;   /* munlock, munmap: non-zero bytes of protected regions it releases */
	uint64_t unwiped_of; /* ... of this many protected bytes */
	int map_err;        /* errno of the map-count model for this change (0: fits) */
	int map_exact;      /* the mapping count was read for this call */
	long map_count;     /* ... and was this before the call */
	long map_after;     /* ... and this after it, as predicted */
};

int engine_call_begin(struct engine_proc *p, struct engine_call *c);

/* ok: the call succeeded; err: its errno otherwise; injected: engine_call_begin's errno was used;
 * result: mmap's address. */
void engine_call_end(struct engine_proc *p, struct engine_call *c, int ok, int err, int injected,
		     uintptr_t result);

#endif
