/* heapgrow.h: charge the heap growth of an allocation under mlockall(MCL_FUTURE) (heapgrow.c). */
#ifndef MEMAUDIT_SHIM_HEAPGROW_H
#define MEMAUDIT_SHIM_HEAPGROW_H

#include <stdint.h>

#include "engine/proc.h"

/* The program break before an allocation. */
uintptr_t heapgrow_before(void);

/* After an allocation that returned p (op names the function): charge what it added to the
 * address space. Returns 1 when enforce refuses it: the caller frees p and fails with ENOMEM.
 * can_refuse 0 (realloc, whose old block may be gone already): recorded, never refused. */
int heapgrow_after(struct engine_proc *p, void *blk, uintptr_t brk_before, const char *op,
		   int can_refuse);

#endif
