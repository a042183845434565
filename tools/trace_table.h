/* trace_table.h: the supervisor's threads and processes (trace_table.c), private to the
 * mechanism (trace_loop.c, trace_events.c). */
#ifndef MEMAUDIT_TOOLS_TRACE_TABLE_H
#define MEMAUDIT_TOOLS_TRACE_TABLE_H

#include "tools/trace.h"

struct tthread;

/* A process with the mechanism's own state: the call in flight and the threads held behind it. */
struct tproc {
	struct trace_proc pub;
	struct tthread *busy;              /* its thread with a call in flight, or NULL */
	uint64_t busy_since;               /* when that call started (CLOCK_MONOTONIC, ns) */
	struct tthread *held, *held_tail;  /* FIFO of threads waiting at their seccomp stop */
	bool leader_gone;                  /* the leader's exit was reaped */
	int wait_status;                   /* the leader's */
	struct tproc *next;
};

struct tthread {
	pid_t tid;
	struct tproc *proc;   /* NULL until the parent's fork/clone event named it */
	bool announced;       /* the parent's event was handled (or it is the command) */
	bool parked;          /* at its first stop, before announced: left stopped until then */
	bool in_call;         /* resumed with PTRACE_SYSCALL: its exit stop is due */
	bool is_held;         /* in its process's held queue */
	bool exiting;         /* reached its exit event */
	struct trace_call call;
	struct tthread *next_held;
	struct tthread *hnext;
};

struct tthread *ttable_find(pid_t tid);
/* Find or add (not announced, no process). NULL when out of memory. */
struct tthread *ttable_get(pid_t tid);
/* Remove and free (also from its process's held queue and thread count). */
void ttable_remove(struct tthread *t);
/* Call fn for every thread (fn may not remove any). */
void ttable_foreach(void (*fn)(struct tthread *t, void *arg), void *arg);
/* Threads known, announced or not. */
size_t ttable_count(void);

/* A new process (ppid 0: the command); exe and argv copied from `from` when not NULL. */
struct tproc *tproc_new(pid_t tgid, pid_t ppid, const struct trace_proc *from);
void tproc_attach(struct tproc *p, struct tthread *t);
void tproc_free(struct tproc *p);
/* Re-read exe and argv from /proc. */
void tproc_read_identity(struct tproc *p);

void tproc_hold(struct tproc *p, struct tthread *t);
struct tthread *tproc_unhold(struct tproc *p);
/* Threads held at their seccomp stops, in all processes. */
size_t tproc_held_total(void);
/* Call fn for every process (fn may not free any). */
void tproc_foreach(void (*fn)(struct tproc *p, void *arg), void *arg);

/* ---- trace_calls.c: traced calls in each process's kernel order */
void tcall_seccomp_stop(const struct trace_sink *sink, struct tthread *t);
void tcall_exit_stop(const struct trace_sink *sink, struct tthread *t);
/* Start the next held call of p when none is in flight. */
void tcall_next(const struct trace_sink *sink, struct tproc *p);
/* Stop holding threads behind a call in flight for longer than TRACE_HOLD_MS (trace.h). */
void tcall_release_overdue(const struct trace_sink *sink);

/* ---- trace_lifecycle.c: new tasks, exec, exits */
/* The parent t's fork, vfork or clone event for the new task child (PTRACE_EVENT_*). */
void tlife_new_task(const struct trace_sink *sink, struct tthread *t, pid_t child, int event);
void tlife_exec(const struct trace_sink *sink, struct tthread *t);
/* Adopt the parked tasks whose parent ended before its fork event was seen. */
void tlife_adopt_orphans(const struct trace_sink *sink, pid_t ended_tgid);
void tlife_exiting(const struct trace_sink *sink, struct tthread *t);
/* t was reaped with wait status st. */
void tlife_gone(const struct trace_sink *sink, struct tthread *t, int st);

/* Resume a stopped thread (PTRACE_CONT with signal sig), ignoring ESRCH (killed meanwhile). */
void tresume(pid_t tid, int sig);

#endif
