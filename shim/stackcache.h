/* stackcache.h: captured stacks reused without unwinding (issue 13: libgcc's unwinder, a CFI
 * lookup and interpretation per frame, was a third of an audited call).
 *
 * An entry is what one unwind from stack_capture found: the return address of every frame and the
 * stack slot it was read from (x86_64: CFA - 8). It is keyed by stack_capture's own return address
 * and CFA. A frame whose CFA is a fixed offset from its stack pointer (every frame the shim's and
 * an optimizing compiler's code has, at a call) has, at the same pc and stack pointer, the same
 * CFA: so when each cached slot still holds the cached return address, the caller is again the
 * same pc at the same stack pointer, and by induction the whole stack is the cached one. (A frame
 * addressed from a frame pointer after alloca could in principle have moved while a stale value
 * in the old slot matches: the price of not unwinding.) Entries that passed through a signal
 * frame, or whose slots do not hold the return addresses, are not kept.
 *
 * The slots are read directly, so only where this thread's own complete walks went (stackcache.c):
 * every slot then lies between the current stack pointer and the stack's top, which is mapped. A
 * thread on a sigaltstack (a signal frame) unwinds as before.
 */
#ifndef MEMAUDIT_SHIM_STACKCACHE_H
#define MEMAUDIT_SHIM_STACKCACHE_H

#include <stdint.h>

#include "policy/engine/frontend.h"

/* The raw frames of one unwind (stack_capture's own first). */
struct raw_stack {
	int n;
	int skip;                         /* innermost frames not to keep (stack.c's unwind_into) */
	int cacheable;                    /* no signal frame, walked to the stack's end */
	int self;                         /* the shim's own frames first (stack.c) */
	uintptr_t ip[ENGINE_MAX_FRAMES];
	uintptr_t cfa[ENGINE_MAX_FRAMES];
};

/* stack_capture (stack.h) is the cache's lookup: the frames of the stack keyed by its own return
 * address and CFA, verified, the shim's own left out; else stack.c's stack_unwind. A lookup needs
 * no lock: it only reads an entry (under the entry's flag), and a fork that copies a flag taken
 * clears it in the child (stackcache_fork_child), while stackcache_put, which writes entries, runs
 * under stack.c's capture lock, which fork takes. */

/* Set once libgcc's unwinder is bound with what the cache needs (stack.c): else no lookup. */
extern int stackcache_on;

/* stack.c: the unwind of stack_capture's caller's stack into c (stack_capture's frame, keyed
 * (ra, cfa), is the walk's first), kept in the cache when it may be. */
void stack_unwind(struct engine_frames *c, uintptr_t ra, uintptr_t cfa);

/* A hit gives, with the frames, the engine's memo of them kept in the entry (frontend.h), and a
 * memo_key that names the entry and its version; an unwind gives memo_key 0. The engine hands a
 * memo it made (a new id, or the same in a later log generation) back to stackcache_memo (the
 * front-end's stack_memo), which keeps it in that entry unless another stack was put there
 * meanwhile, or another thread has the entry (the memo is then made again next time). */
void stackcache_memo(uint32_t key, uint32_t id, uint32_t gen);

/* Keep what an unwind found for (ra, cfa). */
void stackcache_put(uintptr_t ra, uintptr_t cfa, const struct raw_stack *s);

/* A fork child: no entry is being written (the capture lock was held by fork); any flag taken by
 * a get of a thread the child does not have is cleared. */
void stackcache_fork_child(void);

#endif
