/* regions.h: what each call meant to protect (logical regions), kept beside the page-level state
 * of the tracker (policy/engine/proc.h p->tracker) in p->regions, a tracker with one-byte "pages": the exact byte
 * ranges the program named to mlock/mlock2 (TRACK_LOCKED) and to madvise DONTDUMP, DONTFORK and
 * WIPEONFORK, each with its call site. The kernel's flags are per page and do not nest (mlock(2),
 * madvise(2)); the regions tell which of the program's secrets a page-granular call reaches
 * beyond the range it named. Each region is one call's: the pieces of a region that later calls
 * split stay that call's, so that the rest of a region is never taken for a neighbour. Rules:
 * unlock-collateral, unlock-partial, dodump-collateral, lock-freed, realloc-protected,
 * release-unwiped, protection-lost. Lock held for all of these.
 */
#ifndef MEMAUDIT_ENGINE_REGIONS_H
#define MEMAUDIT_ENGINE_REGIONS_H

#include <stdint.h>

#include "policy/engine/callinfo.h"
#include "policy/engine/proc.h"
#include "policy/tracker.h"

/* After a lock, advice, unlock or unmap call (ok: it succeeded): record the region it protects
 * (not when the target refused it: c->limit_err), or report the live regions of other calls whose
 * pages it unprotected and forget what it released. result: mmap's address. p->seq is the call's
 * event. */
void regions_after_call(struct engine_proc *p, const struct engine_call *c, int ok, uintptr_t result);

/* Before a release of [s, e) (free, munmap, munlock): how many bytes of regions carrying one of
 * `attrs` it holds (*covered) and how many of them are not zero (the return value). Bytes that
 * cannot be read (PROT_NONE, unmapped) are skipped. Never reads more than a bounded amount.
 * live_block: [s, e) is a live block of the program's allocator (free(): readable.h). */
uint64_t regions_unwiped(struct engine_proc *p, uintptr_t s, uintptr_t e, unsigned attrs, int live_block,
			 uint64_t *covered);

/* release-unwiped, when nonzero > 0: op released `covered` protected bytes of which `nonzero`
 * were not zero. Only the count is recorded, never the bytes. */
void regions_judge_unwiped(struct engine_proc *p, const char *op, uint32_t stack, uint64_t nonzero, uint64_t covered);

/* The live regions inside the heap block [s, e) (free, realloc): their attributes and, per
 * attribute bit (policy/tracker.h), how many of the block's bytes carry it and the stack of the
 * first call that named such bytes. */
struct block_regions {
	unsigned attrs;
	uint64_t bytes[TRACK_NATTRS];
	uint32_t stack[TRACK_NATTRS];
};
void regions_in_block(struct engine_proc *p, uintptr_t s, uintptr_t e, struct block_regions *h);

/* free() of the heap block [s, e): whatever a call meant to protect in it is gone. */
void regions_forget(struct engine_proc *p, uintptr_t s, uintptr_t e);

/* munlockall: no region is locked any more. */
void regions_unlock_all(struct engine_proc *p);

/* to, a copy of from (engine_proc_copy), gets a copy of from's calls behind the regions. Returns 0,
 * or -1 when out of memory. */
int regions_copy(struct engine_proc *to, const struct engine_proc *from);

/* A fork child: locks are not inherited and DONTFORK memory is not there (fork(2)). */
void regions_fork_child(struct engine_proc *p);

/* protection-lost: compare the regions still protected with the VmFlags that /proc/self/smaps
 * shows for their pages (lo, dd, dc, wf); what the kernel says wins. At exit. */
void regions_at_exit(struct engine_proc *p);

#endif
