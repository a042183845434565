/* orphan: fork children whose parent exits at once (tests/integration/orphan.sh).
 *
 *   orphan         the parent forks a child, prints "parent=P child=C" and exits 0; the child waits
 *                  until its parent is gone, locks one block and exits 0.
 *   orphan daemon  double-fork daemonization: the parent forks B, prints "parent=P child=B" and
 *                  exits; B calls setsid(), forks C, prints "daemon=B grandchild=C" and exits; C
 *                  waits until B is gone, locks one block and exits 0.
 *
 * A child that is still not orphaned after 5 seconds exits 9 (its log's exit record says so). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* Wait until getppid() is no longer parent (the kernel reparents an orphan to init or to the
 * nearest subreaper: prctl(2) PR_SET_CHILD_SUBREAPER). Returns 0, or 1 after 5 seconds. */
static int wait_orphaned(pid_t parent)
{
	struct timespec ms = {0, 1000000};

	for (int i = 0; i < 5000; i++) {
		if (getppid() != parent)
			return 0;
		nanosleep(&ms, NULL);
	}
	return 1;
}

/* The orphan's work: one locked block. Returns the exit status. */
static int orphan_work(pid_t parent)
{
	char *p;

	if (wait_orphaned(parent))
		return 9;
	p = malloc(64);
	return p && mlock(p, 64) == 0 ? 0 : 1;
}

/* fork(), with stdout flushed first so that a child does not print its parent's lines again; the
 * parent prints "<self>=<its pid> <other>=<the child's pid>". */
static pid_t fork_told(const char *self, const char *other)
{
	pid_t me = getpid(), pid;

	fflush(stdout);
	pid = fork();
	if (pid > 0)
		printf("%s=%ld %s=%ld\n", self, (long)me, other, (long)pid);
	return pid;
}

int main(int argc, char **argv)
{
	int daemon = argc > 1 && strcmp(argv[1], "daemon") == 0;
	pid_t parent = getpid(), pid;

	pid = fork_told("parent", "child");
	if (pid != 0)
		return pid < 0 ? 4 : 0;
	if (!daemon)
		return orphan_work(parent);
	if (setsid() < 0)
		return 5;
	parent = getpid();
	pid = fork_told("daemon", "grandchild");
	if (pid != 0)
		return pid < 0 ? 4 : 0;
	return orphan_work(parent);
}
