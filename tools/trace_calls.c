/* trace_calls.c: one traced call from its seccomp stop to its exit stop, and the order of a
 * process's calls.
 *
 * At the seccomp stop the registers are read and the sink's call_enter decides; the thread is then
 * resumed with PTRACE_SYSCALL so that the call's exit stop comes next (seccomp runs after the
 * syscall-entry stop, so there is no second entry stop), and after call_exit with PTRACE_CONT.
 * Exit stops of different threads do not arrive in the kernel's order (TRACE-NOTES: 3-10% of
 * model checks disagreed with 4 threads on one page), so a process has one call in flight at a
 * time: a thread that reaches its seccomp stop meanwhile stays stopped there, in a FIFO, until the
 * call in flight has been handled.
 *
 * Liveness before order: a call in flight can wait for another thread of its process (mlock or
 * MADV_POPULATE faulting in pages that a userfaultfd or in-process FUSE thread provides), and
 * that thread may be held behind it. A call in flight for longer than TRACE_HOLD_MS while
 * threads are held stops holding them (the event loop polls then, trace_loop.c): its call_exit
 * comes after the next call_enter.
 *
 * A refused call is skipped at its seccomp stop: orig_rax = -1 and rax = -errno (the kernel then
 * runs nothing and returns rax), resumed with PTRACE_CONT; its call_exit follows at once. A call
 * the sink answered itself is skipped the same way, with rax = its result (0 for success). A call
 * whose first argument the sink rewrote (exit_group's status under strict) runs with it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <time.h>

#include "tools/trace_table.h"

static unsigned long ncalls;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

unsigned long trace_call_count(void)
{
	return ncalls;
}

void tresume(pid_t tid, int sig)
{
	ptrace(PTRACE_CONT, tid, 0L, (void *)(long)sig);
}

static void deliver_exit(const struct trace_sink *sink, struct tthread *t)
{
	struct tproc *p = t->proc;

	ncalls++;
	if (!t->call.refused)
		trace_stack_note_call(&p->pub, &t->call);
	if (sink->call_exit)
		sink->call_exit(sink->ctx, &p->pub, &t->call);
}

/* Enter t's call (its registers are in t->call); returns true when it is in flight. */
static bool start(const struct trace_sink *sink, struct tthread *t)
{
	struct tproc *p = t->proc;
	int e = sink->call_enter ? sink->call_enter(sink->ctx, &p->pub, &t->call) : 0;

	if (e == 0 && t->call.answered) {
		t->call.regs.orig_rax = (unsigned long long)-1LL;
		t->call.regs.rax = (unsigned long long)(long long)t->call.ret;
		if (ptrace(PTRACE_SETREGS, t->tid, 0L, &t->call.regs) == 0) {
			deliver_exit(sink, t);
			tresume(t->tid, 0);
			return false;
		}
		t->call.answered = false; /* the thread was killed meanwhile */
	}
	if (e > 0) {
		t->call.regs.orig_rax = (unsigned long long)-1LL;
		t->call.regs.rax = (unsigned long long)(long long)-e;
		if (ptrace(PTRACE_SETREGS, t->tid, 0L, &t->call.regs) == 0) {
			t->call.ret = -e;
			t->call.refused = true;
			deliver_exit(sink, t);
			tresume(t->tid, 0);
			return false;
		}
		/* it could not be refused (the thread was killed meanwhile): it runs */
	}
	if (e == 0 && t->call.rewritten) {
		t->call.regs.rdi = t->call.args[0];
		if (ptrace(PTRACE_SETREGS, t->tid, 0L, &t->call.regs) != 0)
			return false; /* killed meanwhile */
	}
	if (t->call.nr == SYS_exit_group) { /* it never returns: nothing in flight */
		tresume(t->tid, 0);
		return false;
	}
	if (ptrace(PTRACE_SYSCALL, t->tid, 0L, 0L) != 0)
		return false; /* killed: its exit comes through waitpid */
	t->in_call = true;
	p->busy = t;
	p->busy_since = p->held ? now_ns() : 0; /* set when it starts to hold others */
	return true;
}

void tcall_next(const struct trace_sink *sink, struct tproc *p)
{
	struct tthread *t;

	while (!p->busy && (t = tproc_unhold(p)))
		start(sink, t);
}

void tcall_seccomp_stop(const struct trace_sink *sink, struct tthread *t)
{
	struct trace_call *c = &t->call;
	struct tproc *p = t->proc;

	memset(c, 0, sizeof *c);
	c->tid = t->tid;
	if (ptrace(PTRACE_GETREGS, t->tid, 0L, &c->regs) != 0)
		return; /* killed meanwhile */
	c->nr = (long)c->regs.orig_rax;
	c->args[0] = c->regs.rdi;
	c->args[1] = c->regs.rsi;
	c->args[2] = c->regs.rdx;
	c->args[3] = c->regs.r10;
	c->args[4] = c->regs.r8;
	c->args[5] = c->regs.r9;
	if (!trace_filter_traces(c->nr)) {
		tresume(t->tid, 0);
		return;
	}
	if (p->busy && p->busy != t) {
		if (!p->held)
			p->busy_since = now_ns();
		tproc_hold(p, t);
		return;
	}
	start(sink, t);
}

static void release(struct tproc *p, void *arg)
{
	const struct trace_sink *sink = arg;

	if (p->busy && p->held && now_ns() - p->busy_since > TRACE_HOLD_MS * 1000000ull) {
		p->busy = NULL; /* its exit stop is still handled, later */
		tcall_next(sink, p);
	}
}

void tcall_release_overdue(const struct trace_sink *sink)
{
	tproc_foreach(release, (void *)sink);
}

void tcall_exit_stop(const struct trace_sink *sink, struct tthread *t)
{
	struct user_regs_struct regs;
	struct tproc *p = t->proc;

	if (!t->in_call) { /* not ours (PTRACE_SYSCALL is only used for calls in flight) */
		tresume(t->tid, 0);
		return;
	}
	t->in_call = false;
	if (ptrace(PTRACE_GETREGS, t->tid, 0L, &regs) == 0)
		t->call.ret = (long)regs.rax;
	else
		t->call.ret = -ESRCH;
	deliver_exit(sink, t);
	if (p->busy == t)
		p->busy = NULL;
	tresume(t->tid, 0);
	tcall_next(sink, p);
}
