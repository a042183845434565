/* trace_lifecycle.c: processes and threads appear (fork, vfork, clone events), change (exec) and
 * end (exit events, reaping).
 *
 * A new task's first stop and its parent's event come in either order; the task is left stopped
 * (parked) until the parent's event has told the sink about it, so that the sink sees the fork
 * while the parent is stopped at it and before the child's first call. With __WALL, a leader is
 * reaped only after its other threads, so a process ends when its leader is reaped.
 */
#include "config.h"

#include <sched.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "tools/trace_table.h"

static pid_t tgid_of(pid_t tid)
{
	return (pid_t)trace_status_field(tid, "Tgid");
}

/* The clone flags of the call the parent tid is stopped in (at its fork event): from clone's
 * first argument, clone3's struct clone_args (flags first), or implied by fork and vfork; -1 when
 * they cannot be read. */
static long long clone_flags(pid_t tid)
{
	struct user_regs_struct regs;
	uint64_t flags;

	if (ptrace(PTRACE_GETREGS, tid, 0L, &regs) != 0)
		return -1;
	switch ((long)regs.orig_rax) {
	case SYS_clone:
		return (long long)regs.rdi;
	case SYS_clone3:
		return trace_mem_read(tid, regs.rdi, &flags, sizeof flags) == (ssize_t)sizeof flags
			       ? (long long)flags : -1;
	case SYS_vfork:
		return CLONE_VM | CLONE_VFORK;
	case SYS_fork:
		return 0;
	}
	return -1;
}

static enum trace_fork_kind fork_kind(long long flags, int event)
{
	if (flags < 0)
		return event == PTRACE_EVENT_VFORK ? TRACE_VFORK
		       : event == PTRACE_EVENT_FORK ? TRACE_FORK
						    : TRACE_CLONE;
	if (flags & CLONE_VFORK)
		return TRACE_VFORK;
	return flags & CLONE_VM ? TRACE_CLONE : TRACE_FORK;
}

void tlife_new_task(const struct trace_sink *sink, struct tthread *t, pid_t child, int event)
{
	struct tproc *parent = t->proc, *p;
	struct tthread *c = ttable_get(child);
	long long flags = clone_flags(t->tid);
	bool thread;

	if (!c)
		return;
	/* a thread: CLONE_THREAD, only ever reported as PTRACE_EVENT_CLONE */
	if (event != PTRACE_EVENT_CLONE)
		thread = false;
	else if (flags >= 0)
		thread = (flags & CLONE_THREAD) != 0;
	else
		thread = tgid_of(child) == parent->pub.tgid;
	if (thread) {
		tproc_attach(parent, c);
	} else {
		p = tproc_new(child, parent->pub.tgid, &parent->pub);
		if (!p)
			return;
		tproc_attach(p, c);
		p->pub.started = true;
		if (sink->fork)
			sink->fork(sink->ctx, &parent->pub, &p->pub, fork_kind(flags, event));
	}
	c->announced = true;
	if (c->parked) {
		c->parked = false;
		tresume(child, 0);
	}
}

struct orphans {
	pid_t ended;
	struct tthread *found;
};

static void find_orphan(struct tthread *t, void *arg)
{
	struct orphans *o = arg;
	struct tthread *parent;
	pid_t ppid;

	if (o->found || !t->parked || t->announced || tgid_of(t->tid) != t->tid)
		return;
	ppid = (pid_t)trace_status_field(t->tid, "PPid"); /* reparented by now */
	parent = ppid > 0 ? ttable_find(ppid) : NULL;
	if (!parent || !parent->proc || parent->proc->pub.tgid == o->ended)
		o->found = t;
}

/* A task whose parent was killed between creating it and its fork event stop (a fatal signal
 * skips that stop) would stay parked for ever: it becomes a process of its own, forked from the
 * ended one (the sink gets a fork from a parent that has had its exit). */
void tlife_adopt_orphans(const struct trace_sink *sink, pid_t ended_tgid)
{
	struct orphans o = {ended_tgid, NULL};
	struct tproc *p;

	for (;;) {
		o.found = NULL;
		ttable_foreach(find_orphan, &o);
		if (!o.found)
			return;
		p = tproc_new(o.found->tid, ended_tgid, NULL);
		if (!p) {
			o.found->parked = false;
			o.found->announced = true;
			tresume(o.found->tid, 0);
			continue;
		}
		tproc_attach(p, o.found);
		tproc_read_identity(p);
		p->pub.started = true;
		if (sink->process_start)
			sink->process_start(sink->ctx, &p->pub);
		o.found->announced = true;
		o.found->parked = false;
		tresume(o.found->tid, 0);
	}
}

void tlife_exec(const struct trace_sink *sink, struct tthread *t)
{
	struct tproc *p = t->proc;
	unsigned long former = 0;
	struct tthread *old;

	/* a non-leader that execs takes the leader's tid: its own record goes */
	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &former) == 0 && (pid_t)former != t->tid &&
	    (old = ttable_find((pid_t)former)) != NULL)
		ttable_remove(old);
	/* the other threads are dead or dying: nothing of theirs may run before the new image's */
	p->busy = NULL;
	while (tproc_unhold(p))
		;
	t->in_call = false;
	if (t->exiting) { /* the record was the old leader's, which reached its exit event */
		t->exiting = false;
		p->pub.nexiting--;
	}
	tproc_read_identity(p);
	trace_stack_free(&p->pub);
	if (!p->pub.started) {
		p->pub.started = true;
		if (sink->process_start)
			sink->process_start(sink->ctx, &p->pub);
	} else if (sink->exec) {
		sink->exec(sink->ctx, &p->pub);
	}
}

void tlife_exiting(const struct trace_sink *sink, struct tthread *t)
{
	struct tproc *p = t->proc;
	unsigned long code = 0;

	if (t->exiting)
		return;
	t->exiting = true;
	p->pub.nexiting++;
	if (p->pub.nexiting == p->pub.nthreads && p->pub.started && sink->exiting) {
		ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &code);
		sink->exiting(sink->ctx, &p->pub, t->tid, (int)code);
	}
}

void tlife_gone(const struct trace_sink *sink, struct tthread *t, int st)
{
	struct tproc *p = t->proc;

	if (p && t->tid == p->pub.tgid) {
		p->leader_gone = true;
		p->wait_status = st;
	}
	ttable_remove(t);
	if (!p)
		return;
	if (p->leader_gone && p->pub.nthreads == 0) {
		if (p->pub.started && sink->exit)
			sink->exit(sink->ctx, &p->pub, p->wait_status);
		p->pub.exited = true;
		tlife_adopt_orphans(sink, p->pub.tgid);
		tproc_free(p);
		return;
	}
	tcall_next(sink, p);
}
