/* stack.h: call stacks of audited calls, captured from the unwind tables (CFI) and interned.
 *
 * A stack is captured where a wrapper is entered (a fixed array, heaptrack's way; the unwinder is
 * libgcc's _Unwind_Backtrace, see stack.c for why not libunwind's unw_backtrace), memaudit's own
 * frames dropped, then interned: the same call site always maps to the same id, so a site called
 * 10,000 times costs one stack record.
 */
#ifndef MEMAUDIT_SHIM_STACK_H
#define MEMAUDIT_SHIM_STACK_H

#include <stdint.h>

#include "engine/proc.h"
#include "engine/frontend.h" /* struct engine_frames */

/* Warm the unwinder and look up the C++ demangler (demangle.h) once, at start. */
void stack_setup(void);

/* Capture the caller's stack into c, without memaudit's frames. Thread-local work, under a shared
 * lock that only fork takes exclusively (below). */
void stack_capture(struct engine_frames *c);

/* fork handlers (init.c): the unwinder takes internal locks while unwinding (libgcc's object
 * mutex, glibc's dl_iterate_phdr lock); a child forked while another thread was unwinding would inherit
 * them held and hang at its first capture. prepare waits for the captures in flight and holds off
 * new ones; parent releases; child re-initializes. */
/* prepare returns 1 when it took the lock; reentered: fork called from a signal handler that
 * interrupted the shim, maybe in a capture of this thread: only try. */
int stack_fork_prepare(int reentered);
void stack_fork_parent(void);
void stack_fork_child(void);

/* Intern c and return its id (>= 1; 0 when out of memory). When the stack, or a module it refers to,
 * has not been written to the current log generation yet, writes its module and stack records
 * first (records.h). Caller holds the state lock. */
uint32_t stack_intern(struct engine_proc *p, const struct engine_frames *c);

/* Frame i (0 = innermost) of stack id: its address, module id (0: none) and offset from the
 * module's base; any pointer may be NULL. Returns 0 when there is no such frame. Lock held. */
int stack_frame(uint32_t id, int i, uintptr_t *ip, uint32_t *mod, uintptr_t *off);

/* Describe the first max_frames frames of stack id for a message on stderr:
 * "function (module+0xoffset) <- ...", without debug information: function names come from the
 * module files' symbol tables (static functions too), C++ ones demangled (demangle.h); a frame
 * without one shows "(module+0xoffset)". Maps module files (elfsym.h) and allocates only from the
 * shim's arena. Lock held. */
void stack_describe(uint32_t id, int max_frames, char *buf, size_t cap);

#endif
