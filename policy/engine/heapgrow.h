/* heapgrow.h: charge the heap growth of an allocation under mlockall(MCL_FUTURE) (heapgrow.c). */
#ifndef MEMAUDIT_ENGINE_HEAPGROW_H
#define MEMAUDIT_ENGINE_HEAPGROW_H

#include <stdint.h>

#include "policy/engine/proc.h"

/* After an allocation that returned blk (op names the function), the program break having been
 * brk_before before it: charge what it added to the address space. Returns 1 when enforce refuses it: the caller frees p and fails with ENOMEM.
 * can_refuse 0 (realloc, whose old block may be gone already): recorded, never refused. */
int engine_heap_grow(struct engine_proc *p, void *blk, uintptr_t brk_before, const char *op,
		     int can_refuse);

#endif
