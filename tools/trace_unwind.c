/* trace_unwind.c: libdwfl's thread callbacks (dwfl_attach_state) for a thread stopped at a
 * traced call. dwfl_linux_proc_attach would fetch the registers with ptrace again and read the
 * stack a word at a time; the registers from the seccomp stop and one process_vm_readv of the
 * stack's first 4 KiB serve most unwinds with one system call (a Go stack or a deep C stack reads
 * the rest a word at a time). Memory the caller will read at the same stop (a munlock's bytes for
 * the wipe check) comes in the same process_vm_readv as a second iovec. The window is one page
 * when the last unwind from the same site stayed within what is left of the stack pointer's page. */
#include "config.h"

#include <string.h>
#include <sys/uio.h>

#include "tools/trace.h"
#include "tools/trace_unwind.h"

void trace_unwind_prepare(struct trace_unwind *u, pid_t tid, const struct user_regs_struct *regs)
{
	/* The window ends with the stack pointer's page when the last unwind from the same pc and
	 * stack pointer (a call site in a loop) fitted in it, with a margin: process_vm_readv pins
	 * every page it reads (on a small VM about 1.5 us for one page, 2.1 us for two). */
	struct trace_unwind_depth *d = &u->depths[(regs->rip * 0x9E3779B97F4A7C15ull ^ regs->rsp) &
						    (TRACE_UNWIND_DEPTHS - 1)];
	size_t page_rest = 4096 - (regs->rsp & 4095), want = sizeof u->buf;

	if (d->rip == regs->rip && d->rsp == regs->rsp) {
		if (d->depth && d->depth + 64 <= page_rest)
			want = page_rest;
	} else {
		*d = (struct trace_unwind_depth){regs->rip, regs->rsp, 0};
	}
	u->site = d;
	struct iovec local[2] = {{u->buf, want}, {u->extra, u->extra_want}};
	struct iovec remote[2] = {{(void *)(uintptr_t)regs->rsp, want},
				  {(void *)(uintptr_t)u->extra_addr, u->extra_want}};
	ssize_t n;

	u->tid = tid;
	u->regs = regs;
	u->base = regs->rsp;
	/* the reads stop at the first byte that cannot be read: what follows it is not had */
	n = process_vm_readv(tid, local, u->extra_want ? 2 : 1, remote, u->extra_want ? 2 : 1, 0);
	u->len = n > 0 ? (size_t)n < want ? (size_t)n : want : 0;
	u->extra_len = n > (ssize_t)want ? (size_t)n - want : 0;
}

bool trace_unwind_extra(const struct trace_unwind *u, uint64_t addr, void *buf, size_t n)
{
	if (addr < u->extra_addr || addr - u->extra_addr > u->extra_len ||
	    n > u->extra_len - (addr - u->extra_addr))
		return false;
	memcpy(buf, u->extra + (addr - u->extra_addr), n);
	return true;
}

bool trace_unwind_read(struct trace_unwind *u, uint64_t addr, uint64_t *word)
{
	if (addr >= u->base && addr - u->base < TRACE_UNWIND_WINDOW && addr - u->base + sizeof *word > u->site->depth)
		u->site->depth = (uint32_t)(addr - u->base + sizeof *word);
	if (addr >= u->base && addr - u->base + sizeof *word <= u->len) {
		memcpy(word, u->buf + (addr - u->base), sizeof *word);
		return true;
	}
	return trace_mem_read(u->tid, addr, word, sizeof *word) == (ssize_t)sizeof *word;
}

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	return 0; /* only dwfl_getthread_frames of a named thread is used */
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	struct trace_unwind *u = arg;

	*thread_argp = u;
	return tid == u->tid;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	uint64_t w;

	if (!trace_unwind_read(arg, addr, &w))
		return false;
	*result = w;
	return true;
}

/* x86_64's DWARF register numbers: rax rdx rcx rbx rsi rdi rbp rsp r8-r15, then the return
 * address column, which libdwfl takes as the pc */
static bool set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	const struct user_regs_struct *r = ((struct trace_unwind *)thread_arg)->regs;
	Dwarf_Word regs[17] = {r->rax, r->rdx, r->rcx, r->rbx, r->rsi, r->rdi, r->rbp, r->rsp, r->r8,
			       r->r9,  r->r10, r->r11, r->r12, r->r13, r->r14, r->r15, r->rip};

	return dwfl_thread_state_registers(thread, 0, 17, regs);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

bool trace_unwind_attach(Dwfl *dwfl, pid_t tgid, struct trace_unwind *u)
{
	return dwfl_attach_state(dwfl, NULL, tgid, &thread_callbacks, u);
}
