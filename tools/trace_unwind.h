/* trace_unwind.h: a stopped thread's registers and stack for libdwfl and the frame-pointer walk
 * (trace_unwind.c), private to trace_stack.c. */
#ifndef MEMAUDIT_TOOLS_TRACE_UNWIND_H
#define MEMAUDIT_TOOLS_TRACE_UNWIND_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#define TRACE_UNWIND_WINDOW 4096 /* bytes of stack read at once from the stack pointer up */
#define TRACE_UNWIND_DEPTHS 256  /* call sites whose unwinding depth is remembered */
#define TRACE_UNWIND_EXTRA 16384 /* bytes of other memory read with it (trace_stack_prefetch) */

struct trace_unwind {
	pid_t tid;
	const struct user_regs_struct *regs;
	uint64_t base;      /* the window: [base, base + len) of the thread's stack */
	size_t len;
	struct trace_unwind_depth *site; /* this unwind's entry in depths */
	/* by pc and stack pointer: the most bytes above it an unwind read (up to the window) */
	struct trace_unwind_depth {
		uint64_t rip, rsp;
		uint32_t depth;
	} depths[TRACE_UNWIND_DEPTHS];
	unsigned char buf[TRACE_UNWIND_WINDOW];
	/* memory the caller will read at the same stop, read in the same system call */
	uint64_t extra_addr;
	size_t extra_want, extra_len; /* asked for; read by the last prepare */
	unsigned char extra[TRACE_UNWIND_EXTRA];
};

/* Attach dwfl (once, after its first report) to the process tgid with callbacks that take the
 * registers and stack from u instead of ptrace. false on failure. */
bool trace_unwind_attach(Dwfl *dwfl, pid_t tgid, struct trace_unwind *u);
/* Set u up for thread tid stopped with regs: one process_vm_readv of the window at regs->rsp,
 * and of the extra range when one is asked for. */
void trace_unwind_prepare(struct trace_unwind *u, pid_t tid, const struct user_regs_struct *regs);
/* n bytes at addr from the extra range read by the last prepare; false when not all are there. */
bool trace_unwind_extra(const struct trace_unwind *u, uint64_t addr, void *buf, size_t n);
/* A word of the thread's memory: from the window when it is there, else read. */
bool trace_unwind_read(struct trace_unwind *u, uint64_t addr, uint64_t *word);

#endif
