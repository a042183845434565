/* process.c: fork and the exits that skip exit handlers.
 *
 * The fork child's own setup (new log, no inherited locks) runs in the pthread_atfork child
 * handler (init.c), so children created by any fork() call are covered; this wrapper only adds the
 * parent's "fork" event with its stack. _Fork(3), clone(2) and vfork(2) run no atfork handlers:
 * such a child is not audited at all (shim_auditing() sees that its pid is not the log's; with
 * CLONE_VM it shares the shim's memory and must not touch it: init.c).
 *
 * _exit and _Exit run no atexit handlers and no destructors (torsocks wraps them for the same
 * reason): they write the exit record themselves. Not in a vfork child, which shares the parent's
 * memory and descriptors (shim_exit_record checks the pid).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "policy/engine/events.h"
#include "guard.h"
#include "real.h"
#include "selfpid.h"
#include "state.h"

/* vfork() and clone() make a child that may share this memory, or copy it without any atfork
 * handler running: the pid cache (selfpid.h) cannot be trusted from then on. Tail jumps, so that
 * libc's own functions run with the program's stack and registers exactly as it called them (a
 * vfork child returns through the frame it was called from: vfork(2) must not run in a C
 * wrapper's frame). Other architectures wrap nothing here and keep no pid cache (selfpid.c). */
#if defined(__x86_64__)
__asm__(".text\n"
	".globl vfork\n"
	".type vfork, @function\n"
	"vfork:\n"
	"	movl $1, shim_forked(%rip)\n"
	"	mfence\n"
	"	jmp __vfork@PLT\n"
	".size vfork, .-vfork\n"
	".globl clone\n"
	".type clone, @function\n"
	"clone:\n"
	"	movl $1, shim_forked(%rip)\n"
	"	mfence\n"
	"	jmp __clone@PLT\n"
	".size clone, .-clone\n");
#endif

/* _Fork(3) runs no atfork handlers: the pid cache is told itself. */
SHIM_EXPORT pid_t _Fork(void)
{
	pid_t pid;

	if (unlikely(!real_ready()))
		real_resolve();
	if (!real._Fork) {
		errno = ENOSYS;
		return -1;
	}
	selfpid_fork_prepare();
	pid = real._Fork();
	if (pid == 0)
		selfpid_child(getpid());
	else
		selfpid_fork_parent();
	return pid;
}

SHIM_EXPORT pid_t fork(void)
{
	pid_t pid;
	int err, g;

	if (unlikely(!real_ready()))
		real_resolve();
	/* No guard across the real fork: the application's own atfork handlers run inside it and
	 * must be audited like any other code. */
	pid = real.fork();
	err = errno;
	if (pid != 0 && shim_auditing()) {
		g = guard_enter();
		engine_fork(shim_proc(), pid, err);
		guard_leave(g);
	}
	errno = err;
	return pid;
}

/* Also from a signal handler that interrupted the shim (the guard held, as in a child forked by
 * that handler): shim_exit_record only tries the lock then. Not in a child that shares this memory
 * (vfork, clone(CLONE_VM)): checked before the guard, which it would share too. */
SHIM_EXPORT void _exit(int status)
{
	if (unlikely(!real_ready()))
		real_resolve();
	if (shim_own_process())
		status = shim_exit_record("_exit", status);
	real._exit(status);
	__builtin_unreachable();
}

SHIM_EXPORT void _Exit(int status)
{
	if (unlikely(!real_ready()))
		real_resolve();
	if (shim_own_process())
		status = shim_exit_record("_exit", status);
	real._Exit(status);
	__builtin_unreachable();
}
