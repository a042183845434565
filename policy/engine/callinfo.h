/* callinfo.h: one call the engine decides on (call.h), as the front-end describes it and
 * engine_call_begin fills it in. Apart from call.h so that what reads a call (regions.c, the
 * front-ends' syscall mapping) does not depend on the module that decides it. */
#ifndef MEMAUDIT_ENGINE_CALLINFO_H
#define MEMAUDIT_ENGINE_CALLINFO_H

#include <stddef.h>
#include <stdint.h>

struct engine_frames; /* frontend.h */

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

#endif
