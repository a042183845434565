/* trace_lifecycle.c: processes and threads appear (fork, vfork, clone events), change (exec) and
 * end (exit events, reaping).
 *
 * A new task's first stop and its parent's event come in either order; the task is left stopped
 * (parked) until the parent's event has told the sink about it, so that the sink sees the fork
 * while the parent is stopped at it and before the child's first call. With __WALL, a leader is
 * reaped only after its other threads, so a process ends when its leader is reaped.
 */
#include "config.h"

#include <sys/ptrace.h>
#include <sys/wait.h>

#include "tools/trace_table.h"

static pid_t tgid_of(pid_t tid)
{
	return (pid_t)trace_status_field(tid, "Tgid");
}

void tlife_new_task(const struct trace_sink *sink, struct tthread *t, pid_t child, int event)
{
	struct tproc *parent = t->proc, *p;
	struct tthread *c = ttable_get(child);
	pid_t tgid;

	if (!c)
		return;
	tgid = event == PTRACE_EVENT_CLONE ? tgid_of(child) : child;
	if (tgid == parent->pub.tgid) {
		tproc_attach(parent, c);
	} else {
		p = tproc_new(child, parent->pub.tgid, &parent->pub);
		if (!p)
			return;
		tproc_attach(p, c);
		p->pub.started = true;
		if (sink->fork)
			sink->fork(sink->ctx, &parent->pub, &p->pub,
				   event == PTRACE_EVENT_FORK    ? TRACE_FORK
				   : event == PTRACE_EVENT_VFORK ? TRACE_VFORK
								 : TRACE_CLONE);
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
