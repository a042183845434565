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

/* A supervisor, before brk(2) moves the break from brk_now to want under MCL_FUTURE: 1 when enforce
 * refuses it as the target's kernel would (the heap-grow event and the lock-limit finding are
 * recorded; the caller makes the call return brk_now, brk's failure); 0: it runs, and
 * engine_heap_grow charges what it did. */
int engine_brk_refused(struct engine_proc *p, uintptr_t brk_now, uintptr_t want);

#endif
