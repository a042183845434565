/* alignwaste.h: the align-waste rule. Allocating each small secret page-aligned (posix_memalign,
 * aligned_alloc, memalign with an alignment of a page or more; valloc, pvalloc) so that it can be
 * locked or advised on pages of its own reserves whole pages per object. Only the aligned blocks
 * whose bytes a lock or advice call then names count: a page-aligned buffer for O_DIRECT I/O is
 * correct code. At exit, a call site whose counted blocks reserve at least ALIGN_WASTE_RATIO
 * times the bytes they request is reported once, with the site's totals. Lock held where said.
 */
#ifndef MEMAUDIT_ENGINE_ALIGNWASTE_H
#define MEMAUDIT_ENGINE_ALIGNWASTE_H

#include <stddef.h>
#include <stdint.h>

#include "policy/engine/proc.h"

#define ALIGN_WASTE_RATIO 8 /* SPEC, Rules: reserved/requested >= 8 at a call site */

/* Some page-aligned block is live (p->aw.live, read without the lock): free() and realloc() look
 * it up (engine_aligned_free). */

/* op returned the page-aligned block p of size bytes, called from the stack f (NULL: captured
 * here). Takes the lock. */
void engine_aligned_alloc(struct engine_proc *p, const char *op, const void *blk, size_t size,
			  const struct engine_frames *f);

/* The block p, page-aligned, is freed or reallocated. Takes the lock. */
void engine_aligned_free(struct engine_proc *p, const void *blk);

/* A lock or advice call named [s, e): the aligned blocks it reaches count. Lock held. */
void alignwaste_protected(struct engine_proc *p, uintptr_t s, uintptr_t e);

/* Are the whole pages [s, e) inside one live page-aligned block that starts at s? Then they hold
 * no other object and no allocator metadata. Lock held. */
int alignwaste_block_covers(struct engine_proc *p, uintptr_t s, uintptr_t e);

/* The findings, at exit. Lock held. */
void alignwaste_at_exit(struct engine_proc *p);

/* A fork child starts counting afresh (its log is new). */
void alignwaste_reset(struct engine_proc *p);

#endif
