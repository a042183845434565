/* stack.h: call stacks of audited calls, captured with libunwind and interned.
 *
 * A stack is captured where a wrapper is entered (unw_backtrace, heaptrack's way: UNW_LOCAL_ONLY,
 * per-thread cache, a fixed array), memaudit's own frames dropped, then interned: the same call
 * site always maps to the same id, so a site called 10,000 times costs one stack record.
 */
#ifndef MEMAUDIT_SHIM_STACK_H
#define MEMAUDIT_SHIM_STACK_H

#include <stdint.h>

#define STACK_MAX_FRAMES 64

struct stack_capture {
	int n;
	uintptr_t ip[STACK_MAX_FRAMES];
};

/* Set up libunwind once (caching policy). */
void stack_setup(void);

/* Capture the caller's stack into c, without memaudit's frames. Lock-free (thread-local work). */
void stack_capture(struct stack_capture *c);

/* Intern c and return its id (>= 1; 0 when out of memory). When the stack, or a module it refers to,
 * has not been written to the current log generation yet, writes its module and stack records
 * first (records.h). Caller holds the state lock. */
uint32_t stack_intern(const struct stack_capture *c);

#endif
