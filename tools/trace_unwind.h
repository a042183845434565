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

struct trace_unwind {
	pid_t tid;
	const struct user_regs_struct *regs;
	uint64_t base;      /* the window: [base, base + len) of the thread's stack */
	size_t len;
	unsigned char buf[TRACE_UNWIND_WINDOW];
};

/* Attach dwfl (once, after its first report) to the process tgid with callbacks that take the
 * registers and stack from u instead of ptrace. false on failure. */
bool trace_unwind_attach(Dwfl *dwfl, pid_t tgid, struct trace_unwind *u);
/* Set u up for thread tid stopped with regs: one process_vm_readv of the window at regs->rsp. */
void trace_unwind_prepare(struct trace_unwind *u, pid_t tid, const struct user_regs_struct *regs);
/* A word of the thread's memory: from the window when it is there, else read. */
bool trace_unwind_read(struct trace_unwind *u, uint64_t addr, uint64_t *word);

#endif
