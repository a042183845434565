/* sig_fork: a SIGALRM handler forks (fork is async-signal-safe, signal-safety(7)); each child
 * locks and unlocks a buffer and _exits 0, while the main thread loops on mlock + munlock, so the
 * signal often interrupts an audited call. FORKS (argv[1], default 10) children are made; the
 * parent reaps them all, prints "forks=N bad=B" and exits 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static char buf[8192] __attribute__((aligned(4096)));
static volatile sig_atomic_t forks, want;

static void on_alarm(int sig)
{
	int e = errno;
	pid_t pid;

	(void)sig;
	if (forks >= want)
		return;
	pid = fork();
	if (pid == 0) {
		mlock(buf + 4096, 64);
		munlock(buf + 4096, 64);
		_exit(0);
	}
	if (pid > 0)
		forks++;
	errno = e;
}

int main(int argc, char **argv)
{
	struct itimerval it = {{0, 2000}, {0, 2000}};
	struct sigaction sa;
	int st, bad = 0;
	pid_t pid;

	want = argc > 1 ? atoi(argv[1]) : 10;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	while (forks < want) {
		mlock(buf, 64);
		munlock(buf, 64);
	}
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	while ((pid = wait(&st)) > 0 || errno == EINTR)
		if (pid > 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))
			bad++;
	printf("forks=%d bad=%d\n", (int)forks, bad);
	return 0;
}
