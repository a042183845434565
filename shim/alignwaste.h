/* alignwaste.h: the align-waste rule. Allocating each small secret page-aligned (posix_memalign,
 * aligned_alloc, memalign with an alignment of a page or more; valloc, pvalloc) so that it can be
 * locked on pages of its own reserves whole pages per object; a call site whose allocations
 * reserve at least ALIGN_WASTE_RATIO times the bytes they request is reported, once. */
#ifndef MEMAUDIT_SHIM_ALIGNWASTE_H
#define MEMAUDIT_SHIM_ALIGNWASTE_H

#include <stddef.h>

#define ALIGN_WASTE_RATIO 8 /* SPEC, Rules: reserved/requested >= 8 at a call site */

/* A page-aligned allocation of size bytes by op succeeded. Captures the stack; takes the lock. */
void alignwaste_note(const char *op, size_t size);

/* A fork child starts counting afresh (its log is new). */
void alignwaste_reset(void);

#endif
