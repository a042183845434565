/* trace_loop.c: the supervisor's event loop: one waitpid(-1, __WALL) at a time, each stop sent
 * to its handler, until no traced task is left.
 *
 * Stops (all tracees are seized, so group stops are PTRACE_EVENT_STOP):
 *   SIGTRAP|0x80                  a call's exit stop (trace_calls.c)
 *   PTRACE_EVENT_SECCOMP          a traced call's entry (trace_calls.c)
 *   PTRACE_EVENT_FORK/VFORK/CLONE a new task (trace_lifecycle.c)
 *   PTRACE_EVENT_EXEC, _EXIT      (trace_lifecycle.c)
 *   PTRACE_EVENT_STOP             a new task's first stop, or a group stop (job control): resumed
 *                                 with PTRACE_LISTEN, so that it stays stopped until SIGCONT while
 *                                 the supervisor still sees its other events
 *   anything else                 a signal-delivery stop: the signal is re-injected
 *
 * While threads are held behind a call in flight (trace_calls.c) the wait polls: waitpid with
 * WNOHANG, then up to 20 ms for a SIGCHLD (blocked, taken with sigtimedwait), so that a call in
 * flight for too long can stop holding them.
 *
 * The supervisor's own signals: SIGINT and SIGQUIT come from the terminal to the command as well,
 * which decides; SIGTERM and SIGHUP are passed on to the command. A SIGKILL ends the command
 * too (PTRACE_O_EXITKILL).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "tools/trace_table.h"

static volatile pid_t forward_to;

static void forward(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

static void own_signals(pid_t root)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	forward_to = root;
	sa.sa_handler = forward;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void event_stop(const struct trace_sink *sink, struct tthread *t, int ev, int sig)
{
	unsigned long msg = 0;

	switch (ev) {
	case PTRACE_EVENT_SECCOMP:
		tcall_seccomp_stop(sink, t);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &msg) == 0)
			tlife_new_task(sink, t, (pid_t)msg, ev);
		break;
	case PTRACE_EVENT_EXEC:
		tlife_exec(sink, t);
		break;
	case PTRACE_EVENT_EXIT:
		tlife_exiting(sink, t);
		break;
	case PTRACE_EVENT_STOP:
		if (is_stop_signal(sig)) {
			ptrace(PTRACE_LISTEN, t->tid, 0L, 0L);
			return;
		}
		break;
	}
	tresume(t->tid, 0);
}

static void stopped(const struct trace_sink *sink, struct tthread *t, int status)
{
	int sig = WSTOPSIG(status), ev = (unsigned)status >> 16;

	if (!t->announced) { /* a new task before its parent's event: wait for that */
		t->parked = true;
		return;
	}
	if (sig == (SIGTRAP | 0x80))
		tcall_exit_stop(sink, t);
	else if (ev != 0)
		event_stop(sink, t, ev, sig);
	else
		tresume(t->tid, sig); /* signal-delivery stop */
}

int trace_run(pid_t root, const struct trace_sink *sink)
{
	struct tthread *t = ttable_get(root);
	struct tproc *p = tproc_new(root, 0, NULL);
	struct timespec poll = {0, 20 * 1000 * 1000};
	int status, root_status = 0;
	sigset_t chld;
	pid_t pid;

	if (!t || !p) {
		fprintf(stderr, "memaudit-trace: out of memory\n");
		kill(root, SIGKILL);
		return 1 << 8;
	}
	tproc_attach(p, t);
	t->announced = true;
	own_signals(root);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	while (ttable_count() > 0) {
		pid = waitpid(-1, &status, __WALL | (tproc_held_total() ? WNOHANG : 0));
		if (pid == 0) {
			if (sigtimedwait(&chld, NULL, &poll) < 0 && errno == EAGAIN)
				tcall_release_overdue(sink);
			continue;
		}
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: nothing left */
		}
		t = ttable_get(pid);
		if (!t)
			continue;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == root) {
				root_status = status;
				forward_to = 0; /* its pid may be reused */
			}
			tlife_gone(sink, t, status);
		} else if (WIFSTOPPED(status)) {
			stopped(sink, t, status);
		}
	}
	return root_status;
}
