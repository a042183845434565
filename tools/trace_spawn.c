/* trace_spawn.c: start the command as a traced child.
 *
 * Order (TRACE-NOTES, "Pitfalls"): the child is seized before it installs the filter, because a
 * RET_TRACE filter without a tracer makes the traced calls fail with ENOSYS; PTRACE_O_EXITKILL
 * kills it if the supervisor dies. No PTRACE_TRACEME and no stop: the child waits on a pipe until
 * the parent has seized it, then sets no_new_privs (an unprivileged filter needs it: set-user-ID
 * programs run without their privileges), installs the filter and execs. A failure in the child
 * comes back through a close-on-exec pipe as its step and errno, and the parent prints it as one
 * line with what to do.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/trace.h"

#define TRACE_OPTIONS                                                                             \
	(PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |   \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXIT)

enum child_step { STEP_FILTER = 1, STEP_EXEC = 2 };

struct child_error {
	int step;
	int err;
};

/* The contents of a one-line /proc file, or -1. */
static long proc_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static void comm_of(long pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	buf[0] = 0;
	f = fopen(path, "re");
	if (f) {
		if (fgets(buf, (int)size, f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
}

/* One line: why PTRACE_SEIZE of our own child failed, and what to do. */
static void seize_error(pid_t child, int err)
{
	long tracer = (long)trace_status_field(child, "TracerPid"), scope;
	char comm[64];

	if (tracer > 0) {
		comm_of(tracer, comm, sizeof comm);
		fprintf(stderr, "memaudit-trace: the command is already being traced (by pid %ld, %s): "
			"trace mode cannot run under strace, gdb or another tracer; run it without the "
			"other tracer, or use memaudit --preload\n", tracer, comm[0] ? comm : "?");
		return;
	}
	scope = proc_long("/proc/sys/kernel/yama/ptrace_scope");
	if (err == EPERM && scope >= 2)
		fprintf(stderr, "memaudit-trace: ptrace is not permitted (kernel.yama.ptrace_scope=%ld): "
			"run as root with CAP_SYS_PTRACE, set kernel.yama.ptrace_scope=1 (if it is 2), "
			"or use memaudit --preload\n", scope);
	else
		fprintf(stderr, "memaudit-trace: ptrace is not permitted here (%s): in a container, "
			"allow ptrace (docker run --cap-add=SYS_PTRACE, or a seccomp profile that allows "
			"ptrace), or use memaudit --preload\n", strerror(err));
}

/* The child's failure, as the parent prints it; returns the exit status to use. */
static int child_error(const struct child_error *e, const char *cmd)
{
	if (e->step == STEP_FILTER) {
		fprintf(stderr, "memaudit-trace: cannot install the seccomp filter (%s): %s\n",
			strerror(e->err),
			e->err == EINVAL ? "the kernel has no seccomp filters (CONFIG_SECCOMP_FILTER), or "
					   "a container's policy forbids them; use memaudit --preload"
					 : "a container's seccomp policy may forbid seccomp(2); use memaudit --preload");
		return 1;
	}
	fprintf(stderr, "memaudit-trace: %s: %s\n", cmd, strerror(e->err));
	return e->err == ENOENT ? 127 : 126;
}

/* Wait for the child to end (it may stop at its exit event first: it is traced). */
static void reap(pid_t child)
{
	int st;

	for (;;) {
		if (waitpid(child, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st))
			return;
		ptrace(PTRACE_CONT, child, 0L, 0L);
	}
}

static void child_main(char *const argv[], int go_fd, int err_fd)
{
	struct child_error e = {0, 0};
	char c;
	ssize_t r;
	int rc;

	do
		r = read(go_fd, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1) /* the parent could not seize us: it reports why */
		_exit(1);
	rc = trace_filter_install();
	if (rc != 0) {
		e.step = STEP_FILTER;
		e.err = -rc;
	} else {
		execvp(argv[0], argv);
		e.step = STEP_EXEC;
		e.err = errno;
	}
	if (write(err_fd, &e, sizeof e) < 0)
		_exit(1);
	_exit(1);
}

pid_t trace_spawn(char *const argv[], int *exit_status)
{
	int go[2], err[2];
	struct child_error e;
	pid_t child;
	ssize_t r;

	*exit_status = 1;
	if (pipe2(go, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
		fprintf(stderr, "memaudit-trace: pipe: %s\n", strerror(errno));
		return -1;
	}
	child = fork();
	if (child < 0) {
		fprintf(stderr, "memaudit-trace: fork: %s\n", strerror(errno));
		return -1;
	}
	if (child == 0) {
		close(go[1]);
		close(err[0]);
		child_main(argv, go[0], err[1]);
	}
	close(go[0]);
	close(err[1]);
	if (ptrace(PTRACE_SEIZE, child, 0L, (void *)(long)TRACE_OPTIONS) != 0) {
		int e0 = errno;

		seize_error(child, e0);
		close(go[1]); /* the child reads EOF and exits */
		close(err[0]);
		reap(child);
		return -1;
	}
	if (write(go[1], "g", 1) != 1) {
		fprintf(stderr, "memaudit-trace: cannot start the command: %s\n", strerror(errno));
		kill(child, SIGKILL);
		close(go[1]);
		close(err[0]);
		reap(child);
		return -1;
	}
	close(go[1]);
	/* EOF when the exec succeeded (the pipe is close-on-exec): the child is then stopped at its
	 * exec event, which trace_run sees first. */
	do
		r = read(err[0], &e, sizeof e);
	while (r < 0 && errno == EINTR);
	close(err[0]);
	if (r == (ssize_t)sizeof e) {
		*exit_status = child_error(&e, argv[0]);
		reap(child);
		return -1;
	}
	return child;
}
