/* stack.h: call stacks of audited calls, captured from the unwind tables (CFI); the engine interns
 * them (policy/engine/stacks.h).
 *
 * A stack is captured where a wrapper is entered (a fixed array, heaptrack's way; the unwinder is
 * libgcc's _Unwind_Backtrace, see stack.c for why not libunwind's unw_backtrace), memaudit's own
 * frames dropped; the front-end (frontend_self.c) hands it to the engine.
 */
#ifndef MEMAUDIT_SHIM_STACK_H
#define MEMAUDIT_SHIM_STACK_H

#include <stdint.h>

#include "policy/engine/call.h"
#include "policy/engine/frontend.h" /* struct engine_frames */
#include "policy/engine/proc.h"

/* Warm the unwinder and look up the C++ demangler (demangle.h) once, at start. */
void stack_setup(void);

/* Capture the caller's stack into c, without memaudit's frames. Thread-local work: from the stack
 * cache (stackcache.h), or an unwind under a shared lock that only fork takes exclusively (below). */
void stack_capture(struct engine_frames *c);

/* engine_call_begin with the stack captured here, in the wrapper this is inlined into: the
 * unwinder then walks two frames of the shim's (stack_capture, the wrapper) where the front-end's
 * capture, called from inside the engine, walks five, each one costing a CFI lookup. Guard held. */
static inline __attribute__((always_inline)) int stack_call_begin(struct engine_proc *p,
								  struct engine_call *c,
								  struct engine_frames *f)
{
	stack_capture(f);
	c->frames = f;
	return engine_call_begin(p, c);
}

/* fork handlers (init.c): the unwinder takes internal locks while unwinding (libgcc's object
 * mutex, glibc's dl_iterate_phdr lock); a child forked while another thread was unwinding would inherit
 * them held and hang at its first capture. prepare waits for the captures in flight and holds off
 * new ones; parent releases; child re-initializes. */
/* prepare returns 1 when it took the lock; reentered: fork called from a signal handler that
 * interrupted the shim, maybe in a capture of this thread: only try. */
int stack_fork_prepare(int reentered);
void stack_fork_parent(void);
void stack_fork_child(void);

/* Describe the first max_frames frames of stack id for a message on stderr:
 * "function (module+0xoffset) <- ...", without debug information: function names come from the
 * module files' symbol tables (static functions too), C++ ones demangled (demangle.h); a frame
 * without one shows "(module+0xoffset)". Maps module files (elfsym.h) and allocates only from the
 * shim's arena. Lock held. */
void stack_describe(struct engine_proc *p, uint32_t id, int max_frames, char *buf, size_t cap);

#endif
