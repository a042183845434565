/* heapblocks.h: what the malloc wrappers saw of glibc's blocks, so that the heap rules need not
 * probe memory (policy/engine/heap.h reads a heap_info at the 64 MiB-aligned address and a chunk
 * header before the block otherwise: two process_vm_readv per lock or advice call, issue 13).
 *
 * Every block glibc's malloc hands out passes a wrapper (glibc calls malloc through its PLT, so
 * that it can be interposed). Its size word tells IS_MMAPPED (a chunk mapped on its own) and
 * NON_MAIN_ARENA (a thread arena's heap, HEAP_MAX_SIZE-aligned): the wrappers keep the live
 * mmapped chunks and the heaps blocks came from. The tables are fixed, in this library's own
 * memory, lock-free (malloc runs in every thread, signal handlers, fork children); when one is
 * full, or the allocator is not glibc's, they answer "maybe" and the engine reads as before.
 */
#ifndef MEMAUDIT_SHIM_HEAPBLOCKS_H
#define MEMAUDIT_SHIM_HEAPBLOCKS_H

#include <stddef.h>
#include <stdint.h>

/* The allocator is glibc's (its chunk layout may be read): decided at the first wrapped call
 * (real.c), all ones then, 0 otherwise (and before). A mask, so that the wrappers test "a block
 * (not NULL) of glibc's" with one instruction: p & heapblocks_glibc. */
extern uintptr_t heapblocks_glibc;

static inline void heapblocks_set_glibc(int yes)
{
	heapblocks_glibc = yes ? ~(uintptr_t)0 : 0;
}

#define HEAP_MAX_SIZE ((uintptr_t)64 << 20) /* policy/engine/heap.c */

/* The thread heap this thread's last arena block came from (kept already). */
extern __thread uintptr_t heapblocks_last_heap __attribute__((tls_model("initial-exec")));

/* p was just returned by glibc's allocator (or NULL). Inline, for every malloc: one test of p
 * against the mask, one of the size word (in the cache line the allocator just touched), and for
 * a main-arena block nothing more (6 instructions). A thread-arena block (NON_MAIN_ARENA) compares
 * its heap with the one this thread saw last; an mmapped chunk (IS_MMAPPED) or a new heap goes to
 * the table. */
void heapblocks_note_slow(void *p, size_t size_word);
static inline void heapblocks_note(void *p)
{
	if (__builtin_expect(((uintptr_t)p & heapblocks_glibc) != 0, 1)) {
		size_t w = ((const size_t *)p)[-1];

		if (__builtin_expect((w & 6) != 0, 0) &&
		    ((w & 2) || /* IS_MMAPPED */
		     ((uintptr_t)p & ~(HEAP_MAX_SIZE - 1)) != heapblocks_last_heap)) /* NON_MAIN_ARENA */
			heapblocks_note_slow(p, w);
	}
}

/* Mmapped chunks kept now (free() reads no header while there are none). */
extern unsigned long heapblocks_chunks;

/* The live block p (or NULL) is about to be freed (or reallocated): was it an mmapped chunk? Read
 * before the real call. */
static inline int heapblocks_mmapped(const void *p)
{
	return __builtin_expect(__atomic_load_n(&heapblocks_chunks, __ATOMIC_RELAXED) != 0, 0) &&
	       ((uintptr_t)p & heapblocks_glibc) && (((const size_t *)p)[-1] & 2);
}

/* The mmapped chunk p is gone. */
void heapblocks_forget(const void *p);

/* May blk be a live mmapped chunk? 0: certainly not. */
int heapblocks_maybe_mmapped(uintptr_t blk);

/* May the thread heap at h (HEAP_MAX_SIZE-aligned) have handed out a block? 0: certainly not. */
int heapblocks_maybe_heap(uintptr_t h);

#endif
