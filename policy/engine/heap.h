/* heap.h: is a range malloc's heap? (SPEC rules lock-heap, advise-heap, fork-advise-heap,
 * lock-leak). Three places hold glibc malloc's memory (malloc/malloc.c, malloc/arena.c):
 *  - the main arena, between the program's initial break (start_brk, field 47 of /proc/PID/stat)
 *    and the current one (sbrk(0));
 *  - thread arenas: heaps of HEAP_MAX_SIZE (64 MiB on 64-bit) aligned to their size, each
 *    starting with a heap_info whose ar_ptr names its arena, which lives in the arena's first heap;
 *  - chunks mapped on their own (IS_MMAPPED), recognised from the block's header.
 * Memory is read through the front-end (policy/engine/frontend.h: process_vm_readv(2), which fails
 * instead of faulting). */
#ifndef MEMAUDIT_ENGINE_HEAP_H
#define MEMAUDIT_ENGINE_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "policy/engine/proc.h"

/* Does [s, e) overlap malloc's heap? block is the pointer the program passed (it may be a malloc
 * block's start, whose header tells an mmap'd chunk). Lock held. */
int heap_contains(struct engine_proc *p, uintptr_t block, uintptr_t s, uintptr_t e);

/* glibc's chunk around the malloc block p is mapped on its own (IS_MMAPPED): its mapping is
 * [*s, *e), which free() gives back with munmap and which MCL_FUTURE charges. 0 when it is not
 * (or the next malloc is not glibc's, or the header cannot be read). */
int heap_mmapped_chunk(struct engine_proc *p, uintptr_t blk, uintptr_t *s, uintptr_t *e);

/* Does [s, e) lie in the program break's heap, [start_brk, the break now)? (readable.h) */
int heap_in_brk(struct engine_proc *p, uintptr_t s, uintptr_t e);

#endif
