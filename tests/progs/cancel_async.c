/* cancel_async: threads with asynchronous cancellation loop on mlock + munlock + madvise (system
 * calls only, so the program is correct without the shim: pthread_cancel(3) allows async cancel
 * only of async-cancel-safe code, and these hold no user-space lock). The main thread cancels each,
 * checks that pthread_join returns PTHREAD_CANCELED, then forks: the child locks, unlocks and
 * exits 0. Prints "ok" and exits 0; 1 when a join returned something else, 3 when the child failed. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 4

static char bufs[NTHREADS][8192] __attribute__((aligned(4096)));
static volatile int started;

static void *worker(void *arg)
{
	char *b = arg;

	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		mlock(b + 100, 64);
		munlock(b + 100, 64);
		madvise(b, 4096, MADV_DONTDUMP);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];
	struct timespec ms = {0, 2000000};
	int i, bad = 0, st;
	pid_t pid;

	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, bufs[i]);
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < NTHREADS)
		sched_yield();
	nanosleep(&ms, NULL);
	for (i = 0; i < NTHREADS; i++) {
		void *ret = NULL;
		pthread_cancel(t[i]);
		pthread_join(t[i], &ret);
		if (ret != PTHREAD_CANCELED) {
			printf("thread %d: join returned %p, not PTHREAD_CANCELED\n", i, ret);
			bad = 1;
		}
	}
	pid = fork();
	if (pid == 0) {
		mlock(bufs[0], 64);
		munlock(bufs[0], 64);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 3;
	if (!bad)
		printf("ok\n");
	return bad;
}
