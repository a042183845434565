/* readable.h: where the wipe check (release-unwiped, regions.c) may read the program's memory in
 * place in the process itself (frontend.h view: no copy) instead of process_vm_readv
 * (1.3-1.6 us: the task lookup, the access check and pinning the pages; docs/performance.md).
 * A plain read of a page that is not readable would fault in the program, so the engine reads
 * in place only bytes it can prove readable at the moment of the read (docs/engine.md, "The in-process
 * read"):
 *  - they lie in the program break's heap, [start_brk, sbrk(0)): the kernel maps it readable and
 *    writable (brk(2) in mm/mmap.c: do_brk_flags with the data segment's VM_READ | VM_WRITE);
 *    or in a live block of glibc's malloc, which maps all its memory readable and writable;
 *  - no call the library saw could have made any of their pages unreadable since the process
 *    started (mprotect, pkey_mprotect, munmap, mremap, mmap MAP_FIXED, madvise advice other than
 *    the ones that keep a page readable): those calls mark their pages here under the lock BEFORE
 *    the real call, so another thread's read under the lock sees the mark first;
 *  - nothing glibc does behind the library's back can unmap them meanwhile: its malloc gives
 *    back only free memory at the top of the heap (malloc/malloc.c systrim: sbrk(-extra) of the
 *    top chunk), so either the bytes are a live block's (free(): the block being freed), or no
 *    other thread runs (frontend.h one_thread) and sbrk(0) read at the read bounds them.
 * Anything else is read with mem_read as before. Lock held for all of these. */
#ifndef MEMAUDIT_ENGINE_READABLE_H
#define MEMAUDIT_ENGINE_READABLE_H

#include <stddef.h>
#include <stdint.h>

#include "policy/engine/callinfo.h"
#include "policy/engine/proc.h"

/* The pages of [addr, addr + len) may be made unreadable by a call about to run: never read them
 * in-process again (the mark stays: the proof is not regained). */
void readable_lose(struct engine_proc *p, uintptr_t addr, size_t len);

/* Before the real call c (engine_call_begin): readable_lose for what it may make unreadable. */
void readable_before_call(struct engine_proc *p, const struct engine_call *c);

/* May [s, e) be read in place now? live_block: the bytes belong to a live block of the
 * program's allocator (the block free() is about to release). */
int readable_proven(struct engine_proc *p, uintptr_t s, uintptr_t e, int live_block);

/* A fork child's copy (engine_proc_copy): 0, or -1 when out of memory. Destroy: at the end. */
int readable_copy(struct engine_proc *to, const struct engine_proc *from);
void readable_destroy(struct engine_proc *p);

/* Entry points for the wrappers of calls the engine does not otherwise decide on (mremap,
 * pkey_mprotect, syscall(2) numbers); they take the lock. engine_unreadable: as readable_lose;
 * engine_readable_off: something the model cannot follow happened (a raw brk, which leaves
 * glibc's cached break stale): no in-process read from now on. */
void engine_unreadable(struct engine_proc *p, uintptr_t addr, size_t len);
void engine_readable_off(struct engine_proc *p);

#endif
