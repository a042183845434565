/* trace_misc MODE [PIDFILE]: small programs for tests/trace:
 *   sigkill        locks a page, then kills itself with SIGKILL
 *   hang PIDFILE   writes its pid, then locks and unlocks a page every 10 ms for ever
 *   signals PIDFILE  writes its pid, then locks and unlocks a page every 10 ms until it has
 *                  received SIGUSR1 and SIGCONT; prints what it received and exits 0
 *   refused        locks a page, unlocks it (tests/trace refuse munlock with EPERM), prints the
 *                  munlock result and VmLck
 *   exec-thread    two threads lock and unlock a page in a loop while a third execs this program
 *                  as "trace_misc after-exec" (the exec'ing thread is not the leader; the other
 *                  threads die in their calls), which locks a page and prints "after exec"
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "trace_vmlck.h"

static volatile sig_atomic_t got_usr1, got_cont;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_cont = 1;
}

static char *page_of(void)
{
	char *p = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		exit(2);
	return p;
}

static void write_pid(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0)
		exit(2);
}

static void tick(char *p)
{
	struct timespec ts = {0, 10 * 1000 * 1000};

	mlock(p, 1); /* trace_misc: tick mlock */
	munlock(p, 1);
	nanosleep(&ts, NULL);
}

static char *self;

static void *ticker(void *arg)
{
	for (;;)
		tick(arg);
	return NULL;
}

static void *execer(void *arg)
{
	char *args[] = {self, "after-exec", NULL};
	struct timespec ts = {0, 50 * 1000 * 1000};

	nanosleep(&ts, NULL);
	execv(self, args);
	exit(3);
}

static int exec_thread(char *p)
{
	pthread_t t;
	int i;

	for (i = 0; i < 2; i++)
		if (pthread_create(&t, NULL, ticker, p) != 0)
			return 2;
	if (pthread_create(&t, NULL, execer, NULL) != 0)
		return 2;
	for (;;)
		tick(p);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	char *p = page_of();
	int r;

	if (strcmp(mode, "sigkill") == 0) {
		printf("mlock %d\n", mlock(p, 1)); /* trace_misc: sigkill mlock */
		fflush(stdout);
		kill(getpid(), SIGKILL);
	} else if (strcmp(mode, "hang") == 0 && argc > 2) {
		write_pid(argv[2]);
		for (;;)
			tick(p);
	} else if (strcmp(mode, "signals") == 0 && argc > 2) {
		signal(SIGUSR1, on_signal);
		signal(SIGCONT, on_signal);
		write_pid(argv[2]);
		while (!got_usr1 || !got_cont)
			tick(p);
		printf("got SIGUSR1 and SIGCONT\n");
		return 0;
	} else if (strcmp(mode, "exec-thread") == 0) {
		self = argv[0];
		return exec_thread(p);
	} else if (strcmp(mode, "after-exec") == 0) {
		printf("after exec %d\n", mlock(p, 1));
		return 0;
	} else if (strcmp(mode, "refused") == 0) {
		printf("mlock %d\n", mlock(p, 1));
		r = munlock(p, 1); /* trace_misc: refused munlock */
		printf("munlock %d errno %d\n", r, r ? errno : 0);
		printf("vmlck %ld\n", vmlck());
		return 0;
	}
	return 2;
}
