/* threads [N]: 8 threads; each locks and unlocks its own buffers N times (one page-aligned page,
 * one small heap block, alternately) while churning malloc/free between the two calls. Exactly
 * 8*N mlock and 8*N munlock calls. Exits 0 when every call succeeded. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define NTHREADS 8
#define NCHURN 16

static long iterations = 2000;
static size_t page;

static void *worker(void *arg)
{
	long id = (long)arg, i, failures = 0;
	unsigned seed = (unsigned)id * 2654435761u + 1;
	void *churn[NCHURN] = {0};
	char *pagebuf = NULL, *small = malloc(48);
	int k, j;

	if (posix_memalign((void **)&pagebuf, page, page) != 0 || !small)
		return (void *)-1L;
	memset(pagebuf, 0, page);
	for (i = 0; i < iterations; i++) {
		char *b = (i & 1) ? small : pagebuf;
		size_t len = (i & 1) ? 48 : page;

		if (mlock(b, len) != 0)
			failures++;
		for (k = 0; k < 4; k++) {
			j = rand_r(&seed) % NCHURN;
			free(churn[j]);
			churn[j] = malloc(1 + (size_t)(rand_r(&seed) % 3000));
			if (churn[j])
				*(char *)churn[j] = (char)id;
		}
		if (munlock(b, len) != 0)
			failures++;
	}
	for (j = 0; j < NCHURN; j++)
		free(churn[j]);
	free(small);
	free(pagebuf);
	return (void *)failures;
}

int main(int argc, char **argv)
{
	pthread_t t[NTHREADS];
	long i, failures = 0;

	if (argc > 1)
		iterations = strtol(argv[1], NULL, 10);
	page = (size_t)sysconf(_SC_PAGESIZE);
	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 2;
		}
	for (i = 0; i < NTHREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		failures += (long)r;
	}
	printf("threads=%d iterations=%ld failures=%ld\n", NTHREADS, iterations, failures);
	return failures ? 1 : 0;
}
