/* memlock.h: the process's own RLIMIT_MEMLOCK as the simulated target has it: what a getrlimit,
 * setrlimit or prlimit of it is told and does (the preload library's rlimit.c wraps those calls;
 * a supervisor may answer prlimit64 from here). With MEMAUDIT_MEMLOCK_LIMIT (p->memlock_modelled)
 * the limit is a model, set as do_prlimit() (kernel/sys.c) does for a process without
 * CAP_SYS_RESOURCE (policy/rlimitmodel.h); without it the simulated limit follows what the real
 * calls report and set. The first read and every attempt to set are logged (the memlock record). */
#ifndef MEMAUDIT_ENGINE_MEMLOCK_H
#define MEMAUDIT_ENGINE_MEMLOCK_H

#include "policy/engine/proc.h"
#include "policy/rlimitmodel.h"

/* One call named op (via: through syscall(2)) on the own RLIMIT_MEMLOCK, after the real call when
 * one was made (real_err: its result, 0 or errno). old: NULL, or the limit to report (on entry the
 * kernel's answer when the real call read it). want: the new limit, or NULL. Returns 0 or the
 * errno of the call. Captures the stack and takes the lock; errno is left as it was. */
int engine_memlock(struct engine_proc *p, const char *op, int via, struct rlim_pair *old,
		   const struct rlim_pair *want, int real_err);

/* A fork child, its log just started: say that its parent had read the limit it inherits (the
 * child may lock by what its parent read). Lock held (or the only thread). */
void engine_memlock_fork_child(struct engine_proc *p);

#endif
