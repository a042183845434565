/* trace_threads [ROUNDS [CALLS]]: 4 threads lock and unlock one shared page in a random order,
 * ROUNDS times CALLS calls each (default 50, 4); after each round (all threads at a barrier) the main thread reads VmLck,
 * prints "vmlck BYTES" and makes a marker call, madvise(marker, page, MADV_NORMAL), so that the
 * traced call stream can be cut at the same points (tests/trace/threads.sh replays it into
 * policy/tracker.c and compares). Calls in the wrong order would make the replay disagree. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "trace_vmlck.h"

#define NTHREADS 4

static pthread_barrier_t start_round, end_round;
static char *shared;
static long page, rounds = 50, calls = 4;

static void *worker(void *arg)
{
	unsigned seed = (unsigned)(long)arg * 2654435761u + 7;
	long r;
	long i;

	for (r = 0; r < rounds; r++) {
		pthread_barrier_wait(&start_round);
		for (i = 0; i < calls; i++) {
			if (rand_r(&seed) & 1)
				mlock(shared, (size_t)page); /* trace_threads: mlock site */
			else
				munlock(shared, (size_t)page);
		}
		pthread_barrier_wait(&end_round);
		pthread_barrier_wait(&start_round); /* main has read VmLck */
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[NTHREADS];
	char *marker;
	long r, i;

	if (argc > 1)
		rounds = strtol(argv[1], NULL, 10);
	if (argc > 2)
		calls = strtol(argv[2], NULL, 10);
	page = sysconf(_SC_PAGESIZE);
	shared = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	marker = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || marker == MAP_FAILED)
		return 2;
	printf("shared %lu marker %lu\n", (unsigned long)shared, (unsigned long)marker);
	pthread_barrier_init(&start_round, NULL, NTHREADS + 1);
	pthread_barrier_init(&end_round, NULL, NTHREADS + 1);
	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
			return 2;
	for (r = 0; r < rounds; r++) {
		pthread_barrier_wait(&start_round);
		pthread_barrier_wait(&end_round);
		printf("vmlck %ld\n", vmlck());
		madvise(marker, (size_t)page, MADV_NORMAL);
		pthread_barrier_wait(&start_round);
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	return 0;
}
