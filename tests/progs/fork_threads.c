/* fork_threads [FORKS]: while the main thread forks FORKS times (default 100), 4 threads keep
 * starting short-lived threads that lock and unlock a page of their own (a new thread's first stack
 * captures take the unwinder's slow path, under its internal lock). Each child locks and unlocks a
 * page of its own and leaves with _exit(0). A child that inherits a lock held by a parent thread at
 * fork time (the shim's, the allocator's, the unwinder's) hangs at its first audited call. Exits 0
 * when every child exited 0. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 4

static volatile int stop;
static size_t page;

static void *short_lived(void *arg)
{
	char *buf = arg;
	int k;

	for (k = 0; k < 3; k++) {
		void *junk = malloc(100);
		mlock(buf, page);
		free(junk);
		munlock(buf, page);
	}
	return NULL;
}

static void *worker(void *arg)
{
	char *buf = NULL;
	pthread_t t;

	(void)arg;
	if (posix_memalign((void **)&buf, page, page) != 0)
		return (void *)-1L;
	while (!stop) {
		if (pthread_create(&t, NULL, short_lived, buf) != 0)
			break;
		pthread_join(t, NULL);
	}
	free(buf);
	return (void *)0;
}

/* Wait for child c, at most 20 s: a hung child (its signals may be blocked: the unwinder blocks
 * them while it holds its lock) is killed with SIGKILL, never left behind. */
static int reap(pid_t c, int *st)
{
	struct timespec ms = {0, 1000000};
	int i;

	for (i = 0; i < 20000; i++) {
		pid_t r = waitpid(c, st, WNOHANG);
		if (r == c)
			return 0;
		if (r < 0)
			return -1;
		nanosleep(&ms, NULL);
	}
	fprintf(stderr, "child %ld hangs: killed\n", (long)c);
	kill(c, SIGKILL);
	waitpid(c, st, 0);
	return -1;
}

int main(int argc, char **argv)
{
	long forks = argc > 1 ? strtol(argv[1], NULL, 10) : 100, i, bad = 0;
	pthread_t t[NTHREADS];

	page = (size_t)sysconf(_SC_PAGESIZE);
	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, NULL) != 0)
			return 2;
	for (i = 0; i < forks; i++) {
		int st;
		pid_t c = fork();
		if (c < 0)
			return 3;
		if (c == 0) {
			char *p = malloc(64);
			int r = p && mlock(p, 64) == 0 && munlock(p, 64) == 0;
			_exit(r ? 0 : 1);
		}
		if (reap(c, &st) != 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	stop = 1;
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	printf("forks=%ld bad=%ld\n", forks, bad);
	return bad ? 1 : 0;
}
